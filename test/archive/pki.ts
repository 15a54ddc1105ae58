// Test PKI made at test time with the openssl CLI: root → intermediate → signer and organisation; nothing committed.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tmpDir, tool } from '../support/tools.js';

export interface TestPki {
  dir: string;
  rootPem: string;
  intermediatePem: string;
  signerP12: string;
  sealP12: string;
  /** Legacy (3DES, SHA-1 MAC) PKCS#12 of the signer, as Windows and many CAs export it. */
  signerLegacyP12: string;
  signerKey: string;
  signerPem: string;
  otherRootPem: string;
  password: string;
  /** NSS database trusting the root, for pdfsig. */
  nssDir: string;
}

function run(args: string[], cwd: string): void {
  execFileSync(tool('openssl'), args, { cwd, stdio: 'pipe' });
}

let cached: TestPki | undefined;

export function makePki(): TestPki {
  if (cached) return cached;
  const dir = tmpDir('bieumau-pki-');
  const password = 'mật-khẩu thử 123';
  fs.writeFileSync(path.join(dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
  fs.writeFileSync(path.join(dir, 'leaf.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
  const root = (name: string, subj: string) =>
    run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.pem`, '-days', '3650', '-utf8', '-subj', subj,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  root('root', '/C=VN/O=Bieumau Test/CN=Bieumau Test Root CA');
  root('other', '/C=VN/O=Somebody Else/CN=Other Root CA');
  const issue = (name: string, subj: string, issuer: string, ext: string) => {
    run(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-utf8', '-subj', subj], dir);
    run(['x509', '-req', '-in', `${name}.csr`, '-CA', `${issuer}.pem`, '-CAkey', `${issuer}.key`, '-CAcreateserial', '-out', `${name}.pem`, '-days', '825', '-extfile', ext], dir);
  };
  issue('intermediate', '/C=VN/O=Bieumau Test/CN=Bieumau Test Signing CA', 'root', 'ca.ext');
  issue('signer', '/C=VN/O=Ủy ban nhân dân phường Hải Dương/title=Chủ tịch/CN=Trần Quốc Khánh', 'intermediate', 'leaf.ext');
  issue('seal', '/C=VN/O=Ủy ban nhân dân phường Hải Dương/CN=Ủy ban nhân dân phường Hải Dương', 'intermediate', 'leaf.ext');
  fs.writeFileSync(path.join(dir, 'chain.pem'), fs.readFileSync(path.join(dir, 'intermediate.pem'), 'utf8') + fs.readFileSync(path.join(dir, 'root.pem'), 'utf8'));
  const p12 = (name: string, out: string, extra: string[] = []) =>
    run(['pkcs12', '-export', '-inkey', `${name}.key`, '-in', `${name}.pem`, '-certfile', 'chain.pem', '-out', out, '-passout', `pass:${password}`, ...extra], dir);
  p12('signer', 'signer.p12');
  p12('seal', 'seal.p12');
  p12('signer', 'signer-legacy.p12', ['-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']);
  const nssDir = path.join(dir, 'nss');
  fs.mkdirSync(nssDir);
  execFileSync(tool('certutil'), ['-N', '-d', `sql:${nssDir}`, '--empty-password'], { stdio: 'pipe' });
  execFileSync(tool('certutil'), ['-A', '-d', `sql:${nssDir}`, '-n', 'root', '-t', 'C,C,C', '-i', path.join(dir, 'root.pem')], { stdio: 'pipe' });
  cached = {
    dir,
    rootPem: path.join(dir, 'root.pem'),
    intermediatePem: path.join(dir, 'intermediate.pem'),
    signerP12: path.join(dir, 'signer.p12'),
    sealP12: path.join(dir, 'seal.p12'),
    signerLegacyP12: path.join(dir, 'signer-legacy.p12'),
    signerKey: path.join(dir, 'signer.key'),
    signerPem: path.join(dir, 'signer.pem'),
    otherRootPem: path.join(dir, 'other.pem'),
    password,
    nssDir,
  };
  return cached;
}
