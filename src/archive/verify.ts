// Verifies every signature in a PDF (ByteRange, digest, signature value, PAdES attributes, chain, changes
// after signing) and the embedded record's hash; our verifier is authoritative, pdfsig and mutool cross-check.
import { createHash, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFString, type PDFDocument } from '@cantoo/pdf-lib';
import type { Bilingual } from '../i18n.js';
import { OID, parseCertificate } from './cades.js';
import { checkChain } from './chain.js';
import { attributeValue, bytesEqual, DIGESTS, findSignerCertificate, messageDigestOf, readSignedData, signatureVerifies } from './cms.js';
import { findEmbeddedRecord, loadForReading } from './embedded-data.js';
import { damageText, findDamage, parseDamage, type PdfDamage } from './pdf-damage.js';
import { compareRevisions } from './revisions.js';
import { listSignatureFields } from './signature-fields.js';
import type { ByteRange } from './sign.js';
import { isoLocal, parsePdfDate } from './time.js';

export interface SignatureReport {
  field: string;
  subFilter?: string;
  byteRange?: ByteRange;
  /** The signature covers the file up to its last byte. */
  coversWholeFile: boolean;
  digestOk: boolean;
  signatureOk: boolean;
  signer?: { name?: string; subject: string; issuer: string; serial: string };
  chain: { trusted: boolean; path: string[] };
  /** /M of the signature dictionary, ISO 8601 in Vietnam time. */
  claimedTime?: string;
  reason?: string;
  location?: string;
  pades: { signingCertificateV2: boolean; signingTime: boolean };
  /** Changes made after this signature that a later signature may not make. */
  changedAfter: Bilingual[];
  /** Changes after it that later signatures may make (their fields and appearances). */
  allowedAfter: Bilingual[];
  problems: Bilingual[];
  /** Advisory findings that do not make the signature invalid (e.g. not the PAdES-B-B shape). */
  notes: Bilingual[];
  valid: boolean;
}

export interface DataReport {
  formId?: string;
  schemaVersion?: string;
  fileName?: string;
  declaredSha256?: string;
  actualSha256?: string;
  matches: boolean;
}

export interface VerifyReport {
  signatures: SignatureReport[];
  data?: DataReport;
  /** Problems with the whole file (damaged, no signature, last one not covering the file, data swapped). */
  problems: Bilingual[];
  /** Set when the file is not a PDF or is damaged/truncated; its reason is technical English. */
  damage?: PdfDamage;
  valid: boolean;
}

export interface VerifyOptions {
  /** Trust anchors, DER. */
  trust?: Uint8Array[];
}

function text(obj: unknown): string | undefined {
  return obj instanceof PDFString || obj instanceof PDFHexString ? obj.decodeText() : undefined;
}

function endsAtRevision(pdf: Uint8Array, end: number): boolean {
  const tail = Buffer.from(pdf.subarray(Math.max(0, end - 8), end)).toString('latin1');
  return /%%EOF\s*$/.test(tail);
}

interface Examined {
  report: SignatureReport;
  end: number;
}

