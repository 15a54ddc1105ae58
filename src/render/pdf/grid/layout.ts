// Tables: relative column widths, spans, cell padding, wrapping, vertical alignment, shading and borders.
// Rows become flow children; rows joined by a row span travel together; header rows repeat (see repeated.ts).
import type { Paragraph, Table, TableCell } from '../../../model/types.js';
import type { LayoutContext } from '../context.js';
import { collect, type Child } from '../flow/collect.js';
import { findCut, splitFrame } from '../flow/split.js';
import { stack } from '../flow/stack.js';
import { emptyFrame, place, type Frame } from '../frame.js';
import { markRepeats } from './repeated.js';

/** Word's default cell margins: 0.19 cm left and right, none above and below. */
const DEFAULT_PADDING = { x: 5.4, y: 0 };
const BORDER_WIDTH = 0.5;
const BORDER_COLOR = '000000';

interface PlacedCell {
  cell: TableCell;
  row: number;
  col: number;
  span: number;
  rowSpan: number;
  content: Frame;
}

export function layoutTable(table: Table, container: number, ctx: LayoutContext): Child[] {
  const nCols = Math.max(table.columns.length, 1);
  const width = (table.width ?? 1) * container;
  const total = table.columns.reduce((a, b) => a + b, 0) || nCols;
  const colW = table.columns.length ? table.columns.map((c) => (c / total) * width) : [width];
  const colX: number[] = [0];
  for (const w of colW) colX.push(colX[colX.length - 1]! + w);
  const pad = table.padding ?? DEFAULT_PADDING;
  const rows = table.rows;

  // Grid placement, honouring row spans from rows above.
  const placed: PlacedCell[] = [];
  const carry = new Array<number>(nCols).fill(0);
  const emptyHeight = emptyCellHeight(table, ctx);
  rows.forEach((row, r) => {
    let c = 0;
    for (const cell of row.cells) {
      while (c < nCols && carry[c]! > 0) c++;
      if (c >= nCols) break;
      const span = Math.max(1, Math.min(cell.colSpan ?? 1, nCols - c));
      const rowSpan = Math.max(1, Math.min(cell.rowSpan ?? 1, rows.length - r));
      const inner = Math.max(colX[c + span]! - colX[c]! - 2 * pad.x, 1);
      const content = stack(collect(cell.blocks, inner, { ...ctx, cellAlign: cell.align }), inner);
      if (cell.blocks.length === 0) content.height = emptyHeight;
      placed.push({ cell, row: r, col: c, span, rowSpan, content });
      for (let k = c; k < c + span; k++) carry[k] = rowSpan;
      c += span;
    }
    for (let k = 0; k < nCols; k++) if (carry[k]! > 0) carry[k]!--;
  });

  // Row heights: the tallest single-row cell, then spanning cells stretch their last row. As in Word, each
  // horizontal border takes its own width: a row is its top border, padding, content and padding.
  const band = table.borders ? BORDER_WIDTH : 0;
  const heights = rows.map(() => emptyHeight + 2 * pad.y + band);
  const byRow = rows.map(() => [] as PlacedCell[]);
  for (const p of placed) byRow[p.row]!.push(p);
  rows.forEach((_, r) => {
    const own = byRow[r]!.filter((p) => p.rowSpan === 1);
    if (own.length > 0) heights[r] = Math.max(...own.map((p) => p.content.height + 2 * pad.y)) + band;
  });
  for (const p of placed) {
    if (p.rowSpan === 1) continue;
    const need = p.content.height + 2 * pad.y + band;
    let have = 0;
    for (let k = p.row; k < p.row + p.rowSpan; k++) have += heights[k]!;
    if (need > have) heights[p.row + p.rowSpan - 1]! += need - have;
  }

  // Groups of rows a row span holds together.
  const groups: Array<[number, number]> = [];
  for (let r = 0; r < rows.length; ) {
    let end = r;
    for (let k = r; k <= end; k++) for (const p of byRow[k]!) end = Math.max(end, p.row + p.rowSpan - 1);
    groups.push([r, end]);
    r = end + 1;
  }

  const children: Child[] = [];
  const headerFrames: Frame[] = [];
  for (const [start, end] of groups) {
    let h = 0;
    const rowTop: number[] = [];
    for (let k = start; k <= end; k++) {
      rowTop.push(h);
      h += heights[k]!;
    }
    // The table's bottom border takes its width below the last row.
    if (end === rows.length - 1) h += band;
    const frame = emptyFrame(width, h);
    for (let k = start; k <= end; k++) {
      for (const p of byRow[k]!) {
        let ch = 0;
        for (let q = p.row; q < p.row + p.rowSpan; q++) ch += heights[q]!;
        drawCell(frame, p, colX[p.col]!, rowTop[k - start]!, colX[p.col + p.span]! - colX[p.col]!, ch, pad, band);
      }
    }
    const isHeader = end < table.headerRows;
    if (isHeader) headerFrames.push(frame);
    const eager = start === end && rows[start]!.cantSplit === false;
    children.push(rowChild(frame, table.borders, eager, isHeader));
  }
  return markRepeats(children, headerFrames);
}

