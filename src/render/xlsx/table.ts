// A table as units of the page flow: one per group of rows that a row span holds together. Heights follow the
// PDF writer (cell padding, the paragraphs' own line spacing, the border's width); cell text is set at the top
// unless the model says otherwise, and left-aligned text in bordered cells is indented off the border (unless
// that alone would cost a page: see `loose`). The cells are written once the rows are on the sheet, since
// formulas name the sheet rows of other table rows.
import type { CellValue, Paragraph, Table, TableCell } from '../../model/types.js';
import type { Unit } from './flow.js';
import { FormulaError, r1c1ToA1 } from './formula.js';
import { splitSpan } from './grid.js';
import { numberFormat } from './numfmt.js';
import { SheetLayoutError, type PlanContext, type PlannedCell, type PlannedValue } from './plan.js';
import { fitLines, joinTexts, lineHeight, paragraphText, paragraphsOf, stackHeight, type CellText } from './text.js';

interface Placed {
  r: number;
  c: number;
  rowSpan: number;
  cell: TableCell;
  text: CellText | undefined;
  g0: number;
  g1: number;
  indent: number;
  height: number;
  shrink: boolean;
  /** Height the cell has in the PDF. */
  pdfHeight: number;
  /** The cell without the indent that keeps it off the border, when that indent costs it a line. */
  loose?: { indent: number; height: number; shrink: boolean };
}

export interface TableLayout {
  /** Row groups in order; the first `headerUnits` hold the header rows. */
  units: Unit[];
  headerUnits: number;
  /** Number of header rows (those of the first `headerUnits` units), written again above a continued table. */
  headerRows: number;
  /** Some row is taller than in the PDF only for the indent that keeps its text off the border. */
  loosens: boolean;
  /** The cells, given the first sheet row of each unit and the sheet rows where the header was copied. */
  cells(first: (unit: number) => number, copies: number[]): PlannedCell[];
}

