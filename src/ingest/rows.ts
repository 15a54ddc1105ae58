// One data row → one record: coerce each mapped cell, rebuild nesting (compacting skipped groups), validate, place issues.
import type { FormDefinition } from '../forms/types.js';
import type { Lang } from '../i18n.js';
import { normalizeText, spellingKey } from '../normalize/text.js';
import { getAt } from '../pointer.js';
import { LABEL_SEPARATOR } from '../validate/issue.js';
import type { FormValidator } from '../validate/validator.js';
import { columnLetter } from '../workbook/address.js';
import type { SheetColumn } from '../workbook/columns.js';
import { coerceCell, type CoerceContext, type Coerced } from './coerce.js';
import type { HeaderMapping } from './headers.js';
import { ingestMessage } from './messages.js';
import type { SheetCell, SheetRow } from './sheet.js';
import type { IngestIssue, RawCell, RowResult } from './types.js';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const RAW_LIMIT = 200;

interface Step {
  key: string;
  index: boolean;
  /** Pointer of the path up to and including this step (array indices as in the sheet). */
  prefix: string;
}

interface MappedColumn {
  col: number;
  letter: string;
  column: SheetColumn;
  steps: Step[];
  header: string;
  /** Its record pointer when no array item was left out (the usual row). */
  pointer: string;
  /** Rows with a value in it so far, and the first of them. */
  filled: number;
  firstRow: number;
  /** The last row with a value in it, and that value. */
  lastRow?: number;
  lastRaw?: string | number | boolean;
}

export interface RowContext {
  form: FormDefinition;
  /** Every column the form has (mapped or not), to tell a field missing from the file from an unknown pointer. */
  allPointers: string[];
  validator: FormValidator;
  rules: string;
  lang: Lang;
  sheet: string;
  mapping: HeaderMapping;
  coerce: CoerceContext;
}

export function cutRaw(v: unknown): string | number | boolean | undefined {
  if (typeof v === 'string') return v.length > RAW_LIMIT ? `${v.slice(0, RAW_LIMIT)}…` : v;
  if (typeof v === 'number' || typeof v === 'boolean') return v;
  return undefined;
}

