// Export: laid-out pages → a pdf-lib document with metadata, fonts and page contents; the PDF finishers run on
// it, then it is saved with classic cross-reference tables (no object streams), ready for signing and PDF/A.
import zlib from 'node:zlib';
import { PDFDocument, PDFName, PDFRawStream } from '@cantoo/pdf-lib';
import type { DocumentModel } from '../../../model/types.js';
import { VERSION } from '../../../version.js';
import type { PdfLayoutInfo, WriteContext } from '../../writers.js';
import type { DocumentFonts } from '../fonts.js';
import type { DocumentLayout } from '../pages/compose.js';
import { pageContent } from './content.js';
import { embedFont } from './fonts.js';

export interface ExportOptions {
  /** Creation and modification date written to the document; default now. */
  date?: Date;
}

export async function exportPdf(layout: DocumentLayout, doc: DocumentModel, fonts: DocumentFonts, ctx: WriteContext, options: ExportOptions): Promise<Uint8Array> {
  // Contents first: page fields may still look up digits.
  const contents = layout.pages.map((p) => zlib.deflateSync(Buffer.from(pageContent(p, fonts), 'latin1')));
  const programs = await fonts.programs();

  const pdf = await PDFDocument.create({ updateMetadata: false });
  setMetadata(pdf, doc, options.date ?? new Date());
  const context = pdf.context;
  const fontRefs = programs.map((p) => embedFont(context, p));
  const { width, height } = doc.page;
  layout.pages.forEach((_, i) => {
    const page = pdf.addPage([width, height]);
    const stream = PDFRawStream.of(context.obj({ Filter: 'FlateDecode' }), contents[i]!);
    page.node.addContentStream(context.register(stream));
    fonts.resources.forEach((r, k) => page.node.setFontDictionary(PDFName.of(r.name), fontRefs[k]!));
  });

  const info: PdfLayoutInfo = { pageCount: layout.pages.length, signatureAreas: layout.signatureAreas };
  for (const finish of ctx.pdfFinishers ?? []) await finish(pdf, info, doc, ctx);
  return pdf.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false, objectsPerTick: Infinity });
}

function setMetadata(pdf: PDFDocument, doc: DocumentModel, date: Date): void {
  const m = doc.meta;
  pdf.setTitle(m.title.normalize('NFC'), { showInWindowTitleBar: true });
  if (m.author) pdf.setAuthor(m.author.normalize('NFC'));
  if (m.subject) pdf.setSubject(m.subject.normalize('NFC'));
  if (m.keywords?.length) pdf.setKeywords(m.keywords.map((k) => k.normalize('NFC')));
  pdf.setLanguage(m.language || 'vi-VN');
  pdf.setCreator(`bieumau ${VERSION}${m.formId ? ` (${m.formId}${m.formVersion ? ` ${m.formVersion}` : ''})` : ''}`);
  pdf.setProducer(`bieumau ${VERSION} with pdf-lib`);
  pdf.setCreationDate(date);
  pdf.setModificationDate(date);
}
