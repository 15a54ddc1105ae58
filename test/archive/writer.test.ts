// The seam with the real PDF writer: createPdfWriter + archiveFinisher for every sample record, then the
// checklist, signing of the "signer" and "seal" fields the writer's signature space produced, and extract.
// Until the template builder lands the model is a plain listing of each record (title, fields, signature block).
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { archiveFinisher } from '../../src/archive/finisher.js';
import { extractRecord } from '../../src/archive/extract.js';
import { loadPkcs12 } from '../../src/archive/pkcs12.js';
import { signPdf } from '../../src/archive/sign.js';
import { verifyPdf } from '../../src/archive/verify.js';
import { readPemCertificates } from '../../src/archive/chain.js';
import type { Block, DocumentModel, ResolvedStyle } from '../../src/model/types.js';
import { createPdfWriter } from '../../src/render/pdf/index.js';
import { pdfText, tmpDir } from '../support/tools.js';
import * as check from './checklist.js';
import { blueSignaturePng, redSealPng } from './images.js';
import { makePki } from './pki.js';
import { nameIn, sampleRecords, validator } from './stand-in-pdf.js';

const MM = 72 / 25.4;
const dir = tmpDir('bieumau-writer-');
const pki = makePki();

function style(over: Partial<ResolvedStyle>): ResolvedStyle {
  return {
    font: 'Times New Roman', size: 14, bold: false, italic: false, underline: false, uppercase: false, align: 'left',
    firstLineIndent: 0, indentLeft: 0, indentRight: 0, spaceBefore: 0, spaceAfter: 3,
    lineSpacing: { kind: 'multiple', value: 1 }, keepWithNext: false, keepTogether: false, color: '000000', ...over,
  };
}

/** "label: value" lines for every text or number in the record, in order. */
function listing(record: unknown, prefix = ''): string[] {
  if (record === null || record === undefined) return [];
  if (typeof record !== 'object') return [`${prefix}: ${String(record)}`];
  return Object.entries(record as Record<string, unknown>).flatMap(([k, v]) => listing(v, prefix ? `${prefix}.${k}` : k));
}

function model(formId: string, record: unknown): DocumentModel {
  const form = validator().forms.get(formId);
  const para = (s: string, text: string): Block => ({ kind: 'paragraph', style: s, runs: [{ text }] });
  return {
    profile: form.meta.profile,
    meta: { title: form.title, subject: form.titleEn, author: nameIn(record), keywords: ['đánh giá', 'xếp loại'], language: 'vi-VN', formId, formVersion: form.version },
    page: { width: 210 * MM, height: 297 * MM, margins: { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM } },
    pageNumbering: { show: true, fromPage: 2, format: '{page}', style: 'body', offsetTop: 10 * MM },
    styles: { title: style({ bold: true, align: 'center', spaceAfter: 12 }), body: style({ size: 13 }), signer: style({ bold: true, align: 'center' }) },
    body: [
      para('title', form.title.toUpperCase()),
      ...listing(record).slice(0, 60).map((l) => para('body', l)),
      {
        kind: 'signature',
        widths: [1, 1],
        left: [para('body', 'Nơi nhận: như trên.')],
        right: [para('signer', 'NGƯỜI KÊ KHAI'), { kind: 'signature-space', height: 70, field: 'signer' }, para('signer', nameIn(record))],
      },
    ],
  };
}

const files: Array<{ label: string; record: unknown; file: string }> = [];

beforeAll(async () => {
  const writer = createPdfWriter();
  for (const s of sampleRecords()) {
    const form = validator().forms.get(s.formId);
    const bytes = await writer.write(model(s.formId, s.record), { form, record: s.record, pdfFinishers: [archiveFinisher] });
    const file = path.join(dir, `${s.formId}-${s.index + 1}.pdf`);
    fs.writeFileSync(file, bytes);
    files.push({ label: `${s.formId} #${s.index + 1}`, record: s.record, file });
  }
}, 600_000);

describe('real PDF writer + archiveFinisher, every sample', () => {
  it('meets the PDF/A checklist and gives back exactly the rendered record', async () => {
    for (const f of files) {
      const where = f.label;
      expect(check.qpdfCheck(f.file).code, where).toBe(0);
      const tags = check.exifTags(f.file);
      expect(check.pdfaId(f.file, tags), where).toBe('3 B');
      expect(check.xmp(f.file).wellFormed, where).toBe(true);
      for (const pair of check.infoXmpPairs(f.file, tags)) expect(new Set(pair.values).size, `${where} ${pair.pair}: ${pair.values.join(' | ')}`).toBe(1);
      expect(check.trailerId(f.file), where).toBeDefined();
      expect(check.outputIntent(f.file, dir), where).toEqual({ s: 'GTS_PDFA1', iccVersion: '02', iccClass: 'mntrRGB ' });
      for (const font of check.fonts(f.file)) expect(font, `${where} ${font.name}`).toMatchObject({ emb: 'yes', uni: 'yes' });
      expect(check.scripts(f.file), where).toEqual({ javascript: 'no', forbiddenKeys: [] });
      expect(check.associatedFile(f.file).relationship, where).toBe('/Source');
      expect(pdfText(f.file), where).toContain(nameIn(f.record));
      expect((await extractRecord(new Uint8Array(fs.readFileSync(f.file)))).record, where).toEqual(f.record);
    }
  });

  it('signer and seal sign the fields the writer placed; pdfsig and verify accept both', async () => {
    const signer = loadPkcs12(fs.readFileSync(pki.signerP12), pki.password);
    const seal = loadPkcs12(fs.readFileSync(pki.sealP12), pki.password);
    const trust = readPemCertificates(fs.readFileSync(pki.rootPem, 'utf8'));
    for (const f of files.slice(0, 4)) {
      const one = await signPdf(new Uint8Array(fs.readFileSync(f.file)), signer, { field: 'signer', image: blueSignaturePng() });
      const two = await signPdf(one.pdf, seal, { field: 'seal', image: redSealPng() });
      const out = f.file.replace(/\.pdf$/, '-signed.pdf');
      fs.writeFileSync(out, two.pdf);
      const text = check.pdfsig(out, pki.nssDir);
      expect(text.match(/Signature is Valid\./g)?.length, f.label).toBe(2);
      expect(text, f.label).toContain('Total document signed');
      expect(text, f.label).not.toContain('Digest Mismatch');
      expect(check.qpdfCheck(out).code, f.label).toBe(0);
      expect(check.pdfaId(out), f.label).toBe('3 B');
      expect((await verifyPdf(two.pdf, { trust })).valid, f.label).toBe(true);
    }
    const png = check.renderPng(files[0]!.file.replace(/\.pdf$/, '-signed.pdf'), dir, 60);
    fs.copyFileSync(png, path.join(tmpDir('bieumau-look-'), 'writer-signed.png'));
  });
});
