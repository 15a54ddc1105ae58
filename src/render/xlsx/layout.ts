// The document model laid out on a sheet: rows with heights, merged cells with text or live values, drawn rules,
// page breaks and the title rows to repeat. Pure: no exceljs here (see write.ts).
//
// Paragraphs become rows merged across their width; tables become rows of bordered cells on the grid's columns;
// side-by-side blocks (the header halves, the signature block) are laid out column by column and the rows
// follow the union of their item edges, so that items of different heights sit where they do in the DOCX.
//
// Pages are broken here, as the PDF writer does, with manual breaks: a heading keeps with what follows, a
// signature block with what precedes it, rows held by a row span stay together, and a table's header stays with
// its first row. A table that continues on a new page gets its header again: through the sheet's print titles
// when it is the only table that continues and nothing after it starts a page (the common single-table form,
// which then stays right when rows are edited), else by repeating the header rows on the sheet.
import type { Align, Block, CellValue, DocumentModel, Paragraph, Table, TableCell, VerticalAlign } from '../../model/types.js';
import { FormulaError, r1c1ToA1 } from './formula.js';
import { effectiveParagraph } from '../../model/effective.js';
import { buildGrid, ruleSpan, splitSpan, type Grid } from './grid.js';
import { numberFormat } from './numfmt.js';
import { CELL_PAD_X, cellText, fitLines, largestSize, paragraphsOf, paragraphText, sliceRuns, textHeight, type CellText, type StyledRun } from './text.js';

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
  /** One line, shrunk by the program if it does not quite fit (instead of wrapping). */
  shrink?: boolean;
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
  /** Rows (0-based) that repeat a table's header on a new page (the copies are text only). */
  repeatedHeaderRows: number[];
  textWidth: number;
}

/** How a table that continues on a new page shows its header. */
type HeaderMode = { kind: 'repeat' } | { kind: 'titles'; table: number };

export class SheetLayoutError extends Error {}

interface TableItem {
  r: number;
  c: number;
  rowSpan: number;
  cell: TableCell;
  text: CellText;
  g0: number;
  g1: number;
  height: number;
  shrink: boolean;
}