/** The pointer's steps, marking array indices (where the column's array patterns have "*"). */
function stepsOf(column: SheetColumn): Step[] {
  const tokens = column.pointer.slice(1).split('/').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  const arrays = new Set(column.arrays.map((a) => a.array));
  let pattern = '';
  let prefix = '';
  return tokens.map((key) => {
    const index = arrays.has(pattern);
    const escaped = key.replace(/~/g, '~0').replace(/\//g, '~1');
    pattern += index ? '/*' : `/${escaped}`;
    prefix += `/${escaped}`;
    return { key, index, prefix };
  });
}

/**
 * Whether a row only numbers the columns, as official tables do under their header: at least three cells, each a
 * whole number or "(n)", rising from left to right and starting at 1 or 2.
 */
function isColumnNumbering(row: SheetRow): boolean {
  const numbers: number[] = [];
  for (const cell of row.cells) {
    const v = cell.value;
    if (!v) continue;
    let n: number;
    if (v.t === 'number') n = v.value;
    else if (v.t === 'string') {
      if (v.text.trim() === '') continue;
      const m = /^\s*\(?\s*(\d{1,4})\s*\)?\s*$/.exec(v.text);
      if (!m) return false;
      n = Number(m[1]);
    } else return false;
    if (!Number.isInteger(n) || (numbers.length > 0 && n <= numbers[numbers.length - 1]!)) return false;
    numbers.push(n);
  }
  return numbers.length >= 3 && numbers[0]! <= 2;
}

/** A later file column whose header repeats a mapped one. */
interface RepeatedColumn {
  col: number;
  letter: string;
  first: MappedColumn;
}

/** Turns rows of one data sheet into records and issues; one instance per file. */
export class RowReader {
  readonly columns: MappedColumn[];
  private readonly duplicates: RepeatedColumn[];
  /** Columns with no header whose cells hold data: column → [count, first address]. */
  readonly unmapped = new Map<number, { count: number; first: string }>();
  /** The first row under the header, when it only numbers the columns ("1, 2, 3…" or "(1), (2)…"): not a person. */
  numberingRow: number | undefined;
  private seenRow = false;
  /**
   * Rows with no person in them (nothing in the person's key columns) whose every value repeats the row above: a
   * template's common columns (period, place) dragged down past the people. Read as blank, and said once.
   */
  filledDown: { count: number; first: number; last: number; headers: string[] } | undefined;
  private readonly keyColumns: MappedColumn[];
  /** The last row read that had a value. */
  private previousRow = 0;
  /** Rows whose only content is formulas giving 0 or nothing (totals filled down a template): read as blank. */
  formulaOnly: { count: number; first: number } | undefined;
  private index = 0;
  private readonly personKey: string[];
  /** File columns that are mapped, duplicates or have a header: their data is never "unmapped". */
  private readonly known: boolean[] = [];
  /** Pointer → column for rows with no skipped array item. */
  private plainPointers: Map<string, MappedColumn> | undefined;

  constructor(private readonly ctx: RowContext) {
    this.columns = [...ctx.mapping.byCol]
      .filter(([, column]) => !column.pointer.split('/').some((t) => FORBIDDEN.has(t)))
      .map(([col, column]) => {
        const steps = stepsOf(column);
        return { col, letter: columnLetter(col), column, steps, header: ctx.mapping.headerText.get(col) ?? column.header.vi, pointer: steps.at(-1)?.prefix ?? '', filled: 0, firstRow: 0 };
      })
      .sort((a, b) => a.col - b.col);
    const byCol = new Map(this.columns.map((c) => [c.col, c]));
    this.duplicates = [...ctx.mapping.duplicates].map(([col, d]) => ({ col, letter: columnLetter(col), first: byCol.get(d.firstCol)! })).filter((d) => d.first);
    this.personKey = ctx.form.meta.personKey ?? [];
    this.keyColumns = this.columns.filter((m) => this.personKey.includes(m.column.pointer));
    for (const col of [...ctx.mapping.byCol.keys(), ...ctx.mapping.duplicates.keys(), ...ctx.mapping.headerText.keys()]) this.known[col] = true;
  }

  /** Reads one row; undefined when the row is blank in every mapped column. */
  read(row: SheetRow): RowResult | undefined {
    const { ctx } = this;
    if (!this.seenRow) {
      this.seenRow = true;
      if (isColumnNumbering(row)) {
        this.numberingRow = row.row;
        return undefined;
      }
    }
    const at: Array<SheetCell | undefined> = [];
    for (const c of row.cells) at[c.col] = c;

    const values: Array<{ m: MappedColumn; c: Coerced }> = [];
    let blank = true;
    let typed = false; // something other than a formula giving 0 or nothing
    for (const m of this.columns) {
      const cell = at[m.col];
      if (!cell) continue;
      const c = coerceCell(m.column, cell, ctx.coerce);
      if (c.blank && c.findings.length === 0) continue;
      blank = false;
      if (!(cell.formula && (c.value === 0 || c.value === '0') && c.findings.every((f) => f.code === 'formula'))) typed = true;
      values.push({ m, c });
      if (m.filled++ === 0) m.firstRow = row.row;
    }
    // A value only in a repeated column still makes the row data: it is reported, never dropped.
    const repeated: Array<{ d: RepeatedColumn; c: Coerced }> = [];
    for (const d of this.duplicates) {
      const cell = at[d.col];
      if (!cell) continue;
      const c = coerceCell(d.first.column, cell, ctx.coerce);
      if (c.blank) continue;
      repeated.push({ d, c });
      blank = false;
      typed = true;
    }
    if (!blank && !typed) {
      if (this.formulaOnly) this.formulaOnly.count++;
      else this.formulaOnly = { count: 1, first: row.row };
      blank = true;
    }
    // Data in columns without a form header is counted (and reported once per column), never silently dropped.
    for (const cell of row.cells) {
      if (this.known[cell.col]) continue;
      const v = cell.value;
      if (!v || (v.t === 'string' && normalizeText(v.text) === '')) continue;
      const u = this.unmapped.get(cell.col);
      if (u) u.count++;
      else this.unmapped.set(cell.col, { count: 1, first: `${columnLetter(cell.col)}${row.row}` });
    }
    let copiedDown = !blank && repeated.length === 0 && this.keyColumns.length > 0;
    for (const { m, c } of values) {
      if (copiedDown && (this.keyColumns.includes(m) || m.lastRow !== this.previousRow || m.lastRaw !== c.raw)) copiedDown = false;
    }
    if (values.length > 0) {
      for (const { m, c } of values) {
        m.lastRaw = c.raw;
        m.lastRow = row.row;
      }
      this.previousRow = row.row;
    }
    if (copiedDown) {
      if (this.filledDown) {
        this.filledDown.count++;
        this.filledDown.last = row.row;
      } else this.filledDown = { count: 1, first: row.row, last: row.row, headers: values.map((v) => v.m.header) };
      return undefined;
    }
    if (blank) return undefined;

    // Rebuild the nesting: objects and arrays are created only when a value goes in; array items left out by the
    // clerk (a skipped group) leave holes, closed up below and recorded in `remap` to place issues on the right cells.
    const record: Record<string, unknown> = {};
    const arrays: Array<{ arr: unknown[]; parent: Record<string | number, unknown>; key: string | number; pointer: string }> = [];
    const failed = new Set<MappedColumn>();
    for (const { m, c } of values) {
      if (c.failed) failed.add(m);
      if (c.value === undefined) continue;
      let node = record as Record<string | number, unknown>;
      const { steps } = m;
      for (let i = 0; i < steps.length - 1; i++) {
        const step = steps[i]!;
        const key = step.index ? Number(step.key) : step.key;
        let child = node[key] as Record<string | number, unknown> | undefined;
        if (child === undefined) {
          if (steps[i + 1]!.index) {
            const arr: unknown[] = [];
            arrays.push({ arr, parent: node, key, pointer: step.prefix });
            child = arr as unknown as Record<string | number, unknown>;
          } else child = {};
          node[key] = child;
        }
        node = child;
      }
      const last = steps[steps.length - 1]!;
      node[last.index ? Number(last.key) : last.key] = c.value;
    }
    const remap = new Map<string, Map<number, number>>();
    for (const a of arrays) {
      let holes = false;
      for (let i = 0; i < a.arr.length; i++) if (a.arr[i] === undefined) holes = true;
      if (!holes) continue;
      const kept: unknown[] = [];
      const missing: number[] = [];
      const map = new Map<number, number>();
      for (let i = 0; i < a.arr.length; i++) {
        if (a.arr[i] === undefined) missing.push(i);
        else {
          map.set(i, kept.length);
          kept.push(a.arr[i]);
        }
      }
      missing.forEach((i, k) => map.set(i, kept.length + k));
      a.parent[a.key] = kept;
      remap.set(a.pointer, map);
    }

    // Rows with no skipped array item (nearly all) keep every column's own pointer: computed once, not per issue.
    const finalPointer = remap.size === 0 ? (m: MappedColumn): string => m.pointer : (m: MappedColumn): string => {
      let orig = '';
      let fin = '';
      for (const step of m.steps) {
        if (step.index) {
          const i = Number(step.key);
          const to = remap.get(orig)?.get(i) ?? i;
          orig += `/${i}`;
          fin += `/${to}`;
        } else {
          orig += `/${step.key}`;
          fin += `/${step.key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
        }
      }
      return fin;
    };

    const issues: IngestIssue[] = [];
    const result = ctx.validator.validate(ctx.form.id, record, { lang: ctx.lang, rules: ctx.rules, normalized: true });
    const failedPointers = failed.size > 0 ? new Set([...failed].map(finalPointer)) : undefined;
    let pointerMap: Map<string, MappedColumn> | undefined;
    const placeOf = (pointer: string): MappedColumn | undefined => {
      pointerMap ??= remap.size === 0 ? (this.plainPointers ??= new Map(this.columns.map((m) => [m.pointer, m]))) : new Map(this.columns.map((m) => [finalPointer(m), m]));
      let p = pointer;
      for (;;) {
        const exact = pointerMap.get(p);
        if (exact) return exact;
        const prefix = `${p}/`;
        for (const [fp, m] of pointerMap) if (fp.startsWith(prefix)) return m;
        // A field whose column is not in the file has no cell; never borrow a neighbour's.
        if (p !== '' && ctx.allPointers.some((a) => a === p || a.startsWith(prefix))) return undefined;
        if (p === '') return undefined;
        p = p.slice(0, p.lastIndexOf('/'));
      }
    };
    // With a group skipped, the record's items are renumbered ("Nhiệm vụ 2") but the cell sits under its sheet
    // header ("Nhiệm vụ 3"): the label follows the sheet, the pointer the record.
    const sheetLabels = (m: MappedColumn, pointer: string) => {
      const depth = pointer === '' ? 0 : pointer.split('/').length - 1;
      const original = m.steps[depth - 1]?.prefix ?? '';
      const labelPath = original === m.pointer ? m.column.labels[ctx.lang] : ctx.validator.labelPath(ctx.form, original, ctx.lang);
      return { labelPath, label: labelPath.join(LABEL_SEPARATOR) };
    };
    const cellRef = (m: MappedColumn) => ({ sheet: ctx.sheet, address: `${m.letter}${row.row}`, row: row.row, column: m.letter, header: m.header });
    const rawAt = (m: MappedColumn) => cutRaw(values.find((v) => v.m === m)?.c.raw);

    for (const { m, c } of values) {
      for (const f of c.findings) {
        const labelPath = m.column.labels[ctx.lang];
        issues.push({
          code: f.code,
          severity: f.severity,
          form: ctx.form.id,
          pointer: finalPointer(m),
          labelPath,
          label: labelPath.join(LABEL_SEPARATOR),
          message: ingestMessage(f.code, ctx.lang, { ...f.params, raw: cutRaw(f.params.raw) }),
          value: cutRaw(c.value),
          params: f.params,
          cell: cellRef(m),
          raw: cutRaw(c.raw),
          row: row.row,
        });
      }
    }
    for (const issue of result.issues) {
      if (failedPointers?.has(issue.pointer)) continue;
      // A required group left wholly blank: the fields it needs, each on its own cell, rather than one cell of it.
      if (issue.code === 'required' && !this.columns.some((m) => finalPointer(m) === issue.pointer)) {
        const prefix = `${issue.pointer}/`;
        const inside = (m: MappedColumn) => finalPointer(m).startsWith(prefix);
        // A cell of the group that was filled but could not be read already has its own error: the group is not blank.
        const needed = this.columns.filter((m) => m.column.requiredInRecord && !failed.has(m) && inside(m));
        if (needed.length > 0 || [...failed].some(inside)) {
          for (const m of needed) {
            const labelPath = m.column.labels[ctx.lang];
            issues.push({ ...issue, pointer: finalPointer(m), labelPath, label: labelPath.join(LABEL_SEPARATOR), cell: cellRef(m), row: row.row });
          }
          continue;
        }
      }
      const m = placeOf(issue.pointer);
      issues.push({
        ...issue,
        ...(m && remap.size > 0 ? sheetLabels(m, issue.pointer) : {}),
        value: cutRaw(issue.value) ?? (typeof issue.value === 'object' ? undefined : issue.value),
        ...(m ? { cell: cellRef(m), raw: rawAt(m) } : {}),
        row: row.row,
      });
    }
    for (const { d, c: mine } of repeated) {
      const theirs = values.find((v) => v.m === d.first)?.c;
      const same = theirs !== undefined && JSON.stringify(theirs.value) === JSON.stringify(mine.value) && mine.value !== undefined;
      if (same) continue;
      const labelPath = d.first.column.labels[ctx.lang];
      const params = { column: d.letter, first: d.first.letter, raw: cutRaw(mine.raw), value: cutRaw(theirs?.raw) ?? '' };
      issues.push({
        code: 'duplicate-column-conflict',
        severity: 'error',
        form: ctx.form.id,
        pointer: finalPointer(d.first),
        labelPath,
        label: labelPath.join(LABEL_SEPARATOR),
        message: ingestMessage('duplicate-column-conflict', ctx.lang, params),
        params,
        cell: { sheet: ctx.sheet, address: `${d.letter}${row.row}`, row: row.row, column: d.letter, header: ctx.mapping.headerText.get(d.col) ?? '' },
        raw: cutRaw(mine.raw),
        row: row.row,
      });
    }
    if (row.hidden) {
      const m = values[0]?.m ?? repeated[0]!.d.first;
      issues.push({
        code: 'hidden-row',
        severity: 'warning',
        form: ctx.form.id,
        pointer: '',
        labelPath: [],
        label: '',
        message: ingestMessage('hidden-row', ctx.lang, { row: row.row }),
        cell: cellRef(m),
        row: row.row,
      });
    }

    const ok = !issues.some((i) => i.severity === 'error');
    const out: RowResult = { sheet: ctx.sheet, row: row.row, index: this.index++, ok, record: (result.record ?? record) as Record<string, unknown>, issues };
    if (issues.length > 0) {
      out.cells = values.map(({ m, c }) => ({ address: `${m.letter}${row.row}`, header: m.header, value: cutRaw(c.raw) ?? null }));
      for (const { d, c } of repeated) out.cells.push({ address: `${d.letter}${row.row}`, header: ctx.mapping.headerText.get(d.col) ?? d.first.header, value: cutRaw(c.raw) ?? null });
    }
    const key = this.keyOf(out.record);
    if (key) {
      out.key = key.key;
      out.keyText = key.text;
    }
    return out;
  }

  /** The person key after normalisation (NFC, spacing, case, tone-mark position), or undefined when a part is missing. */
  keyOf(record: unknown): { key: string; text: string } | undefined {
    if (this.personKey.length === 0) return undefined;
    const parts: string[] = [];
    for (const p of this.personKey) {
      const v = getAt(record, p);
      if (v === undefined || v === null || v === '') return undefined;
      parts.push(normalizeText(String(v)));
    }
    return { key: parts.map(spellingKey).join('\u0000'), text: parts.join(', ') };
  }

  /** Cells of a clean row rebuilt from its record (for a row rejected late, e.g. as a duplicate). */
  cellsFromRecord(record: unknown, row: number, valueOf: (column: SheetColumn, value: unknown) => string | number | undefined): RawCell[] {
    const cells: RawCell[] = [];
    for (const m of this.columns) {
      const v = valueOf(m.column, getAt(record, m.column.pointer));
      if (v !== undefined) cells.push({ address: `${m.letter}${row}`, header: m.header, value: v });
    }
    return cells;
  }

  /** The mapped column at a 0-based file column. */
  columnAt(col: number): MappedColumn | undefined {
    return this.columns.find((c) => c.col === col);
  }
}
