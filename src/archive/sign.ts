// PAdES-B-B signing as an incremental update: pick or add the field, draw its appearance, reserve the
// placeholder, hash the ByteRange, embed the CMS. Two-phase for USB tokens: prepare → (sign elsewhere) → complete.
import { createHash } from 'node:crypto';
import { ParseSpeeds, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString, type PDFDict } from '@cantoo/pdf-lib';
import { InputError, UsageError } from '../errors.js';
import { buildAppearance } from './appearance.js';
import { parseCertificate, signDetached } from './cades.js';
import { bytesEqual, DIGESTS, findSignerCertificate, messageDigestOf, readSignedData, signatureVerifies } from './cms.js';
import { SignatureDataError } from './errors.js';
import { loadSoundPdf } from './pdf-damage.js';
import { DEFAULT_LOOK, type Rect, type SignatureLook } from './look.js';
import type { SigningCredentials } from './pkcs12.js';
import { addSignatureField, listSignatureFields, pdfText, uniqueFieldName, type SignatureFieldInfo } from './signature-fields.js';
import { isoLocal, pdfDateLocal, wholeSeconds } from './time.js';

export interface SignOptions {
  /** Field to sign: an empty field of that name, or a new one when `page` and `rect` are given. */
  field?: string;
  /** 0-based page index for a new field. */
  page?: number;
  rect?: Rect;
  reason?: string;
  location?: string;
  /** Shown in the text appearance; default the certificate's common name. */
  name?: string;
  /** Post (chức vụ) shown under the name; default the certificate's title or organisation. */
  post?: string;
  /** PNG or JPEG drawn instead of text: the signer's blue signature, or the organisation's red seal. */
  image?: Uint8Array;
  /** Claimed signing time, written to /M (PAdES puts no signing-time attribute in the CMS). Default now. */
  time?: Date;
  /** Bytes reserved for the CMS; default fits the chain, at least 16 KB (32 KB when signing elsewhere). */
  reserve?: number;
  look?: SignatureLook;
}

export type ByteRange = [number, number, number, number];

export interface PreparedSignature {
  /** The whole PDF with the new revision: ByteRange written, /Contents zero-filled. */
  pdf: Uint8Array;
  byteRange: ByteRange;
  /** SHA-256 over the two ByteRange segments: what the CMS messageDigest must hold. */
  digest: Uint8Array;
  field: string;
  time: Date;
}

const BYTE_RANGE_PLACEHOLDER = '**********';
const MIN_RESERVE = 16_384;
const EXTERNAL_RESERVE = 32_768;

function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
}

/** Common name, title (2.5.4.12) and organisation (2.5.4.10) of a certificate's subject. */
export function subjectParts(certDer: Uint8Array): { commonName?: string; title?: string; organization?: string } {
  const cert = parseCertificate(certDer);
  const get = (oid: string) => cert.subject.typesAndValues.find((tv) => tv.type === oid)?.value.valueBlock.value as string | undefined;
  return { commonName: get('2.5.4.3'), title: get('2.5.4.12'), organization: get('2.5.4.10') };
}

function chooseField(pdf: PDFDocument, opts: SignOptions): SignatureFieldInfo | { create: string; page: number; rect: Rect } {
  const fields = listSignatureFields(pdf);
  const empty = fields.filter((f) => !f.signed);
  // A rectangle always means a new field (named as asked, made unique), so any PDF can be signed.
  if (opts.rect !== undefined) return { create: uniqueFieldName(pdf, opts.field ?? 'signature'), page: opts.page ?? 0, rect: opts.rect };
  if (opts.field) {
    const found = fields.find((f) => f.name === opts.field);
    if (found && !found.signed) return found;
    if (found) {
      throw new UsageError('field-signed', { vi: `Trường chữ ký "${opts.field}" đã được ký.`, en: `Signature field "${opts.field}" is already signed.` });
    }
    const names = empty.map((f) => f.name).join(', ') || '—';
    throw new UsageError('field-missing', {
      vi: `Không có trường chữ ký "${opts.field}" (trường còn trống: ${names}); dùng --page và --rect để tạo trường mới.`,
      en: `No signature field "${opts.field}" (empty fields: ${names}); use --page and --rect to add one.`,
    });
  }
  if (empty[0]) return empty[0];
  throw new UsageError('field-none', {
    vi: 'Tệp PDF không còn trường chữ ký trống; dùng --field hoặc --page và --rect.',
    en: 'The PDF has no empty signature field; use --field, or --page and --rect.',
  });
}

