// The PDF writer: our own layout engine (inline → flow → grid → pages) and pdf-lib for the file itself.
// One writer serves a whole batch: it keeps the parsed fonts and the embeddable base subsets; every document
// gets its own font usage, layout and pdf-lib document, so nothing of one document reaches the next.
import type { DocumentModel } from '../../model/types.js';
import type { DocumentWriter, WriteContext } from '../writers.js';
import { exportPdf, type ExportOptions } from './export/document.js';
import { DocumentFonts, FontLibrary, type SubsetMode } from './fonts.js';
import { layoutDocument, type DocumentLayout } from './pages/compose.js';

export interface PdfWriterOptions extends ExportOptions {
  /** Font subsets shared by the batch (default, fast) or cut per document (smallest files). */
  subsets?: SubsetMode;
}

export class PdfWriter implements DocumentWriter {
  readonly format = 'pdf' as const;
  readonly extension = '.pdf';
  private readonly fonts = new FontLibrary();

  constructor(private readonly options: PdfWriterOptions = {}) {}

  /** Lays out a document without writing it (tests and the benchmark look at pages and positions). */
  layout(doc: DocumentModel): { layout: DocumentLayout; fonts: DocumentFonts } {
    const fonts = new DocumentFonts(this.fonts, this.options.subsets);
    return { layout: layoutDocument(doc, { doc, fonts }), fonts };
  }

  async write(doc: DocumentModel, ctx: WriteContext = {}): Promise<Uint8Array> {
    const { layout, fonts } = this.layout(doc);
    return exportPdf(layout, doc, fonts, ctx, this.options);
  }
}

export function createPdfWriter(options?: PdfWriterOptions): DocumentWriter {
  return new PdfWriter(options);
}
