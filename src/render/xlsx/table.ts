// A table as units of the page flow: one per group of rows that a row span holds together. Heights follow the
// PDF writer (cell padding, the paragraphs' own line spacing, the border's width); cell text is set at the top
// unless the model says otherwise, and left-aligned text in bordered cells is indented off the border (unless
// that alone would cost a page: see `loose`). The cells are written once the rows are on the sheet, since
// formulas name the sheet rows of other table rows.
//
// Excel's rows stop at 409 pt: a body row that needs more becomes several sheet rows. Its tall cells are cut
// into pieces of whole lines (between paragraphs where that leaves the piece at least half full), one piece per
// sheet row; the other cells are merged down those rows, so that the table still reads as one row, and no
// border is drawn between the pieces. Each piece is a unit of the page flow: a page may end between them, and
// the cells are closed at the page's foot and top, as the PDF closes a row split across pages.
import type { CellValue, Paragraph, Table, TableCell } from '../../model/types.js';
import type { Unit } from './flow.js';
import { FormulaError, r1c1ToA1 } from './formula.js';
import { splitSpan } from './grid.js';
import { numberFormat } from './numfmt.js';
import { SheetLayoutError, type PlanContext, type PlannedCell, type PlannedValue } from './plan.js';
import { fitLines, joinTexts, lineHeight, paragraphText, paragraphsOf, sliceRuns, stackHeight, stackLines, type CellText, type StyledRun } from './text.js';

interface Placed {
  r: number;
  c: number;
  rowSpan: number;
  cell: TableCell;
  text: CellText | undefined;
  /** The cell's paragraphs, and the width their first line has in the PDF (for cutting a tall cell). */
  texts: CellText[];
  limit: number;
  g0: number;
  g1: number;
  indent: number;
  height: number;
  /** Height the cell needs, beyond a sheet row's limit. */
  full: number;
  shrink: boolean;
  /** Height the cell has in the PDF. */
  pdfHeight: number;
  /** The cell without the indent that keeps it off the border, when that indent costs it a line. */
  loose?: { indent: number; height: number; full: number; shrink: boolean };
}

/** A piece of a cell's text, one sheet row tall (the last piece of a cell runs down to its row's last one). */
interface Piece {
  runs: StyledRun[];
  height: number;
}

export interface TableLayout {
  /** Row groups in order; the first `headerUnits` hold the header rows. */
  units: Unit[];
  headerUnits: number;
  /** Number of header rows (those of the first `headerUnits` units), written again above a continued table. */
  headerRows: number;
  /** Some row is taller than in the PDF only for the indent that keeps its text off the border. */
  loosens: boolean;
  /** Rows cut into several sheet rows: the unit that holds the first piece and the piece's place in its rows. */
  cutRows: Array<{ row: number; unit: number; index: number }>;
  /**
   * The cells, given the first sheet row of each unit, the sheet rows where the header was copied and the
   * sheet rows after which a page ends.
   */
  cells(first: (unit: number) => number, copies: number[], breaks?: number[]): PlannedCell[];
}

/** The page a table is set on: its printable height, and the room left on the page where a cut row starts (when known). */
export interface TableFit {
  capacity: number;
  room(row: number): number | undefined;
}