/** Finds `/ByteRange [ 0 /********** … ]` and the `/Contents <00…>` after it in the new revision. */
function locatePlaceholder(pdf: Uint8Array, from: number): { rangeStart: number; rangeEnd: number; contentsStart: number; contentsEnd: number } {
  const text = latin1(pdf, from);
  const key = text.lastIndexOf('/ByteRange');
  const open = key < 0 ? -1 : text.indexOf('[', key);
  const close = open < 0 ? -1 : text.indexOf(']', open);
  if (key < 0 || close < 0 || !text.slice(open, close).includes(BYTE_RANGE_PLACEHOLDER)) throw new Error('signature placeholder not found');
  const contentsKey = text.indexOf('/Contents', close);
  const lt = text.indexOf('<', contentsKey);
  const gt = text.indexOf('>', lt);
  if (contentsKey < 0 || lt < 0 || gt < 0 || /[^0]/.test(text.slice(lt + 1, gt))) throw new Error('signature /Contents placeholder not found');
  return { rangeStart: from + open, rangeEnd: from + close + 1, contentsStart: from + lt, contentsEnd: from + gt + 1 };
}

export function digestOf(pdf: Uint8Array, range: ByteRange, hash = 'sha256'): Uint8Array {
  const [a, b, c, d] = range;
  return createHash(hash).update(pdf.subarray(a, a + b)).update(pdf.subarray(c, c + d)).digest();
}

/**
 * Adds the signature revision with an empty CMS slot. The result's `digest` is what a local key, a USB
 * token or a signing service signs (as the messageDigest of the signed attributes).
 */
export async function prepareSignature(input: Uint8Array, signer: { certificate?: Uint8Array; chain?: Uint8Array[] }, opts: SignOptions = {}): Promise<PreparedSignature> {
  // A damaged file is refused as such: appending a revision to a cut-off copy would sign the wrong document.
  const pdf = await loadSoundPdf(input, (bytes) => PDFDocument.load(bytes, { forIncrementalUpdate: true, updateMetadata: false, parseSpeed: ParseSpeeds.Fastest }));
  if (pdf.isEncrypted) throw new InputError('pdf-encrypted', { vi: 'Tệp PDF bị mã hóa; không ký được.', en: 'The PDF is encrypted; it cannot be signed.' });
  const time = wholeSeconds(opts.time ?? new Date());
  const look = opts.look ?? DEFAULT_LOOK;
  const choice = chooseField(pdf, opts);
  let field: { name: string; dict: PDFDict; rect: Rect };
  if ('create' in choice) {
    if (choice.page < 0 || choice.page >= pdf.getPageCount()) {
      throw new UsageError('page-range', { vi: `Trang ${choice.page + 1} không có (tệp có ${pdf.getPageCount()} trang).`, en: `There is no page ${choice.page + 1} (the file has ${pdf.getPageCount()}).` });
    }
    const ref = addSignatureField(pdf, choice.create, choice.page, choice.rect);
    field = { name: choice.create, dict: pdf.context.lookup(ref) as PDFDict, rect: choice.rect };
  } else {
    field = { name: choice.name, dict: choice.dict, rect: choice.rect };
  }

  const subject = signer.certificate ? subjectParts(signer.certificate) : {};
  const name = opts.name ?? subject.commonName;
  const lines = [name ?? '', opts.post ?? subject.title ?? subject.organization ?? '', isoLocal(time)];
  const appearance = await buildAppearance(pdf, { x: 0, y: 0, width: field.rect.width, height: field.rect.height }, opts.image ? { image: opts.image } : { lines }, look);

  const certBytes = [signer.certificate, ...(signer.chain ?? [])].reduce((n, c) => n + (c?.length ?? 0), 0);
  const reserve = opts.reserve ?? (signer.certificate ? Math.max(MIN_RESERVE, Math.ceil((certBytes + 4096) / 1024) * 1024) : EXTERNAL_RESERVE);
  const ctx = pdf.context;
  const sigDict = ctx.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'ETSI.CAdES.detached',
    ByteRange: [0, PDFName.of(BYTE_RANGE_PLACEHOLDER), PDFName.of(BYTE_RANGE_PLACEHOLDER), PDFName.of(BYTE_RANGE_PLACEHOLDER)],
    Contents: PDFHexString.of('0'.repeat(reserve * 2)),
    M: PDFString.of(pdfDateLocal(time)),
  });
  if (name) sigDict.set(PDFName.of('Name'), pdfText(name));
  if (opts.reason) sigDict.set(PDFName.of('Reason'), pdfText(opts.reason));
  if (opts.location) sigDict.set(PDFName.of('Location'), pdfText(opts.location));
  field.dict.set(PDFName.of('V'), ctx.register(sigDict));
  field.dict.set(PDFName.of('AP'), ctx.obj({ N: appearance }));
  field.dict.set(PDFName.of('F'), PDFNumber.of(4));
  const acro = pdf.catalog.getOrCreateAcroForm();
  acro.dict.set(PDFName.of('SigFlags'), PDFNumber.of(3));

  const before = input.length;
  const out = await pdf.commit({ useObjectStreams: false, objectsPerTick: Infinity });
  const where = locatePlaceholder(out, before);
  const byteRange: ByteRange = [0, where.contentsStart, where.contentsEnd, out.length - where.contentsEnd];
  const written = `[0 ${byteRange[1]} ${byteRange[2]} ${byteRange[3]}]`;
  const slot = where.rangeEnd - where.rangeStart;
  if (written.length > slot) throw new Error('ByteRange does not fit its placeholder');
  Buffer.from(out.buffer, out.byteOffset, out.length).write(written.padEnd(slot, ' '), where.rangeStart, 'latin1');
  return { pdf: out, byteRange, digest: digestOf(out, byteRange), field: field.name, time };
}

