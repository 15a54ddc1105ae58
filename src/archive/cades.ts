// CAdES detached signatures for PAdES-B-B, built with pkijs/asn1js: exactly contentType, messageDigest and
// signing-certificate-v2 as signed attributes, no signing-time (the claimed time goes in the PDF's /M).
import { createHash, sign as nodeSign, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  ecdsaWithSHA256: '1.2.840.10045.4.3.2',
  ecPublicKey: '1.2.840.10045.2.1',
} as const;

function buf(view: ArrayBuffer | Uint8Array): Uint8Array {
  return view instanceof Uint8Array ? view : new Uint8Array(view);
}

/** Parsed certificates by their bytes: pkijs takes milliseconds per parse, and a batch signs with the same ones. */
const parsedCertificates = new WeakMap<Uint8Array, pkijs.Certificate>();

export function parseCertificate(der: Uint8Array): pkijs.Certificate {
  let cert = parsedCertificates.get(der);
  if (!cert) {
    cert = pkijs.Certificate.fromBER(der);
    parsedCertificates.set(der, cert);
  }
  return cert;
}

/**
 * SigningCertificateV2 (RFC 5035): the SHA-256 of the signer's certificate and its issuer and serial.
 * The hash algorithm is left out because SHA-256 is the default.
 */
const signingCertificates = new WeakMap<Uint8Array, asn1js.Sequence>();
function signingCertificateV2(certDer: Uint8Array): asn1js.Sequence {
  let value = signingCertificates.get(certDer);
  if (!value) {
    value = buildSigningCertificateV2(certDer);
    signingCertificates.set(certDer, value);
  }
  return value;
}

function buildSigningCertificateV2(certDer: Uint8Array): asn1js.Sequence {
  const cert = parseCertificate(certDer);
  const certHash = createHash('sha256').update(certDer).digest();
  const issuerSerial = new pkijs.IssuerSerial({
    issuer: new pkijs.GeneralNames({ names: [new pkijs.GeneralName({ type: 4, value: cert.issuer })] }),
    serialNumber: cert.serialNumber,
  });
  const essCertIdV2 = new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: certHash }), issuerSerial.toSchema()] });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertIdV2] })] });
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** DER of SET OF Attribute, elements sorted by their encoding as DER requires: the bytes that get signed. */
function derSetOf(attributes: pkijs.Attribute[]): Uint8Array {
  const encoded = attributes.map((a) => buf(a.toSchema().toBER(false))).sort(compareBytes);
  const body = Buffer.concat(encoded);
  const set = new asn1js.Set({ value: encoded.map((e) => asn1js.fromBER(e).result) });
  const der = buf(set.toBER(false));
  // asn1js keeps the order given; check the body is what we sorted.
  if (Buffer.compare(Buffer.from(der.subarray(der.length - body.length)), body) !== 0) throw new Error('signed attributes did not encode as expected');
  return der;
}

/**
 * The DER-encoded signed attributes for a PAdES-B-B signature over `digest` (SHA-256 of the ByteRange).
 * This is what a USB token or signing service signs when it returns a raw signature.
 */
export function buildSignedAttributes(digest: Uint8Array, certificate: Uint8Array): Uint8Array {
  const attributes = [
    new pkijs.Attribute({ type: OID.contentType, values: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
    new pkijs.Attribute({ type: OID.messageDigest, values: [new asn1js.OctetString({ valueHex: digest })] }),
    new pkijs.Attribute({ type: OID.signingCertificateV2, values: [signingCertificateV2(certificate)] }),
  ];
  return derSetOf(attributes);
}

/** The CMS signature algorithm for the key in `certificate`. */
function signatureAlgorithmOf(cert: pkijs.Certificate): pkijs.AlgorithmIdentifier {
  const keyAlg = cert.subjectPublicKeyInfo.algorithm.algorithmId;
  if (keyAlg === OID.ecPublicKey) return new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSHA256 });
  return new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSA, algorithmParams: new asn1js.Null() });
}

export interface CmsParts {
  /** DER SET OF the signed attributes (from buildSignedAttributes). */
  signedAttributes: Uint8Array;
  /** Signature over `signedAttributes` by the certificate's key (RSA PKCS#1 v1.5 or ECDSA DER). */
  signature: Uint8Array;
  certificate: Uint8Array;
  chain: Uint8Array[];
}

const certificateBlocks = new WeakMap<Uint8Array, asn1js.AsnType>();
function certificateAsn1(der: Uint8Array): asn1js.AsnType {
  let block = certificateBlocks.get(der);
  if (!block) {
    block = asn1js.fromBER(der).result;
    certificateBlocks.set(der, block);
  }
  return block;
}

/** Wraps signed attributes and a signature into a detached CMS SignedData with one SignerInfo and the chain. */
export function assembleCms(parts: CmsParts): Uint8Array {
  const cert = parseCertificate(parts.certificate);
  const setOf = asn1js.fromBER(parts.signedAttributes).result as asn1js.Set;
  const attributes = setOf.valueBlock.value.map((el) => new pkijs.Attribute({ schema: el }));
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
    signedAttrs: new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes }),
    signatureAlgorithm: signatureAlgorithmOf(cert),
    signature: new asn1js.OctetString({ valueHex: parts.signature }),
  });
  // SignedData written with asn1js from each certificate's parsed DER (kept per certificate): pkijs would
  // rebuild every certificate through its schema on each signature, which costs milliseconds apiece.
  const certificates = new asn1js.Constructed({
    idBlock: { tagClass: 3, tagNumber: 0 },
    value: [parts.certificate, ...parts.chain].map(certificateAsn1),
  });
  const signedData = new asn1js.Sequence({
    value: [
      new asn1js.Integer({ value: 1 }),
      new asn1js.Set({ value: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }).toSchema()] }),
      new asn1js.Sequence({ value: [new asn1js.ObjectIdentifier({ value: OID.data })] }),
      certificates,
      new asn1js.Set({ value: [signerInfo.toSchema()] }),
    ],
  });
  const contentInfo = new asn1js.Sequence({
    value: [new asn1js.ObjectIdentifier({ value: OID.signedData }), new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 0 }, value: [signedData] })],
  });
  return buf(contentInfo.toBER(false));
}

/** Signs DER signed attributes with a local key: RSA PKCS#1 v1.5 or ECDSA, SHA-256. */
export function signAttributes(signedAttributes: Uint8Array, key: KeyObject): Uint8Array {
  return buf(nodeSign('sha256', signedAttributes, key));
}

/** One call for a local key: digest in, detached CAdES CMS out. */
export function signDetached(digest: Uint8Array, key: KeyObject, certificate: Uint8Array, chain: Uint8Array[]): Uint8Array {
  const signedAttributes = buildSignedAttributes(digest, certificate);
  return assembleCms({ signedAttributes, signature: signAttributes(signedAttributes, key), certificate, chain });
}
