// The DOCX writer: a document model → .docx bytes; Word (or LibreOffice) paginates.
//
// Record-independent parts (styles, theme, settings, numbering, headers, font table) come from a skeleton the
// `docx` package builds once per style set and page setup, kept compressed; per document only the body and the
// core properties are written and deflated. Times New Roman (the model's font) is named in the ascii, hAnsi,
// East Asian and complex-script slots with vi-VN on every run, in the document defaults, the named styles and the
// theme; page numbers are PAGE fields in a header shown from page 2 (an empty first-page header); an appendix
// after a restarting page break is its own section, numbered from 1.
import type { DocumentModel } from '../../model/types.js';
import type { DocumentWriter, WriteContext } from '../writers.js';
import { BodyWriter, escapeXml } from './body.js';
import { buildSkeleton, type Skeleton } from './skeleton.js';
import { writeZip, zipEntry, type ZipEntry } from './zip.js';

/** Skeletons by style set (object identity) and page setup: a batch of one form builds one. */
const skeletons = new WeakMap<object, Map<string, Promise<Skeleton>>>();

function skeletonFor(doc: DocumentModel, lang: string, sectionPages: boolean): Promise<Skeleton> {
  let byLayout = skeletons.get(doc.styles);
  if (!byLayout) {
    byLayout = new Map();
    skeletons.set(doc.styles, byLayout);
  }
  const key = JSON.stringify([doc.page, doc.pageNumbering, lang, sectionPages]);
  let skeleton = byLayout.get(key);
  if (!skeleton) {
    skeleton = buildSkeleton(doc, lang, sectionPages);
    byLayout.set(key, skeleton);
    skeleton.catch(() => byLayout.delete(key));
  }
  return skeleton;
}

/** docProps/core.xml: title, subject, keywords, author, form, language and the time of writing. */
function coreProperties(doc: DocumentModel, now: Date): string {
  const m = doc.meta;
  const when = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const el = (name: string, value: string | undefined) => (value ? `<${name}>${escapeXml(value)}</${name}>` : '');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    el('dc:title', m.title) +
    el('dc:subject', m.subject) +
    el('dc:creator', m.author ?? 'bieumau') +
    el('cp:keywords', m.keywords?.join(', ')) +
    el('dc:description', m.formId ? `${m.formId}${m.formVersion ? ` ${m.formVersion}` : ''}` : undefined) +
    el('dc:language', m.language) +
    el('cp:lastModifiedBy', m.author ?? 'bieumau') +
    '<cp:revision>1</cp:revision>' +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    '</cp:coreProperties>'
  );
}

/**
 * The WordprocessingML body of a model (the content of <w:body> before the section properties). Given the
 * document's section properties, a page break that restarts the numbering becomes a section break.
 */
export function documentBodyXml(doc: DocumentModel, sectionProperties?: string): string {
  const textWidth = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  return new BodyWriter(doc, doc.meta.language || 'vi-VN', sectionProperties).blocks(doc.body, textWidth);
}

/** The last section's properties; when an appendix is numbered on its own, its pages count from 1. */
function finalSection(documentEnd: string, restarts: boolean): { sectPr: string; end: string } {
  const close = documentEnd.indexOf('</w:sectPr>') + '</w:sectPr>'.length;
  const sectPr = documentEnd.slice(0, close);
  if (!restarts) return { sectPr, end: documentEnd };
  const numbered = /<w:pgNumType[^>]*\/>/.test(sectPr)
    ? sectPr.replace(/<w:pgNumType[^>]*\/>/, '<w:pgNumType w:start="1"/>')
    : sectPr.replace(/(<w:pgMar[^>]*\/>)/, '$1<w:pgNumType w:start="1"/>');
  return { sectPr, end: numbered + documentEnd.slice(close) };
}

export async function writeDocx(doc: DocumentModel, now = new Date()): Promise<Uint8Array> {
  const lang = doc.meta.language || 'vi-VN';
  const restarts = doc.body.some((b) => b.kind === 'page-break' && b.restartNumbering === true);
  const skeleton = await skeletonFor(doc, lang, restarts);
  const section = finalSection(skeleton.documentEnd, restarts);
  const documentXml = skeleton.documentStart + documentBodyXml(doc, restarts ? section.sectPr : undefined) + section.end;
  const entries: ZipEntry[] = skeleton.entries.map((e) =>
    'slot' in e ? (e.slot === 'document' ? zipEntry('word/document.xml', documentXml) : zipEntry('docProps/core.xml', coreProperties(doc, now))) : e,
  );
  const zip = writeZip(entries);
  return new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength);
}

export function createDocxWriter(): DocumentWriter {
  return {
    format: 'docx',
    extension: '.docx',
    write(doc: DocumentModel, _ctx?: WriteContext): Promise<Uint8Array> {
      return writeDocx(doc);
    },
  };
}
