// BagIt 1.0 (RFC 8493) archive bags of signed PDFs: payload, SHA-256 manifests, bag-info, an index of the
// embedded records; and the check that reports every missing, extra or altered file by name and every record
// that no longer matches its PDF.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { VERSION } from '../version.js';
import { InputError, UsageError } from '../errors.js';
import type { Bilingual } from '../i18n.js';
import { extractRecord } from './extract.js';
import { verifyPdf, type VerifyReport } from './verify.js';

export interface BagOptions {
  /** Trust anchors (DER) for signature verification. */
  trust?: Uint8Array[];
  /** bag-info Source-Organization. */
  organization?: string;
  /** bag-info External-Identifier (archive identifier). */
  identifier?: string;
  date?: Date;
}

export interface BagIndexEntry {
  /** Payload path of the PDF, e.g. "data/pdf/ho-so-01.pdf". */
  pdf: string;
  source: string;
  sha256: string;
  bytes: number;
  /** Payload path of the extracted record, when the PDF carries one. */
  record?: string;
  form?: string;
  schemaVersion?: string;
  dataSha256?: string;
  /** Rule set the record was validated under, as the PDF's XMP records it. */
  ruleSet?: string;
  signatures: Array<{ field: string; signer?: string; time?: string; valid: boolean; trusted: boolean }>;
}

export interface BagRejection {
  source: string;
  reasons: Bilingual[];
}

export interface BagResult {
  dir: string;
  entries: BagIndexEntry[];
  rejected: BagRejection[];
}

