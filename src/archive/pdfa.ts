// Turns a finished pdf-lib document into PDF/A-3b: Info ≡ XMP, /ID, sRGB OutputIntent, /Lang.
import { PDFArray, PDFDict, PDFName, PDFString, type PDFDocument } from '@cantoo/pdf-lib';
import { wholeSeconds } from './time.js';

/** The document information written to both the Info dictionary and the XMP packet. */
export interface ArchiveMetadata {
  title: string;
  author?: string;
  subject?: string;
  keywords?: string[];
  /** Application that created the content (xmp:CreatorTool ↔ /Creator). */
  creator: string;
  /** Library that wrote the PDF (pdf:Producer ↔ /Producer). */
  producer: string;
  /** BCP 47 language of the text ("vi-VN"). */
  language: string;
  created: Date;
  modified?: Date;
}

/** Output condition of the bundled profile (the fork's sRGB IEC61966-2.1, ICC v2, © HP, freely redistributable). */
const OUTPUT_CONDITION = 'sRGB IEC61966-2.1';

/**
 * Makes the document claim, and structurally meet, PDF/A-3b. Content rules (embedded fonts, RGB only,
 * no scripts) are the writer's; this step adds what the writer cannot know. `xmpExtensions` are extra
 * `rdf:Description` fragments (our `vnform:` schema) kept across later saves.
 */
export function applyPdfA3b(pdf: PDFDocument, meta: ArchiveMetadata, xmpExtensions: string[] = []): void {
  // Info first: the fork rebuilds the XMP from these on every save, so both stay equal (ISO 19005 6.7.3).
  pdf.setTitle(meta.title, { showInWindowTitleBar: true });
  if (meta.author !== undefined) pdf.setAuthor(meta.author);
  if (meta.subject !== undefined) pdf.setSubject(meta.subject);
  // One string with explicit separators: pdf-lib joins with spaces, which splits multi-word keywords.
  if (meta.keywords && meta.keywords.length > 0) pdf.setKeywords([meta.keywords.join(', ')]);
  pdf.setCreator(meta.creator);
  pdf.setProducer(meta.producer);
  const created = wholeSeconds(meta.created);
  pdf.setCreationDate(created);
  pdf.setModificationDate(meta.modified ? wholeSeconds(meta.modified) : created);

  // Adds /ID (two copies of random bytes), the OutputIntent with the bundled sRGB v2 profile and the XMP.
  pdf.convertToPDFA({ conformance: '3B', outputConditionIdentifier: OUTPUT_CONDITION, extensions: xmpExtensions });

  const intents = pdf.catalog.lookupMaybe(PDFName.of('OutputIntents'), PDFArray);
  const intent = intents?.lookupMaybe(0, PDFDict);
  if (intent) {
    intent.set(PDFName.of('Info'), PDFString.of(OUTPUT_CONDITION));
    intent.set(PDFName.of('RegistryName'), PDFString.of('http://www.color.org'));
  }
  pdf.catalog.set(PDFName.of('Lang'), PDFString.of(meta.language));
}
