// The workbook package: sheets in workbook order (never ZIP order), the date system, shared strings and cell styles.
import path from 'node:path/posix';
import { IngestError } from './messages.js';
import type { IngestLimits } from './limits.js';
import { attrByLocal, childElements, decodeOoxmlEscapes, firstChild, parseXmlStream, parseXmlTree, type XmlElement } from './xml.js';
import type { ZipArchive } from './zip.js';

export interface SheetInfo {
  name: string;
  /** Part name inside the archive, e.g. "xl/worksheets/sheet1.xml". */
  part: string;
  state: 'visible' | 'hidden' | 'veryHidden';
  /** Relationship id in workbook.xml (to add sheets next to it). */
  rid: string;
}

export interface CellStyle {
  numFmtId: number;
  /** Custom format code when there is one. */
  formatCode?: string;
  isDate: boolean;
  isText: boolean;
  /** A percentage format (built-in 9 or 10, or an unquoted % in the code): the cell stores the fraction, 0.5 for 50%. */
  isPercent: boolean;
  /** A date format with the month before the day (m/d/yyyy): written in a month-first locale, so day and month may be swapped. */
  monthFirst: boolean;
  /** Digit placeholders of a zero-padding format ("0#########", "000000000000"): the sheet shows leading zeros. */
  zeroPad?: string;
  fontName?: string;
}

export interface WorkbookPackage {
  zip: ZipArchive;
  workbookPart: string;
  sheets: SheetInfo[];
  date1904: boolean;
  sharedStrings: string[];
  styles: CellStyle[];
  stylesPart?: string;
  sharedStringsPart?: string;
  /** Sheet part → relationships part, resolved lazily by the annotator. */
  relsPartOf(part: string): string;
}

const REL_OFFICE_DOCUMENT = /\/officeDocument$/;
const REL_WORKSHEET = /\/worksheet$/;
const REL_SHARED_STRINGS = /\/sharedStrings$/;
const REL_STYLES = /\/styles$/;

export interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

export function relsPartOf(part: string): string {
  return path.join(path.dirname(part), '_rels', `${path.basename(part)}.rels`);
}

/** Resolves a relationship target against the part that owns it. */
export function resolveTarget(ownerPart: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  return path.normalize(path.join(path.dirname(ownerPart), target));
}

export async function readRelationships(zip: ZipArchive, ownerPart: string): Promise<Relationship[]> {
  const relsPart = relsPartOf(ownerPart);
  if (!zip.has(relsPart)) return [];
  const tree = parseXmlTree(await zip.read(relsPart), relsPart);
  return childElements(tree, 'Relationship').map((r) => ({
    id: r.attrs.Id ?? '',
    type: r.attrs.Type ?? '',
    target: r.attrs.Target ?? '',
    external: r.attrs.TargetMode === 'External',
  }));
}

const BUILTIN_DATE_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** Whether a number format shows a date or time: its code has d/m/y/h/s outside quotes, escapes and [colour] blocks. */
export function isDateFormat(numFmtId: number, code: string | undefined): boolean {
  if (code === undefined) return BUILTIN_DATE_IDS.has(numFmtId);
  const stripped = code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/_./g, '')
    .replace(/\*./g, '')
    .replace(/\[(?!h\]|hh\]|m\]|mm\]|s\]|ss\])[^\]]*\]/gi, '');
  if (/general/i.test(stripped)) return false;
  // The first section decides (positive numbers).
  const section = stripped.split(';')[0] ?? '';
  return /[dmyhs]/i.test(section) && !/^[#0.,%\s]*$/.test(section);
}

/** A format code's sections (positive; negative; zero; text) without quoted text, escapes, padding and [..] blocks. */
function bareSections(code: string): string[] {
  return code
    .replace(/"[^"]*"/g, '')
    .replace(/\\./g, '')
    .replace(/_./g, '')
    .replace(/\*./g, '')
    .replace(/\[[^\]]*\]/g, '')
    .split(';');
}

/** Whether a number format shows a percentage (Excel multiplies by 100 for display only; a quoted "%" is just text). */
export function isPercentFormat(numFmtId: number, code: string | undefined): boolean {
  if (code === undefined) return numFmtId === 9 || numFmtId === 10;
  return (bareSections(code)[0] ?? '').includes('%');
}

/**
 * Whether a date format puts a numeric month before the day (mm/dd/yy, [$-409]m/d/yyyy; not yyyy-mm-dd). Built-in
 * formats carry no code and follow the reader's locale (14 is d/m/yyyy on a vi-VN machine), so they never count;
 * month names ("d mmm yyyy") cannot be misread.
 */
export function isMonthFirstFormat(code: string | undefined): boolean {
  if (code === undefined) return false;
  const section = (bareSections(code)[0] ?? '').replace(/am\/pm|a\/p/gi, '');
  const tokens = [...section.matchAll(/([dmyhs])\1*/gi)].map((m) => ({ ch: m[1]!.toLowerCase(), len: m[0].length }));
  let day = -1;
  let month = -1;
  let year = -1;
  tokens.forEach((t, i) => {
    if (t.ch === 'd' && t.len <= 2 && day < 0) day = i;
    if (t.ch === 'y' && year < 0) year = i;
    // "m" right after hours or right before seconds is minutes.
    const minute = tokens[i - 1]?.ch === 'h' || tokens[i + 1]?.ch === 's';
    if (t.ch === 'm' && t.len <= 2 && !minute && month < 0) month = i;
  });
  // Year first (yyyy-mm-dd) is the ISO order, not a month-first locale.
  return day >= 0 && month >= 0 && month < day && !(year >= 0 && year < month);
}

