// The record-independent parts of a DOCX, built with the `docx` package once per style set and page setup:
// styles (document defaults and one named paragraph style per model style), theme fonts, settings, numbering,
// the page-number header shown from page 2, the font table, content types and relationships.
import yauzl from 'yauzl';
import { Document, Header, Packer, type IParagraphStylePropertiesOptions, PageNumber, PageOrientation, Paragraph as DocxParagraph, TextRun } from 'docx';
import { styleOf } from '../../model/effective.js';
import type { DocumentModel } from '../../model/types.js';
import { fontSlots, halfPoints, languageOf, paragraphStyle, runProperties, SYMBOL_FALLBACK, SYMBOL_FONT, twip } from './styles.js';
import { zipEntry, type ZipEntry } from './zip.js';

export interface Skeleton {
  /** Compressed parts in package order; `null` marks where document.xml and core.xml go. */
  entries: Array<ZipEntry | { slot: 'document' | 'core' }>;
  /** document.xml up to and including <w:body>, and from the section properties to the end. */
  documentStart: string;
  documentEnd: string;
}

/**
 * The page-number header: the profile's format ("{page}", "Trang {page}/{pages}") as text and PAGE fields.
 * {pages} counts the document (NUMPAGES), or with `sectionPages` the section (SECTIONPAGES), for documents whose
 * appendix is numbered on its own; LibreOffice 7.4 leaves SECTIONPAGES empty, so it is used only then.
 */
function pageNumberHeader(doc: DocumentModel, lang: string, sectionPages: boolean): Header {
  const pn = doc.pageNumbering;
  const style = styleOf(doc, pn.style);
  const props = runProperties({ font: style.font, size: style.size, bold: style.bold, italic: style.italic, underline: style.underline, color: style.color }, style, lang);
  const children = pn.format
    .split(/(\{page\}|\{pages\})/)
    .filter((part) => part !== '')
    .map((part) =>
      part === '{page}'
        ? new TextRun({ ...props, children: [PageNumber.CURRENT] })
        : part === '{pages}'
          ? new TextRun({ ...props, children: [sectionPages ? PageNumber.TOTAL_PAGES_IN_SECTION : PageNumber.TOTAL_PAGES] })
          : new TextRun({ ...props, text: part }),
    );
  return new Header({ children: [new DocxParagraph({ style: pn.style, children })] });
}

/** The font table, naming a fallback for the symbol font so that LibreOffice draws ☐ ☒ without Segoe UI Symbol. */
function fontTable(family: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const font = (name: string, kind: string, extra = '') =>
    `<w:font w:name="${esc(name)}">${extra}<w:charset w:val="00"/><w:family w:val="${kind}"/><w:pitch w:val="variable"/></w:font>`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">' +
    font(family, 'roman') +
    font(SYMBOL_FONT, 'swiss', `<w:altName w:val="${SYMBOL_FALLBACK}"/>`) +
    '</w:fonts>'
  );
}

function skeletonDocument(doc: DocumentModel, lang: string, sectionPages: boolean): Document {
  const base = doc.styles.base ?? styleOf(doc, Object.keys(doc.styles)[0]!);
  const pn = doc.pageNumbering;
  const fromSecond = pn.show && pn.fromPage > 1;
  return new Document({
    creator: 'bieumau',
    // A justified line ended by a written line break is not stretched, as in the PDF writer.
    compatibility: { doNotExpandShiftReturn: true },
    theme: { fonts: { headings: base.font, body: base.font } },
    styles: {
      default: {
        document: {
          run: { font: fontSlots(base.font), size: halfPoints(base.size), sizeComplexScript: halfPoints(base.size), color: base.color, language: languageOf(lang) },
          // Widow and orphan control as the PDF writer applies it (absent in OOXML means off). docx writes the
          // default paragraph properties with its full paragraph writer, which knows widowControl; its type does not.
          paragraph: { spacing: { before: 0, after: 0 }, widowControl: true } as IParagraphStylePropertiesOptions,
        },
      },
      paragraphStyles: Object.entries(doc.styles).map(([id, s]) => paragraphStyle(id, s, lang)),
    },
    sections: [
      {
        properties: {
          page: {
            size: {
              width: twip(doc.page.width),
              height: twip(doc.page.height),
              orientation: doc.page.width > doc.page.height ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
            },
            margin: {
              top: twip(doc.page.margins.top),
              bottom: twip(doc.page.margins.bottom),
              left: twip(doc.page.margins.left),
              right: twip(doc.page.margins.right),
              header: twip(pn.offsetTop),
              footer: twip(Math.min(pn.offsetTop, doc.page.margins.bottom / 2)),
              gutter: 0,
            },
          },
          titlePage: fromSecond,
        },
        ...(pn.show
          ? {
              headers: {
                default: pageNumberHeader(doc, lang, sectionPages),
                ...(fromSecond ? { first: new Header({ children: [new DocxParagraph({})] }) } : {}),
              },
            }
          : {}),
        children: [],
      },
    ],
  });
}

async function unzip(buffer: Buffer): Promise<Array<{ name: string; data: Buffer }>> {
  const zip = await yauzl.fromBufferPromise(buffer, { lazyEntries: true });
  const out: Array<{ name: string; data: Buffer }> = [];
  await new Promise<void>((resolve, reject) => {
    zip.on('error', reject);
    zip.on('end', resolve);
    zip.on('entry', (entry: yauzl.Entry) => {
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return reject(err ?? new Error('cannot read a part of the skeleton'));
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('error', reject);
        stream.on('end', () => {
          out.push({ name: entry.fileName, data: Buffer.concat(chunks) });
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return out;
}

/** Packs an empty document with the model's styles and page setup, and keeps its parts compressed. */
export async function buildSkeleton(doc: DocumentModel, lang: string, sectionPages = false): Promise<Skeleton> {
  const base = doc.styles.base ?? styleOf(doc, Object.keys(doc.styles)[0]!);
  const packed = await Packer.toBuffer(skeletonDocument(doc, lang, sectionPages), false, [{ path: 'word/fontTable.xml', data: fontTable(base.font) }]);
  const parts = await unzip(packed);
  let documentStart = '';
  let documentEnd = '';
  const entries: Skeleton['entries'] = [];
  for (const part of parts) {
    if (part.name === 'word/document.xml') {
      const xml = part.data.toString('utf8');
      const open = xml.indexOf('<w:body>');
      const sect = xml.lastIndexOf('<w:sectPr');
      if (open < 0 || sect < open) throw new Error('docx skeleton: unexpected document.xml layout');
      documentStart = xml.slice(0, open + '<w:body>'.length);
      documentEnd = xml.slice(sect);
      entries.push({ slot: 'document' });
    } else if (part.name === 'docProps/core.xml') {
      entries.push({ slot: 'core' });
    } else {
      entries.push(zipEntry(part.name, part.data));
    }
  }
  if (!documentStart) throw new Error('docx skeleton: no word/document.xml');
  if (!entries.some((e) => 'slot' in e && e.slot === 'core')) entries.push({ slot: 'core' });
  return { entries, documentStart, documentEnd };
}