function examineSignature(pdf: Uint8Array, field: string, sig: PDFDict, trust: Uint8Array[]): Examined {
  const problems: Bilingual[] = [];
  const notes: Bilingual[] = [];
  const report: SignatureReport = {
    field,
    subFilter: sig.lookupMaybe(PDFName.of('SubFilter'), PDFName)?.decodeText(),
    coversWholeFile: false,
    digestOk: false,
    signatureOk: false,
    chain: { trusted: false, path: [] },
    reason: text(sig.lookup(PDFName.of('Reason'))),
    location: text(sig.lookup(PDFName.of('Location'))),
    pades: { signingCertificateV2: false, signingTime: false },
    changedAfter: [],
    allowedAfter: [],
    problems,
    notes,
    valid: false,
  };
  const m = text(sig.lookup(PDFName.of('M')));
  const claimed = m ? parsePdfDate(m) : undefined;
  if (claimed) report.claimedTime = isoLocal(claimed);

  const br = sig.lookupMaybe(PDFName.of('ByteRange'), PDFArray);
  const nums = br ? br.asArray().map((_, i) => br.lookupMaybe(i, PDFNumber)?.asNumber()) : [];
  if (nums.length !== 4 || nums.some((n) => n === undefined || !Number.isInteger(n) || n < 0)) {
    problems.push({ vi: 'ByteRange không hợp lệ', en: 'invalid ByteRange' });
    return { report, end: 0 };
  }
  const range = nums as ByteRange;
  report.byteRange = range;
  const [a, b, c, d] = range;
  const end = c + d;
  const gapOk = a === 0 && b > 0 && c > b && end <= pdf.length && pdf[b] === 0x3c && pdf[c - 1] === 0x3e && /^[0-9a-fA-F\s]*$/.test(Buffer.from(pdf.subarray(b + 1, c - 1)).toString('latin1'));
  if (!gapOk) {
    problems.push({ vi: 'ByteRange không khớp với vị trí /Contents trong tệp (phần được ký bị dịch chuyển hoặc tệp bị cắt)', en: 'ByteRange does not match the /Contents location in the file (signed part moved or file truncated)' });
    return { report, end };
  }
  report.coversWholeFile = end === pdf.length;
  if (!report.coversWholeFile && !endsAtRevision(pdf, end)) {
    problems.push({ vi: 'phần được ký không kết thúc ở ranh giới một bản sửa đổi (%%EOF)', en: 'the signed part does not end at a revision boundary (%%EOF)' });
  }

  const contents = sig.lookup(PDFName.of('Contents'));
  if (!(contents instanceof PDFHexString || contents instanceof PDFString)) {
    problems.push({ vi: 'thiếu /Contents (giá trị chữ ký)', en: 'missing /Contents (the signature value)' });
    return { report, end };
  }
  let signerInfos: pkijs.SignerInfo[];
  let certDers: Uint8Array[];
  try {
    ({ signerInfos, certificates: certDers } = readSignedData(contents.asBytes()));
  } catch {
    problems.push({ vi: 'giá trị chữ ký không phải CMS hợp lệ', en: 'the signature value is not a valid CMS' });
    return { report, end };
  }
  if (signerInfos.length !== 1) {
    problems.push({ vi: `CMS có ${signerInfos.length} SignerInfo (phải đúng một)`, en: `the CMS has ${signerInfos.length} SignerInfos (exactly one required)` });
    if (signerInfos.length === 0) return { report, end };
  }
  const si = signerInfos[0]!;
  const signerDer = findSignerCertificate(si, certDers);
  if (!signerDer) {
    problems.push({ vi: 'CMS không chứa chứng thư của người ký', en: 'the CMS does not carry the signer certificate' });
    return { report, end };
  }
  const signerCert = parseCertificate(signerDer);
  const x509 = new X509Certificate(signerDer);
  const cn = signerCert.subject.typesAndValues.find((tv) => tv.type === '2.5.4.3')?.value.valueBlock.value as string | undefined;
  report.signer = { name: cn, subject: x509.subject.replace(/\n/g, ', '), issuer: x509.issuer.replace(/\n/g, ', '), serial: x509.serialNumber };

  // Digest of the two segments against the signed messageDigest.
  const hashName = DIGESTS[si.digestAlgorithm.algorithmId];
  if (!hashName) {
    problems.push({ vi: `thuật toán băm không hỗ trợ: ${si.digestAlgorithm.algorithmId}`, en: `unsupported digest algorithm ${si.digestAlgorithm.algorithmId}` });
    return { report, end };
  }
  const digest = createHash(hashName).update(pdf.subarray(a, a + b)).update(pdf.subarray(c, c + d)).digest();
  const md = messageDigestOf(si);
  if (!md) {
    problems.push({ vi: 'thiếu thuộc tính messageDigest', en: 'missing messageDigest attribute' });
    return { report, end };
  }
  report.digestOk = bytesEqual(md, digest);
  if (!report.digestOk) problems.push({ vi: 'giá trị băm không khớp: có byte trong phần được ký đã bị thay đổi sau khi ký', en: 'digest mismatch: a byte inside the signed range was changed after signing' });

  const verified = signatureVerifies(si, signerDer);
  if (verified === undefined) notes.push({ vi: `thuật toán chữ ký ${si.signatureAlgorithm.algorithmId} chưa được hỗ trợ khi kiểm tra`, en: `signature algorithm ${si.signatureAlgorithm.algorithmId} is not supported by this verifier` });
  report.signatureOk = verified === true;
  if (!report.signatureOk) problems.push({ vi: 'chữ ký không đúng với khóa công khai của người ký (thuộc tính được ký hoặc chữ ký bị sửa)', en: 'the signature value does not verify with the signer public key (signed attributes or signature altered)' });

  // PAdES-B-B shape: signing-certificate-v2 bound to the signer certificate, no signing-time.
  const scv2 = attributeValue(si, OID.signingCertificateV2);
  report.pades.signingTime = attributeValue(si, OID.signingTime) !== undefined;
  if (scv2 instanceof asn1js.Sequence) {
    const certsSeq = scv2.valueBlock.value[0] as asn1js.Sequence | undefined;
    const first = certsSeq?.valueBlock.value[0] as asn1js.Sequence | undefined;
    const items = first?.valueBlock.value ?? [];
    const hashAlgSeq = items[0] instanceof asn1js.Sequence ? new pkijs.AlgorithmIdentifier({ schema: items[0] }) : undefined;
    const hashOct = items.find((x) => x instanceof asn1js.OctetString) as asn1js.OctetString | undefined;
    const alg = hashAlgSeq ? DIGESTS[hashAlgSeq.algorithmId] : 'sha256';
    const bound = !!alg && !!hashOct && bytesEqual(new Uint8Array(hashOct.valueBlock.valueHexView), createHash(alg).update(signerDer).digest());
    report.pades.signingCertificateV2 = true;
    if (!bound) problems.push({ vi: 'signing-certificate-v2 không khớp với chứng thư của người ký', en: 'signing-certificate-v2 does not match the signer certificate' });
  } else {
    notes.push({ vi: 'không có thuộc tính signing-certificate-v2 (không phải PAdES-B-B)', en: 'no signing-certificate-v2 attribute (not PAdES-B-B)' });
  }
  if (report.pades.signingTime) notes.push({ vi: 'có thuộc tính signing-time (PAdES đặt thời gian ở /M)', en: 'signing-time attribute present (PAdES puts the time in /M)' });
  if (report.subFilter !== 'ETSI.CAdES.detached') notes.push({ vi: `SubFilter là ${report.subFilter ?? '—'} (PAdES dùng ETSI.CAdES.detached)`, en: `SubFilter is ${report.subFilter ?? '—'} (PAdES uses ETSI.CAdES.detached)` });

  const pool = certDers.filter((d) => d !== signerDer);
  const chain = checkChain(signerDer, pool, trust, claimed ?? new Date());
  report.chain = { trusted: chain.trusted, path: chain.path };
  if (chain.problem) problems.push(chain.problem);
  return { report, end };
}

