// The document model: the one contract between templates and the DOCX, PDF and XLSX writers.
// All lengths are in points (1/72 inch); the profile's mm values are converted when the profile is resolved.

export type Align = 'left' | 'center' | 'right' | 'justify';
export type VerticalAlign = 'top' | 'center' | 'bottom';

/** Line spacing as Word expresses it: a multiple of the font's single line, or an exact/at-least height. */
export type LineSpacing = { kind: 'multiple'; value: number } | { kind: 'exact'; pt: number } | { kind: 'atLeast'; pt: number };

/** A named style after the profile is resolved: every value present. */
export interface ResolvedStyle {
  font: string;
  size: number;
  bold: boolean;
  italic: boolean;
  underline: boolean;
  /** The text was upper-cased when the model was built (kept for writers that need to know, e.g. XLSX). */
  uppercase: boolean;
  align: Align;
  firstLineIndent: number;
  indentLeft: number;
  indentRight: number;
  spaceBefore: number;
  spaceAfter: number;
  lineSpacing: LineSpacing;
  keepWithNext: boolean;
  keepTogether: boolean;
  /** RGB hex without '#', e.g. "000000". */
  color: string;
  /**
   * A one-line element (the place-date line) that would wrap is set smaller, down to this size, when the model
   * is built; writers see only the runs' sizes.
   */
  shrinkTo?: number;
}

export interface PageSetup {
  width: number;
  height: number;
  margins: { top: number; bottom: number; left: number; right: number };
}

/** Page numbers in the top margin, from `fromPage` on; `format` may use {page} and {pages} ("Trang {page}/{pages}"). */
export interface PageNumbering {
  show: boolean;
  fromPage: number;
  format: string;
  style: string;
  /** Distance from the top edge of the page to the top of the number line. */
  offsetTop: number;
}

export interface DocumentMeta {
  title: string;
  subject?: string;
  author?: string;
  keywords?: string[];
  /** BCP 47, "vi-VN". */
  language: string;
  /** Form the document was rendered from. */
  formId?: string;
  formVersion?: string;
}

/** A stretch of text with one formatting; unset properties come from the paragraph's style. "\n" breaks the line. */
export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  size?: number;
  /** Replaced by the page number or the page count when laid out. */
  field?: 'page' | 'pages';
}

export interface Paragraph {
  kind: 'paragraph';
  /** Key in `DocumentModel.styles`. */
  style: string;
  runs: Run[];
  align?: Align;
  indent?: { firstLine?: number; left?: number; right?: number };
  spacing?: { before?: number; after?: number; line?: LineSpacing };
  keepWithNext?: boolean;
  keepTogether?: boolean;
}

/** A solid horizontal line (under tiêu ngữ, agency name, trích yếu), its width measured from the text it underlines. */
export interface Rule {
  kind: 'rule';
  width: number;
  align: 'left' | 'center' | 'right';
  thickness: number;
  /** Gap above the line (the line sits this far below the previous block's bottom). */
  spaceBefore: number;
  spaceAfter: number;
}

export interface Spacer {
  kind: 'spacer';
  height: number;
}

export interface PageBreak {
  kind: 'page-break';
  /**
   * The pages after the break are numbered on their own, from 1 (an appendix, per Nghị định 30/2020): the page
   * numbering's `fromPage` and `{pages}` then count within that part.
   */
  restartNumbering?: boolean;
}

/**
 * The machine value behind a cell's text, for writers that keep numbers live (XLSX); DOCX and PDF print the
 * text. Formulas are in R1C1 notation relative to the cell ("SUM(R[-3]C:R[-1]C)"), so a template need not know
 * where the table lands on a sheet; `result` is the cached value a reader sees before recalculating.
 */
export type CellValue =
  | { kind: 'number'; value: number; numberFormat?: string }
  | { kind: 'formula'; formula: string; result: number | string; numberFormat?: string };

export interface TableCell {
  blocks: Block[];
  value?: CellValue;
  colSpan?: number;
  rowSpan?: number;
  align?: Align;
  verticalAlign?: VerticalAlign;
  /** Background RGB hex, e.g. "D9D9D9". */
  shading?: string;
}

export interface TableRow {
  cells: TableCell[];
  /** Keep the row on one page (default true); a row taller than a page is split regardless. */
  cantSplit?: boolean;
}

export interface Table {
  kind: 'table';
  /** Relative column widths; the table spans `width` × the text width. */
  columns: number[];
  width?: number;
  /** The first `headerRows` rows repeat at the top of every page the table continues on. */
  headerRows: number;
  rows: TableRow[];
  borders: boolean;
  /** Inner cell padding (left/right, top/bottom). */
  padding?: { x: number; y: number };
}

/** Borderless side-by-side blocks, e.g. the two-column header (agency left, quốc hiệu right). */
export interface Columns {
  kind: 'columns';
  widths: number[];
  columns: Block[][];
  keepTogether?: boolean;
}

/** Reserved space where a hand signature, a seal or a digital signature appearance goes. */
export interface SignatureSpace {
  kind: 'signature-space';
  height: number;
  /** Name of the signature field the PDF writer places here ("signer", "seal"). */
  field?: string;
}

/**
 * The closing block: nơi nhận on the left, the signer on the right, kept on one page and never
 * the first thing on a page (it keeps with the preceding paragraph).
 */
export interface SignatureBlock {
  kind: 'signature';
  widths: [number, number];
  left: Block[];
  right: Block[];
}

export type Block = Paragraph | Rule | Spacer | PageBreak | Table | Columns | SignatureSpace | SignatureBlock;

export interface DocumentModel {
  /** Layout profile id ("state", "party"). */
  profile: string;
  meta: DocumentMeta;
  page: PageSetup;
  pageNumbering: PageNumbering;
  styles: Record<string, ResolvedStyle>;
  body: Block[];
}
