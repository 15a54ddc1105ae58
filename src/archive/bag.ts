// BagIt 1.0 (RFC 8493) archive bags of signed PDFs: payload, SHA-256 manifests, bag-info, an index of the
// embedded records; and the check that reports every missing, extra or altered file by name.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { VERSION } from '../version.js';
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

/**
 * Builds a bag in `dir` (which must not exist or be empty). Each PDF is verified first; when any fails,
 * nothing is written and the rejections are returned.
 */
export async function createBag(pdfFiles: string[], dir: string, options: BagOptions = {}): Promise<BagResult> {
  const entries: BagIndexEntry[] = [];
  const rejected: BagRejection[] = [];
  const taken = new Set<string>();
  const staged: Array<{ entry: BagIndexEntry; pdf: Uint8Array; record?: Uint8Array }> = [];
  for (const source of pdfFiles) {
    const bytes = new Uint8Array(fs.readFileSync(source));
    let report: VerifyReport;
    try {
      report = await verifyPdf(bytes, { trust: options.trust });
    } catch (e) {
      rejected.push({ source, reasons: [{ vi: `không đọc được PDF: ${(e as Error).message}`, en: `cannot read the PDF: ${(e as Error).message}` }] });
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
    }
    staged.push({ entry, pdf: bytes, record });
    entries.push(entry);
  }
  if (rejected.length) return { dir, entries: [], rejected };

  if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) throw new Error(`bag folder ${dir} is not empty`);
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
}

async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(fs.createReadStream(file), hash);
  return hash.digest('hex');
}

function readManifest(file: string, problems: Bilingual[]): Map<string, string> {
  const entries = new Map<string, string>();
  if (!fs.existsSync(file)) return entries;
  fs.readFileSync(file, 'utf8').split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const m = /^([0-9a-fA-F]{64})\s+\*?(.+)$/.exec(line);
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
    const rel = `${base}/${e.name}`;
    if (e.isDirectory()) out.push(...walk(path.join(dir, e.name), rel));
    else out.push(rel);
  }
  return out;
}

/** Checks a bag: bagit.txt, every manifest entry present and unchanged, no payload file outside the manifest, Payload-Oxum. */
export async function verifyBag(dir: string): Promise<BagCheck> {
  const problems: Bilingual[] = [];
  const missing: string[] = [];
  const extra: string[] = [];
  const altered: string[] = [];
  const bagit = path.join(dir, 'bagit.txt');
  if (!fs.existsSync(bagit)) missing.push('bagit.txt');
  else if (!/^BagIt-Version: 1\.0\s*$/m.test(fs.readFileSync(bagit, 'utf8'))) problems.push({ vi: 'bagit.txt không khai báo BagIt-Version 1.0', en: 'bagit.txt does not declare BagIt-Version 1.0' });
  if (!fs.existsSync(path.join(dir, 'manifest-sha256.txt'))) missing.push('manifest-sha256.txt');
  if (!fs.existsSync(path.join(dir, 'tagmanifest-sha256.txt'))) missing.push('tagmanifest-sha256.txt');

  const check = async (manifest: Map<string, string>) => {
    for (const [rel, want] of manifest) {
      const file = path.join(dir, rel);
      if (rel.split('/').includes('..')) {
        problems.push({ vi: `đường dẫn không hợp lệ trong danh mục: ${rel}`, en: `invalid path in a manifest: ${rel}` });
        continue;
      }
      if (!fs.existsSync(file)) missing.push(rel);
      else if ((await hashFile(file)) !== want) altered.push(rel);
    }
  };
  const payloadManifest = readManifest(path.join(dir, 'manifest-sha256.txt'), problems);
  const tagManifest = readManifest(path.join(dir, 'tagmanifest-sha256.txt'), problems);
  await check(payloadManifest);
  await check(tagManifest);
  for (const rel of walk(path.join(dir, 'data'), 'data')) if (!payloadManifest.has(rel)) extra.push(rel);
  const tagNames = new Set(['bagit.txt', 'tagmanifest-sha256.txt', ...tagManifest.keys()]);
  for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
    if (e.isFile() && !tagNames.has(e.name)) extra.push(e.name);
  }

  const infoFile = path.join(dir, 'bag-info.txt');
  if (fs.existsSync(infoFile)) {
    const oxum = /^Payload-Oxum:\s*(\d+)\.(\d+)\s*$/m.exec(fs.readFileSync(infoFile, 'utf8'));
    if (oxum) {
      const files = walk(path.join(dir, 'data'), 'data');
      const bytes = files.reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
      if (Number(oxum[1]) !== bytes || Number(oxum[2]) !== files.length) {
        problems.push({ vi: `Payload-Oxum ${oxum[1]}.${oxum[2]} khác thực tế ${bytes}.${files.length}`, en: `Payload-Oxum ${oxum[1]}.${oxum[2]} differs from the payload ${bytes}.${files.length}` });
      }
    }
  }
  const sorted = (list: string[]) => [...new Set(list)].sort();
  const result = { missing: sorted(missing), extra: sorted(extra), altered: sorted(altered) };
  return { ok: result.missing.length + result.extra.length + result.altered.length + problems.length === 0, ...result, problems };
}