/** Verifies a PDF's signatures and embedded record. Never throws for a damaged signature: it is reported. */
export async function verifyPdf(pdf: Uint8Array, options: VerifyOptions = {}): Promise<VerifyReport> {
  // A damaged file is said to be damaged, not "unsigned": a cut-off copy still parses, minus its signatures.
  let damage = findDamage(pdf);
  let doc: PDFDocument | undefined;
  if (!damage) {
    try {
      doc = await loadForReading(pdf);
    } catch (e) {
      damage = parseDamage(e);
    }
  }
  if (damage || !doc) {
    const found = damage ?? { kind: 'damaged' as const, reason: 'unreadable' };
    return { signatures: [], problems: [damageText(found)], damage: found, valid: false };
  }
  const trust = options.trust ?? [];
  const examined: Examined[] = [];
  for (const field of listSignatureFields(doc)) {
    const sig = field.dict.lookupMaybe(PDFName.of('V'), PDFDict);
    if (!sig) continue;
    examined.push(examineSignature(pdf, field.name, sig, trust));
  }
  examined.sort((x, y) => x.end - y.end);
  const problems: Bilingual[] = [];

  // Changes after each signature: parse what it covers and compare with the whole file.
  for (const { report, end } of examined) {
    if (end === 0 || end >= pdf.length || report.problems.some((p) => p.en.startsWith('ByteRange'))) continue;
    let before: PDFDocument;
    try {
      before = await loadForReading(pdf.subarray(0, end));
    } catch {
      report.problems.push({ vi: 'không đọc được bản đã ký', en: 'cannot parse the signed revision' });
      continue;
    }
    for (const change of compareRevisions(before, doc)) (change.allowed ? report.allowedAfter : report.changedAfter).push(change.what);
    for (const what of report.changedAfter) {
      report.problems.push({ vi: `sau khi ký, một bản sửa đổi không được ký đã thay đổi: ${what.vi}`, en: `changed after signing by an unsigned revision: ${what.en}` });
    }
  }
  for (const e of examined) e.report.valid = e.report.problems.length === 0;

  const signatures = examined.map((e) => e.report);
  if (signatures.length === 0) problems.push({ vi: 'tệp PDF không có chữ ký số nào', en: 'the PDF has no digital signature' });
  const last = signatures[signatures.length - 1];
  if (last && !last.coversWholeFile) {
    problems.push({ vi: `chữ ký cuối ("${last.field}") không bao trùm toàn bộ tệp: có dữ liệu được thêm sau khi ký`, en: `the last signature ("${last.field}") does not cover the whole file: data was appended after signing` });
  }

  let data: DataReport | undefined;
  const embedded = findEmbeddedRecord(doc);
  if (embedded) {
    data = {
      formId: embedded.properties.FormId,
      schemaVersion: embedded.properties.SchemaVersion,
      fileName: embedded.file?.name ?? embedded.properties.DataFileName,
      declaredSha256: embedded.properties.DataSHA256,
      actualSha256: embedded.sha256,
      matches: embedded.hashMatches,
    };
    if (!embedded.file) problems.push({ vi: `không tìm thấy tệp dữ liệu nhúng ${data.fileName} mà XMP khai báo`, en: `the embedded data file ${data.fileName} declared in XMP is missing` });
    else if (!embedded.hashMatches) {
      problems.push({
        vi: `dữ liệu nhúng ${data.fileName} đã bị tráo hoặc sửa: SHA-256 ${data.actualSha256} khác giá trị XMP vnform:DataSHA256 ${data.declaredSha256}`,
        en: `embedded data ${data.fileName} was swapped or altered: SHA-256 ${data.actualSha256} differs from XMP vnform:DataSHA256 ${data.declaredSha256}`,
      });
    }
  }
  const valid = problems.length === 0 && signatures.every((s) => s.valid);
  return { signatures, data, problems, valid };
}
