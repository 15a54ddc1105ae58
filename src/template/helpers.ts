// Handlebars helpers for Vietnamese official documents: dates, numbers, Roman numerals, levels, tick boxes, signing.
// Every helper is pure on its arguments and the render's data (@rules, @profile, @form); none touches files.
// Helpers return plain strings, which Handlebars escapes; only `lines` returns markup, built from escaped text.
import Handlebars from 'handlebars';
import { BieumauError } from '../errors.js';
import type { ProfileData } from '../model/profile.js';
import { roundPoints } from '../rules/classify.js';
import { formatNumber, formatPercent } from '../rules/format.js';
import type { RuleSet } from '../rules/types.js';

/** What every render passes as Handlebars `data` (`@rules`, `@profile`, `@form` in templates). */
export interface RenderData {
  rules: RuleSet;
  profile: ProfileData;
  form: { id: string; version: string; title: string; code?: string };
  /** Label of an enum value at a schema pointer ("/taskResults/*\/schedule", "on-time" → "Đúng hạn"). */
  enumLabel(pointer: string, value: string): string | undefined;
  /** Per-render counters for `next`. */
  counters: Record<string, number>;
}

interface HelperOptions {
  data: RenderData & { root: unknown };
  hash: Record<string, unknown>;
}

/** A record that cannot be rendered as it is (e.g. a signing authority the profile has no prefix for): exit 1. */
export class RenderDataError extends BieumauError {
  constructor(code: string, text: { vi: string; en: string }) {
    super(code, text, 1);
  }
}

const isOptions = (v: unknown): v is HelperOptions => v !== null && typeof v === 'object' && 'data' in v && 'hash' in v;
/** Positional arguments without the trailing options object. */
const args = (list: unknown[]): unknown[] => (list.length > 0 && isOptions(list[list.length - 1]) ? list.slice(0, -1) : list);
const optionsOf = (list: unknown[]): HelperOptions => list[list.length - 1] as HelperOptions;
const isBlank = (v: unknown): boolean => v === undefined || v === null || v === '';

// ---- dates -------------------------------------------------------------------------------------------------

interface DateParts {
  day: number;
  month: number;
  year: number;
}

function dateParts(value: unknown): DateParts | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!m) return undefined;
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
}

/** NĐ 30/2020: day < 10 and months 1–2 take a leading zero; other months do not ("05", "01", "6", "12"). */
export function dayText(day: number): string {
  return day < 10 ? `0${day}` : String(day);
}
export function monthText(month: number): string {
  return month <= 2 ? `0${month}` : String(month);
}

/** "ngày 05 tháng 01 năm 2026". */
export function dateVi(value: unknown): string {
  const d = dateParts(value);
  if (!d) return '';
  return `ngày ${dayText(d.day)} tháng ${monthText(d.month)} năm ${d.year}`;
}

/** "05/01/2026", "29/6/2019": the same padding rule in short form. */
export function dateShort(value: unknown): string {
  const d = dateParts(value);
  if (!d) return '';
  return `${dayText(d.day)}/${monthText(d.month)}/${d.year}`;
}

function fill(template: string, params: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.prototype.hasOwnProperty.call(params, name) ? params[name]! : whole));
}

const NBSP = '\u00a0';

/**
 * A place-date pattern with the date part bound into one unbreakable piece: its spaces become no-break spaces, so
 * a line too long for its column wraps only between the place and the date ("Thành phố Hồ Chí Minh," then
 * "ngày 12 tháng 12 năm 2025"), never inside "ngày … tháng … năm …". The separator next to `{place}` (", ")
 * stays breakable, and so does the place itself, which may be longer than a line.
 */