type Item =
  | { kind: 'text'; text: CellText; height: number; vertical: VerticalAlign; shrink?: boolean }
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
  readonly repeated: number[] = [];
  /** Tables (by order of appearance) that continued on a new page. */
  readonly crossing: number[] = [];
  /** Last sheet row of each table, by order of appearance. */
  readonly tableEnds: number[] = [];
  /** Tables that have header rows. */
  readonly headed: number[] = [];
  private titles: [number, number] | undefined;
  private titleHeight = 0;
  private tables = 0;
  /** Height used on the current page, and the row that starts it. */
  private y = 0;
  private pageStart = 0;
  /** First row of the current run of keep-with-next blocks, and of the block before the current one. */
  private keepStart: number | undefined;
  private prevStart: number | undefined;

  constructor(
    private readonly doc: DocumentModel,
    private readonly grid: Grid,
    private readonly textWidth: number,
    private readonly capacity: number,
    private readonly mode: HeaderMode,
  ) {}

  width(c0: number, c1: number): number {
    return (this.grid.edges[c1]! - this.grid.edges[c0]!) * this.textWidth;
  }

  private addRow(height: number): number {
    const h = Math.max(height, 0.75);
    this.rows.push(h);
    this.y += h;
    return this.rows.length - 1;
  }

  /** Starts a new page before `row` (the rows from `row` on move to it). */
  private breakBefore(row: number): void {
    if (row <= this.pageStart || row <= 0) return;
    this.breaks.push(row - 1);
    this.pageStart = row;
    this.y = (this.titles && this.titles[1] < row ? this.titleHeight : 0) + this.rows.slice(row).reduce((a, b) => a + b, 0);
  }

  /**
   * Makes room for `height` more points on the current page: breaks the page when they do not fit, before the
   * run of keep-with-next blocks leading here (or before the previous block, for blocks that keep with it).
   */
  private room(height: number, keepWithPrevious = false): void {
    if (this.y <= 0 || this.y + height <= this.capacity) return;
    const here = this.rows.length;
    let at = here;
    if (this.keepStart !== undefined && this.keepStart > this.pageStart) at = this.keepStart;
    if (keepWithPrevious && this.prevStart !== undefined && this.prevStart > this.pageStart) at = Math.min(at, this.prevStart);
    this.breakBefore(at);
    // The kept blocks moved too; if they and this one still overflow a whole page, break right here instead.
    if (at < here && this.y + height > this.capacity) this.breakBefore(here);
  }

  /** Bookkeeping after a top-level block: the keep-with-next run and where the block began. */
  private placed(start: number, keepWithNext: boolean): void {
    if (keepWithNext) this.keepStart ??= start;
    else this.keepStart = undefined;
    this.prevStart = start;
  }

  /** A paragraph's wrapped lines in a span, cut into pieces no taller than a row can be. */
  private paragraphPieces(text: CellText, c0: number, c1: number): Array<{ runs: StyledRun[]; height: number; shrink?: boolean }> {
    const size = largestSize(text.runs, this.doc.styles.body?.size ?? 12);
    const avail = this.width(c0, c1) - 2 * CELL_PAD_X - text.indentLeft;
    const { starts, shrink } = fitLines(text.runs, avail);
    const spacing = text.spaceBefore + text.spaceAfter;
    if (textHeight(starts.length, size) + spacing <= MAX_ROW) return [{ runs: text.runs, height: textHeight(starts.length, size) + spacing, shrink }];
    const perRow = Math.max(1, Math.floor((MAX_ROW - spacing) / textHeight(1, size)));
    const total = text.runs.reduce((n, r) => n + r.text.length, 0);
    const pieces: Array<{ runs: StyledRun[]; height: number }> = [];
    for (let i = 0; i < starts.length; i += perRow) {
      const lines = Math.min(perRow, starts.length - i);
      pieces.push({ runs: sliceRuns(text.runs, starts[i]!, starts[i + perRow] ?? total), height: textHeight(lines, size) + spacing });
    }
    return pieces;
  }

  private textCell(text: CellText, runs: StyledRun[], row: number, rows: number, c0: number, c1: number, vertical: VerticalAlign, shrink = false): void {
    this.cells.push({
      ...(shrink ? { shrink } : {}),
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
      const h = textHeight(1, this.doc.styles[p.style]?.size ?? 12);
      this.room(h);
      this.addRow(h);
      return;
    }
    for (const piece of this.paragraphPieces(text, c0, c1)) {
      this.room(piece.height);
      const row = this.addRow(piece.height);
      this.textCell(text, piece.runs, row, 1, c0, c1, verticalFor(text.spaceBefore, text.spaceAfter), piece.shrink);
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

  /** A top-level block, with page breaking. */
  block(b: Block, c0: number, c1: number): void {
    const start = this.rows.length;
    let keep = false;
    switch (b.kind) {
      case 'paragraph':
        keep = effectiveParagraph(this.doc, b).keepWithNext;
        this.paragraph(b, c0, c1);
        break;
      case 'rule': {
        // A rule belongs to the line above it: it never starts a page.
        const [from, to] = this.ruleColumns(b.width, b.align, c0, c1);
        const h = Math.max(2, b.spaceBefore);
        this.room(h + b.spaceAfter, true);
        const row = this.addRow(h);
        this.lines.push({ row, from, to, thickness: b.thickness });
        if (b.spaceAfter >= 1) this.addRow(b.spaceAfter);
        keep = this.keepStart !== undefined;
        break;
      }
      case 'spacer':
      case 'signature-space':
        if (this.y > 0 && this.y + b.height > this.capacity) this.breakBefore(this.rows.length);
        else this.addRow(b.height);
        break;
      case 'page-break':
        this.breakBefore(this.rows.length);
        break;
      case 'table':
        this.table(b, c0, c1);
        break;
      case 'columns':
        this.sideBySide(b.widths, b.columns, c0, c1, false);
        break;
      case 'signature':
        this.sideBySide(b.widths, [b.left, b.right], c0, c1, true);
        break;
    }
    this.placed(start, keep);
  }

  private table(t: Table, c0: number, c1: number): void {
    const index = this.tables++;
    const f0 = this.grid.edges[c0]!;
    const f1 = f0 + (t.width ?? 1) * (this.grid.edges[c1]! - f0);
    const colIdx = splitSpan(t.columns, [f0, f1]).map((f) => this.grid.at(f));
    for (let i = 1; i < colIdx.length; i++) if (colIdx[i]! <= colIdx[i - 1]!) colIdx[i] = colIdx[i - 1]! + 1;
    const nCols = Math.max(t.columns.length, 1);
    const nRows = t.rows.length;
    if (nRows === 0) return;
    const padY = t.padding?.y ?? 0;
    const cellSize = this.doc.styles.cell?.size ?? 12;

    // Cells in table coordinates, with the height each needs.
    const cells: TableItem[] = [];
    const carry = new Array<number>(nCols).fill(0);
    t.rows.forEach((row, r) => {
      let c = 0;
      for (const cell of row.cells) {
        while (c < nCols && carry[c]! > 0) c++;
        if (c >= nCols) break;
        const span = Math.max(1, Math.min(cell.colSpan ?? 1, nCols - c));
        const rowSpan = Math.max(1, Math.min(cell.rowSpan ?? 1, nRows - r));
        const text = cellText(this.doc, paragraphsOf(cell.blocks));
        const g0 = colIdx[c]!;
        const g1 = colIdx[c + span]!;
        const fit = text.runs.length ? fitLines(text.runs, this.width(g0, g1) - 2 * CELL_PAD_X - text.indentLeft) : { lines: 1, shrink: false };
        const height = Math.min(MAX_ROW, textHeight(fit.lines, largestSize(text.runs, cellSize)) + 2 * padY);
        cells.push({ r, c, rowSpan, cell, text, g0, g1, height, shrink: fit.shrink });
        for (let k = c; k < c + span; k++) carry[k] = rowSpan;
        c += span;
      }
      for (let k = 0; k < nCols; k++) if (carry[k]! > 0) carry[k]!--;
    });

    // Row heights: the tallest single-row cell; a spanning cell stretches the last row it covers.
    const heights = new Array<number>(nRows).fill(textHeight(1, cellSize));
    for (const x of cells) if (x.rowSpan === 1) heights[x.r] = Math.max(heights[x.r]!, x.height);
    for (const x of cells) {
      if (x.rowSpan === 1) continue;
      let have = 0;
      for (let k = x.r; k < x.r + x.rowSpan; k++) have += heights[k]!;
      const last = x.r + x.rowSpan - 1;
      if (x.height > have) heights[last] = Math.min(MAX_ROW, heights[last]! + x.height - have);
    }
    const header = Math.min(Math.max(t.headerRows, 0), nRows - 1);
    // Groups of rows a row span holds together, after the header rows.
    const groups: Array<[number, number]> = [];
    for (let r = header; r < nRows; ) {
      let end = r;
      for (let k = r; k <= end; k++) for (const x of cells) if (x.r === k) end = Math.max(end, x.r + x.rowSpan - 1);
      groups.push([r, end]);
      r = end + 1;
    }
    const height = (a: number, z: number) => heights.slice(a, z + 1).reduce((x, y) => x + y, 0);
    const sheetRow = new Array<number>(nRows);
    const emit = (x: TableItem): PlannedCell => {
      const cell = x.cell;
      const planned: PlannedCell = {
        row: sheetRow[x.r]!,
        col: x.g0,
        rows: sheetRow[x.r + x.rowSpan - 1]! - sheetRow[x.r]! + 1,
        cols: x.g1 - x.g0,
        runs: x.text.runs,
        align: cell.align ?? x.text.align,
        vertical: cell.verticalAlign ?? 'center',
        indent: Math.min(15, Math.round(x.text.indentLeft / INDENT_PT)),
        border: t.borders,
        ...(cell.shading ? { fill: cell.shading } : {}),
        ...(x.shrink ? { shrink: true } : {}),
      };
      if (cell.value) planned.value = this.value(cell.value, x.r, x.c, { rows: nRows, cols: nCols }, sheetRow, colIdx);
      return planned;
    };
    const titled = this.mode.kind === 'titles' && this.mode.table === index && header > 0;
    if (header > 0) this.headed.push(index);

    // The header and the first body rows start the table together.
    const firstGroup = groups[0];
    this.room(height(0, header - 1) + (firstGroup ? height(firstGroup[0], firstGroup[1]) : 0));
    for (let r = 0; r < header; r++) sheetRow[r] = this.addRow(heights[r]!);
    const headerCells = cells.filter((x) => x.r < header).map(emit);
    this.cells.push(...headerCells);
    if (titled) {
      this.titles = [sheetRow[0]!, sheetRow[header - 1]!];
      this.titleHeight = height(0, header - 1);
    }
    groups.forEach(([a, z], i) => {
      if (i > 0 && this.y > 0 && this.y + height(a, z) > this.capacity) {
        this.breakBefore(this.rows.length);
        if (!this.crossing.includes(index)) this.crossing.push(index);
        // Without print titles, the header is written again at the top of the new page, as text.
        if (!titled && header > 0) {
          const first = this.rows.length;
          for (let r = 0; r < header; r++) this.repeated.push(this.addRow(heights[r]!));
          for (const c of headerCells) this.cells.push({ ...c, row: first + (c.row - sheetRow[0]!), value: undefined });
        }
      }
      for (let r = a; r <= z; r++) sheetRow[r] = this.addRow(heights[r]!);
    });
    this.tableEnds[index] = sheetRow[nRows - 1]!;
    for (const x of cells) if (x.r >= header) this.cells.push(emit(x));
  }

  private value(v: CellValue, r: number, c: number, size: { rows: number; cols: number }, sheetRow: number[], colIdx: number[]): PlannedValue {
    const lang = this.doc.meta.language;
    if (v.kind === 'number') {
      const numFmt = numberFormat(v.numberFormat, v.value, lang);
      return { kind: 'number', value: v.value, ...(numFmt ? { numFmt } : {}) };
    }
    let formula: string;
    try {
      formula = r1c1ToA1(v.formula, r, c, { row: (tr) => sheetRow[tr]!, col: (tc) => colIdx[tc]! }, size);
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
          out.push({ kind: 'text', text, height: piece!.height, vertical: verticalFor(text.spaceBefore, text.spaceAfter), ...(piece!.shrink ? { shrink: true } : {}) });
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

  private sideBySide(widths: number[], columns: Block[][], c0: number, c1: number, keepWithPrevious: boolean): void {
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
    // Kept whole on one page, as the DOCX keeps the header and the signature block.
    this.room(kept[kept.length - 1]!, keepWithPrevious);
    const nearest = (y: number) => kept.reduce((best, k, i) => (Math.abs(k - y) < Math.abs(kept[best]! - y) ? i : best), 0);
    const first = this.rows.length;
    for (let i = 1; i < kept.length; i++) this.addRow(kept[i]! - kept[i - 1]!);
    for (const s of stacks) {
      let y = 0;
      for (const it of s.items) {
        const r0 = nearest(y);
        const r1 = Math.max(nearest((y += it.height)), r0 + 1);
        if (it.kind === 'text') this.textCell(it.text, it.text.runs, first + r0, r1 - r0, s.a, s.z, it.vertical, it.shrink);
        else if (it.kind === 'line') this.lines.push({ row: first + r1 - 1, from: it.from, to: it.to, thickness: it.thickness });
      }
    }
  }

  titleRows(): [number, number] | undefined {
    return this.titles;
  }
}

/** Share of the printable height filled before breaking: programs round row heights and scales a little. */
const PAGE_SAFETY = 0.97;

/** Lays a document model out on one sheet. */
export function planSheet(doc: DocumentModel): SheetPlan {
  const textWidth = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const capacity = (doc.page.height - doc.page.margins.top - doc.page.margins.bottom) * PAGE_SAFETY;
  const grid = buildGrid(doc.body, textWidth);
  const last = grid.edges.length - 1;
  const run = (mode: HeaderMode) => {
    const planner = new Planner(doc, grid, textWidth, capacity, mode);
    for (const b of doc.body) planner.block(b, 0, last);
    return planner;
  };
  let planner = run({ kind: 'repeat' });
  // Print titles repeat on every page after the first: right only when the one table that continues (or the
  // only table with a header, when none continues yet) starts on the first page and every later page starts
  // inside it.
  const table = planner.crossing.length === 1 ? planner.crossing[0] : planner.crossing.length === 0 && planner.headed.length === 1 ? planner.headed[0] : undefined;
  if (table !== undefined) {
    const titled = run({ kind: 'titles', table });
    const rows = titled.titleRows();
    const end = titled.tableEnds[table]!;
    if (rows && titled.crossing.length === planner.crossing.length && titled.breaks.every((b) => b >= rows[1] && b < end)) planner = titled;
  }
  const columns: number[] = [];
  for (let i = 0; i < last; i++) columns.push((grid.edges[i + 1]! - grid.edges[i]!) * textWidth);
  const titleRows = planner.titleRows();
  return {
    columns,
    rows: planner.rows,
    cells: planner.cells,
    lines: planner.lines,
    breaks: planner.breaks,
    repeatedHeaderRows: planner.repeated,
    textWidth,
    ...(titleRows ? { titleRows } : {}),
  };
}
