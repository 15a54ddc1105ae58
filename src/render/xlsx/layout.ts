// The document model laid out on a sheet: rows with heights, merged cells with text or live values, drawn rules,
// page breaks and the title rows to repeat. Pure: no exceljs here (see write.ts).
//
// Paragraphs become rows merged across their width; tables become rows of bordered cells on the grid's columns;
// side-by-side blocks (the header halves, the signature block) are laid out column by column and the rows
// follow the union of their item edges, so that items of different heights sit where they do in the DOCX.
import type { Align, Block, CellValue, DocumentModel, Paragraph, Table, VerticalAlign } from '../../model/types.js';
import { FormulaError, r1c1ToA1 } from './formula.js';
import { buildGrid, ruleSpan, splitSpan, type Grid } from './grid.js';
import { numberFormat } from './numfmt.js';
import { CELL_PAD_X, cellText, largestSize, paragraphsOf, paragraphText, sliceRuns, textHeight, wrapLines, type CellText, type StyledRun } from './text.js';

/** Excel's tallest row is 409 pt; longer paragraphs are cut into rows below this. */
const MAX_ROW = 400;
/** Thinnest row kept when side-by-side items are aligned, in points. */
const SNAP = 1.5;
/** One Excel indent level is about 10 px. */
const INDENT_PT = 7.5;

export type PlannedValue =
  | { kind: 'number'; value: number; numFmt?: string }
  | { kind: 'formula'; formula: string; result: number | string; numFmt?: string };

export interface PlannedCell {
  /** 0-based top-left cell and span on the sheet. */
  row: number;
  col: number;
  rows: number;
  cols: number;
  runs: StyledRun[];
  align: Align;
  vertical: VerticalAlign;
  indent: number;
  value?: PlannedValue;
  /** Thin borders on every edge of the range (table cells). */
  border: boolean;
  fill?: string;
}

/** A drawn rule: the bottom edge of `row` from grid column `from` to `to` (exclusive). */
export interface LineMark {
  row: number;
  from: number;
  to: number;
  thickness: number;
}

export interface SheetPlan {
  /** Column widths in points. */
  columns: number[];
  /** Row heights in points. */
  rows: number[];
  cells: PlannedCell[];
  lines: LineMark[];
  /** First and last row (0-based) repeated at the top of each printed page. */
  titleRows?: [number, number];
  /** Rows (0-based) after which a page break is forced. */
  breaks: number[];
  textWidth: number;
}

export class SheetLayoutError extends Error {}

type Item =
  | { kind: 'text'; text: CellText; height: number; vertical: VerticalAlign }
  | { kind: 'line'; from: number; to: number; height: number; thickness: number }
  | { kind: 'gap'; height: number };

function verticalFor(before: number, after: number): VerticalAlign {
  if (before > after + 2) return 'bottom';
  if (after > before + 2) return 'top';
  return 'center';
}

class Planner {
  readonly rows: number[] = [];
  readonly cells: PlannedCell[] = [];
  readonly lines: LineMark[] = [];
  readonly breaks: number[] = [];
  private titles: { rows: [number, number]; weight: number } | undefined;

  constructor(
    private readonly doc: DocumentModel,
    private readonly grid: Grid,
    private readonly textWidth: number,
  ) {}

  width(c0: number, c1: number): number {
    return (this.grid.edges[c1]! - this.grid.edges[c0]!) * this.textWidth;
  }

  private addRow(height: number): number {
    this.rows.push(Math.max(height, 0.75));
    return this.rows.length - 1;
  }