/** Reads the four ByteRange numbers of the last signature in a prepared file. */
export function readLastByteRange(pdf: Uint8Array): ByteRange | undefined {
  const text = latin1(pdf);
  const at = text.lastIndexOf('/ByteRange');
  const m = at < 0 ? null : /^\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text.slice(at, at + 120));
  return m ? [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] : undefined;
}

export interface CompleteOptions {
  /** The signer certificate given when preparing: the CMS must be signed with its key. */
  certificate?: Uint8Array;
  /** Check the CMS against the prepared revision before embedding it (default true; signPdf's own CMS skips it). */
  check?: boolean;
}

/**
 * Refuses a CMS that cannot be the signature of this prepared revision: not a SignedData with one SignerInfo,
 * a messageDigest other than the ByteRange digest, another signer than the prepared certificate, or a
 * signature value that does not verify over the signed attributes.
 */
export function checkPreparedCms(prepared: Uint8Array, byteRange: ByteRange, cms: Uint8Array, certificate?: Uint8Array): void {
  let parts: ReturnType<typeof readSignedData>;
  try {
    parts = readSignedData(cms);
  } catch {
    throw new SignatureDataError('cms-invalid', {
      vi: 'Chữ ký nhận về không phải chữ ký CMS (SignedData) hợp lệ; không ghi tệp.',
      en: 'The signature received is not a valid CMS signature (SignedData); nothing was written.',
    });
  }
  if (parts.signerInfos.length !== 1) {
    throw new SignatureDataError('cms-signer-count', {
      vi: `CMS có ${parts.signerInfos.length} người ký (SignerInfo); PAdES cần đúng một. Không ghi tệp.`,
      en: `The CMS has ${parts.signerInfos.length} signers (SignerInfos); PAdES needs exactly one. Nothing was written.`,
    });
  }
  const si = parts.signerInfos[0]!;
  const md = messageDigestOf(si);
  const hash = DIGESTS[si.digestAlgorithm.algorithmId];
  if (!md || !hash) {
    throw new SignatureDataError('cms-no-message-digest', {
      vi: 'CMS không có thuộc tính được ký messageDigest (hoặc dùng thuật toán băm không hỗ trợ); PAdES cần thuộc tính này. Không ghi tệp.',
      en: 'The CMS has no signed messageDigest attribute (or an unsupported digest algorithm); PAdES needs it. Nothing was written.',
    });
  }
  if (!bytesEqual(md, digestOf(prepared, byteRange, hash))) {
    throw new SignatureDataError('cms-other-content', {
      vi: 'Chữ ký được tạo trên dữ liệu khác: messageDigest trong CMS khác giá trị băm của tệp đã chuẩn bị. Không ghi tệp.',
      en: "The signature was made over other data: the CMS messageDigest differs from the prepared file's digest. Nothing was written.",
    });
  }
  const signer = findSignerCertificate(si, parts.certificates);
  if (!signer) {
    throw new SignatureDataError('cms-no-certificate', {
      vi: 'CMS không chứa chứng thư của người ký; không kiểm tra được chữ ký. Không ghi tệp.',
      en: "The CMS does not carry the signer's certificate; the signature cannot be checked. Nothing was written.",
    });
  }
  if (certificate && !bytesEqual(signer, certificate)) {
    throw new SignatureDataError('cms-other-signer', {
      vi: 'CMS được ký bằng chứng thư khác với chứng thư đã dùng khi chuẩn bị (--cert). Không ghi tệp.',
      en: 'The CMS is signed with another certificate than the one given when preparing (--cert). Nothing was written.',
    });
  }
  const ok = signatureVerifies(si, signer);
  if (ok === undefined) {
    throw new SignatureDataError('cms-algorithm', {
      vi: `Không kiểm tra được thuật toán chữ ký ${si.signatureAlgorithm.algorithmId}; không ghi tệp.`,
      en: `The signature algorithm ${si.signatureAlgorithm.algorithmId} cannot be checked; nothing was written.`,
    });
  }
  if (!ok) {
    throw new SignatureDataError('signature-mismatch', {
      vi: 'Chữ ký không khớp với khóa công khai của chứng thư người ký: ký bằng khóa khác, hoặc trên dữ liệu khác với các thuộc tính đã chuẩn bị. Không ghi tệp.',
      en: "The signature does not verify with the signer certificate's public key: made with another key, or over other data than the prepared attributes. Nothing was written.",
    });
  }
}