/** A cell `h` tall from its top border to the next row's top border; borders are drawn mid-band. */
function drawCell(frame: Frame, p: PlacedCell, x: number, y: number, w: number, h: number, pad: { x: number; y: number }, band: number): void {
  if (p.cell.shading) frame.items.push({ kind: 'rect', x, y: y + band, width: w, height: h - band, color: p.cell.shading });
  const free = h - band - 2 * pad.y - p.content.height;
  const va = p.cell.verticalAlign ?? 'top';
  const dy = band + pad.y + (free > 0 ? (va === 'center' ? free / 2 : va === 'bottom' ? free : 0) : 0);
  place(frame, p.content, x + pad.x, y + dy);
  if (band > 0) {
    const line = (x1: number, y1: number, x2: number, y2: number) =>
      frame.items.push({ kind: 'line', x1, y1, x2, y2, width: band, color: BORDER_COLOR });
    const top = y + band / 2;
    const bottom = y + h + band / 2;
    line(x, top, x + w, top);
    line(x, bottom, x + w, bottom);
    line(x, top, x, bottom);
    line(x + w, top, x + w, bottom);
  }
}

/** A row group as a flow child; it is cut between text lines only when it cannot stay whole. */
function rowChild(frame: Frame, borders: boolean, eager: boolean, header: boolean): Child {
  const child: Child = { height: frame.height, spaceBefore: 0, spaceAfter: 0, breakBefore: true, frame, splitEagerly: eager && !header };
  child.split = (limit) => {
    const y = findCut(frame, limit);
    if (y <= 0 || y >= frame.height) return null;
    const [a, b] = splitFrame(frame, y);
    if (borders) {
      // Close each part with a border where the row was cut.
      const mid = BORDER_WIDTH / 2;
      a.items.push({ kind: 'line', x1: 0, y1: y - mid, x2: frame.width, y2: y - mid, width: BORDER_WIDTH, color: BORDER_COLOR });
      b.items.push({ kind: 'line', x1: 0, y1: mid, x2: frame.width, y2: mid, width: BORDER_WIDTH, color: BORDER_COLOR });
    }
    const rest = rowChild(b, borders, eager, header);
    rest.repeat = child.repeat;
    return [{ ...child, height: a.height, frame: a, split: undefined }, rest];
  };
  return child;
}

/** An empty cell is as tall as an empty paragraph in the table's first paragraph style (Word keeps one there). */
function emptyCellHeight(table: Table, ctx: LayoutContext): number {
  let style: string | undefined;
  outer: for (const row of table.rows) {
    for (const cell of row.cells) {
      const p = cell.blocks.find((b): b is Paragraph => b.kind === 'paragraph');
      if (p) {
        style = p.style;
        break outer;
      }
    }
  }
  style ??= ctx.doc.styles.body ? 'body' : Object.keys(ctx.doc.styles)[0];
  if (!style) return 0;
  return stack(collect([{ kind: 'paragraph', style, runs: [] }], 100, ctx), 100).height;
}
