// Tells a damaged or truncated PDF from a sound one before anything is read from it: the header, the
// startxref / %%EOF at the end and each cross-reference section they lead to, and the parser's own failures.
import type { PDFDocument } from '@cantoo/pdf-lib';
import { InputError } from '../errors.js';
import type { Bilingual } from '../i18n.js';

export interface PdfDamage {
  kind: 'not-pdf' | 'damaged';
  /** Technical detail in English (for --json and logs), never shown in the Vietnamese message. */
  reason: string;
}

/** Readers look for %%EOF within the last 1024 bytes (ISO 32000-1 annex H, Acrobat's tolerance). */
const TAIL = 1024;

function latin1(bytes: Uint8Array, start: number, end: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + Math.max(0, start), Math.max(0, Math.min(end, bytes.length) - Math.max(0, start))).toString('latin1');
}

/** What starts at `offset`: a classic xref table, an object (an xref stream), or neither. */
function sectionAt(bytes: Uint8Array, offset: number): 'table' | 'stream' | undefined {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= bytes.length) return undefined;
  const head = latin1(bytes, offset, offset + 64).replace(/^[\0\t\n\f\r ]+/, '');
  if (head.startsWith('xref')) return 'table';
  if (/^\d+\s+\d+\s+obj\b/.test(head)) return 'stream';
  return undefined;
}

/** The /Prev of the section at `offset` (its trailer, or the xref stream's dictionary). */
function prevOf(bytes: Uint8Array, offset: number, kind: 'table' | 'stream'): number | undefined {
  // A table's size is unknown up front: read up to the next startxref, which follows its trailer.
  const stop = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).indexOf('startxref', offset, 'latin1');
  const section = latin1(bytes, offset, stop < 0 ? bytes.length : stop);
  const dict = kind === 'table' ? section.slice(section.indexOf('trailer')) : section.slice(0, section.indexOf('stream') < 0 ? undefined : section.indexOf('stream'));
  const m = /\/Prev\s+(\d+)/.exec(dict);
  return m ? Number(m[1]) : undefined;
}

/** Structural damage found without parsing objects; undefined when the file looks whole. */
export function findDamage(bytes: Uint8Array): PdfDamage | undefined {
  if (!latin1(bytes, 0, TAIL).includes('%PDF-')) return { kind: 'not-pdf', reason: 'no %PDF- header' };
  const tailStart = Math.max(0, bytes.length - TAIL);
  const eof = latin1(bytes, tailStart, bytes.length).lastIndexOf('%%EOF');
  if (eof < 0) return { kind: 'damaged', reason: 'no %%EOF marker at the end of the file (truncated?)' };
  const m = /startxref\s+(\d+)\s*$/.exec(latin1(bytes, tailStart - 64, tailStart + eof));
  if (!m) return { kind: 'damaged', reason: 'no startxref before the last %%EOF' };
  const seen = new Set<number>();
  for (let offset: number | undefined = Number(m[1]); offset !== undefined && !seen.has(offset) && seen.size < 10_000; ) {
    seen.add(offset);
    const kind = sectionAt(bytes, offset);
    if (!kind) return { kind: 'damaged', reason: `no cross-reference section at offset ${offset}` };
    offset = prevOf(bytes, offset, kind);
  }
  return undefined;
}

export function damageText(damage: PdfDamage): Bilingual {
  return damage.kind === 'not-pdf'
    ? { vi: 'Không đọc được tệp PDF: tệp này không phải PDF.', en: 'Cannot read the PDF: the file is not a PDF.' }
    : { vi: 'Tệp PDF bị hỏng hoặc không đầy đủ (có thể bị cắt khi tải về hoặc sao chép).', en: 'The PDF file is damaged or incomplete (perhaps cut off while downloading or copying).' };
}

/** The parser's failure as damage: its first line (English, with offsets) kept as the technical reason. */
export function parseDamage(e: unknown): PdfDamage {
  const reason = String((e as Error)?.message ?? e).split('\n')[0]!;
  return { kind: /No PDF header/i.test(reason) ? 'not-pdf' : 'damaged', reason };
}

export function damageError(damage: PdfDamage): InputError {
  return new InputError(damage.kind === 'not-pdf' ? 'pdf-not-pdf' : 'pdf-damaged', damageText(damage), { reason: damage.reason });
}

/** Checks the structure, then loads with `load`; any failure becomes one bilingual "damaged" InputError. */
export async function loadSoundPdf(bytes: Uint8Array, load: (bytes: Uint8Array) => Promise<PDFDocument>): Promise<PDFDocument> {
  const damage = findDamage(bytes);
  if (damage) throw damageError(damage);
  try {
    return await load(bytes);
  } catch (e) {
    throw damageError(parseDamage(e));
  }
}