  /** A paragraph's wrapped lines in a span, cut into pieces no taller than a row can be. */
  private paragraphPieces(text: CellText, c0: number, c1: number): Array<{ runs: StyledRun[]; height: number }> {
    const size = largestSize(text.runs, this.doc.styles.body?.size ?? 12);
    const avail = this.width(c0, c1) - 2 * CELL_PAD_X - text.indentLeft;
    const starts = wrapLines(text.runs, avail);
    const spacing = text.spaceBefore + text.spaceAfter;
    if (textHeight(starts.length, size) + spacing <= MAX_ROW) return [{ runs: text.runs, height: textHeight(starts.length, size) + spacing }];
    const perRow = Math.max(1, Math.floor((MAX_ROW - spacing) / textHeight(1, size)));
    const total = text.runs.reduce((n, r) => n + r.text.length, 0);
    const pieces: Array<{ runs: StyledRun[]; height: number }> = [];
    for (let i = 0; i < starts.length; i += perRow) {
      const lines = Math.min(perRow, starts.length - i);
      pieces.push({ runs: sliceRuns(text.runs, starts[i]!, starts[i + perRow] ?? total), height: textHeight(lines, size) + spacing });
    }
    return pieces;
  }

  private textCell(text: CellText, runs: StyledRun[], row: number, rows: number, c0: number, c1: number, vertical: VerticalAlign): void {
    this.cells.push({
      row,
      col: c0,
      rows,
      cols: c1 - c0,
      runs,
      align: text.align,
      vertical,
      indent: Math.min(15, Math.round(text.indentLeft / INDENT_PT)),
      border: false,
    });
  }

  paragraph(p: Paragraph, c0: number, c1: number): void {
    const text = paragraphText(this.doc, p);
    if (text.runs.length === 0) {
      this.addRow(textHeight(1, this.doc.styles[p.style]?.size ?? 12));
      return;
    }
    for (const piece of this.paragraphPieces(text, c0, c1)) {
      const row = this.addRow(piece.height);
      this.textCell(text, piece.runs, row, 1, c0, c1, verticalFor(text.spaceBefore, text.spaceAfter));
    }
  }

  /** Grid columns a rule covers inside the span of grid columns [c0, c1). */
  private ruleColumns(width: number, align: 'left' | 'center' | 'right', c0: number, c1: number): [number, number] {
    const [a, z] = ruleSpan(width, align, [this.grid.edges[c0]!, this.grid.edges[c1]!], this.textWidth);
    let from = Math.max(c0, this.grid.at(a));
    let to = Math.min(c1, this.grid.at(z));
    if (to <= from) {
      if (from < c1) to = from + 1;
      else from = to - 1;
    }
    return [from, to];
  }

  block(b: Block, c0: number, c1: number): void {
    switch (b.kind) {
      case 'paragraph':
        this.paragraph(b, c0, c1);
        break;
      case 'rule': {
        const [from, to] = this.ruleColumns(b.width, b.align, c0, c1);
        const row = this.addRow(Math.max(2, b.spaceBefore));
        this.lines.push({ row, from, to, thickness: b.thickness });
        if (b.spaceAfter >= 1) this.addRow(b.spaceAfter);
        break;
      }
      case 'spacer':
        this.addRow(b.height);
        break;
      case 'signature-space':
        this.addRow(b.height);
        break;
      case 'page-break':
        if (this.rows.length > 0) this.breaks.push(this.rows.length - 1);
        break;
      case 'table':
        this.table(b, c0, c1);
        break;
      case 'columns':
        this.sideBySide(b.widths, b.columns, c0, c1);
        break;
      case 'signature':
        this.sideBySide(b.widths, [b.left, b.right], c0, c1);
        break;
    }
  }