export function layoutTable(ctx: PlanContext, t: Table, index: number, c0: number, c1: number, loose = false, fit?: TableFit): TableLayout | undefined {
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

  // Cells in table coordinates, with the height each needs: measured once per plan (see PlanContext.measured),
  // copied for each pass, which may change them (the loose layout).
  const key = `${c0}:${c1}:${nCols}`;
  let known = ctx.measured.get(t) as { key: string; value: Placed[] } | undefined;
  if (known?.key !== key) {
    known = { key, value: measureCells() };
    ctx.measured.set(t, known);
  }
  const placed = known.value.map((x) => ({ ...x }));

  function measureCells(): Placed[] {
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
          const full = content + 2 * padY + band;
          return { indent, height: Math.min(layout.maxRow, full), full, shrink };
        };
        const kept = measure(text ? ctx.indentOf(text, align, t.borders) : 0);
        const pdfHeight = Math.min(layout.maxRow, (texts.length > 0 ? stackHeight(texts, limit, layout, limit) : empty) + 2 * padY + band);
        const own = text ? ctx.indentOf(text, align, false) : 0;
        const bare = kept.indent > own && kept.height > pdfHeight + 0.01 ? measure(own) : undefined;
        placed.push({ r, c, rowSpan, cell, text, texts, limit, g0, g1, ...kept, pdfHeight, ...(bare && bare.height < kept.height ? { loose: bare } : {}) });
        for (let k = c; k < c + span; k++) carry[k] = rowSpan;
        c += span;
      }
      for (let k = 0; k < nCols; k++) if (carry[k]! > 0) carry[k]!--;
    });
    return placed;
  }

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

  // The cells that start in each row: looked up by row, not searched for (a summary's table has thousands of rows).
  const startingIn: Placed[][] = Array.from({ length: nRows }, () => []);
  for (const x of placed) startingIn[x.r]!.push(x);

  // Groups of rows a row span holds together.
  const groups: Array<[number, number]> = [];
  for (let r = 0; r < nRows; ) {
    let end = r;
    for (let k = r; k <= end; k++) for (const x of startingIn[k]!) end = Math.max(end, x.r + x.rowSpan - 1);
    groups.push([r, end]);
    r = end + 1;
  }
  const headerRows = Math.min(Math.max(t.headerRows, 0), nRows - 1);
  const headerUnits = groups.filter(([, end]) => end < headerRows).length;
  const headerCount = headerUnits > 0 ? groups[headerUnits - 1]![1] + 1 : 0;

  // Row heights: the tallest single-row cell; a spanning cell stretches the last row it covers. A body row
  // taller than a sheet row can be is cut into pieces (one sheet row each): `pieces` holds their heights.
  const heights = new Array<number>(nRows).fill(empty + 2 * padY + band);
  for (const x of placed) if (x.rowSpan === 1) heights[x.r] = Math.max(heights[x.r]!, x.height);
  const pieces: number[][] = heights.map((h) => [h]);
  const cut = new Map<Placed, Piece[]>();
  const cutRows: number[] = [];
  // Where the page flow has put a cut row (an earlier pass), its pieces end where the page does, as in the PDF.
  const headerHeight = heights.slice(0, headerCount).reduce((a, b) => a + b, 0);
  const pageRoom = fit ? fit.capacity - headerHeight - layout.rowStep : Infinity;
  for (let r = headerCount; r < nRows; r++) {
    const row = startingIn[r]!.filter((x) => x.rowSpan === 1);
    if (!row.some((x) => x.full > layout.maxRow + 0.01)) continue;
    cutRows.push(r);
    const cutters = row.map((x) => (x.full > layout.maxRow + 0.01 ? cutter(x) : undefined));
    const parts: Piece[][] = row.map(() => []);
    const own: number[] = [];
    // The first piece holds the other cells whole.
    const least = Math.max(empty + 2 * padY + band, ...row.filter((_, i) => !cutters[i]).map((x) => x.height));
    let room = fit?.room(r) ?? Infinity;
    // The row starts on the next page when its first piece cannot hold its other cells there.
    if (room - layout.rowStep < least) room = pageRoom;
    while (cutters.some((c) => c && !c.done())) {
      const budget = room - layout.rowStep;
      // Cut at the page's foot between lines, as the PDF does; elsewhere between paragraphs where possible.
      const atFoot = budget < layout.maxRow;
      let h = own.length === 0 ? least : layout.rowStep;
      cutters.forEach((c, i) => {
        if (!c || c.done()) return;
        const p = c.next(Math.min(layout.maxRow, budget), !atFoot);
        parts[i]!.push(p);
        h = Math.max(h, p.height);
      });
      own.push(h);
      room -= h;
      if (room - layout.rowStep < Math.min(...cutters.map((c) => (c && !c.done() ? c.least() : Infinity)))) room = pageRoom;
    }
    row.forEach((x, i) => {
      if (cutters[i]) cut.set(x, parts[i]!);
    });
    pieces[r] = own;
    heights[r] = own.reduce((a, b) => a + b, 0);
  }
  for (const x of placed) {
    if (x.rowSpan === 1) continue;
    let have = 0;
    for (let k = x.r; k < x.r + x.rowSpan; k++) have += heights[k]!;
    const last = x.r + x.rowSpan - 1;
    const own = pieces[last]!;
    if (x.height > have) own[own.length - 1] = Math.min(layout.maxRow, own[own.length - 1]! + x.height - have);
  }
  // The table's bottom border takes its width below the last row.
  const bottom = pieces[nRows - 1]!;
  bottom[bottom.length - 1]! += band;

  /**
   * A tall cell's text in pieces of whole lines, each within the height it is given (with the padding and
   * border it carries): `prefer` cuts between paragraphs where that leaves the piece at least half full.
   */
  function cutter(x: Placed): { next(budget: number, prefer: boolean): Piece; done(): boolean; least(): number } {
    const { lines, height, length } = stackLines(x.texts, ctx.textArea(x.g0, x.g1, x.indent), layout, x.limit);
    const runs = x.text?.runs ?? [];
    const n = lines.length;
    // Where a piece ending before line `b` ends, from the top of the stack (the gap before a line stays above it).
    const end = (b: number) => (b >= n ? height + padY : lines[b]!.top);
    const top = (a: number) => (a === 0 ? -(padY + band) : lines[a]!.top);
    let a = 0;
    return {
      done: () => a >= n,
      // Height of the next piece of one line.
      least: () => end(a + 1) - top(a),
      next(budget, prefer) {
        const y0 = top(a);
        const fits = (b: number) => end(b) - y0 <= budget + 1e-6;
        let b = a + 1;
        while (b < n && fits(b + 1)) b++;
        if (b < n && prefer) {
          for (let i = b; i > a; i--) {
            if (end(i) - y0 < budget / 2) break;
            if (lines[i]!.paragraphStart) {
              b = i;
              break;
            }
          }
        }
        const piece = sliceRuns(runs, lines[a]!.start, b < n ? lines[b]!.start : length);
        // A piece cut before a line break does not end with an empty line.
        const last = piece[piece.length - 1];
        if (last) piece[piece.length - 1] = { ...last, text: last.text.replace(/\n+$/, '') };
        const out = { runs: piece.filter((p) => p.text !== ''), height: end(b) - y0 };
        a = b;
        return out;
      },
    };
  }

  // One unit per row group, and one more for each further piece of a cut row: a page may end between pieces.
  const units: Unit[] = [];
  /** Unit and row within it of each piece of each table row. */
  const place: Array<Array<[number, number]>> = Array.from({ length: nRows }, () => []);
  groups.forEach(([a, z], i) => {
    const unit = (breakBefore: boolean): Unit => ({
      rows: [],
      spaceBefore: 0,
      spaceAfter: 0,
      breakBefore,
      stretches: false,
      ...(headerUnits > 0 && i >= headerUnits ? { repeat: index } : {}),
    });
    // Header rows stay together and with the first body rows (src/render/pdf/grid/repeated.ts).
    units.push(unit(!(i > 0 && i <= headerUnits)));
    for (let r = a; r <= z; r++) {
      pieces[r]!.forEach((h, j) => {
        if (j > 0) units.push(unit(true));
        const u = units[units.length - 1]!;
        place[r]!.push([units.length - 1, u.rows.length]);
        u.rows.push(h);
      });
    }
  });

  const cells = (first: (unit: number) => number, copies: number[], breaks: number[] = []): PlannedCell[] => {
    const at = ([u, k]: [number, number]) => first(u) + k;
    const rowsOf = Array.from({ length: nRows }, (_, r) => at(place[r]![0]!));
    const ends = new Set(breaks);
    /** Sheet row `row` starts a page, or a copied header comes between it and `prev`. */
    const pageTop = (prev: number, row: number) => row !== prev + 1 || ends.has(prev);
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
    /**
     * A cell over cut rows: each piece of its text in its sheet row (the last down to the row's end), each
     * range cut again where a page ends; no border between the parts except at a page's foot and top.
     */
    const emitCut = (x: Placed, parts: Piece[]): PlannedCell[] => {
      const rows: number[] = [];
      for (let r = x.r; r < x.r + x.rowSpan; r++) for (const p of place[r]!) rows.push(at(p));
      const out: PlannedCell[] = [];
      parts.forEach((part, c) => {
        const span = rows.slice(c, c === parts.length - 1 ? rows.length : c + 1);
        let from = 0;
        for (let i = 1; i <= span.length; i++) {
          if (i < span.length && !pageTop(span[i - 1]!, span[i]!)) continue;
          const top = span[from]!;
          const k = rows.indexOf(top);
          const bottomRow = span[i - 1]!;
          const kb = rows.indexOf(bottomRow);
          const base = emit(x, c === 0 && from === 0);
          const planned: PlannedCell = { ...base, row: top, rows: bottomRow - top + 1, runs: from === 0 ? part.runs : [] };
          // A part the cell's text continues after fills its rows: its lines spread over them, so that the
          // programs' tighter lines leave no gap before the next part (as paragraphs do, layout.ts).
          if (c < parts.length - 1 && planned.vertical === 'top') planned.vertical = 'justify';
          // Only a whole cell's one line is shrunk to fit.
          if (parts.length > 1 || from > 0) delete planned.shrink;
          if (k > 0 && !pageTop(rows[k - 1]!, top)) planned.openTop = true;
          if (kb < rows.length - 1 && !pageTop(bottomRow, rows[kb + 1]!)) planned.openBottom = true;
          out.push(planned);
          from = i;
        }
      });
      return out;
    };
    const tall = (x: Placed) => {
      for (let r = x.r; r < x.r + x.rowSpan; r++) if (place[r]!.length > 1) return true;
      return false;
    };
    const out = placed.flatMap((x) => (tall(x) ? emitCut(x, cut.get(x) ?? [{ runs: x.text?.runs ?? [], height: x.height }]) : [emit(x, true)]));
    // A copied header is text only: SUM over the column skips it.
    for (const at of copies) for (const x of placed) if (x.r < headerCount) out.push(emit(x, false, at + rowsOf[x.r]! - rowsOf[0]!));
    return out;
  };
  const cutAt = cutRows.map((r) => ({ row: r, unit: place[r]![0]![0], index: place[r]![0]![1] }));
  return { units, headerUnits, headerRows: headerCount, loosens, cutRows: cutAt, cells };
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
