// Certificate paths for signature verification: from the signer up to a local trust anchor, checked at a time.
import { X509Certificate } from 'node:crypto';
import type * as asn1js from 'asn1js';
import type { Bilingual } from '../i18n.js';
import { parseCertificate } from './cades.js';

/** Certificates in a PEM file (one or more blocks), as DER. */
export function readPemCertificates(text: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  const re = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/g;
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(new Uint8Array(Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')));
  return out;
}

export interface ChainResult {
  trusted: boolean;
  /** Subjects from the signer up to the anchor (or as far as the path went). */
  path: string[];
  problem?: Bilingual;
}

/** Whether keyUsage, when present, allows digitalSignature or nonRepudiation (contentCommitment). */
function keyUsageAllowsSigning(der: Uint8Array): boolean | undefined {
  const ext = parseCertificate(der).extensions?.find((e) => e.extnID === '2.5.29.15');
  const bits = ext?.parsedValue as asn1js.BitString | undefined;
  if (!bits) return undefined;
  const first = bits.valueBlock.valueHexView[0] ?? 0;
  return (first & 0x80) !== 0 || (first & 0x40) !== 0;
}

function within(cert: X509Certificate, at: Date): boolean {
  return new Date(cert.validFrom).getTime() <= at.getTime() && at.getTime() <= new Date(cert.validTo).getTime();
}

/**
 * Builds and checks the path signer → … → anchor from the CMS certificates and the given anchors: each
 * certificate signed by the next, issuers are CAs, all valid at `at`, the signer allowed to sign.
 */
export function checkChain(signerDer: Uint8Array, pool: Uint8Array[], anchors: Uint8Array[], at: Date): ChainResult {
  const signer = new X509Certificate(signerDer);
  const path = [signer.subject.replace(/\n/g, ', ')];
  if (anchors.length === 0) {
    return { trusted: false, path, problem: { vi: 'chưa kiểm tra chuỗi chứng thư: không có chứng thư gốc tin cậy (--trust root.pem)', en: 'certificate chain not checked: no trust anchor given (--trust root.pem)' } };
  }
  if (keyUsageAllowsSigning(signerDer) === false) {
    return { trusted: false, path, problem: { vi: 'chứng thư của người ký không cho phép ký số (keyUsage)', en: 'the signer certificate does not allow signing (keyUsage)' } };
  }
  const anchorCerts = anchors.map((d) => new X509Certificate(d));
  const others = pool.map((d) => new X509Certificate(d));
  let current = signer;
  for (let depth = 0; depth < 10; depth++) {
    if (!within(current, at)) {
      return { trusted: false, path, problem: { vi: `chứng thư "${current.subject.replace(/\n/g, ', ')}" không có hiệu lực vào thời điểm ký`, en: `certificate "${current.subject.replace(/\n/g, ', ')}" was not valid at signing time` } };
    }
    const anchor = anchorCerts.find((a) => a.raw.equals(current.raw) || (current.checkIssued(a) && current.verify(a.publicKey)));
    if (anchor) {
      if (!anchor.raw.equals(current.raw)) path.push(anchor.subject.replace(/\n/g, ', '));
      return { trusted: true, path };
    }
    const issuer = others.find((c) => !c.raw.equals(current.raw) && current.checkIssued(c) && c.ca && current.verify(c.publicKey));
    if (!issuer) break;
    path.push(issuer.subject.replace(/\n/g, ', '));
    current = issuer;
  }
  return { trusted: false, path, problem: { vi: 'chuỗi chứng thư không dẫn tới chứng thư gốc tin cậy nào đã cho', en: 'the certificate chain does not lead to any given trust anchor' } };
}
