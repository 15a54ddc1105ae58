// The archive area's public surface: PDF/A-3b finisher, embedded record, signing, verification, bags.
export { archiveFinisher, createArchiveFinisher, createSignatureFieldsFinisher, addLayoutSignatureFields, type ArchiveOptions } from './finisher.js';
export { extractRecord, type ExtractedRecord } from './extract.js';
export { signPdf, prepareSignature, completeSignature, checkPreparedCms, digestOf, type SignOptions, type PreparedSignature, type ByteRange, type CompleteOptions } from './sign.js';
export { SignatureDataError } from './errors.js';
export { findDamage, type PdfDamage } from './pdf-damage.js';
export { buildSignedAttributes, assembleCms, signDetached } from './cades.js';
export { loadPkcs12, type SigningCredentials } from './pkcs12.js';
export { verifyPdf, type VerifyReport, type SignatureReport, type VerifyOptions } from './verify.js';
export { readPemCertificates } from './chain.js';
export { createBag, verifyBag, type BagOptions, type BagResult, type BagCheck, type BagIndexEntry } from './bag.js';
export { DEFAULT_LOOK, type SignatureLook } from './look.js';
export { VNFORM_NAMESPACE, type VnformProperties } from './xmp.js';
