// What every layout step needs: the document (for styles) and the document's fonts.
import type { Align, DocumentModel } from '../../model/types.js';
import type { DocumentFonts } from './fonts.js';

export interface LayoutContext {
  doc: DocumentModel;
  fonts: DocumentFonts;
  /** Alignment a table cell gives the paragraphs inside it that set none of their own. */
  cellAlign?: Align;
}

/** Tolerance for comparing lengths in points (rounding in widths must not push a line or a block over). */
export const EPSILON = 0.01;
