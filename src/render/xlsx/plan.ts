// What the sheet layout produces (the plan write.ts writes), and what its parts share while planning.
import type { Align, DocumentModel, VerticalAlign } from '../../model/types.js';
import type { Grid } from './grid.js';
import { ruleSpan } from './grid.js';
import type { XlsxLayout } from './profile.js';
import type { CellText, StyledRun } from './text.js';

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
  /** 'justify': the lines spread over the row (a piece of text continued in the next row). */
  vertical: VerticalAlign | 'justify';
  indent: number;
  value?: PlannedValue;
  /** Thin borders on every edge of the range (table cells). */
  border: boolean;
  /** No border above or below: the range continues a table row cut into several sheet rows, or goes on with it. */
  openTop?: boolean;
  openBottom?: boolean;
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

export class SheetLayoutError extends Error {}

/** The document, the column grid and the layout sizes, with the measures every part of the layout needs. */
export class PlanContext {
  /** The grid's column edges in points, on whole column steps, the last one within the text width. */
  readonly edges: number[];
  /**
   * What a block's text measures, by block: the plan is laid out again for each cut it settles (several passes),
   * and measuring thousands of table cells again each time would cost more than the layout itself.
   */
  readonly measured = new WeakMap<object, { key: string; value: unknown }>();

  constructor(
    readonly doc: DocumentModel,
    readonly grid: Grid,
    readonly textWidth: number,
    readonly layout: XlsxLayout,
  ) {
    const step = layout.columnStep;
    const last = grid.edges.length - 1;
    const px = grid.edges.map((f, i) => (i === last ? Math.floor((textWidth + 1e-6) / step) : Math.round((f * textWidth) / step)));
    // No column narrower than one step (a table keeps every column).
    for (let i = 1; i <= last; i++) px[i] = Math.max(px[i]!, px[i - 1]! + 1);
    for (let i = last - 1; i > 0; i--) px[i] = Math.min(px[i]!, px[i + 1]! - 1);
    this.edges = px.map((p) => p * step);
  }

  /** Width of grid columns [c0, c1), in points. */
  width(c0: number, c1: number): number {
    return this.edges[c1]! - this.edges[c0]!;
  }

  /** Width text has in grid columns [c0, c1) as the programs draw them, after `indent` alignment levels. */
  textArea(c0: number, c1: number, indent: number): number {
    const l = this.layout;
    return Math.max(this.width(c0, c1) - 2 * l.cellPadX - indent * l.indentPt, 1);
  }

  /** Width a text has in grid columns [c0, c1) in the PDF (its indents aside from the first line's). */
  pdfArea(c0: number, c1: number, text: CellText, padX = 0): number {
    return this.width(c0, c1) - 2 * padX - text.indentLeft - text.indentRight;
  }

  /** Alignment indent levels of a text: its left indent, and at least one level in bordered cells. */
  indentOf(text: CellText, align: Align, bordered: boolean): number {
    const own = Math.min(15, Math.round(text.indentLeft / this.layout.indentPt));
    // LibreOffice indents left-aligned text only; a right-aligned or centred cell keeps its own margin.
    const leftAligned = align === 'left' || align === 'justify';
    return bordered && leftAligned ? Math.max(own, this.layout.tableIndent) : leftAligned ? own : 0;
  }

  /** Grid columns a rule covers inside the span of grid columns [c0, c1). */
  ruleColumns(width: number, align: 'left' | 'center' | 'right', c0: number, c1: number): [number, number] {
    const [a, z] = ruleSpan(width, align, [this.grid.edges[c0]!, this.grid.edges[c1]!], this.textWidth);
    let from = Math.max(c0, this.grid.at(a));
    let to = Math.min(c1, this.grid.at(z));
    if (to <= from) {
      if (from < c1) to = from + 1;
      else from = to - 1;
    }
    return [from, to];
  }
}

/** A unit's cells and lines, their rows counted from the unit's first row. */
export interface Content {
  cells: PlannedCell[];
  lines: LineMark[];
}
