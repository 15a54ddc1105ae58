// Archive mode on every sample: the PDF/A-3b checklist with the real tools, and the embedded record round trip.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { archiveFinisher, createArchiveFinisher } from '../../src/archive/finisher.js';
import { extractRecord } from '../../src/archive/extract.js';
import { readVnformProperties } from '../../src/archive/xmp.js';
import { VERSION } from '../../src/version.js';
import { pdfText, tmpDir } from '../support/tools.js';
import * as check from './checklist.js';
import { nameIn, sampleRecords, standInPdf, validator } from './stand-in-pdf.js';

const dir = tmpDir('bieumau-pdfa-');
const samples = sampleRecords();
const files: Array<{ label: string; formId: string; record: unknown; file: string }> = [];

beforeAll(async () => {
  for (const s of samples) {
    const file = path.join(dir, `${s.formId}-${s.index + 1}.pdf`);
    fs.writeFileSync(file, await standInPdf(s.formId, s.record, [archiveFinisher]));
    files.push({ label: `${s.formId} #${s.index + 1}`, formId: s.formId, record: s.record, file });
  }
});

describe('the checklist itself', () => {
  it('reads an /ID whatever form qpdf shows it in (a literal string when its bytes are mostly printable)', async () => {
    const { PDFDocument, PDFHexString } = await import('@cantoo/pdf-lib');
    const bytes = Uint8Array.from([0x41, 0x28, 0x5c, 0x29, 0x0a, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x9f]);
    const pdf = await PDFDocument.create();
    pdf.addPage();
    const id = PDFHexString.fromBytes(bytes);
    pdf.context.trailerInfo.ID = pdf.context.obj([id, id]);
    const file = path.join(dir, 'printable-id.pdf');
    fs.writeFileSync(file, await pdf.save({ useObjectStreams: false }));
    expect(check.trailer(file)).toMatch(/\/ID \[ \(/);
    const hex = Buffer.from(bytes).toString('hex');
    expect(check.trailerId(file)).toBe(`<${hex}> <${hex}>`);
  });
});

describe('archive PDFs of every sample', () => {
  it('covers every sample record of every form', () => {
    expect(samples.length).toBeGreaterThanOrEqual(7);
    expect(new Set(samples.map((s) => s.formId)).size).toBe(fs.readdirSync(path.join(__dirname, '../../samples')).filter((f) => f.endsWith('.json')).length);
  });

  it('passes checklist 1–9 and 11–12, 15 (syntax, no encryption, /ID, PDF/A id, XMP, Info ≡ XMP, OutputIntent, fonts, no scripts, attachment)', () => {
    for (const f of files) {
      const where = f.label;
      expect(check.qpdfCheck(f.file).code, where).toBe(0);
      expect(check.encrypted(f.file), where).toBe(false);
      expect(check.trailerId(f.file), where).toMatch(/^<[0-9a-f]{32}> <[0-9a-f]{32}>$/);
      const tags = check.exifTags(f.file);
      expect(check.pdfaId(f.file, tags), where).toBe('3 B');
      const x = check.xmp(f.file);
      expect(x.wellFormed, where).toBe(true);
      expect(x.header, where).not.toMatch(/bytes=|encoding=/);
      for (const pair of check.infoXmpPairs(f.file, tags)) {
        expect(pair.values.length, `${where} ${pair.pair}`).toBe(2);
        expect(new Set(pair.values).size, `${where} ${pair.pair}: ${pair.values.join(' | ')}`).toBe(1);
      }
      const oi = check.outputIntent(f.file, dir);
      expect(oi, where).toEqual({ s: 'GTS_PDFA1', iccVersion: '02', iccClass: 'mntrRGB ' });
      const fonts = check.fonts(f.file);
      expect(fonts.length, where).toBeGreaterThan(0);
      for (const font of fonts) expect(font, `${where} ${font.name}`).toMatchObject({ emb: 'yes', uni: 'yes' });
      expect(pdfText(f.file), where).toContain(nameIn(f.record));
      expect(check.scripts(f.file), where).toEqual({ javascript: 'no', forbiddenKeys: [] });
      const af = check.associatedFile(f.file);
      expect(af.relationship, where).toBe('/Source');
      expect(af.subtype, where).toBe('/application#2Fjson');
      expect(af.uf, where).toBe('<FEFF0064006100740061002E006A0073006F006E>');
      expect(af.list, where).toMatch(/1: data\.json/);
      const detached = check.detach(f.file, dir);
      const props = readVnformProperties(x.text);
      expect(props?.DataSHA256, where).toBe(createHash('sha256').update(detached).digest('hex'));
      expect(JSON.parse(detached.toString('utf8')), where).toEqual(f.record);
      expect(check.revisions(f.file), where).toEqual({ eofCount: 1, endsWithEof: true });
    }
  });

  it('declares form, schema version and hashes under vnform:, with a PDF/A extension schema', () => {
    const f = files[0]!;
    const form = validator().forms.get(f.formId);
    const x = check.xmp(f.file).text;
    expect(readVnformProperties(x)).toMatchObject({
      FormId: form.id,
      SchemaVersion: form.version,
      SchemaSHA256: form.schemaHash,
      DataFileName: 'data.json',
      Generator: `bieumau ${VERSION}`,
    });
    // Every vnform property used is declared in pdfaExtension:schemas (ISO 19005-3 6.6.2.3).
    const used = [...x.matchAll(/<vnform:(\w+)>/g)].map((m) => m[1]);
    for (const name of used) expect(x).toContain(`<pdfaProperty:name>${name}</pdfaProperty:name>`);
    expect(x).toContain('<pdfaSchema:prefix>vnform</pdfaSchema:prefix>');
    expect(x).toContain('<pdfaSchema:namespaceURI>urn:bieumau:vnform:1p0#</pdfaSchema:namespaceURI>');
  });

  it('renders in Ghostscript without error', () => {
    for (const f of files.slice(0, 3)) expect(check.ghostscriptRenders(f.file), f.label).toBe(true);
  });

  it('extract returns exactly the rendered record for every sample', async () => {
    for (const f of files) {
      const got = await extractRecord(new Uint8Array(fs.readFileSync(f.file)));
      expect(got.record, f.label).toEqual(f.record);
      expect(got.hashMatches, f.label).toBe(true);
      expect(got.properties.FormId, f.label).toBe(f.formId);
    }
  });

  it('without seal fields or without any fields when asked', async () => {
    const s = samples[0]!;
    const noSeal = path.join(dir, 'no-seal.pdf');
    fs.writeFileSync(noSeal, await standInPdf(s.formId, s.record, [createArchiveFinisher({ sealFields: false })]));
    expect(check.fieldNames(noSeal)).toEqual(['u:signer']);
    const none = path.join(dir, 'no-fields.pdf');
    fs.writeFileSync(none, await standInPdf(s.formId, s.record, [createArchiveFinisher({ signatureFields: false })]));
    expect(check.fieldNames(none)).toEqual([]);
    expect(check.pdfaId(none)).toBe('3 B');
  });

  it('places empty signature fields "signer" and "seal" (printable, with an appearance)', () => {
    const f = files[0]!;
    expect(check.fieldNames(f.file).sort()).toEqual(['u:seal', 'u:signer']);
    const json = fs.readFileSync(f.file).toString('latin1');
    expect(json).toMatch(/\/FT \/Sig/);
    expect(json).not.toMatch(/\/NeedAppearances/);
  });
});
