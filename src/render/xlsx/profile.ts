// Sizes the sheet layout is planned with: how spreadsheet programs draw cells, measured on LibreOffice Calc's
// PDF print (Liberation Serif, metric-compatible with Times New Roman) and kept on the safe side of Excel.
// Data, not code: a writer may be created with other values (createXlsxWriter({ layout })).

export interface XlsxLayout {
  /**
   * Least line pitch of cell text, in em of the line's largest font: LibreOffice draws 1.107 em, Excel about
   * 1.13 em; a row is never planned tighter than this, whatever the model's line spacing says.
   */
  drawnLineEm: number;
  /** Inner cell margin left and right, in points (LibreOffice keeps 1 pt, Excel 2 px). */
  cellPadX: number;
  /**
   * Columns are whole screen pixels, their sum at most the text width: a sheet wider than the page by a hair
   * makes "fit to width" print every page at 99 % (LibreOffice scales in whole percents).
   */
  columnStep: number;
  /** Share of the cell's width that text is wrapped to: LibreOffice sets our widths, Excel's hinted glyphs may be wider. */
  wrapSafety: number;
  /** Smallest share of its size a one-line text may be shrunk to by the program, instead of wrapping. */
  shrinkFloor: number;
  /** The PDF writer's cell margin left and right where the model gives none (Word's 0.19 cm). */
  pdfCellPadX: number;
  /** Width of one alignment indent level, in points (LibreOffice 9 pt; Excel one default-font character or so, not measured). */
  indentPt: number;
  /** Indent level of left-aligned text in bordered table cells, so that it does not touch the border. */
  tableIndent: number;
  /**
   * Row heights are whole screen pixels in both programs (LibreOffice cuts 16.1 pt down to 15.75 pt): rows are
   * planned in this step, so that the plan is what they draw.
   */
  rowStep: number;
  /** Points kept free at the foot of each page, for a program that rounds row heights otherwise. */
  pageSafety: number;
  /** Thinnest row kept when side-by-side items are aligned, in points. */
  snap: number;
  /** Tallest row planned (Excel's limit is 409 pt); taller paragraphs are cut into several rows. */
  maxRow: number;
  /** Height a table border adds to each row, as in the PDF (Word gives each border its own width). */
  borderBand: number;
}

export const DEFAULT_XLSX_LAYOUT: XlsxLayout = {
  drawnLineEm: 1.15,
  cellPadX: 1.5,
  columnStep: 0.75,
  wrapSafety: 0.99,
  shrinkFloor: 0.9,
  pdfCellPadX: 5.4,
  indentPt: 9,
  tableIndent: 1,
  rowStep: 0.75,
  pageSafety: 2,
  snap: 1,
  maxRow: 400,
  borderBand: 0.5,
};