function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** RFC 8493 §2.1.3: CR, LF and % in manifest paths are percent-encoded. */
function encodePath(p: string): string {
  return p.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function decodePath(p: string): string {
  return p.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

function safeName(name: string, taken: Set<string>): string {
  const ext = path.extname(name);
  const base = path.basename(name, ext).normalize('NFC').replace(/[^\p{L}\p{N}._-]+/gu, '-') || 'file';
  let candidate = `${base}${ext}`;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) candidate = `${base}-${i}${ext}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

function isoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Why a PDF may not go into the bag: any failed check except "not signed at all". */
function rejectionReasons(report: VerifyReport): Bilingual[] {
  const reasons: Bilingual[] = report.problems.filter((p) => !(report.signatures.length === 0 && p.en === 'the PDF has no digital signature'));
  for (const s of report.signatures) for (const p of s.problems) reasons.push({ vi: `chữ ký "${s.field}": ${p.vi}`, en: `signature "${s.field}": ${p.en}` });
  return reasons;
}

/** A bag is written into a new or empty folder only, never over or beside other files. */
function assertEmptyTarget(dir: string): void {
  if (!fs.existsSync(dir)) return;
  if (!fs.statSync(dir).isDirectory()) throw new UsageError('bag-target-file', { vi: `${dir} đã có và là một tệp; --out phải là thư mục mới hoặc trống.`, en: `${dir} exists and is a file; --out must be a new or empty folder.` });
  if (fs.readdirSync(dir).length > 0) throw new UsageError('bag-target-not-empty', { vi: `Thư mục ${dir} không trống; hãy chọn thư mục mới hoặc trống cho --out.`, en: `The folder ${dir} is not empty; choose a new or empty folder for --out.` });
}

/**
 * Builds a bag in `dir` (which must not exist or be empty). Each PDF is verified first; when any fails,
 * nothing is written and the rejections are returned.
 */
export async function createBag(pdfFiles: string[], dir: string, options: BagOptions = {}): Promise<BagResult> {
  assertEmptyTarget(dir); // before verifying anything: a wrong --out is a usage error, found at once
  const entries: BagIndexEntry[] = [];
  const rejected: BagRejection[] = [];
  const taken = new Set<string>();
  const staged: Array<{ entry: BagIndexEntry; pdf: Uint8Array; record?: Uint8Array }> = [];
  for (const source of pdfFiles) {
    const bytes = new Uint8Array(fs.readFileSync(source));
    let report: VerifyReport;
    try {
      report = await verifyPdf(bytes, { trust: options.trust });
    } catch {
      rejected.push({ source, reasons: [{ vi: 'không đọc được PDF', en: 'cannot read the PDF' }] });
      continue;
    }
    const reasons = rejectionReasons(report);
    if (reasons.length) {
      rejected.push({ source, reasons });
      continue;
    }
    const name = safeName(path.basename(source), taken);
    const entry: BagIndexEntry = {
      pdf: `data/pdf/${name}`,
      source: path.basename(source),
      sha256: sha256(bytes),
      bytes: bytes.length,
      signatures: report.signatures.map((s) => ({ field: s.field, signer: s.signer?.name, time: s.claimedTime, valid: s.valid, trusted: s.chain.trusted })),
    };
    let record: Uint8Array | undefined;
    if (report.data) {
      const extracted = await extractRecord(bytes);
      record = extracted.bytes;
      entry.record = `data/records/${path.basename(name, path.extname(name))}.json`;
      entry.form = extracted.properties.FormId;
      entry.schemaVersion = extracted.properties.SchemaVersion;
      entry.dataSha256 = extracted.sha256;
      if (extracted.properties.RuleSetId) entry.ruleSet = extracted.properties.RuleSetId;
    }
    staged.push({ entry, pdf: bytes, record });
    entries.push(entry);
  }
  if (rejected.length) return { dir, entries: [], rejected };

  assertEmptyTarget(dir);
  fs.mkdirSync(path.join(dir, 'data', 'pdf'), { recursive: true });
  const payload: Array<{ rel: string; bytes: Uint8Array }> = [];
  for (const s of staged) {
    payload.push({ rel: s.entry.pdf, bytes: s.pdf });
    if (s.record && s.entry.record) payload.push({ rel: s.entry.record, bytes: s.record });
  }
  const index = new TextEncoder().encode(`${JSON.stringify({ generator: `bieumau ${VERSION}`, pdfs: entries }, null, 2)}\n`);
  payload.push({ rel: 'data/index.json', bytes: index });
  for (const p of payload) {
    fs.mkdirSync(path.dirname(path.join(dir, p.rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, p.rel), p.bytes);
  }
  const manifest = payload.map((p) => `${sha256(p.bytes)}  ${encodePath(p.rel)}\n`).join('');
  const oxumBytes = payload.reduce((n, p) => n + p.bytes.length, 0);
  const signatureCount = entries.reduce((n, e) => n + e.signatures.length, 0);
  const info = [
    `Bagging-Date: ${isoDate(options.date ?? new Date())}`,
    `Payload-Oxum: ${oxumBytes}.${payload.length}`,
    `Bag-Software-Agent: bieumau ${VERSION}`,
    ...(options.organization ? [`Source-Organization: ${options.organization}`] : []),
    ...(options.identifier ? [`External-Identifier: ${options.identifier}`] : []),
    `Bieumau-PDF-Count: ${entries.length}`,
    `Bieumau-Record-Count: ${entries.filter((e) => e.record).length}`,
    `Bieumau-Signature-Count: ${signatureCount}`,
  ].join('\n');
  const tagFiles: Array<[string, string]> = [
    ['bagit.txt', 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n'],
    ['bag-info.txt', `${info}\n`],
    ['manifest-sha256.txt', manifest],
  ];
  for (const [name, content] of tagFiles) fs.writeFileSync(path.join(dir, name), content, 'utf8');
  fs.writeFileSync(path.join(dir, 'tagmanifest-sha256.txt'), tagFiles.map(([name, content]) => `${sha256(content)}  ${name}\n`).join(''), 'utf8');
  return { dir, entries, rejected };
}

export interface BagCheck {
  ok: boolean;
  missing: string[];
  extra: string[];
  altered: string[];
  problems: Bilingual[];
  /** Findings that leave the bag valid per RFC 8493 (e.g. a tag file no tag manifest lists). */
  warnings: Bilingual[];
}

/** Manifest algorithms RFC 8493 §2.4 names, with their hex digest lengths. */
const ALGORITHMS: Record<string, number> = { sha512: 128, sha256: 64, sha1: 40, md5: 32 };

async function hashFile(file: string, algorithm = 'sha256'): Promise<string> {
  const hash = createHash(algorithm);
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

function readManifest(file: string, algorithm: string, problems: Bilingual[]): Map<string, string> {
  const entries = new Map<string, string>();
  const line = new RegExp(`^([0-9a-fA-F]{${ALGORITHMS[algorithm]}})[ \\t]+\\*?(.+)$`);
  fs.readFileSync(file, 'utf8').split(/\r?\n/).forEach((text, i) => {
    if (text.trim() === '') return;
    const m = line.exec(text);
    if (!m) {
      problems.push({ vi: `${path.basename(file)} dòng ${i + 1} sai định dạng`, en: `${path.basename(file)} line ${i + 1} is malformed` });
      return;
    }
    entries.set(decodePath(m[2]!), m[1]!.toLowerCase());
  });
  return entries;
}

function walk(dir: string, base: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = base ? `${base}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...walk(path.join(dir, e.name), rel));
    else out.push(rel);
  }
  return out;
}

