// Every sample through the real pipeline: template builder → document model → PDF writer with
// archiveFinisher; then the checklist, extract, and signer + seal on the fields the writer's signature
// spaces produced.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { archiveFinisher, createArchiveFinisher } from '../../src/archive/finisher.js';
import { extractRecord } from '../../src/archive/extract.js';
import { loadPkcs12 } from '../../src/archive/pkcs12.js';
import { signPdf } from '../../src/archive/sign.js';
import { verifyPdf } from '../../src/archive/verify.js';
import { readPemCertificates } from '../../src/archive/chain.js';
import { listSignatureFields } from '../../src/archive/signature-fields.js';
import { buildDocument } from '../../src/render/document.js';
import { createPdfWriter } from '../../src/render/pdf/index.js';
import { PDFDocument } from '@cantoo/pdf-lib';
import { pdfText, tmpDir } from '../support/tools.js';
import * as check from './checklist.js';
import { blueSignaturePng, redSealPng } from './images.js';
import { makePki } from './pki.js';
import { nameIn, sampleRecords, validator } from './stand-in-pdf.js';

const dir = tmpDir('bieumau-writer-');
const pki = makePki();

const files: Array<{ label: string; record: unknown; file: string }> = [];

beforeAll(async () => {
  const writer = createPdfWriter();
  for (const s of sampleRecords()) {
    const form = validator().forms.get(s.formId);
    const bytes = await writer.write(buildDocument(form, s.record), { form, record: s.record, pdfFinishers: [archiveFinisher] });
    const file = path.join(dir, `${s.formId}-${s.index + 1}.pdf`);
    fs.writeFileSync(file, bytes);
    files.push({ label: `${s.formId} #${s.index + 1}`, record: s.record, file });
  }
}, 600_000);

describe('template → PDF writer → archiveFinisher, every sample', () => {
  it('meets the PDF/A checklist and gives back exactly the rendered record', async () => {
    for (const f of files) {
      const where = f.label;
      expect(check.qpdfCheck(f.file).code, where).toBe(0);
      const tags = check.exifTags(f.file);
      expect(check.pdfaId(f.file, tags), where).toBe('3 B');
      expect(check.xmp(f.file).wellFormed, where).toBe(true);
      for (const pair of check.infoXmpPairs(f.file, tags)) {
        // Both present and equal, or both absent (a template without an author, say).
        expect([0, 2], `${where} ${pair.pair}: ${pair.values.join(' | ')}`).toContain(pair.values.length);
        expect(new Set(pair.values).size, `${where} ${pair.pair}: ${pair.values.join(' | ')}`).toBeLessThanOrEqual(1);
      }
      expect(tags['PDF:Title'], where).toBeTruthy();
      expect(check.trailerId(f.file), `${where}: ${check.trailer(f.file)}`).toBeDefined();
      expect(check.outputIntent(f.file, dir), where).toEqual({ s: 'GTS_PDFA1', iccVersion: '02', iccClass: 'mntrRGB ' });
      for (const font of check.fonts(f.file)) expect(font, `${where} ${font.name}`).toMatchObject({ emb: 'yes', uni: 'yes' });
      expect(check.scripts(f.file), where).toEqual({ javascript: 'no', forbiddenKeys: [] });
      expect(check.associatedFile(f.file).relationship, where).toBe('/Source');
      // Table cells wrap long names: compare with whitespace collapsed.
      expect(pdfText(f.file).replace(/\s+/g, ' '), where).toContain(nameIn(f.record));
      expect((await extractRecord(new Uint8Array(fs.readFileSync(f.file)))).record, where).toEqual(f.record);
    }
  });

  it('signer and seal sign the fields the writer placed; pdfsig and verify accept both', async () => {
    const signer = loadPkcs12(fs.readFileSync(pki.signerP12), pki.password);
    const seal = loadPkcs12(fs.readFileSync(pki.sealP12), pki.password);
    const trust = readPemCertificates(fs.readFileSync(pki.rootPem, 'utf8'));
    for (const f of files.filter((x) => /#1$/.test(x.label))) {
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

  it('names the fields after the signature spaces of the template; seal fields for the spaces asked', async () => {
    const s = sampleRecords().find((r) => r.formId === 'self-review' && r.index === 0)!;
    const form = validator().forms.get(s.formId);
    const model = buildDocument(form, s.record);
    const fields = async (finisher: typeof archiveFinisher) => {
      const bytes = await createPdfWriter().write(model, { form, record: s.record, pdfFinishers: [finisher] });
      return listSignatureFields(await PDFDocument.load(bytes)).map((x) => x.name).sort();
    };
    expect(await fields(archiveFinisher)).toEqual(['approver', 'seal', 'signer', 'verifier']);
    expect(await fields(createArchiveFinisher({ sealFields: ['approver', 'verifier'] }))).toEqual(['approver', 'approver-seal', 'signer', 'verifier', 'verifier-seal']);
  });
});
