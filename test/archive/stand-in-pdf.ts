// Builds PDFs the way the PDF writer does (pdf-lib, embedded Tinos, finishers before a save without object
// streams) for the archive tests, from real forms and sample records.
import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from '@cantoo/fontkit';
import { PDFDocument, rgb } from '@cantoo/pdf-lib';
import { TINOS_FILES } from '../../src/fonts/families.js';
import { loadRegistry } from '../../src/forms/registry.js';
import type { DocumentModel } from '../../src/model/types.js';
import type { PdfFinisher, PdfLayoutInfo, WriteContext } from '../../src/render/writers.js';
import { loadRules } from '../../src/rules/registry.js';
import { FormValidator } from '../../src/validate/validator.js';
import { PACKAGE_ROOT } from '../../src/paths.js';

let validatorCache: FormValidator | undefined;
export function validator(): FormValidator {
  if (!validatorCache) {
    const registry = loadRegistry([]);
    validatorCache = new FormValidator(registry, loadRules(registry.ruleDirs));
  }
  return validatorCache;
}

/** Every record of every shipped sample, validated and normalised, with its form id. */
export function sampleRecords(): Array<{ formId: string; index: number; record: unknown }> {
  const dir = path.join(PACKAGE_ROOT, 'samples');
  const out: Array<{ formId: string; index: number; record: unknown }> = [];
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const formId = file.replace(/\.json$/, '');
    const data = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as unknown;
    const records = Array.isArray(data) ? data : [data];
    records.forEach((r, index) => {
      const result = validator().validate(formId, r);
      out.push({ formId, index, record: result.record });
    });
  }
  return out;
}

/** A person's name somewhere in the record, to draw and to look for in the text. */
export function nameIn(record: unknown): string {
  const found: string[] = [];
  const walk = (v: unknown, key: string): void => {
    if (found.length) return;
    if (typeof v === 'string' && /name/i.test(key) && v.trim()) found.push(v);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
  };
  walk(record, '');
  return found[0] ?? 'Nguyễn Văn An';
}

const MM = 72 / 25.4;

/** Renders a small official-looking page: title, the person, text, and a signature block with a "signer" space. */
export async function standInPdf(formId: string, record: unknown, finishers: PdfFinisher[], signerName = nameIn(record)): Promise<Uint8Array> {
  const form = validator().forms.get(formId);
  const pdf = await PDFDocument.create({ updateMetadata: false });
  pdf.registerFontkit(fontkit);
  const regular = await pdf.embedFont(fs.readFileSync(TINOS_FILES.regular), { subset: true });
  const bold = await pdf.embedFont(fs.readFileSync(TINOS_FILES.bold), { subset: true });
  const page = pdf.addPage([210 * MM, 297 * MM]);
  const black = rgb(0, 0, 0);
  const center = (text: string, y: number, font = bold, size = 14) => page.drawText(text, { x: (page.getWidth() - font.widthOfTextAtSize(text, size)) / 2, y, font, size, color: black });
  center('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 780, bold, 13);
  center('Độc lập - Tự do - Hạnh phúc', 762, bold, 14);
  center(form.title.toUpperCase(), 700, bold, 14);
  page.drawText(`Họ và tên: ${nameIn(record)}`, { x: 30 * MM, y: 660, font: regular, size: 14, color: black });
  page.drawText('Tôi cam đoan những nội dung kê khai trên là đúng sự thật.', { x: 30 * MM, y: 640, font: regular, size: 14, color: black });
  // The signature block: title lines, the space, then the printed name (right half of the page).
  const colX = 110 * MM;
  const colW = 80 * MM;
  const inCol = (text: string, y: number, font = bold) => page.drawText(text, { x: colX + (colW - font.widthOfTextAtSize(text, 14)) / 2, y, font, size: 14, color: black });
  inCol('TM. ỦY BAN NHÂN DÂN', 560);
  inCol('CHỦ TỊCH', 543);
  const area = { x: colX, y: 460, width: colW, height: 75 };
  inCol(signerName, 440);
  const layout: PdfLayoutInfo = { pageCount: 1, signatureAreas: [{ field: 'signer', page: 0, rect: area }] };
  const doc = {
    profile: form.meta.profile,
    meta: { title: form.title, subject: form.titleEn, author: 'Văn phòng Đảng ủy', keywords: ['đánh giá', 'xếp loại'], language: 'vi-VN', formId, formVersion: form.version },
  } as unknown as DocumentModel;
  const ctx: WriteContext = { form, record, pdfFinishers: finishers };
  for (const f of finishers) await f(pdf, layout, doc, ctx);
  return pdf.save({ useObjectStreams: false });
}
