// `bieumau extract`: the record comes back byte for byte and is validated; other PDFs say they hold no bieumau data.
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument } from '@cantoo/pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { archiveFinisher } from '../../src/archive/finisher.js';
import { serializeRecord } from '../../src/archive/embedded-data.js';
import { readVnformProperties } from '../../src/archive/xmp.js';
import { cli } from '../support/cli.js';
import { libreOfficeConvert, tmpDir } from '../support/tools.js';
import * as check from './checklist.js';
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

  it('re-validates under the rule set the PDF was rendered with (XMP vnform:RuleSetId); --rules overrides it', async () => {
    // A score sheet valid under hp212-2025 (tasks up to 80, general up to 20) but not under the default
    // qd366-2025 (tasks up to 70).
    const record = JSON.parse(fs.readFileSync('samples/score-sheet.json', 'utf8'))[0] as Record<string, any>;
    for (const c of record.criteria) Object.assign(c, { maxPoints: 4, selfPoints: 3.8, verifiedPoints: 3.8 });
    for (const t of record.taskResults) t.points = 18;
    record.scores = { general: 19, tasks: 72, total: 91 };
    record.verifiedScores = { ...record.scores };
    fs.writeFileSync(f('hp212.json'), JSON.stringify(record));
    const out = f('hp212');
    const r = await cli('render', 'score-sheet', f('hp212.json'), '--rules', 'hp212-2025', '--format', 'pdf', '--archive', '--out', out, '--lang', 'en');
    expect(r.code).toBe(0);
    const pdf = path.join(out, fs.readdirSync(out).find((n) => n.endsWith('.pdf'))!);
    const xmp = check.xmp(pdf);
    expect(xmp.wellFormed).toBe(true);
    expect(readVnformProperties(xmp.text)).toMatchObject({ RuleSetId: 'hp212-2025', RuleSetVersion: expect.any(String) });
    // Declared in the PDF/A extension schema like the other vnform properties (ISO 19005-3 6.6.2.3).
    expect(xmp.text).toContain('<pdfaProperty:name>RuleSetId</pdfaProperty:name>');
    expect(xmp.text).toContain('<pdfaProperty:name>RuleSetVersion</pdfaProperty:name>');

    const x = await cli('extract', pdf, '--out', f('hp212-out.json'), '--lang', 'en');
    expect(x.stderr).not.toContain('score-over-part-max');
    expect(x.stderr).toContain('(hp212-2025): wrote');
    expect(x.code).toBe(0);
    const forced = await cli('extract', pdf, '--out', f('hp212-out.json'), '--rules', 'qd366-2025', '--lang', 'en');
    expect(forced.code).toBe(1);
    expect(forced.stderr).toContain('[score-over-part-max]');
    const unknown = await cli('extract', pdf, '--rules', 'no-such-rules', '--lang', 'en');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown rule set "no-such-rules"');
    // The archive index records it beside the form.
    const bag = f('hp212-bag');
    expect((await cli('archive', pdf, '--out', bag)).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(bag, 'data', 'index.json'), 'utf8')).pdfs[0]).toMatchObject({ form: 'score-sheet', ruleSet: 'hp212-2025' });
  });

  it('not a PDF at all: says so, exit 2', async () => {
    fs.writeFileSync(f('not.pdf'), 'hello');
    const r = await cli('extract', f('not.pdf'), '--lang', 'en');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Cannot read the PDF');
  });
});
