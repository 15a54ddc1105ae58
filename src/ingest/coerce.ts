// Turns one stored cell into the JSON value its column's schema type wants, saying what was guessed and what failed.
import { foldForMatch, normalizeText } from '../normalize/text.js';
import type { SheetColumn } from '../workbook/columns.js';
import { BOOLEAN_LABELS } from '../workbook/cells.js';
import type { CellStyle } from './package.js';
import type { CellValue, SheetCell } from './sheet.js';

export interface CellFinding {
  code: string;
  severity: 'error' | 'warning';
  params: Record<string, unknown>;
}

export interface Coerced {
  /** Undefined when the cell is blank or could not be read. */
  value: unknown;
  /** The cell's content as the user sees it, for reports. */
  raw: string | number | boolean | undefined;
  findings: CellFinding[];
  /** A finding of severity error: the value is unusable, the validator should not also report the field. */
  failed: boolean;
  blank: boolean;
}

export interface CoerceContext {
  date1904: boolean;
  styles: CellStyle[];
  /** Values came from a text file (CSV): numbers typed as text are normal there, not worth a warning. */
  fromText: boolean;
  maxCellChars: number;
}

const MS_PER_DAY = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function isoOf(y: number, m: number, d: number): string {
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

/** dd/mm/yyyy for messages. */
export function dayMonthYear(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

function validDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1 || y < 1) return false;
  const dt = new Date(Date.UTC(y, m - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d;
}

/** The calendar date of a serial day number (UTC getters: never shifted by the machine's time zone). */
export function serialToIso(serial: number, date1904: boolean): string {
  const ms = (date1904 ? EPOCH_1904 : EPOCH_1900) + Math.floor(serial) * MS_PER_DAY;
  const dt = new Date(ms);
  return isoOf(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
}

/** Text as Excel shows a number in a General cell: up to 15 significant digits, never in exponent form below 1e21. */
export function plainNumber(n: number): string {
  if (Number.isInteger(n)) return Math.abs(n) < 1e21 ? BigInt(n).toString() : String(n);
  return String(Number(n.toPrecision(15)));
}

/** Excel's display of a large number in a General cell ("1.23457E+17"). */
function excelScientific(n: number): string {
  const [mant, exp] = n.toExponential(5).split('e');
  return `${String(Number(mant))}E${Number(exp) >= 0 ? '+' : '-'}${pad(Math.abs(Number(exp)))}`;
}

function rawOf(v: CellValue | undefined): string | number | boolean | undefined {
  if (!v) return undefined;
  switch (v.t) {
    case 'string':
      return v.text;
    case 'number':
    case 'boolean':
      return v.value;
    case 'error':
      return v.code;
    case 'date':
      return v.iso;
  }
}

export interface ParsedNumber {
  value: number;
  /** How the text was read: grouped = thousands separators; ambiguous = "3,000", read with a decimal comma. */
  style: 'plain' | 'decimal-comma' | 'grouped' | 'ambiguous';
  /** The other reading of an ambiguous text (3000 for "3,000"). */
  alternative?: number;
}

/**
 * Numbers as people type them: "7,5", "1.234,5", "3.000" (three thousand, vi-VN grouping), "12", "-3.25", "1e3".
 * Dot groups of exactly three digits after a non-zero integer part are thousands ("0.125" and "12.34" stay decimals);
 * one comma before exactly three digits ("3,000") is a vi decimal comma or an English thousands separator: ambiguous.
 */
export function parseNumberText(s: string): ParsedNumber | undefined {
  const t = s.replace(/[\s\u00A0\u202F]/g, '');
  if (t === '') return undefined;
  if (/^[+-]?[1-9]\d{0,2}(\.\d{3})+(,\d+)?$/.test(t)) {
    const value = Number(t.replace(/\./g, '').replace(',', '.'));
    return { value, style: t.includes(',') ? 'decimal-comma' : 'grouped' };
  }
  if (/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(t) || /^[+-]?\.\d+$/.test(t)) return { value: Number(t), style: 'plain' };
  if (/^[+-]?[1-9]\d{0,2},\d{3}$/.test(t)) return { value: Number(t.replace(',', '.')), style: 'ambiguous', alternative: Number(t.replace(',', '')) };
  if (/^[+-]?\d+,\d+$/.test(t)) return { value: Number(t.replace(',', '.')), style: 'decimal-comma' };
  if (/^[+-]?[1-9]\d{0,2}(,\d{3})+(\.\d+)?$/.test(t)) return { value: Number(t.replace(/,/g, '')), style: 'grouped' };
  return undefined;
}

/** n × 10^power in decimal, at Excel's 15 significant digits: 0.3333 × 100 is 33.33, not 33.330000000000005. */
export function shiftDecimal(n: number, power: number): number {
  const [mantissa, exponent] = n.toExponential(14).split('e');
  return Number(`${mantissa}e${Number(exponent) + power}`);
}

/**
 * Columns whose value is a percentage, 0–100 (the common `percent` definition): that range with no step (scores have
 * 0.01), or "(%)" in a label. Excel stores "33,33%" typed in such a column as 0.3333.
 */
export function isPercentColumn(column: SheetColumn): boolean {
  if (column.kind !== 'number' && column.kind !== 'integer') return false;
  if (column.minimum === 0 && column.maximum === 100 && column.multipleOf === undefined) return true;
  return [...column.labels.vi, ...column.labels.en].some((l) => /\(\s*%\s*\)/.test(l));
}

/** The text a zero-padding format shows for a whole number: unfilled "0" places show 0, "#" places nothing. */
export function padByFormat(n: number, placeholders: string): string {
  const digits = n === 0 ? '' : BigInt(n).toString();
  if (digits.length >= placeholders.length) return digits;
  return placeholders.slice(0, placeholders.length - digits.length).replace(/#/g, '') + digits;
}

type DateParse = { iso: string; exact: boolean; timeDropped: boolean } | { error: 'date-invalid' | 'date-month-first'; month?: number };

/** Text dates are read day first: dd/mm/yyyy (also d/m/yy, dd-mm-yyyy, dd.mm.yyyy) and ISO yyyy-mm-dd. */
export function parseDateText(s: string): DateParse | undefined {
  let m = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})$/.exec(s);
  if (m) {
    const d = Number(m[1]);
    const mo = Number(m[3]);
    let y = Number(m[4]);
    // Two-digit years follow Excel's window: 00–29 → 2000s, 30–99 → 1900s.
    if (m[4]!.length === 2) y += y < 30 ? 2000 : 1900;
    if (!validDate(y, mo, d)) return mo > 12 && d <= 12 && validDate(y, d, mo) ? { error: 'date-month-first', month: mo } : { error: 'date-invalid' };
    const exact = m[2] === '/' && m[1]!.length === 2 && m[3]!.length === 2 && m[4]!.length === 4;
    return { iso: isoOf(y, mo, d), exact, timeDropped: false };
  }
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(s);
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    if (!validDate(y, mo, d)) return { error: 'date-invalid' };
    const timeDropped = m[4] !== undefined && (Number(m[4]) !== 0 || Number(m[5]) !== 0 || Number(m[6] ?? 0) !== 0);
    return { iso: isoOf(y, mo, d), exact: m[2]!.length === 2 && m[3]!.length === 2 && m[4] === undefined, timeDropped };
  }
  return undefined;
}

// Latin-1 letters and symbols that Vietnamese Unicode text never uses but TCVN3 (ABC) and VNI text is full of.
const LEGACY_CHARS = /[\u00A1-\u00AF\u00B4-\u00B6\u00B8-\u00BF\u00C4-\u00C7\u00CB\u00CE-\u00D1\u00D6\u00D8\u00DB\u00DC\u00DE\u00DF\u00E4-\u00E7\u00EB\u00EE\u00EF\u00F1\u00F6\u00F8\u00FB\u00FC\u00FE\u00FF]/;
const LEGACY_IN_WORD = /[A-Za-z\u00C0-\u00FF][\u00A1-\u00AF\u00B4-\u00B6\u00B8-\u00BF\u00C4-\u00C7\u00CB\u00CE-\u00D1\u00D6\u00D8\u00DB\u00DC\u00DE\u00DF\u00E4-\u00E7\u00EB\u00EE\u00EF\u00F1\u00F6\u00F8\u00FB\u00FC\u00FE\u00FF]|[\u00A1-\u00AF\u00B4-\u00B6\u00B8-\u00BF\u00C4-\u00C7\u00CB\u00CE-\u00D1\u00D6\u00D8\u00DB\u00DC\u00DE\u00DF\u00E4-\u00E7\u00EB\u00EE\u00EF\u00F1\u00F6\u00F8\u00FB\u00FC\u00FE\u00FF][A-Za-z]/;
// Letters only Vietnamese Unicode has (ă đ ĩ ũ ơ ư and the precomposed block): their presence rules legacy text out.
const UNICODE_VIETNAMESE = /[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01A0\u01A1\u01AF\u01B0\u1EA0-\u1EF9]/;

/** Text typed with a legacy Vietnamese font encoding (TCVN3 ".VnTime", VNI "VNI-Times"), by font name or by its letters. */
export function detectLegacyEncoding(text: string, fontName: string | undefined): { encoding: string; font: string } | undefined {
  if (fontName && /^\.vn/i.test(fontName)) return /[^\x00-\x7F]/.test(text) ? { encoding: 'TCVN3 (ABC)', font: fontName } : undefined;
  if (fontName && /^vni[- ]/i.test(fontName)) return /[^\x00-\x7F]/.test(text) ? { encoding: 'VNI', font: fontName } : undefined;
  if (!LEGACY_CHARS.test(text) || UNICODE_VIETNAMESE.test(text) || !LEGACY_IN_WORD.test(text)) return undefined;
  return { encoding: 'TCVN3 / VNI', font: fontName ?? '?' };
}

const YES = new Set(['co', 'x', 'yes', 'y', 'true', 'dung', '1', 'đung'].map(foldForMatch));
const NO = new Set(['khong', 'no', 'n', 'false', 'sai', '0'].map(foldForMatch));

type OptionHit = { code: string | number; fuzzy: boolean; label: string };

interface OptionIndex {
  exact: Map<string, OptionHit>;
  lower: Map<string, OptionHit>;
  folded: Map<string, OptionHit[]>;
}

const OPTION_INDEX = new WeakMap<SheetColumn, OptionIndex>();

/** Lookup tables of a column's options (labels in both languages and codes), built once per column. */
function optionIndex(column: SheetColumn): OptionIndex {
  let index = OPTION_INDEX.get(column);
  if (index) return index;
  index = { exact: new Map(), lower: new Map(), folded: new Map() };
  for (const o of column.options ?? []) {
    const hit = { code: o.code, fuzzy: false, label: o.label };
    const fuzzy = { ...hit, fuzzy: true };
    for (const c of [o.label, ...(o.labelEn ? [o.labelEn] : []), String(o.code)]) {
      if (!index.exact.has(c)) index.exact.set(c, hit);
      if (!index.lower.has(c.toLowerCase())) index.lower.set(c.toLowerCase(), hit);
      const f = foldForMatch(c);
      const list = index.folded.get(f) ?? [];
      if (!list.some((x) => x.code === hit.code)) list.push(fuzzy);
      index.folded.set(f, list);
    }
  }
  OPTION_INDEX.set(column, index);
  return index;
}

/** Finds a dropdown option by code or label: exact, then case-insensitive, then accent-insensitive (a warning). */
export function matchOption(column: SheetColumn, text: string): OptionHit | undefined {
  const index = optionIndex(column);
  const exact = index.exact.get(text) ?? index.lower.get(text.toLowerCase());
  if (exact) return exact;
  const folded = index.folded.get(foldForMatch(text));
  return folded && folded.length === 1 ? folded[0] : undefined;
}

const NONE: CellFinding[] = [];

function addFinding(res: Coerced, finding: CellFinding): void {
  if (res.findings === NONE) res.findings = [];
  res.findings.push(finding);
  if (finding.severity === 'error') res.failed = true;
}

function fail(res: Coerced, code: string, params: Record<string, unknown> = {}): Coerced {
  addFinding(res, { code, severity: 'error', params: { raw: res.raw, ...params } });
  res.value = undefined;
  return res;
}

function warn(res: Coerced, code: string, params: Record<string, unknown> = {}): void {
  addFinding(res, { code, severity: 'warning', params: { raw: res.raw, ...params } });
}

/** Warns on a date written month first (m/d/yyyy) whose day could be a month: a day-first entry may have been swapped. */
function checkMonthFirst(res: Coerced, iso: string, style: CellStyle | undefined): void {
  if (!style?.monthFirst) return;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m || Number(m[3]) > 12 || m[2] === m[3]) return;
  warn(res, 'date-month-first-format', { value: dayMonthYear(iso), swapped: `${m[2]}/${m[3]}/${m[1]}`, format: style.formatCode });
}