/** The digit placeholders of a format that pads integers with zeros ("00000", "0#########"), if it is one. */
export function zeroPadFormat(code: string | undefined): string | undefined {
  const section = code?.replace(/\[[^\]]*\]/g, '').split(';')[0];
  // A 0 before the last placeholder is what shows a leading zero; "0" or "#0" alone pads nothing.
  return section !== undefined && /^[0#]*0[0#]+$/.test(section) ? section : undefined;
}

async function readStyles(zip: ZipArchive, part: string | undefined): Promise<CellStyle[]> {
  if (!part || !zip.has(part)) return [];
  const tree = parseXmlTree(await zip.read(part), part);
  const codes = new Map<number, string>();
  const numFmts = firstChild(tree, 'numFmts');
  if (numFmts) for (const f of childElements(numFmts, 'numFmt')) codes.set(Number(f.attrs.numFmtId), f.attrs.formatCode ?? '');
  const fontNames: Array<string | undefined> = [];
  const fonts = firstChild(tree, 'fonts');
  if (fonts) for (const f of childElements(fonts, 'font')) fontNames.push(firstChild(f, 'name')?.attrs.val);
  const styles: CellStyle[] = [];
  const xfs = firstChild(tree, 'cellXfs');
  if (xfs) {
    for (const xf of childElements(xfs, 'xf')) {
      const numFmtId = Number(xf.attrs.numFmtId ?? 0);
      const formatCode = codes.get(numFmtId);
      const isDate = isDateFormat(numFmtId, formatCode);
      const zeroPad = zeroPadFormat(formatCode);
      styles.push({
        numFmtId,
        formatCode,
        isDate,
        isText: numFmtId === 49 || formatCode === '@',
        isPercent: !isDate && isPercentFormat(numFmtId, formatCode),
        monthFirst: isDate && isMonthFirstFormat(formatCode),
        ...(zeroPad ? { zeroPad } : {}),
        fontName: fontNames[Number(xf.attrs.fontId ?? 0)],
      });
    }
  }
  return styles;
}

/** Shared strings, streamed: runs concatenated, phonetic runs skipped, `_xHHHH_` decoded, overlong strings cut. */
async function readSharedStrings(zip: ZipArchive, part: string | undefined, limits: IngestLimits): Promise<string[]> {
  if (!part || !zip.has(part)) return [];
  const out: string[] = [];
  let inSi = false;
  let phonetic = 0;
  let inT = false;
  let current = '';
  const cap = limits.maxCellChars + 1;
  await parseXmlStream(await zip.stream(part), part, {
    open(local) {
      if (local === 'si') {
        inSi = true;
        current = '';
      } else if (local === 'rPh') phonetic++;
      else if (local === 't') inT = true;
    },
    close(local) {
      if (local === 'si') {
        out.push(decodeOoxmlEscapes(current));
        inSi = false;
      } else if (local === 'rPh') phonetic--;
      else if (local === 't') inT = false;
    },
    text(t) {
      if (inSi && inT && phonetic === 0 && current.length < cap) current += t.length + current.length > cap ? t.slice(0, cap - current.length) : t;
    },
  });
  return out;
}

/** Opens the workbook: finds the main part through the package relationships and reads the small shared parts. */
export async function openWorkbookPackage(zip: ZipArchive, limits: IngestLimits): Promise<WorkbookPackage> {
  const rootRels = await readRelationships(zip, '');
  const main = rootRels.find((r) => REL_OFFICE_DOCUMENT.test(r.type));
  let workbookPart = main ? resolveTarget('', main.target) : 'xl/workbook.xml';
  if (!zip.has(workbookPart)) workbookPart = 'xl/workbook.xml';
  if (!zip.has(workbookPart)) {
    const hint = zip.has('word/document.xml') ? '; it is a Word document' : zip.has('ppt/presentation.xml') ? '; it is a PowerPoint file' : '';
    throw new IngestError('no-workbook', { detail: hint });
  }
  const workbook = parseXmlTree(await zip.read(workbookPart), workbookPart);
  const rels = await readRelationships(zip, workbookPart);
  const relById = new Map(rels.map((r) => [r.id, r]));
  const pr = firstChild(workbook, 'workbookPr');
  const date1904 = pr !== undefined && /^(1|true)$/i.test(pr.attrs.date1904 ?? '');
  const sheetsEl = firstChild(workbook, 'sheets');
  const sheets: SheetInfo[] = [];
  for (const s of sheetsEl ? childElements(sheetsEl, 'sheet') : []) {
    const rid = attrByLocal(s.attrs, 'id', true) ?? '';
    const rel = relById.get(rid);
    if (!rel || !REL_WORKSHEET.test(rel.type)) continue; // chart sheets and dialogs hold no cells
    const state = s.attrs.state === 'hidden' ? 'hidden' : s.attrs.state === 'veryHidden' ? 'veryHidden' : 'visible';
    sheets.push({ name: s.attrs.name ?? '', part: resolveTarget(workbookPart, rel.target), state, rid });
  }
  if (sheets.length > limits.maxSheets) throw new IngestError('too-many-sheets', { count: sheets.length, limit: limits.maxSheets });
  const ssRel = rels.find((r) => REL_SHARED_STRINGS.test(r.type));
  const stRel = rels.find((r) => REL_STYLES.test(r.type));
  const sharedStringsPart = ssRel ? resolveTarget(workbookPart, ssRel.target) : undefined;
  const stylesPart = stRel ? resolveTarget(workbookPart, stRel.target) : undefined;
  const [sharedStrings, styles] = await Promise.all([readSharedStrings(zip, sharedStringsPart, limits), readStyles(zip, stylesPart)]);
  return { zip, workbookPart, sheets, date1904, sharedStrings, styles, stylesPart, sharedStringsPart, relsPartOf };
}

export type { XmlElement };
