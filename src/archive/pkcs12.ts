// Reads a PKCS#12 (.p12/.pfx) file into a private key and its certificate chain (node-forge does the PKCS#12 work).
import { createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { InputError } from '../errors.js';

export interface SigningCredentials {
  privateKey: KeyObject;
  /** The signer's certificate, DER. */
  certificate: Uint8Array;
  /** The other certificates in the file (intermediates, root), DER, issuer order from the signer up. */
  chain: Uint8Array[];
}

function derOf(cert: forge.pki.Certificate): Uint8Array {
  return Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(cert)).getBytes(), 'binary');
}

/** Orders `others` as the issuer path above `leaf`, keeping any certificates that are not on it at the end. */
export function orderChain(leaf: Uint8Array, others: Uint8Array[]): Uint8Array[] {
  const pool = others.map((der) => ({ der, x: new X509Certificate(der) }));
  const ordered: Uint8Array[] = [];
  let current = new X509Certificate(leaf);
  for (;;) {
    if (current.issuer === current.subject) break;
    const idx = pool.findIndex((c) => current.checkIssued(c.x));
    if (idx < 0) break;
    const [next] = pool.splice(idx, 1);
    ordered.push(next!.der);
    current = next!.x;
  }
  return [...ordered, ...pool.map((c) => c.der)];
}

/**
 * Opens a PKCS#12 file with its password. Supports what OpenSSL 3 writes (PBES2/AES, HMAC-SHA-256) and
 * the older 3DES/RC2 files Windows and many CAs still hand out.
 */
export function loadPkcs12(bytes: Uint8Array, password: string): SigningCredentials {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const der = Buffer.from(bytes).toString('binary');
    try {
      p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), true, password);
    } catch (e) {
      // The MAC and the old PKCS#12 ciphers take the password as UTF-16 (which forge does), PBES2 as
      // UTF-8 bytes (which it does not). When the MAC passed but decryption failed, decrypt again with the
      // UTF-8 form and the already verified MAC left out.
      if (!/decrypt/i.test((e as Error).message) || /^[\x00-\x7f]*$/.test(password)) throw e;
      const pfx = forge.asn1.fromDer(der);
      if (Array.isArray(pfx.value) && pfx.value.length === 3) pfx.value.pop();
      p12 = forge.pkcs12.pkcs12FromAsn1(pfx, true, forge.util.encodeUtf8(password));
    }
  } catch (e) {
    const msg = (e as Error).message ?? String(e);
    const wrongPassword = /mac|password|invalid/i.test(msg);
    throw new InputError(
      wrongPassword ? 'p12-password' : 'p12-unreadable',
      wrongPassword
        ? { vi: `Không mở được tệp PKCS#12: sai mật khẩu (BIEUMAU_P12_PASSWORD) hoặc tệp hỏng (${msg}).`, en: `Cannot open the PKCS#12 file: wrong password (BIEUMAU_P12_PASSWORD) or damaged file (${msg}).` }
        : { vi: `Không đọc được tệp PKCS#12: ${msg}`, en: `Cannot read the PKCS#12 file: ${msg}` },
    );
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const certBags = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [];
  const keyBag = keyBags.find((b) => b.key || b.asn1);
  if (!keyBag) {
    throw new InputError('p12-no-key', { vi: 'Tệp PKCS#12 không chứa khóa bí mật.', en: 'The PKCS#12 file holds no private key.' });
  }
  // RSA keys come decoded; others (EC) only as ASN.1, which Node reads as PKCS#8.
  const pkcs8 = keyBag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(keyBag.key)) : keyBag.asn1!;
  const privateKey = createPrivateKey({ key: Buffer.from(forge.asn1.toDer(pkcs8).getBytes(), 'binary'), format: 'der', type: 'pkcs8' });
  const certs = certBags.filter((b) => b.cert).map((b) => derOf(b.cert!));
  if (certs.length === 0) {
    throw new InputError('p12-no-cert', { vi: 'Tệp PKCS#12 không chứa chứng thư số.', en: 'The PKCS#12 file holds no certificate.' });
  }
  // The signer is the certificate whose public key matches the private key.
  const publicDer = (k: KeyObject) => k.export({ format: 'der', type: 'spki' }).toString('hex');
  const want = publicDer(createPublicKey(privateKey));
  const leafIndex = certs.findIndex((der) => publicDer(new X509Certificate(der).publicKey) === want);
  if (leafIndex < 0) {
    throw new InputError('p12-key-mismatch', { vi: 'Không có chứng thư nào trong tệp PKCS#12 khớp với khóa bí mật.', en: 'No certificate in the PKCS#12 file matches its private key.' });
  }
  const certificate = certs[leafIndex]!;
  return { privateKey, certificate, chain: orderChain(certificate, certs.filter((_, i) => i !== leafIndex)) };
}