/** The warning for a number read from text; plain numbers are normal in a text file (CSV) and get none there. */
function warnNumberText(res: Coerced, parsed: ParsedNumber, fromText: boolean): void {
  const value = plainNumber(parsed.value);
  if (parsed.style === 'ambiguous') warn(res, 'number-ambiguous', { value, alternative: plainNumber(parsed.alternative!) });
  else if (parsed.style === 'grouped') warn(res, 'number-grouped', { value });
  else if (parsed.style === 'decimal-comma') warn(res, 'decimal-comma', { value });
  else if (!fromText) warn(res, 'number-from-text', { value });
}

function ok(res: Coerced, value: unknown): Coerced {
  res.value = value;
  return res;
}

/**
 * Coerces one cell for one column. Blank cells (no value, or only spaces and invisible characters) come back blank;
 * error cells and formula errors are findings, never blanks. (Runs for every cell: no closures, no allocation for
 * the common clean case beyond the result.)
 */
export function coerceCell(column: SheetColumn, cell: SheetCell | undefined, ctx: CoerceContext): Coerced {
  const res: Coerced = { value: undefined, raw: rawOf(cell?.value), findings: NONE, failed: false, blank: false };
  if (!cell) {
    res.blank = true;
    return res;
  }
  const value = cell.value;
  if (value === undefined) {
    if (cell.formula) return fail(res, 'formula-no-value');
    res.blank = true;
    return res;
  }
  if (value.t === 'error') return fail(res, cell.formula ? 'formula-error' : 'cell-error', { value: value.code });
  if (cell.tooLong) return fail(res, 'cell-too-long', { limit: ctx.maxCellChars, raw: `${String(res.raw).slice(0, 60)}…` });

  const style = ctx.styles[cell.style];
  let text: string | undefined;
  if (value.t === 'string') {
    text = normalizeText(value.text);
    if (text === '') {
      res.blank = true;
      return res;
    }
  }
  if (cell.formula) warn(res, 'formula', { value: res.raw });

  switch (column.kind) {
    case 'text': {
      if (text !== undefined) {
        // Legacy fonts only matter for non-ASCII text.
        const legacy = /[^\x00-\x7F]/.test(text) ? detectLegacyEncoding(text, style?.fontName) : undefined;
        if (legacy) return fail(res, 'legacy-encoding', { ...legacy, raw: text.slice(0, 80) });
        return ok(res, text);
      }
      if (value.t === 'number') {
        const n = value.value;
        if (Number.isInteger(n) && Math.abs(n) >= 1e15) return fail(res, 'precision-lost', { raw: excelScientific(n) });
        if (style?.isDate && !column.textFormat) {
          const iso = serialToIso(n, ctx.date1904);
          checkMonthFirst(res, iso, style);
          return ok(res, dayMonthYear(iso));
        }
        // An ID or phone number kept as a number but shown with its leading zeros: the shown text is the value.
        if (style?.zeroPad && Number.isInteger(n) && n >= 0) {
          const shown = padByFormat(n, style.zeroPad);
          warn(res, 'number-format-restored', { raw: plainNumber(n), value: shown, format: style.formatCode });
          return ok(res, shown);
        }
        if (column.textFormat) warn(res, 'number-in-text', { raw: plainNumber(n) });
        return ok(res, plainNumber(n));
      }
      if (value.t === 'date') {
        checkMonthFirst(res, value.iso, style);
        return ok(res, dayMonthYear(value.iso));
      }
      return ok(res, value.t === 'boolean' && value.value ? 'TRUE' : 'FALSE');
    }
    case 'date': {
      if (text !== undefined) {
        const parsed = parseDateText(text);
        if (!parsed) return fail(res, 'date-invalid');
        if ('error' in parsed) return fail(res, parsed.error, { month: parsed.month });
        if (parsed.timeDropped) warn(res, 'date-time-dropped', { value: dayMonthYear(parsed.iso) });
        else if (!parsed.exact) warn(res, 'date-text', { value: dayMonthYear(parsed.iso) });
        return ok(res, parsed.iso);
      }
      if (value.t === 'date') {
        const parsed = parseDateText(value.iso.replace(/Z$/, ''));
        if (!parsed || 'error' in parsed) return fail(res, 'date-invalid');
        if (parsed.timeDropped) warn(res, 'date-time-dropped', { value: dayMonthYear(parsed.iso) });
        checkMonthFirst(res, parsed.iso, style);
        return ok(res, parsed.iso);
      }
      if (value.t === 'number') {
        const n = value.value;
        if (n < 1) return fail(res, 'not-a-date');
        if (!ctx.date1904 && n < 61) return fail(res, 'date-serial-1900');
        const iso = serialToIso(n, ctx.date1904);
        if (style?.isDate) {
          if (!Number.isInteger(n)) warn(res, 'date-time-dropped', { value: dayMonthYear(iso) });
          checkMonthFirst(res, iso, style);
          return ok(res, iso);
        }
        // A bare number in a plausible day-count range (1910–2100) is probably a date whose format was lost.
        const low = ctx.date1904 ? 2192 : 3654;
        const high = ctx.date1904 ? 71589 : 73051;
        if (n >= low && n < high) {
          warn(res, 'date-from-number', { value: dayMonthYear(iso) });
          return ok(res, iso);
        }
        return fail(res, 'not-a-date');
      }
      return fail(res, 'not-a-date');
    }
    case 'number':
    case 'integer': {
      if (value.t === 'number') {
        const n = value.value;
        if (!style?.isPercent) return ok(res, n);
        // Excel stores "33,33%" as 0.3333: a column in % wants 33.33; any other column keeps what is stored.
        const percent = shiftDecimal(n, 2);
        if (isPercentColumn(column)) {
          warn(res, 'percent-format', { value: plainNumber(percent) });
          return ok(res, percent);
        }
        warn(res, 'percent-format-kept', { percent: `${plainNumber(percent)}%`, value: plainNumber(n) });
        return ok(res, n);
      }
      if (text !== undefined) {
        const percentText = text.endsWith('%') && isPercentColumn(column) ? text.slice(0, -1) : undefined;
        const parsed = parseNumberText(percentText ?? text);
        if (!parsed) return fail(res, 'not-a-number', { raw: text });
        if (percentText === undefined) warnNumberText(res, parsed, ctx.fromText);
        else {
          warn(res, 'percent-text', { value: plainNumber(parsed.value) });
          if (parsed.style === 'ambiguous') warnNumberText(res, parsed, ctx.fromText);
        }
        return ok(res, parsed.value);
      }
      return fail(res, 'not-a-number');
    }
    case 'boolean': {
      if (value.t === 'boolean') return ok(res, value.value);
      if (text !== undefined) {
        const f = foldForMatch(text);
        if (YES.has(f)) return ok(res, true);
        if (NO.has(f)) return ok(res, false);
        return fail(res, 'not-a-boolean', { raw: text });
      }
      if (value.t === 'number' && (value.value === 0 || value.value === 1)) {
        const v = value.value === 1;
        warn(res, 'boolean-from-number', { value: v ? BOOLEAN_LABELS.vi.yes : BOOLEAN_LABELS.vi.no });
        return ok(res, v);
      }
      return fail(res, 'not-a-boolean');
    }
    case 'enum': {
      const probe = text ?? (value.t === 'number' ? plainNumber(value.value) : value.t === 'boolean' ? String(value.value) : undefined);
      const allowed = () => (column.options ?? []).map((o) => o.label).join('; ');
      if (probe === undefined) return fail(res, 'enum-unknown', { allowed: allowed() });
      const hit = matchOption(column, probe);
      if (hit) {
        if (hit.fuzzy) warn(res, 'enum-fuzzy', { value: hit.label });
        return ok(res, hit.code);
      }
      const legacy = detectLegacyEncoding(probe, style?.fontName);
      if (legacy) return fail(res, 'legacy-encoding', { ...legacy, raw: probe.slice(0, 80) });
      return fail(res, 'enum-unknown', { raw: probe, allowed: allowed() });
    }
  }
}