export function bindDatePart(pattern: string): string {
  const at = pattern.indexOf('{place}');
  const bind = (s: string) => s.replace(/ /g, NBSP);
  if (at < 0) return bind(pattern);
  const before = /^([\s\S]*?)([\s,;:–—-]*)$/.exec(pattern.slice(0, at))!;
  const after = /^([\s,;:–—-]*)([\s\S]*)$/.exec(pattern.slice(at + '{place}'.length))!;
  return bind(before[1]!) + before[2]! + '{place}' + after[1]! + bind(after[2]!);
}

/**
 * "Hà Nội, ngày 05 tháng 01 năm 2026", or the profile's blank form for the văn thư to fill. The date part is
 * joined by no-break spaces (see `bindDatePart`), so every writer wraps the line at the same place.
 */
export function placeDate(place: unknown, date: unknown, profile: ProfileData): string {
  const p = typeof place === 'string' && place !== '' ? place : profile.texts.blankPlace ?? '…';
  const d = dateParts(date);
  if (!d) return fill(bindDatePart(profile.texts.blankDate ?? '{place}, ngày … tháng … năm …'), { place: p });
  return fill(bindDatePart(profile.texts.placeDate ?? '{place}, ngày {day} tháng {month} năm {year}'), {
    place: p,
    day: dayText(d.day),
    month: monthText(d.month),
    year: String(d.year),
  });
}

// ---- numbers -----------------------------------------------------------------------------------------------

const ROMAN: Array<[number, string]> = [
  [1000, 'M'], [900, 'CM'], [500, 'D'], [400, 'CD'], [100, 'C'], [90, 'XC'],
  [50, 'L'], [40, 'XL'], [10, 'X'], [9, 'IX'], [5, 'V'], [4, 'IV'], [1, 'I'],
];

export function roman(n: unknown): string {
  let x = Number(n);
  if (!Number.isInteger(x) || x <= 0 || x >= 4000) return String(n ?? '');
  let out = '';
  for (const [v, s] of ROMAN) {
    while (x >= v) {
      out += s;
      x -= v;
    }
  }
  return out;
}

/** The Vietnamese alphabet for điểm letters: a, b, c, d, đ, e, g, h, i, k, … (no f, j, w, z). */
const VI_LETTERS = ['a', 'b', 'c', 'd', 'đ', 'e', 'g', 'h', 'i', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'x', 'y'];

export function letter(n: unknown): string {
  const x = Number(n);
  if (!Number.isInteger(x) || x <= 0) return '';
  // After "y", double the letter as Word's numbering does ("aa", "bb", …).
  const base = VI_LETTERS[(x - 1) % VI_LETTERS.length]!;
  return base.repeat(Math.floor((x - 1) / VI_LETTERS.length) + 1);
}

// ---- levels, periods, signatures ----------------------------------------------------------------------------

const TICKED = '☒';
const UNTICKED = '☐';

function levelOf(rules: RuleSet, code: unknown) {
  return rules.levels.find((l) => l.code === code);
}

const PERIOD_WORDS: Record<string, string> = { year: 'năm', quarter: 'quý', term: 'nhiệm kỳ' };

/** "năm 2025", "quý IV năm 2025", "nhiệm kỳ 2026 - 2031". */
export function periodText(p: unknown): string {
  if (p === null || typeof p !== 'object') return '';
  const { kind, year, quarter, termEndYear } = p as { kind?: string; year?: number; quarter?: number; termEndYear?: number };
  if (kind === 'quarter') return `quý ${roman(quarter)} năm ${year}`;
  if (kind === 'term') return `nhiệm kỳ ${year} - ${termEndYear}`;
  return `${PERIOD_WORDS.year} ${year}`;
}

export function upperVi(s: unknown): string {
  return isBlank(s) ? '' : String(s).toLocaleUpperCase('vi');
}

/** First letter upper case, the rest untouched ("năm 2025" → "Năm 2025"). */
export function capital(s: unknown): string {
  if (isBlank(s)) return '';
  const text = String(s);
  const first = String.fromCodePoint(text.codePointAt(0)!);
  return first.toLocaleUpperCase('vi') + text.slice(first.length);
}

