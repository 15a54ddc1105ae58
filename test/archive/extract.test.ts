// `bieumau extract`: the record comes back byte for byte and is validated; other PDFs say they hold no bieumau data.
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { archiveFinisher } from '../../src/archive/finisher.js';
import { serializeRecord } from '../../src/archive/embedded-data.js';
import { cli } from '../support/cli.js';
import { libreOfficeConvert, tmpDir } from '../support/tools.js';
import { sampleRecords, standInPdf } from './stand-in-pdf.js';

const dir = tmpDir('bieumau-extract-');
const f = (name: string) => path.join(dir, name);
const sample = sampleRecords().find((s) => s.formId === 'commitment') ?? sampleRecords()[0]!;

beforeAll(async () => {
  fs.writeFileSync(f('doc.pdf'), await standInPdf(sample.formId, sample.record, [archiveFinisher]));
});

describe('bieumau extract', () => {
  it('writes the embedded record to --out, byte-identical to what was embedded, and validates it (exit 0)', async () => {
    const r = await cli('extract', f('doc.pdf'), '--out', f('out.json'), '--lang', 'en');
    expect(r.code).toBe(0);
    expect(fs.readFileSync(f('out.json')).equals(Buffer.from(serializeRecord(sample.record)))).toBe(true);
    expect(JSON.parse(fs.readFileSync(f('out.json'), 'utf8'))).toEqual(sample.record);
    expect(r.stderr).toContain(`${sample.formId}`);
  });

  it('prints the record on stdout without --out', async () => {
    const r = await cli('extract', f('doc.pdf'));
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(sample.record);
  });

  it('a PDF from another program: "no bieumau data", exit 2', async () => {
    const other = await PDFDocument.create();
    other.addPage();
    await other.attach(new TextEncoder().encode('{"a":1}'), 'data.json', { mimeType: 'application/json' });
    fs.writeFileSync(f('other.pdf'), await other.save());
    const r = await cli('extract', f('other.pdf'), '--lang', 'en');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('This PDF holds no bieumau data');
    const vi = await cli('extract', f('other.pdf'));
    expect(vi.stderr).toContain('không chứa dữ liệu bieumau');
  });

  it('a PDF written by LibreOffice is recognised as not ours as well', async () => {
    fs.writeFileSync(f('letter.txt'), 'Kính gửi: Ban Tổ chức\n');
    const [pdf] = libreOfficeConvert([f('letter.txt')], dir, 'pdf');
    const r = await cli('extract', pdf!, '--lang', 'en');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no bieumau data');
  });

  it('embedded data that fails its form: the issues are listed, exit 1', async () => {
    const broken = JSON.parse(JSON.stringify(sample.record)) as Record<string, unknown>;
    const firstKey = Object.keys(broken)[0]!;
    delete broken[firstKey];
    broken.unexpectedField = 1;
    fs.writeFileSync(f('broken.pdf'), await standInPdf(sample.formId, broken, [archiveFinisher]));
    const r = await cli('extract', f('broken.pdf'), '--out', f('broken.json'), '--lang', 'en');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/✗/);
    expect(JSON.parse(fs.readFileSync(f('broken.json'), 'utf8'))).toEqual(broken);
  });

  it('not a PDF at all: says so, exit 2', async () => {
    fs.writeFileSync(f('not.pdf'), 'hello');
    const r = await cli('extract', f('not.pdf'), '--lang', 'en');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Cannot read the PDF');
  });
});
