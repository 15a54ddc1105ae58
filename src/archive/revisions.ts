// What changed in a PDF after a signed revision, and whether each change is one a later signature may make
// (new signature values and appearances, their fields in /Fields and /Annots, DSS), in the spirit of pyHanko's diff policy.
import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, PDFStream, type PDFDocument, type PDFObject } from '@cantoo/pdf-lib';
import type { Bilingual } from '../i18n.js';

export interface RevisionChange {
  allowed: boolean;
  what: Bilingual;
}

function serialize(obj: PDFObject): string {
  if (obj instanceof PDFRawStream) return `${obj.dict.toString()}#${Buffer.from(obj.contents).toString('base64')}`;
  if (obj instanceof PDFStream) return `${obj.dict.toString()}#${Buffer.from(obj.getContents()).toString('base64')}`;
  return obj.toString();
}

function typeOf(obj: PDFObject | undefined): string | undefined {
  const dict = obj instanceof PDFDict ? obj : obj instanceof PDFStream ? obj.dict : undefined;
  return dict?.lookupMaybe(PDFName.of('Type'), PDFName)?.decodeText();
}

function refsOf(arr: PDFArray | undefined): string[] {
  return arr ? arr.asArray().map((o) => o.toString()) : [];
}

/** Keys whose values differ between two dictionaries. */
function changedKeys(a: PDFDict, b: PDFDict): string[] {
  const keys = new Set([...a.keys(), ...b.keys()].map((k) => k.decodeText()));
  return [...keys].filter((k) => {
    const x = a.get(PDFName.of(k));
    const y = b.get(PDFName.of(k));
    return (x ? x.toString() : '') !== (y ? y.toString() : '');
  });
}

type Objects = Map<string, PDFObject>;

function isSignatureFieldDict(dict: PDFDict | undefined): boolean {
  return dict?.lookupMaybe(PDFName.of('FT'), PDFName)?.decodeText() === 'Sig';
}

/** A signature field with its merged widget (ours), or a widget whose parent is a signature field (other tools). */
function isSignatureWidget(objects: Objects, ref: string): boolean {
  const obj = objects.get(ref);
  if (!(obj instanceof PDFDict)) return false;
  if (isSignatureFieldDict(obj)) return true;
  const parent = obj.get(PDFName.of('Parent'));
  return obj.lookupMaybe(PDFName.of('Subtype'), PDFName)?.decodeText() === 'Widget' && parent instanceof PDFRef && isSignatureFieldDict(objects.get(parent.toString()) as PDFDict | undefined);
}

/** `after` keeps every entry of `before`, in order, and adds only signature fields. */
function onlySignaturesAppended(before: string[], after: string[], objects: Objects): boolean {
  if (after.length < before.length || before.some((r, i) => after[i] !== r)) return false;
  return after.slice(before.length).every((r) => isSignatureWidget(objects, r));
}

function arrayAt(dict: PDFDict, key: string): PDFArray | undefined {
  return dict.lookupMaybe(PDFName.of(key), PDFArray);
}

/** AcroForm keys a signature may add or change besides /Fields. */
const ACROFORM_ALLOWED = ['Fields', 'SigFlags', 'DR', 'DA'];

/** The AcroForm after (`acro`) differs from the one before (`prev`, absent when the signature added it) only by new signature fields. */
function acroFormOnlyGained(prev: PDFDict | undefined, acro: PDFDict, objects: Objects): boolean {
  const bad = prev ? changedKeys(prev, acro).filter((k) => !ACROFORM_ALLOWED.includes(k)) : acro.keys().map((k) => k.decodeText()).filter((k) => !ACROFORM_ALLOWED.includes(k));
  return bad.length === 0 && onlySignaturesAppended(refsOf(prev ? arrayAt(prev, 'Fields') : undefined), refsOf(arrayAt(acro, 'Fields')), objects);
}

/** Labels for objects a reader cares about: page content streams, embedded files, metadata. */
function describe(pdf: PDFDocument): Map<string, Bilingual> {
  const labels = new Map<string, Bilingual>();
  pdf.getPages().forEach((page, i) => {
    labels.set(page.ref.toString(), { vi: `trang ${i + 1}`, en: `page ${i + 1}` });
    const contents = page.node.get(PDFName.of('Contents'));
    const refs = contents instanceof PDFRef ? [contents] : contents instanceof PDFArray ? contents.asArray() : [];
    const arr = contents instanceof PDFRef ? page.node.lookup(PDFName.of('Contents')) : undefined;
    if (arr instanceof PDFArray) refs.push(...arr.asArray());
    for (const r of refs) labels.set(r.toString(), { vi: `nội dung trang ${i + 1}`, en: `content of page ${i + 1}` });
  });
  const meta = pdf.catalog.get(PDFName.of('Metadata'));
  if (meta) labels.set(meta.toString(), { vi: 'siêu dữ liệu XMP', en: 'XMP metadata' });
  const info = pdf.context.trailerInfo.Info;
  if (info) labels.set(info.toString(), { vi: 'thông tin tài liệu (Info: tiêu đề, tác giả…)', en: 'document information (Info: title, author…)' });
  return labels;
}

/**
 * Compares the document as signed (`before`, parsed from the bytes the signature covers) with the whole
 * file (`after`). New objects are harmless on their own; every changed object is judged.
 */
