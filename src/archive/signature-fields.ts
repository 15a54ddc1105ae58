// Signature fields in a PDF: empty ones placed at the layout's signature spaces, found again by name.
import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFDocument } from '@cantoo/pdf-lib';
import type { Rect } from './look.js';

export interface SignatureFieldInfo {
  name: string;
  ref: PDFRef;
  dict: PDFDict;
  /** 0-based page index, when the widget names or is listed on a page. */
  page?: number;
  rect: Rect;
  /** The field already holds a signature (/V). */
  signed: boolean;
}

function fieldName(dict: PDFDict): string | undefined {
  const t = dict.lookup(PDFName.of('T'));
  return t instanceof PDFString || t instanceof PDFHexString ? t.decodeText() : undefined;
}

function rectOf(dict: PDFDict): Rect {
  const r = dict.lookupMaybe(PDFName.of('Rect'), PDFArray);
  const n = r ? r.asArray().map((_, i) => r.lookupMaybe(i, PDFNumber)?.asNumber() ?? 0) : [0, 0, 0, 0];
  const [x1, y1, x2, y2] = n as [number, number, number, number];
  return { x: Math.min(x1, x2), y: Math.min(y1, y2), width: Math.abs(x2 - x1), height: Math.abs(y2 - y1) };
}

/** Every signature field (FT /Sig) in the AcroForm, with its widget's page and rectangle. */
export function listSignatureFields(pdf: PDFDocument): SignatureFieldInfo[] {
  const acro = pdf.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const fields = acro?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  if (!fields) return [];
  const pageOf = new Map<string, number>();
  pdf.getPages().forEach((page, index) => {
    const annots = page.node.Annots();
    annots?.asArray().forEach((a) => {
      if (a instanceof PDFRef) pageOf.set(a.toString(), index);
    });
  });
  const out: SignatureFieldInfo[] = [];
  for (let i = 0; i < fields.size(); i++) {
    const ref = fields.get(i);
    const dict = fields.lookupMaybe(i, PDFDict);
    if (!(ref instanceof PDFRef) || !dict) continue;
    if (dict.lookupMaybe(PDFName.of('FT'), PDFName)?.decodeText() !== 'Sig') continue;
    const name = fieldName(dict) ?? '';
    // A field with one merged widget (ours), or a parent whose first kid is the widget (other tools).
    const kids = dict.lookupMaybe(PDFName.of('Kids'), PDFArray);
    const widgetRef = kids ? kids.get(0) : ref;
    const widget = kids ? (kids.lookupMaybe(0, PDFDict) ?? dict) : dict;
    out.push({
      name,
      ref,
      dict,
      page: widgetRef instanceof PDFRef ? pageOf.get(widgetRef.toString()) : undefined,
      rect: rectOf(widget),
      signed: dict.lookup(PDFName.of('V')) !== undefined,
    });
  }
  return out;
}

/** `base`, or `base-2`, `base-3`… so that no two fields share a name (ISO 32000 12.7.3.2; PDF/A signatures). */
export function uniqueFieldName(pdf: PDFDocument, base: string): string {
  const taken = new Set(listSignatureFields(pdf).map((f) => f.name));
  const acro = pdf.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  const fields = acro?.lookupMaybe(PDFName.of('Fields'), PDFArray);
  fields?.asArray().forEach((_, i) => {
    const d = fields.lookupMaybe(i, PDFDict);
    const n = d ? fieldName(d) : undefined;
    if (n) taken.add(n);
  });
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}-${i}`)) return `${base}-${i}`;
}

/** A literal string for plain ASCII (what other tools show best), UTF-16 otherwise. */
export function pdfText(text: string): PDFString | PDFHexString {
  return /^[\x20-\x7e]*$/.test(text) ? PDFString.of(text.replace(/[\\()]/g, (c) => `\\${c}`)) : PDFHexString.fromText(text);
}

/** A Form XObject drawing nothing, the appearance of an empty field (PDF/A wants /AP /N on every widget). */
function emptyAppearance(pdf: PDFDocument, rect: Rect): PDFRef {
  const stream = pdf.context.formXObject([], { BBox: [0, 0, rect.width, rect.height], Resources: {} });
  return pdf.context.register(stream);
}

/**
 * Lists the widget in the page's /Annots and touches nothing else of the page. pdf-lib's addAnnot
 * "normalizes" the page first: it wraps /Contents in q…Q streams and rebuilds /Resources, which on a signed
 * PDF is a change to the signed page content that verifiers must reject.
 */
function appendAnnot(pdf: PDFDocument, page: PDFDict, ref: PDFRef): void {
  const annots = page.lookup(PDFName.of('Annots'));
  if (annots instanceof PDFArray) annots.push(ref);
  else page.set(PDFName.of('Annots'), pdf.context.obj([ref]));
}

/**
 * Adds an unsigned signature field with one merged widget: printable (F 4), never hidden, an empty
 * appearance, listed in the page's /Annots and the AcroForm's /Fields. Returns the field's reference.
 */
export function addSignatureField(pdf: PDFDocument, name: string, pageIndex: number, rect: Rect): PDFRef {
  const page = pdf.getPage(pageIndex);
  const widget = pdf.context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    T: pdfText(name),
    Rect: [rect.x, rect.y, rect.x + rect.width, rect.y + rect.height],
    F: 4,
    P: page.ref,
    AP: { N: emptyAppearance(pdf, rect) },
  });
  const ref = pdf.context.register(widget);
  appendAnnot(pdf, page.node, ref);
  const acro = pdf.catalog.getOrCreateAcroForm();
  acro.addField(ref);
  // SignaturesExist; AppendOnly is added when the first signature is (ISO 32000 table 219).
  if (!acro.dict.has(PDFName.of('SigFlags'))) acro.dict.set(PDFName.of('SigFlags'), PDFNumber.of(1));
  return ref;
}
