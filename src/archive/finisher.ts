// The PDF finishers this area provides: archive mode (PDF/A-3b + embedded record) and empty signature fields.
//
// Decision: empty signature fields are placed in archive mode only (archiveFinisher includes them). A plain
// PDF is for printing and signing by hand; a PDF that is to be signed digitally is also the one to archive.
// `sign --page N --rect x,y,w,h` still signs any PDF, adding its field on the fly, and
// createSignatureFieldsFinisher() gives the fields without PDF/A for callers that want them always.
import type { PDFDocument } from '@cantoo/pdf-lib';
import type { PdfFinisher, PdfLayoutInfo, WriteContext } from '../render/writers.js';
import type { DocumentModel } from '../model/types.js';
import { VERSION } from '../version.js';
import { embedRecord } from './embedded-data.js';
import { DEFAULT_LOOK, sealRect, type SignatureLook } from './look.js';
import { applyPdfA3b } from './pdfa.js';
import { addSignatureField, uniqueFieldName } from './signature-fields.js';
import { vnformDescription, vnformExtensionSchema } from './xmp.js';

export interface ArchiveOptions {
  /** Creation date written to Info, XMP and the attachment (default: now). */
  date?: Date;
  /** Place empty signature fields at the layout's signature spaces (default true). */
  signatureFields?: boolean;
  /**
   * Signature spaces that get an organisation seal field overlapping them: `true` (default) means the
   * "signer" space, whose seal field is "seal"; a list names the spaces ("approver" gets "approver-seal");
   * `false` adds none. Spaces the layout already pairs with a "seal" space get no second one.
   */
  sealFields?: boolean | string[];
  look?: SignatureLook;
}

export const GENERATOR = `bieumau ${VERSION}`;

function nfc<T extends string | undefined>(text: T): T {
  return (text === undefined ? text : text.normalize('NFC')) as T;
}
export const PRODUCER = `bieumau ${VERSION} (@cantoo/pdf-lib)`;

/**
 * Adds an empty signature field at each signature space the layout reports (named after the space,
 * made unique), and for the spaces `sealFields` names a seal field at true seal size overlapping the left
 * third of the signer's image, so that `sign --field seal` finds it.
 */
export function addLayoutSignatureFields(pdf: PDFDocument, layout: PdfLayoutInfo, look: SignatureLook = DEFAULT_LOOK, sealFields: boolean | string[] = true): string[] {
  const names: string[] = [];
  const hasSeal = layout.signatureAreas.some((a) => a.field === 'seal');
  const sealed = sealFields === true ? ['signer'] : sealFields === false ? [] : sealFields;
  for (const area of layout.signatureAreas) {
    const field = area.field || 'signer';
    const name = uniqueFieldName(pdf, field);
    addSignatureField(pdf, name, area.page, area.rect);
    names.push(name);
    if (sealed.includes(field) && !(field === 'signer' && hasSeal)) {
      const seal = uniqueFieldName(pdf, field === 'signer' ? 'seal' : `${field}-seal`);
      addSignatureField(pdf, seal, area.page, sealRect(area.rect, look));
      names.push(seal);
    }
  }
  return names;
}

/** Archive mode, for `render --archive` and the library: PDF/A-3b, the record as data.json, signature fields. */
export function createArchiveFinisher(options: ArchiveOptions = {}): PdfFinisher {
  return async (pdf: PDFDocument, layout: PdfLayoutInfo, doc: DocumentModel, ctx: WriteContext): Promise<void> => {
    // The writer's own date and creator, when it set them, so the finisher never contradicts the writer.
    const date = options.date ?? pdf.getCreationDate() ?? new Date();
    const extensions: string[] = [];
    if (ctx.form && ctx.record !== undefined) {
      // ctx.rules is the rule set render validated the record under (its --rules, else the form's default).
      const props = await embedRecord(pdf, ctx.record, ctx.form, date, ctx.rules);
      extensions.push(vnformDescription(props), vnformExtensionSchema());
    }
    const keywords = [...(doc.meta.keywords ?? [])];
    if (ctx.form && !keywords.includes(ctx.form.id)) keywords.push(ctx.form.id);
    applyPdfA3b(
      pdf,
      {
        title: nfc(doc.meta.title),
        author: doc.meta.author === undefined ? undefined : nfc(doc.meta.author),
        subject: nfc(doc.meta.subject ?? ctx.form?.title),
        keywords: keywords.map(nfc),
        creator: pdf.getCreator() ?? GENERATOR,
        producer: PRODUCER,
        language: doc.meta.language || 'vi-VN',
        created: date,
      },
      extensions,
    );
    if (options.signatureFields !== false) addLayoutSignatureFields(pdf, layout, options.look, options.sealFields ?? true);
  };
}

/** The archive finisher with defaults: what `render --archive` passes to the PDF writer. */
export const archiveFinisher: PdfFinisher = createArchiveFinisher();

/** Only the empty signature fields, for a PDF that is to be signed but not archived as PDF/A. */
export function createSignatureFieldsFinisher(look: SignatureLook = DEFAULT_LOOK): PdfFinisher {
  return (pdf, layout) => {
    addLayoutSignatureFields(pdf, layout, look);
  };
}