interface Manifest {
  name: string;
  algorithm: string;
  entries: Map<string, string>;
}

/** The payload or tag manifests present, by supported algorithm; unsupported ones are warned about. */
function manifests(dir: string, prefix: 'manifest' | 'tagmanifest', problems: Bilingual[], warnings: Bilingual[]): Manifest[] {
  const out: Manifest[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const m = new RegExp(`^${prefix}-([a-z0-9]+)\\.txt$`).exec(name);
    if (!m) continue;
    if (!ALGORITHMS[m[1]!]) {
      warnings.push({ vi: `${name}: thuật toán ${m[1]} không hỗ trợ, bỏ qua`, en: `${name}: algorithm ${m[1]} is not supported, skipped` });
      continue;
    }
    out.push({ name, algorithm: m[1]!, entries: readManifest(path.join(dir, name), m[1]!, problems) });
  }
  return out;
}

/** The folder must exist and look like a bag at all; anything else is a usage error, not a damaged bag. */
function assertBagFolder(dir: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new UsageError('bag-missing', { vi: `Thư mục gói ${dir} không tồn tại.`, en: `The bag folder ${dir} does not exist.` });
  }
  if (!stat.isDirectory()) throw new UsageError('bag-not-folder', { vi: `${dir} không phải thư mục (gói BagIt là một thư mục).`, en: `${dir} is not a folder (a BagIt bag is a folder).` });
  const names = fs.readdirSync(dir);
  if (!names.includes('bagit.txt') && !names.some((n) => /^manifest-[a-z0-9]+\.txt$/.test(n))) {
    throw new UsageError('not-a-bag', { vi: `${dir} không phải gói BagIt: không có bagit.txt và không có manifest-*.txt.`, en: `${dir} is not a BagIt bag: it has no bagit.txt and no manifest-*.txt.` });
  }
}

/**
 * The bag's records against the signed PDFs: each record file must hash to the data embedded in its PDF,
 * and index.json's hashes must be those of the files; manifests alone cannot show this, since whoever
 * alters a record can recompute them.
 */