interface Signature {
  authority?: string;
  body?: string;
  headPost?: string;
  post?: string;
  name?: string;
  caption?: string;
}

/** The lines above the signature space: authority with its prefix ("T/M CHI BỘ", "KT. CHỦ TỊCH"), then the post. */
export function signatureLines(sig: unknown, profile: ProfileData): string[] {
  if (sig === null || typeof sig !== 'object') return [];
  const s = sig as Signature;
  if (!s.authority) return [s.caption, s.post].filter((x): x is string => !isBlank(x));
  const prefix = profile.signing[s.authority];
  if (prefix === undefined) {
    throw new RenderDataError('signing-authority-unsupported', {
      vi: `Hồ sơ trình bày "${profile.id}" không có tiền tố ký cho thẩm quyền "${s.authority}" (có: ${Object.keys(profile.signing).join(', ')}).`,
      en: `Layout profile "${profile.id}" has no signing prefix for authority "${s.authority}" (it has: ${Object.keys(profile.signing).join(', ')}).`,
    });
  }
  if (s.authority === 'acting') return [`${prefix} ${s.post ?? s.headPost ?? ''}`.trim()];
  const head = s.authority === 'on-behalf' ? s.body ?? s.headPost : s.authority === 'deputy' ? s.headPost ?? s.body : s.headPost ?? s.body;
  if (isBlank(head)) {
    const needs = s.authority === 'on-behalf' ? 'body' : 'headPost';
    throw new RenderDataError('signing-incomplete', {
      vi: `Khối chữ ký: thẩm quyền "${s.authority}" cần "${needs}" (tập thể hoặc chức vụ người đứng đầu).`,
      en: `Signature block: authority "${s.authority}" needs "${needs}" (the body or the head's post).`,
    });
  }
  const lines = [`${prefix} ${head}`];
  if (!isBlank(s.post)) lines.push(s.post!);
  return lines;
}

/** Nơi nhận lines: "- Đảng ủy phường (để báo cáo),", …, "- Lưu chi bộ." with the profile's punctuation. */
export function recipientLines(list: unknown, profile: ProfileData): string[] {
  if (!Array.isArray(list)) return [];
  const { prefix, separator, terminator } = profile.recipients;
  const items = list.filter((x) => typeof x === 'string' && x.trim() !== '').map((x) => (x as string).trim().replace(/[;,.]+$/, ''));
  return items.map((item, i) => `${prefix}${item}${i === items.length - 1 ? terminator : separator}`);
}

/**
 * "Số: 15/QĐ-XX" (state) or "Số 127-QĐ/TW" (Party); numbers below 10 padded; a blank slot when unnumbered. With
 * neither number nor ký hiệu nothing is printed, unless the document must carry them (`required`: a report): then
 * the slot is left for the văn thư, the ký hiệu as "…".
 */
export function docNumber(header: unknown, profile: ProfileData, required = false): string {
  const { number, symbol } = (header !== null && typeof header === 'object' ? header : {}) as { number?: number; symbol?: string };
  if (number === undefined && isBlank(symbol)) return required ? fill(profile.number.unnumbered, { symbol: '…' }) : '';
  const sym = symbol ?? '';
  if (number === undefined) return fill(profile.number.unnumbered, { symbol: sym });
  return fill(profile.number.format, { number: String(number).padStart(profile.number.pad, '0'), symbol: sym });
}

// ---- registration ------------------------------------------------------------------------------------------

type Helper = (...list: unknown[]) => unknown;

function scoreDisplay(o: HelperOptions) {
  return o.data.rules.display;
}