export function compareRevisions(before: PDFDocument, after: PDFDocument): RevisionChange[] {
  const changes: RevisionChange[] = [];
  const old: Objects = new Map(before.context.enumerateIndirectObjects().map(([r, o]) => [r.toString(), o] as const));
  const current: Objects = new Map(after.context.enumerateIndirectObjects().map(([r, o]) => [r.toString(), o] as const));
  const labels = describe(after);
  const catalogRef = after.context.trailerInfo.Root?.toString();
  const acroRef = after.catalog.get(PDFName.of('AcroForm'))?.toString();
  const oldAcroRef = before.catalog.get(PDFName.of('AcroForm'))?.toString();
  const forbid = (what: Bilingual) => changes.push({ allowed: false, what });
  const allow = (what: Bilingual) => changes.push({ allowed: true, what });

  for (const [key, obj] of current) {
    const prev = old.get(key);
    if (!prev || serialize(prev) === serialize(obj)) continue;
    const label = labels.get(key);
    const type = typeOf(obj);
    if (key === catalogRef && obj instanceof PDFDict && prev instanceof PDFDict) {
      // A later signature may add the AcroForm (first field), a DSS (validation data) or /Perms.
      const changed = changedKeys(prev, obj);
      const bad = changed.filter((k) => !['AcroForm', 'DSS', 'Perms'].includes(k));
      if (bad.length) forbid({ vi: `danh mục tài liệu (Catalog) đổi mục ${bad.map((k) => `/${k}`).join(', ')}`, en: `document catalog entries ${bad.map((k) => `/${k}`).join(', ')} changed` });
      // An AcroForm added, replaced or kept as a direct dictionary is judged here; one changed in place, below.
      if (changed.includes('AcroForm')) {
        const acro = after.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
        const prevAcro = before.catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
        if (!acro || !acroFormOnlyGained(prevAcro, acro, current)) forbid({ vi: 'danh sách trường biểu mẫu (AcroForm) bị thay đổi', en: 'the form fields (AcroForm) were changed' });
        else allow({ vi: 'thêm trường chữ ký vào AcroForm', en: 'signature field added to AcroForm' });
      }
      continue;
    }
    if ((key === acroRef || key === oldAcroRef) && obj instanceof PDFDict && prev instanceof PDFDict) {
      if (!acroFormOnlyGained(prev, obj, current)) forbid({ vi: 'danh sách trường biểu mẫu (AcroForm) bị thay đổi', en: 'the form fields (AcroForm) were changed' });
      else allow({ vi: 'thêm trường chữ ký vào AcroForm', en: 'signature field added to AcroForm' });
      continue;
    }
    if (type === 'Page' && obj instanceof PDFDict && prev instanceof PDFDict) {
      const bad = changedKeys(prev, obj).filter((k) => k !== 'Annots');
      const annotsOk = onlySignaturesAppended(refsOf(arrayAt(prev, 'Annots')), refsOf(arrayAt(obj, 'Annots')), current);
      const content = label ?? { vi: 'một trang', en: 'a page' };
      if (bad.includes('Contents') || bad.includes('Resources')) forbid({ vi: `${content.vi}: nội dung bị thay đổi`, en: `${content.en}: its content was changed` });
      else if (bad.length || !annotsOk) forbid({ vi: `${content.vi}: ${bad.length ? bad.map((k) => `/${k}`).join(', ') : 'chú thích'} bị thay đổi`, en: `${content.en}: ${bad.length ? bad.map((k) => `/${k}`).join(', ') : 'annotations'} changed` });
      else allow({ vi: `${content.vi}: thêm ô chữ ký`, en: `${content.en}: signature widget added` });
      continue;
    }
    if (obj instanceof PDFDict && prev instanceof PDFDict && isSignatureFieldDict(obj)) {
      const wasSigned = prev.get(PDFName.of('V')) !== undefined;
      const bad = changedKeys(prev, obj).filter((k) => !['V', 'AP', 'F', 'MK', 'Lock', 'SV'].includes(k));
      if (wasSigned || bad.length) forbid({ vi: 'một trường chữ ký đã ký bị thay đổi', en: 'a signed signature field was changed' });
      else allow({ vi: 'điền chữ ký vào trường trống', en: 'an empty signature field was signed' });
      continue;
    }
    if (obj instanceof PDFArray && prev instanceof PDFArray && onlySignaturesAppended(refsOf(prev), refsOf(obj), current)) {
      allow({ vi: 'thêm ô chữ ký vào danh sách', en: 'signature widget appended to a list' });
      continue;
    }
    if (type === 'EmbeddedFile' || type === 'Filespec') {
      forbid({ vi: 'tệp đính kèm (dữ liệu nhúng) bị thay đổi', en: 'an embedded file (the embedded data) was changed' });
      continue;
    }
    if (label) {
      forbid({ vi: `${label.vi} bị thay đổi`, en: `${label.en} changed` });
      continue;
    }
    forbid({ vi: `đối tượng ${key}${type ? ` (${type})` : ''} bị thay đổi`, en: `object ${key}${type ? ` (${type})` : ''} changed` });
  }
  // Pages added or removed show as a changed page tree (caught above as an unlabelled object).
  return changes;
}