async function crossCheckRecords(dir: string, problems: Bilingual[]): Promise<void> {
  const indexFile = path.join(dir, 'data', 'index.json');
  if (!fs.existsSync(indexFile)) return;
  let entries: BagIndexEntry[];
  try {
    entries = (JSON.parse(fs.readFileSync(indexFile, 'utf8')) as { pdfs: BagIndexEntry[] }).pdfs;
    if (!Array.isArray(entries)) throw new Error('no pdfs');
  } catch {
    problems.push({ vi: 'data/index.json không đọc được (không phải mục lục của bieumau)', en: 'data/index.json cannot be read (not a bieumau index)' });
    return;
  }
  for (const entry of entries) {
    const pdfFile = typeof entry?.pdf === 'string' && !entry.pdf.split('/').includes('..') ? path.join(dir, entry.pdf) : undefined;
    if (!pdfFile || !fs.existsSync(pdfFile)) continue; // reported as missing already
    const bytes = new Uint8Array(fs.readFileSync(pdfFile));
    if (entry.sha256 !== sha256(bytes)) {
      problems.push({ vi: `data/index.json ghi SHA-256 của ${entry.pdf} khác với tệp`, en: `data/index.json gives ${entry.pdf} another SHA-256 than the file has` });
    }
    let embedded: { sha256: string; hashMatches: boolean } | undefined;
    try {
      embedded = await extractRecord(bytes);
    } catch (e) {
      if (entry.record) problems.push({ vi: `không lấy được dữ liệu nhúng trong ${entry.pdf} để đối chiếu với ${entry.record}`, en: `cannot get the data embedded in ${entry.pdf} to compare with ${entry.record}` });
      if (!(e instanceof InputError)) throw e;
      continue;
    }
    if (!embedded.hashMatches) problems.push({ vi: `dữ liệu nhúng trong ${entry.pdf} khác giá trị SHA-256 ghi trong XMP của nó`, en: `the data embedded in ${entry.pdf} differs from the SHA-256 its XMP declares` });
    if (!entry.record) {
      problems.push({ vi: `${entry.pdf} chứa dữ liệu nhúng nhưng data/index.json không ghi bản ghi nào cho nó`, en: `${entry.pdf} holds embedded data but data/index.json lists no record for it` });
      continue;
    }
    if (entry.dataSha256 !== embedded.sha256) {
      problems.push({ vi: `data/index.json ghi dataSha256 ${entry.dataSha256 ?? '—'} cho ${entry.pdf}, dữ liệu nhúng có SHA-256 ${embedded.sha256}`, en: `data/index.json gives ${entry.pdf} dataSha256 ${entry.dataSha256 ?? '—'}, the embedded data has SHA-256 ${embedded.sha256}` });
    }
    const recordFile = entry.record.split('/').includes('..') ? undefined : path.join(dir, entry.record);
    if (!recordFile || !fs.existsSync(recordFile)) continue;
    const recordHash = await hashFile(recordFile);
    if (recordHash !== embedded.sha256) {
      problems.push({
        vi: `bản ghi ${entry.record} khác dữ liệu nhúng trong PDF đã ký ${entry.pdf} (SHA-256 ${recordHash} ≠ ${embedded.sha256})`,
        en: `record ${entry.record} differs from the data embedded in the signed PDF ${entry.pdf} (SHA-256 ${recordHash} ≠ ${embedded.sha256})`,
      });
    }
  }
}

/**
 * Checks a bag (RFC 8493 §3): bagit.txt; every payload file in every payload manifest and unchanged; every
 * tag manifest entry unchanged and the payload manifests among them; Payload-Oxum; the records against
 * their PDFs. Tag files no tag manifest lists are allowed (§2.2.1 says SHOULD list) and only warned about.
 * Throws a UsageError when `dir` is not a bag at all.
 */