export const HELPERS: Record<string, Helper> = {
  // logic and arithmetic
  eq: (...l) => args(l)[0] === args(l)[1],
  ne: (...l) => args(l)[0] !== args(l)[1],
  and: (...l) => args(l).every(Boolean),
  or: (...l) => args(l).some(Boolean),
  not: (...l) => !args(l)[0],
  /** Present and not empty (0 and false count as present, unlike `if`). */
  has: (...l) => {
    const v = args(l)[0];
    return !isBlank(v) && !(Array.isArray(v) && v.length === 0);
  },
  inc: (...l) => Number(args(l)[0]) + 1,
  add: (...l) => args(l).reduce<number>((s, x) => s + (typeof x === 'number' ? x : 0), 0),
  len: (...l) => {
    const v = args(l)[0];
    return Array.isArray(v) ? v.length : 0;
  },
  /** A value as text, or nothing when it is absent: for optional fields in strict templates. */
  val: (...l) => {
    const v = args(l)[0];
    return isBlank(v) ? '' : String(v);
  },
  /** The first argument that is present. */
  default: (...l) => args(l).find((v) => !isBlank(v)) ?? '',
  /** `pick value key1 text1 key2 text2 … [fallback]`: the text paired with the value's key. */
  pick: (...l) => {
    const [value, ...pairs] = args(l);
    for (let i = 0; i + 1 < pairs.length; i += 2) if (pairs[i] === value) return pairs[i + 1];
    return pairs.length % 2 === 1 ? pairs[pairs.length - 1] : '';
  },
  /** Sum of a numeric field (a path of keys) over a list of objects, rounded to 6 decimals; "" when no item has it. */
  sumOf: (...l) => {
    const [list, ...path] = args(l);
    if (!Array.isArray(list)) return '';
    let sum = 0;
    let any = false;
    for (const item of list) {
      let v: unknown = item;
      for (const key of path) v = v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, String(key)) ? (v as Record<string, unknown>)[String(key)] : undefined;
      if (typeof v === 'number' && Number.isFinite(v)) {
        sum += v;
        any = true;
      }
    }
    return any ? roundPoints(sum) : '';
  },
  /** A trích yếu in the case its regime writes it: Party documents start lower case (HD 36), state ones upper. */
  subjectCase: (...l) => {
    const [text] = args(l);
    if (isBlank(text)) return '';
    const s = String(text);
    if (optionsOf(l).data.profile.regime !== 'party') return capital(s);
    const first = String.fromCodePoint(s.codePointAt(0)!);
    return first.toLocaleLowerCase('vi') + s.slice(first.length);
  },
  concat: (...l) => args(l).map((v) => (isBlank(v) ? '' : String(v))).join(''),
  join: (...l) => {
    const [list, sep] = args(l);
    return Array.isArray(list) ? list.filter((x) => !isBlank(x)).join(typeof sep === 'string' ? sep : ', ') : '';
  },
  /** Text that may hold line breaks: escaped, each "\n" written as <br/>. */
  lines: (...l) => {
    const v = args(l)[0];
    if (isBlank(v)) return '';
    return new Handlebars.SafeString(
      String(v)
        .split('\n')
        .map((line) => Handlebars.escapeExpression(line))
        .join('<br/>'),
    );
  },
  // text
  upper: (...l) => upperVi(args(l)[0]),
  lower: (...l) => {
    const v = args(l)[0];
    return isBlank(v) ? '' : String(v).toLocaleLowerCase('vi');
  },
  capital: (...l) => capital(args(l)[0]),
  // dates
  dateVi: (...l) => dateVi(args(l)[0]),
  dateShort: (...l) => dateShort(args(l)[0]),
  placeDate: (...l) => {
    const [header] = args(l);
    const h = (header ?? {}) as { place?: string; date?: string };
    return placeDate(h.place, h.date, optionsOf(l).data.profile);
  },
  period: (...l) => periodText(args(l)[0]),
  // numbers
  roman: (...l) => roman(args(l)[0]),
  letter: (...l) => letter(args(l)[0]),
  /** A score with the rule set's display (decimal comma, declared rounding): 28.5 → "28,5". */
  num: (...l) => {
    const v = args(l)[0];
    if (typeof v !== 'number' || !Number.isFinite(v)) return '';
    const d = scoreDisplay(optionsOf(l));
    return formatNumber(v, d.score, d.locale);
  },
  /** An integer count with thousands dots: 1262 → "1.262". */
  int: (...l) => {
    const v = args(l)[0];
    if (typeof v !== 'number' || !Number.isFinite(v)) return '';
    return formatNumber(v, { decimals: 0, rounding: 'half-up', trimZeros: true }, scoreDisplay(optionsOf(l)).locale);
  },
  /** A percentage value already in percent: 16.67 → "16,67". */
  pctValue: (...l) => {
    const v = args(l)[0];
    if (typeof v !== 'number' || !Number.isFinite(v)) return '';
    const d = scoreDisplay(optionsOf(l));
    return formatNumber(v, d.percent, d.locale);
  },
  /** numerator/denominator as a percentage, computed exactly: 5, 35 → "14,29"; "" when the base is 0. */
  pct: (...l) => {
    const [n, d] = args(l);
    if (typeof n !== 'number' || typeof d !== 'number') return '';
    const disp = scoreDisplay(optionsOf(l));
    return formatPercent(n, d, disp.percent, disp.locale) ?? '';
  },
  /** The raw number for a markup attribute (number="…"), "" when absent. */
  raw: (...l) => {
    const v = args(l)[0];
    return typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
  },
  // rule set
  level: (...l) => {
    const code = args(l)[0];
    return levelOf(optionsOf(l).data.rules, code)?.name ?? (isBlank(code) ? '' : String(code));
  },
  levelShort: (...l) => {
    const code = args(l)[0];
    return levelOf(optionsOf(l).data.rules, code)?.short ?? (isBlank(code) ? '' : String(code));
  },
  tick: (...l) => (args(l)[0] ? TICKED : UNTICKED),
  /** Maximum of a score part ("general" → 30 under QĐ 366), or of the total without an argument. */
  partMax: (...l) => {
    const [key] = args(l);
    const rules = optionsOf(l).data.rules;
    if (key === undefined) return rules.score.max;
    return rules.score.parts.find((p) => p.key === key)?.max ?? '';
  },
  partLabel: (...l) => {
    const [key] = args(l);
    return optionsOf(l).data.rules.score.parts.find((p) => p.key === key)?.label.vi ?? '';
  },
  /** The total of a scores object: the given total, else the sum of the rule set's parts. */
  total: (...l) => {
    const s = args(l)[0] as Record<string, unknown> | undefined;
    if (!s || typeof s !== 'object') return undefined;
    if (typeof s.total === 'number') return s.total;
    let sum = 0;
    for (const p of optionsOf(l).data.rules.score.parts) {
      const v = s[p.key];
      if (typeof v !== 'number') return undefined;
      sum += v;
    }
    return roundPoints(sum);
  },
  // schema labels
  enumLabel: (...l) => {
    const [pointer, value] = args(l);
    if (isBlank(value)) return '';
    return optionsOf(l).data.enumLabel(String(pointer), String(value)) ?? String(value);
  },
  // document parts
  docNumber: (...l) => docNumber(args(l)[0], optionsOf(l).data.profile, args(l)[1] === true),
  signatureLines: (...l) => signatureLines(args(l)[0], optionsOf(l).data.profile),
  recipientLines: (...l) => recipientLines(args(l)[0], optionsOf(l).data.profile),
  /** The next number of a named counter in this document (sections numbered only when present). */
  next: (...l) => {
    const [name] = args(l);
    const counters = optionsOf(l).data.counters;
    const key = String(name);
    counters[key] = (counters[key] ?? 0) + 1;
    return counters[key];
  },
};

export const KNOWN_HELPERS: Record<string, true> = Object.fromEntries(Object.keys(HELPERS).map((k) => [k, true]));