/**
 * Writes a CMS (DER) into the prepared slot. Refuses when the file changed since it was prepared, the CMS is
 * too big, or (unless `check` is false) the CMS is not a valid signature of this revision.
 */
export function completeSignature(prepared: Uint8Array, byteRange: ByteRange, cms: Uint8Array, expectedDigest?: Uint8Array, options: CompleteOptions = {}): Uint8Array {
  const [, start, end, tail] = byteRange;
  if (end + tail !== prepared.length || prepared[start] !== 0x3c || prepared[end - 1] !== 0x3e) {
    throw new InputError('prepared-mismatch', {
      vi: 'Tệp PDF đã chuẩn bị không khớp với dải byte đã lưu (tệp bị thay đổi sau khi chuẩn bị?).',
      en: 'The prepared PDF does not match the saved byte range (was it changed after preparing?).',
    });
  }
  if (expectedDigest && Buffer.compare(Buffer.from(digestOf(prepared, byteRange)), Buffer.from(expectedDigest)) !== 0) {
    throw new InputError('prepared-changed', {
      vi: 'Tệp PDF đã chuẩn bị bị thay đổi sau khi tính giá trị băm; hãy chuẩn bị lại.',
      en: 'The prepared PDF changed after its digest was computed; prepare it again.',
    });
  }
  if (options.check !== false) checkPreparedCms(prepared, byteRange, cms, options.certificate);
  const slot = end - start - 2;
  const hex = Buffer.from(cms).toString('hex');
  if (hex.length > slot) {
    throw new InputError('cms-too-large', {
      vi: `Chữ ký (${cms.length} byte) lớn hơn chỗ dành sẵn (${slot / 2} byte); chuẩn bị lại với --reserve lớn hơn.`,
      en: `The signature (${cms.length} bytes) is larger than the reserved space (${slot / 2} bytes); prepare again with a larger --reserve.`,
    });
  }
  const out = new Uint8Array(prepared);
  Buffer.from(out.buffer, out.byteOffset, out.length).write(hex.padEnd(slot, '0'), start + 1, 'latin1');
  return out;
}

/** Signs with a local key (from a PKCS#12 file): PAdES-B-B, appended as a new revision. */
export async function signPdf(input: Uint8Array, credentials: SigningCredentials, opts: SignOptions = {}): Promise<{ pdf: Uint8Array; field: string; time: Date }> {
  const prepared = await prepareSignature(input, credentials, opts);
  const cms = signDetached(prepared.digest, credentials.privateKey, credentials.certificate, credentials.chain);
  // Our own CMS over the digest just computed: no need to check it again.
  return { pdf: completeSignature(prepared.pdf, prepared.byteRange, cms, undefined, { check: false }), field: prepared.field, time: prepared.time };
}