  private table(t: Table, c0: number, c1: number): void {
    const f0 = this.grid.edges[c0]!;
    const f1 = f0 + (t.width ?? 1) * (this.grid.edges[c1]! - f0);
    const colIdx = splitSpan(t.columns, [f0, f1]).map((f) => this.grid.at(f));
    for (let i = 1; i < colIdx.length; i++) if (colIdx[i]! <= colIdx[i - 1]!) colIdx[i] = colIdx[i - 1]! + 1;
    const nCols = Math.max(t.columns.length, 1);
    const first = this.rows.length;
    const padX = t.padding?.x ?? CELL_PAD_X;
    const padY = t.padding?.y ?? 0;
    const placed: Array<{ cell: PlannedCell; height: number }> = [];
    const carry = new Array<number>(nCols).fill(0);
    t.rows.forEach((row, r) => {
      this.addRow(0);
      let c = 0;
      for (const cell of row.cells) {
        while (c < nCols && carry[c]! > 0) c++;
        if (c >= nCols) break;
        const span = Math.max(1, Math.min(cell.colSpan ?? 1, nCols - c));
        const rowSpan = Math.max(1, Math.min(cell.rowSpan ?? 1, t.rows.length - r));
        const text = cellText(this.doc, paragraphsOf(cell.blocks));
        const g0 = colIdx[c]!;
        const g1 = colIdx[c + span]!;
        const size = largestSize(text.runs, this.doc.styles.cell?.size ?? 12);
        const lines = text.runs.length ? wrapLines(text.runs, this.width(g0, g1) - 2 * padX - text.indentLeft).length : 1;
        const planned: PlannedCell = {
          row: first + r,
          col: g0,
          rows: rowSpan,
          cols: g1 - g0,
          runs: text.runs,
          align: cell.align ?? text.align,
          vertical: cell.verticalAlign ?? 'center',
          indent: Math.min(15, Math.round(text.indentLeft / INDENT_PT)),
          border: t.borders,
          ...(cell.shading ? { fill: cell.shading } : {}),
        };
        if (cell.value) planned.value = this.value(cell.value, r, c, { rows: t.rows.length, cols: nCols }, first, colIdx);
        placed.push({ cell: planned, height: Math.min(MAX_ROW, textHeight(lines, size) + 2 * padY) });
        for (let k = c; k < c + span; k++) carry[k] = rowSpan;
        c += span;
      }
      for (let k = 0; k < nCols; k++) if (carry[k]! > 0) carry[k]!--;
    });
    for (const p of placed) if (p.cell.rows === 1) this.rows[p.cell.row] = Math.max(this.rows[p.cell.row]!, p.height);
    for (const p of placed) {
      if (p.cell.rows === 1) continue;
      let have = 0;
      for (let k = p.cell.row; k < p.cell.row + p.cell.rows; k++) have += this.rows[k]!;
      const last = p.cell.row + p.cell.rows - 1;
      if (p.height > have) this.rows[last] = Math.min(MAX_ROW, this.rows[last]! + p.height - have);
    }
    for (let r = first; r < this.rows.length; r++) if (this.rows[r]! < 1) this.rows[r] = textHeight(1, this.doc.styles.cell?.size ?? 12);
    this.cells.push(...placed.map((p) => p.cell));
    if (t.headerRows > 0 && t.headerRows < t.rows.length && (!this.titles || t.rows.length > this.titles.weight)) {
      this.titles = { rows: [first, first + t.headerRows - 1], weight: t.rows.length };
    }
  }

  private value(v: CellValue, r: number, c: number, size: { rows: number; cols: number }, first: number, colIdx: number[]): PlannedValue {
    const lang = this.doc.meta.language;
    if (v.kind === 'number') {
      const numFmt = numberFormat(v.numberFormat, v.value, lang);
      return { kind: 'number', value: v.value, ...(numFmt ? { numFmt } : {}) };
    }
    let formula: string;
    try {
      formula = r1c1ToA1(v.formula, r, c, { row: (tr) => first + tr, col: (tc) => colIdx[tc]! }, size);
    } catch (e) {
      if (e instanceof FormulaError) throw new SheetLayoutError(`table cell at row ${r + 1}, column ${c + 1}: ${e.message}`);
      throw e;
    }
    const numFmt = numberFormat(v.numberFormat, v.result, lang);
    return { kind: 'formula', formula, result: v.result, ...(numFmt ? { numFmt } : {}) };
  }