export function layoutTable(ctx: PlanContext, t: Table, index: number, c0: number, c1: number, loose = false): TableLayout | undefined {
  const { grid, layout } = ctx;
  const nRows = t.rows.length;
  if (nRows === 0) return undefined;
  const f0 = grid.edges[c0]!;
  const f1 = f0 + (t.width ?? 1) * (grid.edges[c1]! - f0);
  const colIdx = splitSpan(t.columns, [f0, f1]).map((f) => grid.at(f));
  for (let i = 1; i < colIdx.length; i++) if (colIdx[i]! <= colIdx[i - 1]!) colIdx[i] = colIdx[i - 1]! + 1;
  const nCols = Math.max(t.columns.length, 1);
  const padX = t.padding?.x ?? layout.pdfCellPadX;
  const padY = t.padding?.y ?? 0;
  const band = t.borders ? layout.borderBand : 0;
  const empty = emptyHeight(ctx, t);

  // Cells in table coordinates, with the height each needs.
  const placed: Placed[] = [];
  const carry = new Array<number>(nCols).fill(0);
  t.rows.forEach((row, r) => {
    let c = 0;
    for (const cell of row.cells) {
      while (c < nCols && carry[c]! > 0) c++;
      if (c >= nCols) break;
      const span = Math.max(1, Math.min(cell.colSpan ?? 1, nCols - c));
      const rowSpan = Math.max(1, Math.min(cell.rowSpan ?? 1, nRows - r));
      const texts = paragraphsOf(cell.blocks).map((p) => paragraphText(ctx.doc, p));
      const text = joinTexts(texts);
      const g0 = colIdx[c]!;
      const g1 = colIdx[c + span]!;
      const align = cell.align ?? text?.align ?? 'left';
      const limit = text ? ctx.pdfArea(g0, g1, text, padX) : ctx.textArea(g0, g1, 0);
      const measure = (indent: number) => {
        const area = ctx.textArea(g0, g1, indent);
        const content = texts.length > 0 ? stackHeight(texts, area, layout, limit) : empty;
        const shrink = texts.length === 1 && text !== undefined && fitLines(text.runs, area, layout, limit).shrink;
        return { indent, height: Math.min(layout.maxRow, content + 2 * padY + band), shrink };
      };
      const kept = measure(text ? ctx.indentOf(text, align, t.borders) : 0);
      const pdfHeight = Math.min(layout.maxRow, (texts.length > 0 ? stackHeight(texts, limit, layout, limit) : empty) + 2 * padY + band);
      const own = text ? ctx.indentOf(text, align, false) : 0;
      const bare = kept.indent > own && kept.height > pdfHeight + 0.01 ? measure(own) : undefined;
      placed.push({ r, c, rowSpan, cell, text, g0, g1, ...kept, pdfHeight, ...(bare && bare.height < kept.height ? { loose: bare } : {}) });
      for (let k = c; k < c + span; k++) carry[k] = rowSpan;
      c += span;
    }
    for (let k = 0; k < nCols; k++) if (carry[k]! > 0) carry[k]!--;
  });

  // Where the indent off the border makes a row taller than in the PDF, the text may do without it (keeping
  // the program's own small cell margin): `loose` layouts do, when the plan would otherwise take a page more.
  const pdfRows = new Array<number>(nRows).fill(empty + 2 * padY + band);
  for (const x of placed) if (x.rowSpan === 1) pdfRows[x.r] = Math.max(pdfRows[x.r]!, x.pdfHeight);
  let loosens = false;
  for (const x of placed) {
    const limit = x.rowSpan === 1 ? pdfRows[x.r]! : x.pdfHeight;
    if (!x.loose || x.height <= limit + 0.01) continue;
    loosens = true;
    if (loose) Object.assign(x, x.loose);
  }

  // Row heights: the tallest single-row cell; a spanning cell stretches the last row it covers.
  const heights = new Array<number>(nRows).fill(empty + 2 * padY + band);
  for (const x of placed) if (x.rowSpan === 1) heights[x.r] = Math.max(heights[x.r]!, x.height);
  for (const x of placed) {
    if (x.rowSpan === 1) continue;
    let have = 0;
    for (let k = x.r; k < x.r + x.rowSpan; k++) have += heights[k]!;
    const last = x.r + x.rowSpan - 1;
    if (x.height > have) heights[last] = Math.min(layout.maxRow, heights[last]! + x.height - have);
  }
  // The table's bottom border takes its width below the last row.
  heights[nRows - 1]! += band;

  // Groups of rows a row span holds together.
  const groups: Array<[number, number]> = [];
  for (let r = 0; r < nRows; ) {
    let end = r;
    for (let k = r; k <= end; k++) for (const x of placed) if (x.r === k) end = Math.max(end, x.r + x.rowSpan - 1);
    groups.push([r, end]);
    r = end + 1;
  }
  const headerRows = Math.min(Math.max(t.headerRows, 0), nRows - 1);
  const headerUnits = groups.filter(([, end]) => end < headerRows).length;
  const units: Unit[] = groups.map(([a, z], i) => ({
    rows: heights.slice(a, z + 1),
    spaceBefore: 0,
    spaceAfter: 0,
    // Header rows stay together and with the first body rows (src/render/pdf/grid/repeated.ts).
    breakBefore: !(i > 0 && i <= headerUnits),
    stretches: false,
    ...(headerUnits > 0 && i >= headerUnits ? { repeat: index } : {}),
  }));
  const headerCount = headerUnits > 0 ? groups[headerUnits - 1]![1] + 1 : 0;

  const groupOf = new Array<number>(nRows);
  groups.forEach(([a, z], i) => {
    for (let r = a; r <= z; r++) groupOf[r] = i;
  });
  const cells = (first: (unit: number) => number, copies: number[]): PlannedCell[] => {
    const sheetRow = (r: number) => first(groupOf[r]!) + r - groups[groupOf[r]!]![0];
    const rowsOf = Array.from({ length: nRows }, (_, r) => sheetRow(r));
    const emit = (x: Placed, withValue: boolean, row0 = rowsOf[x.r]!): PlannedCell => {
      const cell = x.cell;
      const planned: PlannedCell = {
        row: row0,
        col: x.g0,
        rows: rowsOf[x.r + x.rowSpan - 1]! - rowsOf[x.r]! + 1,
        cols: x.g1 - x.g0,
        runs: x.text?.runs ?? [],
        align: cell.align ?? x.text?.align ?? 'left',
        vertical: cell.verticalAlign ?? 'top',
        indent: x.indent,
        border: t.borders,
        ...(cell.shading ? { fill: cell.shading } : {}),
        ...(x.shrink ? { shrink: true } : {}),
      };
      if (withValue && cell.value) planned.value = value(ctx, cell.value, x.r, x.c, { rows: nRows, cols: nCols }, rowsOf, colIdx);
      return planned;
    };
    const out = placed.map((x) => emit(x, true));
    // A copied header is text only: SUM over the column skips it.
    for (const at of copies) for (const x of placed) if (x.r < headerCount) out.push(emit(x, false, at + rowsOf[x.r]! - rowsOf[0]!));
    return out;
  };
  return { units, headerUnits, headerRows: headerCount, loosens, cells };
}

/** An empty cell is as tall as an empty paragraph in the table's first paragraph style (as the PDF has it). */
function emptyHeight(ctx: PlanContext, t: Table): number {
  let first: Paragraph | undefined;
  for (const row of t.rows) for (const cell of row.cells) first ??= cell.blocks.find((b): b is Paragraph => b.kind === 'paragraph');
  const style = first?.style ?? (ctx.doc.styles.body ? 'body' : Object.keys(ctx.doc.styles)[0]);
  if (!style) return 0;
  const text = paragraphText(ctx.doc, { kind: 'paragraph', style, runs: [] });
  return text.spaceBefore + lineHeight(text, ctx.layout) + text.spaceAfter;
}

function value(
  ctx: PlanContext,
  v: CellValue,
  r: number,
  c: number,
  size: { rows: number; cols: number },
  sheetRow: number[],
  colIdx: number[],
): PlannedValue {
  const lang = ctx.doc.meta.language;
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
