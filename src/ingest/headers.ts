// Maps a header row to schema columns: key → exact label → declared alias → accent/case-insensitive (a warning).
import { foldForMatch, normalizeText } from '../normalize/text.js';
import { columnLetter } from '../workbook/address.js';
import type { ColumnModel, SheetColumn } from '../workbook/columns.js';
import { LABEL_SEPARATOR } from '../validate/issue.js';

export interface HeaderCell {
  col: number;
  text: string;
}

export type MatchHow = 'key' | 'label' | 'alias' | 'fuzzy';

export interface HeaderFinding {
  code: 'header-fuzzy' | 'header-unknown' | 'header-duplicate' | 'header-missing' | 'header-ambiguous' | 'header-split-name';
  severity: 'error' | 'warning';
  /** 0-based column in the file, when the finding is about a header cell. */
  col?: number;
  column?: SheetColumn;
  params: Record<string, unknown>;
}

export interface HeaderMapping {
  /** File column → schema column. */
  byCol: Map<number, SheetColumn>;
  /** Later file columns whose header repeats an already mapped column: compared with the first, never read. */
  duplicates: Map<number, { column: SheetColumn; firstCol: number }>;
  /** Header text of each file column that has one. */
  headerText: Map<number, string>;
  findings: HeaderFinding[];
  /** Columns matched (any way): how well this row looks like the form's header. */
  score: number;
  /** Required columns matched. */
  requiredMatched: number;
}

/** Header text for comparison: NFC, one line, single spaces, no trailing required-marker "*" or "(*)". */
export function cleanHeader(text: string): string {
  return normalizeText(text)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/\s*(\(\*\)|\*)$/, '')
    .trim();
}

/** For fuzzy comparison: accents, case and separator style ignored ("Nhiệm vụ 1 - Tên" ≈ "nhiem vu 1 › ten"). */
function fuzzyKey(text: string): string {
  return foldForMatch(text.replace(/[›>\-–—:|/,.;()]+/g, ' '));
}

function levenshteinAtMostOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  let j = 0;
  let edits = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      i++;
      j++;
      continue;
    }
    if (++edits > 1) return false;
    if (a.length > b.length) i++;
    else if (a.length < b.length) j++;
    else {
      i++;
      j++;
    }
  }
  return edits + (a.length - i) + (b.length - j) <= 1;
}

/** Lookup tables built once per column model. */
export interface HeaderIndex {
  exact: Map<string, SheetColumn[]>;
  alias: Map<string, SheetColumn[]>;
  fuzzy: Map<string, SheetColumn[]>;
  key: Map<string, SheetColumn>;
}

function add(map: Map<string, SheetColumn[]>, key: string, column: SheetColumn): void {
  const list = map.get(key);
  if (!list) map.set(key, [column]);
  else if (!list.includes(column)) list.push(column);
}

