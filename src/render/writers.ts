// The writer contract: each output format turns a DocumentModel into bytes; writers are created once per batch.
import type { PDFDocument } from '@cantoo/pdf-lib';
import type { FormDefinition } from '../forms/types.js';
import type { DocumentModel } from '../model/types.js';
import type { RuleSet } from '../rules/types.js';

export type OutputFormat = 'docx' | 'pdf' | 'xlsx';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['docx', 'pdf', 'xlsx'];

/** Where the PDF writer placed each signature space, in PDF user space (points, origin bottom-left). */
export interface PdfSignatureArea {
  field: string;
  /** 0-based page index. */
  page: number;
  rect: { x: number; y: number; width: number; height: number };
}

export interface PdfLayoutInfo {
  pageCount: number;
  signatureAreas: PdfSignatureArea[];
}

/**
 * A step run on the finished pdf-lib document just before it is saved (PDF/A metadata, embedded data,
 * empty signature fields). The writer saves without object streams so that signatures can follow.
 */
export type PdfFinisher = (pdf: PDFDocument, layout: PdfLayoutInfo, doc: DocumentModel, ctx: WriteContext) => Promise<void> | void;

/** What a writer may know about the document's origin, beyond the model itself. */
export interface WriteContext {
  form?: FormDefinition;
  /** The validated, normalised record the document was rendered from. */
  record?: unknown;
  rules?: RuleSet;
  pdfFinishers?: PdfFinisher[];
}

export interface DocumentWriter {
  readonly format: OutputFormat;
  /** File name extension with its dot, as path.extname gives it: ".docx", ".pdf", ".xlsx". */
  readonly extension: string;
  write(doc: DocumentModel, ctx?: WriteContext): Promise<Uint8Array>;
}

/** One factory per format, loaded on demand so a DOCX run never loads pdf-lib. Each writer module adds itself here. */
export const WRITER_FACTORIES: Partial<Record<OutputFormat, () => Promise<DocumentWriter>>> = {
  docx: async () => (await import('./docx/writer.js')).createDocxWriter(),
  pdf: async () => (await import('./pdf/index.js')).createPdfWriter(),
  xlsx: async () => (await import('./xlsx/index.js')).createXlsxWriter(),
};

export async function createWriter(format: OutputFormat): Promise<DocumentWriter> {
  const factory = WRITER_FACTORIES[format];
  if (!factory) throw new Error(`no writer for format "${format}"`);
  return factory();
}