  /** Items of one side-by-side column, each with its height, in order. */
  private items(blocks: Block[], c0: number, c1: number, out: Item[] = []): Item[] {
    for (const b of blocks) {
      switch (b.kind) {
        case 'paragraph': {
          const text = paragraphText(this.doc, b);
          if (text.runs.length === 0) {
            out.push({ kind: 'gap', height: textHeight(1, this.doc.styles[b.style]?.size ?? 12) });
            break;
          }
          const [piece] = this.paragraphPieces(text, c0, c1);
          out.push({ kind: 'text', text, height: piece!.height, vertical: verticalFor(text.spaceBefore, text.spaceAfter) });
          break;
        }
        case 'rule': {
          const [from, to] = this.ruleColumns(b.width, b.align, c0, c1);
          out.push({ kind: 'line', from, to, height: Math.max(3, b.spaceBefore), thickness: b.thickness });
          if (b.spaceAfter >= 1) out.push({ kind: 'gap', height: b.spaceAfter });
          break;
        }
        case 'spacer':
        case 'signature-space':
          out.push({ kind: 'gap', height: b.height });
          break;
        case 'columns':
          for (const col of b.columns) this.items(col, c0, c1, out);
          break;
        case 'signature':
          this.items([...b.left, ...b.right], c0, c1, out);
          break;
        case 'table': {
          const text = cellText(this.doc, paragraphsOf([b]));
          const [piece] = this.paragraphPieces(text, c0, c1);
          if (piece) out.push({ kind: 'text', text, height: piece.height, vertical: 'top' });
          break;
        }
        case 'page-break':
          break;
      }
    }
    return out;
  }

  private sideBySide(widths: number[], columns: Block[][], c0: number, c1: number): void {
    const edges = splitSpan(widths, [this.grid.edges[c0]!, this.grid.edges[c1]!]).map((f) => this.grid.at(f));
    const stacks = columns.map((blocks, i) => {
      const a = edges[i]!;
      const z = Math.max(edges[i + 1]!, a + 1);
      return { a, z, items: this.items(blocks, a, z) };
    });
    // Row edges: every item edge of every column, snapped so that no row is thinner than SNAP.
    const cuts = new Set<number>([0]);
    for (const s of stacks) {
      let y = 0;
      for (const it of s.items) cuts.add((y += it.height));
    }
    const sorted = [...cuts].sort((a, b) => a - b);
    const kept: number[] = [];
    for (const y of sorted) if (kept.length === 0 || y - kept[kept.length - 1]! >= SNAP) kept.push(y);
    if (kept.length === 1) return;
    const nearest = (y: number) => kept.reduce((best, k, i) => (Math.abs(k - y) < Math.abs(kept[best]! - y) ? i : best), 0);
    const first = this.rows.length;
    for (let i = 1; i < kept.length; i++) this.addRow(kept[i]! - kept[i - 1]!);
    for (const s of stacks) {
      let y = 0;
      for (const it of s.items) {
        const r0 = nearest(y);
        const r1 = Math.max(nearest((y += it.height)), r0 + 1);
        if (it.kind === 'text') this.textCell(it.text, it.text.runs, first + r0, r1 - r0, s.a, s.z, it.vertical);
        else if (it.kind === 'line') this.lines.push({ row: first + r1 - 1, from: it.from, to: it.to, thickness: it.thickness });
      }
    }
  }

  titleRows(): [number, number] | undefined {
    return this.titles?.rows;
  }
}

/** Lays a document model out on one sheet. */
export function planSheet(doc: DocumentModel): SheetPlan {
  const textWidth = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const grid = buildGrid(doc.body, textWidth);
  const planner = new Planner(doc, grid, textWidth);
  const last = grid.edges.length - 1;
  for (const b of doc.body) planner.block(b, 0, last);
  const columns: number[] = [];
  for (let i = 0; i < last; i++) columns.push((grid.edges[i + 1]! - grid.edges[i]!) * textWidth);
  const titleRows = planner.titleRows();
  return { columns, rows: planner.rows, cells: planner.cells, lines: planner.lines, breaks: planner.breaks, textWidth, ...(titleRows ? { titleRows } : {}) };
}