export function buildHeaderIndex(model: ColumnModel): HeaderIndex {
  const exact = new Map<string, SheetColumn[]>();
  const alias = new Map<string, SheetColumn[]>();
  const fuzzy = new Map<string, SheetColumn[]>();
  const key = new Map<string, SheetColumn>();
  for (const c of model.columns) {
    key.set(c.pointer.toLowerCase(), c);
    key.set(c.pointer.slice(1).replace(/\//g, '.').toLowerCase(), c);
    const labels = [c.header.vi, c.header.en, c.labels.vi.join(LABEL_SEPARATOR), c.labels.en.join(LABEL_SEPARATOR)];
    for (const l of labels) add(exact, cleanHeader(l).toLowerCase(), c);
    for (const a of c.aliases) add(alias, cleanHeader(a).toLowerCase(), c);
    for (const l of [...labels, ...c.aliases]) add(fuzzy, fuzzyKey(cleanHeader(l)), c);
  }
  return { exact, alias, fuzzy, key };
}

function lookup(index: HeaderIndex, text: string): { columns: SheetColumn[]; how: MatchHow } | undefined {
  const lower = text.toLowerCase();
  const byKey = index.key.get(lower);
  if (byKey) return { columns: [byKey], how: 'key' };
  const exact = index.exact.get(lower);
  if (exact) return { columns: exact, how: 'label' };
  const alias = index.alias.get(lower);
  if (alias) return { columns: alias, how: 'alias' };
  const f = fuzzyKey(text);
  const fuzzy = index.fuzzy.get(f);
  if (fuzzy) return { columns: fuzzy, how: 'fuzzy' };
  // One slip of the keyboard in a long label (never in short ones, where "Họ" and "Hạ" differ by one letter).
  if (f.length >= 10) {
    const near: SheetColumn[] = [];
    for (const [k, cols] of index.fuzzy) if (k.length >= 10 && levenshteinAtMostOne(f, k)) for (const c of cols) if (!near.includes(c)) near.push(c);
    if (near.length > 0) return { columns: near, how: 'fuzzy' };
  }
  return undefined;
}

/** Matches one header row. Columns are never guessed when a header fits several: that is reported instead. */
export function matchHeaders(model: ColumnModel, index: HeaderIndex, cells: HeaderCell[]): HeaderMapping {
  const byCol = new Map<number, SheetColumn>();
  const firstColOf = new Map<SheetColumn, number>();
  const duplicates = new Map<number, { column: SheetColumn; firstCol: number }>();
  const headerText = new Map<number, string>();
  const findings: HeaderFinding[] = [];
  const pending: Array<{ cell: HeaderCell; text: string; columns: SheetColumn[]; how: MatchHow }> = [];

  for (const cell of cells) {
    const text = cleanHeader(cell.text);
    if (text === '') continue;
    headerText.set(cell.col, text);
    const hit = lookup(index, text);
    if (!hit) {
      findings.push({ code: 'header-unknown', severity: 'warning', col: cell.col, params: { found: text, column: columnLetter(cell.col) } });
      continue;
    }
    pending.push({ cell, text, ...hit });
  }
  // Unambiguous matches first, so an ambiguous fuzzy header cannot take a column another header names exactly.
  pending.sort((a, b) => Number(a.columns.length > 1) - Number(b.columns.length > 1));
  for (const { cell, text, columns, how } of pending) {
    let chosen: SheetColumn | undefined;
    if (columns.length === 1) chosen = columns[0];
    else {
      const free = columns.filter((c) => !firstColOf.has(c));
      if (free.length === 1 && how !== 'fuzzy') chosen = free[0];
      else {
        findings.push({
          code: 'header-ambiguous',
          severity: 'warning',
          col: cell.col,
          params: { found: text, column: columnLetter(cell.col), candidates: columns.map((c) => `"${c.header.vi}"`).join(', ') },
        });
        continue;
      }
    }
    const column = chosen!;
    const first = firstColOf.get(column);
    if (first !== undefined) {
      const [a, b] = first < cell.col ? [first, cell.col] : [cell.col, first];
      // Keep the leftmost occurrence as the source of values.
      if (a !== first) {
        byCol.delete(first);
        byCol.set(a, column);
        firstColOf.set(column, a);
      }
      duplicates.set(b, { column, firstCol: a });
      findings.push({
        code: 'header-duplicate',
        severity: 'error',
        col: b,
        column,
        params: { expected: column.header.vi, first: columnLetter(a), column: columnLetter(b) },
      });
      continue;
    }
    byCol.set(cell.col, column);
    firstColOf.set(column, cell.col);
    if (how === 'fuzzy') findings.push({ code: 'header-fuzzy', severity: 'warning', col: cell.col, column, params: { found: text, expected: column.header.vi } });
  }
  const mapped = new Set(byCol.values());
  let requiredMatched = 0;
  for (const c of model.columns) {
    if (!c.requiredInRecord) continue;
    if (mapped.has(c)) requiredMatched++;
    else {
      // A name kept as "Họ và đệm" | "Tên" (common in Vietnamese lists) is never read as a full name from "Tên" alone.
      const split = c.pointer.endsWith('/fullName') ? splitNameColumns(headerText) : undefined;
      if (split) findings.push({ code: 'header-split-name', severity: 'error', col: split.given, column: c, params: { expected: c.header.vi, family: split.familyText, given: split.givenText } });
      else findings.push({ code: 'header-missing', severity: 'error', column: c, params: { expected: c.header.vi } });
    }
  }
  findings.sort((x, y) => (x.col ?? Infinity) - (y.col ?? Infinity));
  return { byCol, duplicates, headerText, findings, score: byCol.size, requiredMatched };
}

const FAMILY_HEADERS = new Set(['ho', 'ho dem', 'ho va dem', 'ho va ten dem', 'ho lot', 'ho va chu lot']);

/** The family-name and given-name columns of a name split in two, when the header row has both. */
function splitNameColumns(headerText: Map<number, string>): { given: number; familyText: string; givenText: string } | undefined {
  let family: string | undefined;
  let given: { col: number; text: string } | undefined;
  for (const [col, text] of headerText) {
    const key = foldForMatch(text);
    if (FAMILY_HEADERS.has(key)) family = text;
    else if (key === 'ten') given = { col, text };
  }
  return family !== undefined && given ? { given: given.col, familyText: family, givenText: given.text } : undefined;
}