export async function verifyBag(dir: string): Promise<BagCheck> {
  assertBagFolder(dir);
  const problems: Bilingual[] = [];
  const warnings: Bilingual[] = [];
  const missing: string[] = [];
  const extra: string[] = [];
  const altered: string[] = [];
  const bagit = path.join(dir, 'bagit.txt');
  if (!fs.existsSync(bagit)) missing.push('bagit.txt');
  else if (!/^BagIt-Version: 1\.0\s*$/m.test(fs.readFileSync(bagit, 'utf8'))) problems.push({ vi: 'bagit.txt không khai báo BagIt-Version 1.0', en: 'bagit.txt does not declare BagIt-Version 1.0' });

  const payloadManifests = manifests(dir, 'manifest', problems, warnings);
  const tagManifests = manifests(dir, 'tagmanifest', problems, warnings);
  if (payloadManifests.length === 0) missing.push('manifest-sha256.txt');
  if (tagManifests.length === 0) warnings.push({ vi: 'không có tagmanifest-*.txt: các tệp thẻ (bag-info.txt…) không được kiểm tra', en: 'no tagmanifest-*.txt: the tag files (bag-info.txt…) are not checked' });

  const check = async (manifest: Manifest, payload: boolean) => {
    for (const [rel, want] of manifest.entries) {
      if (rel.split('/').includes('..') || path.isAbsolute(rel) || (payload && !rel.startsWith('data/'))) {
        problems.push({ vi: `đường dẫn không hợp lệ trong ${manifest.name}: ${rel}`, en: `invalid path in ${manifest.name}: ${rel}` });
        continue;
      }
      const file = path.join(dir, rel);
      if (!fs.existsSync(file)) missing.push(rel);
      else if ((await hashFile(file, manifest.algorithm)) !== want) altered.push(rel);
    }
  };
  for (const m of payloadManifests) await check(m, true);
  for (const m of tagManifests) await check(m, false);

  // Every payload file in every payload manifest (§3).
  const payloadFiles = walk(path.join(dir, 'data'), 'data');
  for (const rel of payloadFiles) if (payloadManifests.some((m) => !m.entries.has(rel))) extra.push(rel);

  // Tag manifests must list every payload manifest and no tag manifest; other tag files they should list.
  const tagManifestNames = new Set(tagManifests.map((m) => m.name));
  for (const t of tagManifests) {
    for (const p of payloadManifests) if (!t.entries.has(p.name)) problems.push({ vi: `${t.name} không liệt kê ${p.name}`, en: `${t.name} does not list ${p.name}` });
    for (const rel of t.entries.keys()) if (/^tagmanifest-[a-z0-9]+\.txt$/.test(rel)) problems.push({ vi: `${t.name} không được liệt kê ${rel}`, en: `${t.name} must not list ${rel}` });
  }
  if (tagManifests.length) {
    const tagFiles = walk(dir, '').filter((rel) => !rel.startsWith('data/') && !tagManifestNames.has(rel));
    for (const rel of tagFiles) {
      if (tagManifests.some((m) => !m.entries.has(rel))) warnings.push({ vi: `tệp thẻ không có trong danh mục thẻ (không được kiểm tra): ${rel}`, en: `tag file not in the tag manifest (not checked): ${rel}` });
    }
  }

  const infoFile = path.join(dir, 'bag-info.txt');
  if (fs.existsSync(infoFile)) {
    const oxum = /^Payload-Oxum:\s*(\d+)\.(\d+)\s*$/m.exec(fs.readFileSync(infoFile, 'utf8'));
    if (oxum) {
      const bytes = payloadFiles.reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
      if (Number(oxum[1]) !== bytes || Number(oxum[2]) !== payloadFiles.length) {
        problems.push({ vi: `Payload-Oxum ${oxum[1]}.${oxum[2]} khác thực tế ${bytes}.${payloadFiles.length}`, en: `Payload-Oxum ${oxum[1]}.${oxum[2]} differs from the payload ${bytes}.${payloadFiles.length}` });
      }
    }
  }
  await crossCheckRecords(dir, problems);
  const sorted = (list: string[]) => [...new Set(list)].sort();
  const result = { missing: sorted(missing), extra: sorted(extra), altered: sorted(altered) };
  return { ok: result.missing.length + result.extra.length + result.altered.length + problems.length === 0, ...result, problems, warnings };
}
