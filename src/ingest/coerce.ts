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

/** Numbers as people type them: "7,5", "1.234,5", "12", "-3.25", "1e3". */
export function parseNumberText(s: string): { value: number; style: 'plain' | 'decimal-comma' | 'grouped' } | undefined {
  const t = s.replace(/[\s\u00A0\u202F]/g, '');
  if (t === '') return undefined;
  if (/^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(t) || /^[+-]?\.\d+$/.test(t)) return { value: Number(t), style: 'plain' };
  if (/^[+-]?\d+,\d+$/.test(t)) return { value: Number(t.replace(',', '.')), style: 'decimal-comma' };
  if (/^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(t)) return { value: Number(t.replace(/\./g, '').replace(',', '.')), style: 'grouped' };
  if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(t)) return { value: Number(t.replace(/,/g, '')), style: 'grouped' };
  return undefined;
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

/** Finds a dropdown option by code or label: exact, then case-insensitive, then accent-insensitive (a warning). */
export function matchOption(column: SheetColumn, text: string): { code: string | number; fuzzy: boolean; label: string } | undefined {
  const options = column.options ?? [];
  const candidates = (o: (typeof options)[number]) => [o.label, ...(o.labelEn ? [o.labelEn] : []), String(o.code)];
  for (const o of options) if (candidates(o).includes(text)) return { code: o.code, fuzzy: false, label: o.label };
  const lower = text.toLowerCase();
  for (const o of options) if (candidates(o).some((c) => c.toLowerCase() === lower)) return { code: o.code, fuzzy: false, label: o.label };
  const folded = foldForMatch(text);
  const hits = options.filter((o) => candidates(o).some((c) => foldForMatch(c) === folded));
  if (hits.length === 1) return { code: hits[0]!.code, fuzzy: true, label: hits[0]!.label };
  return undefined;
}

/**
 * Coerces one cell for one column. Blank cells (no value, or only spaces and invisible characters) come back blank;
 * error cells and formula errors are findings, never blanks.
 */
export function coerceCell(column: SheetColumn, cell: SheetCell | undefined, ctx: CoerceContext): Coerced {
  const findings: CellFinding[] = [];
  const raw = rawOf(cell?.value);
  const out = (value: unknown, blank = false): Coerced => ({ value, raw, findings, failed: findings.some((f) => f.severity === 'error'), blank });
  const fail = (code: string, params: Record<string, unknown> = {}): Coerced => {
    findings.push({ code, severity: 'error', params: { raw, ...params } });
    return out(undefined);
  };
  const warn = (code: string, params: Record<string, unknown> = {}) => findings.push({ code, severity: 'warning', params: { raw, ...params } });

  if (!cell) return out(undefined, true);
  const value = cell.value;
  if (value === undefined) return cell.formula ? fail('formula-no-value') : out(undefined, true);
  if (value.t === 'error') return fail(cell.formula ? 'formula-error' : 'cell-error', { value: value.code });
  if (cell.tooLong) return fail('cell-too-long', { limit: ctx.maxCellChars, raw: `${String(raw).slice(0, 60)}…` });

  const style = ctx.styles[cell.style];
  let text: string | undefined;
  if (value.t === 'string') {
    text = normalizeText(value.text);
    if (text === '') return out(undefined, true);
  }
  if (cell.formula) warn('formula', { value: raw });

  switch (column.kind) {
    case 'text': {
      if (text !== undefined) {
        const legacy = detectLegacyEncoding(text, style?.fontName);
        if (legacy) return fail('legacy-encoding', { ...legacy, raw: text.slice(0, 80) });
        return out(text);
      }
      if (value.t === 'number') {
        const n = value.value;
        if (Number.isInteger(n) && Math.abs(n) >= 1e15) return fail('precision-lost', { raw: excelScientific(n) });
        if (style?.isDate && !column.textFormat) return out(dayMonthYear(serialToIso(n, ctx.date1904)));
        if (column.textFormat) warn('number-in-text', { raw: plainNumber(n) });
        return out(plainNumber(n));
      }
      if (value.t === 'date') return out(dayMonthYear(value.iso));
      return out(value.t === 'boolean' && value.value ? 'TRUE' : 'FALSE');
    }
    case 'date': {
      if (text !== undefined) {
        const parsed = parseDateText(text);
        if (!parsed) return fail('date-invalid');
        if ('error' in parsed) return fail(parsed.error, { month: parsed.month });
        if (parsed.timeDropped) warn('date-time-dropped', { value: dayMonthYear(parsed.iso) });
        else if (!parsed.exact) warn('date-text', { value: dayMonthYear(parsed.iso) });
        return out(parsed.iso);
      }
      if (value.t === 'date') {
        const parsed = parseDateText(value.iso.replace(/Z$/, ''));
        if (!parsed || 'error' in parsed) return fail('date-invalid');
        if (parsed.timeDropped) warn('date-time-dropped', { value: dayMonthYear(parsed.iso) });
        return out(parsed.iso);
      }
      if (value.t === 'number') {
        const n = value.value;
        if (n < 1) return fail('not-a-date');
        if (!ctx.date1904 && n < 61) return fail('date-serial-1900');
        const iso = serialToIso(n, ctx.date1904);
        if (style?.isDate) {
          if (!Number.isInteger(n)) warn('date-time-dropped', { value: dayMonthYear(iso) });
          return out(iso);
        }
        // A bare number in a plausible day-count range (1910–2100) is probably a date whose format was lost.
        const low = ctx.date1904 ? 2192 : 3654;
        const high = ctx.date1904 ? 71589 : 73051;
        if (n >= low && n < high) {
          warn('date-from-number', { value: dayMonthYear(iso) });
          return out(iso);
        }
        return fail('not-a-date');
      }
      return fail('not-a-date');
    }
    case 'number':
    case 'integer': {
      if (value.t === 'number') return out(value.value);
      if (text !== undefined) {
        const parsed = parseNumberText(text);
        if (!parsed) return fail('not-a-number', { raw: text });
        if (parsed.style !== 'plain') warn('decimal-comma', { value: plainNumber(parsed.value) });
        else if (!ctx.fromText) warn('number-from-text', { value: plainNumber(parsed.value) });
        return out(parsed.value);
      }
      return fail('not-a-number');
    }
    case 'boolean': {
      if (value.t === 'boolean') return out(value.value);
      if (text !== undefined) {
        const f = foldForMatch(text);
        if (YES.has(f)) return out(true);
        if (NO.has(f)) return out(false);
        return fail('not-a-boolean', { raw: text });
      }
      if (value.t === 'number' && (value.value === 0 || value.value === 1)) {
        const v = value.value === 1;
        warn('boolean-from-number', { value: v ? BOOLEAN_LABELS.vi.yes : BOOLEAN_LABELS.vi.no });
        return out(v);
      }
      return fail('not-a-boolean');
    }
    case 'enum': {
      const allowed = (column.options ?? []).map((o) => o.label).join('; ');
      const probe = text ?? (value.t === 'number' ? plainNumber(value.value) : value.t === 'boolean' ? String(value.value) : undefined);
      if (probe === undefined) return fail('enum-unknown', { allowed });
      const hit = matchOption(column, probe);
      if (hit) {
        if (hit.fuzzy) warn('enum-fuzzy', { value: hit.label });
        return out(hit.code);
      }
      const legacy = detectLegacyEncoding(probe, style?.fontName);
      if (legacy) return fail('legacy-encoding', { ...legacy, raw: probe.slice(0, 80) });
      return fail('enum-unknown', { raw: probe, allowed });
    }
  }
}
