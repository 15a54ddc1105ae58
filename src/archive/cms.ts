// Reads a detached CMS SignedData and checks its core: the SignerInfos, the signer's certificate, the signed
// messageDigest and the signature over the signed attributes. Shared by `verify` and `sign --complete`.
import { constants, verify as nodeVerify, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { OID, parseCertificate } from './cades.js';

/** Digest algorithms by OID, as Node names them. */
export const DIGESTS: Record<string, string> = {
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
  '1.3.14.3.2.26': 'sha1',
};

const RSASSA_PSS = '1.2.840.113549.1.1.10';

export interface SignedDataParts {
  signerInfos: pkijs.SignerInfo[];
  /** Every certificate the CMS carries, as its own DER bytes. */
  certificates: Uint8Array[];
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
}

/** The DER of the CMS without the zero padding that fills the rest of /Contents. */
export function trimDer(bytes: Uint8Array): Uint8Array {
  const parsed = asn1js.fromBER(bytes);
  return parsed.offset > 0 ? bytes.subarray(0, parsed.offset) : bytes;
}

/**
 * Parses ContentInfo → SignedData with asn1js; certificates stay as their DER bytes (Node's X509Certificate reads
 * them quickly) and pkijs parses only the SignerInfos. Throws an Error naming what is missing.
 */
export function readSignedData(der: Uint8Array): SignedDataParts {
  const parsed = asn1js.fromBER(trimDer(der));
  if (parsed.offset === -1) throw new Error('not DER');
  const root = parsed.result;
  const items = root instanceof asn1js.Sequence ? root.valueBlock.value : [];
  const type = items[0] instanceof asn1js.ObjectIdentifier ? items[0].valueBlock.toString() : '';
  const wrapper = items[1] instanceof asn1js.Constructed ? items[1].valueBlock.value[0] : undefined;
  if (type !== OID.signedData || !(wrapper instanceof asn1js.Sequence)) throw new Error('not SignedData');
  const fields = wrapper.valueBlock.value;
  const certSet = fields.find((e) => e.idBlock.tagClass === 3 && e.idBlock.tagNumber === 0) as asn1js.Constructed | undefined;
  const certificates = (certSet?.valueBlock.value ?? []).filter((c) => c instanceof asn1js.Sequence).map((c) => new Uint8Array(c.valueBeforeDecodeView));
  const infos = fields[fields.length - 1];
  if (!(infos instanceof asn1js.Set)) throw new Error('no SignerInfos');
  return { signerInfos: infos.valueBlock.value.map((v) => new pkijs.SignerInfo({ schema: v })), certificates };
}

export function attributeValue(signer: pkijs.SignerInfo, oid: string): asn1js.AsnType | undefined {
  return signer.signedAttrs?.attributes.find((a) => a.type === oid)?.values[0];
}

/** The signed messageDigest, when the SignerInfo has signed attributes with one. */
export function messageDigestOf(signer: pkijs.SignerInfo): Uint8Array | undefined {
  const md = attributeValue(signer, OID.messageDigest);
  return signer.signedAttrs && md instanceof asn1js.OctetString ? new Uint8Array(md.valueBlock.valueHexView) : undefined;
}

/** A SignerInfo that names its certificate by subjectKeyIdentifier ([0] in CMS) instead of issuer and serial. */
function subjectKeyIdMatches(der: Uint8Array, sid: unknown): boolean {
  const want = sid instanceof asn1js.Constructed || sid instanceof asn1js.Primitive ? (sid as asn1js.Primitive).valueBlock.valueHexView : undefined;
  const ext = parseCertificate(der).extensions?.find((e) => e.extnID === '2.5.29.14');
  const have = ext?.parsedValue instanceof asn1js.OctetString ? ext.parsedValue.valueBlock.valueHexView : undefined;
  return !!want && !!have && bytesEqual(new Uint8Array(want), new Uint8Array(have));
}

/** The certificate the SignerInfo names (issuer and serial, or subjectKeyIdentifier), among `certificates`. */
export function findSignerCertificate(signer: pkijs.SignerInfo, certificates: Uint8Array[]): Uint8Array | undefined {
  const sidIssuer = signer.sid instanceof pkijs.IssuerAndSerialNumber ? signer.sid : undefined;
  if (!sidIssuer) return certificates.find((d) => subjectKeyIdMatches(d, signer.sid));
  const serial = Buffer.from(sidIssuer.serialNumber.valueBlock.valueHexView).toString('hex').replace(/^(00)+(?=.)/, '').toUpperCase();
  // Serial first (cheap, Node), then issuer equality on the one candidate (pkijs).
  return certificates.find((d) => {
    if (new X509Certificate(d).serialNumber.replace(/^(00)+(?=.)/, '').toUpperCase() !== serial) return false;
    return parseCertificate(d).issuer.isEqual(sidIssuer.issuer);
  });
}

/** RSASSA-PSS parameters (RFC 4055): hash and salt length, SHA-1 and 20 when absent. */
function pssOptions(signer: pkijs.SignerInfo): { hash: string; saltLength: number } | undefined {
  const params = signer.signatureAlgorithm.algorithmParams;
  if (!(params instanceof asn1js.Sequence)) return { hash: 'sha1', saltLength: 20 };
  try {
    const pss = new pkijs.RSASSAPSSParams({ schema: params });
    const hash = DIGESTS[pss.hashAlgorithm.algorithmId];
    return hash ? { hash, saltLength: pss.saltLength } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether the SignerInfo's signature verifies over DER(signedAttrs) with the certificate's public key
 * (RSA PKCS#1 v1.5, RSA-PSS or ECDSA). Undefined when the algorithm cannot be checked here.
 */
export function signatureVerifies(signer: pkijs.SignerInfo, certificate: Uint8Array): boolean | undefined {
  if (!signer.signedAttrs) return false;
  // pkijs keeps the bytes as received; the signature is over them with the SET OF tag.
  const signed = new Uint8Array(signer.signedAttrs.encodedValue);
  const signature = Buffer.from(signer.signature.valueBlock.valueHexView);
  const key = new X509Certificate(certificate).publicKey;
  try {
    if (signer.signatureAlgorithm.algorithmId === RSASSA_PSS) {
      const pss = pssOptions(signer);
      if (!pss) return undefined;
      return nodeVerify(pss.hash, signed, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength }, signature);
    }
    const hash = DIGESTS[signer.digestAlgorithm.algorithmId];
    if (!hash) return undefined;
    return nodeVerify(hash, signed, key, signature);
  } catch {
    return false;
  }
}
