// `bieumau render … --format pdf --archive` as a clerk runs it: PDF/A-3b files that `extract` reads back.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { pdfText, tmpDir } from '../support/tools.js';
import * as check from './checklist.js';

describe('bieumau render --archive', () => {
  it('writes PDF/A-3b files with the validated record inside and empty signature fields; extract gives the record back', async () => {
    const out = tmpDir('bieumau-render-archive-');
    const records = JSON.parse(fs.readFileSync('samples/score-sheet.json', 'utf8')) as Array<Record<string, any>>;
    const r = await cli('render', 'score-sheet', 'samples/score-sheet.json', '--format', 'pdf,docx', '--archive', '--out', out, '--lang', 'en');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const pdfs = fs.readdirSync(out).filter((f) => f.endsWith('.pdf')).sort();
    expect(pdfs).toHaveLength(records.length);
    // DOCX files are written as usual beside the archive PDFs.
    expect(fs.readdirSync(out).filter((f) => f.endsWith('.docx'))).toHaveLength(records.length);

    const file = path.join(out, pdfs.find((f) => f.endsWith('-0001.pdf'))!);
    const tags = check.exifTags(file);
    expect(check.pdfaId(file, tags)).toBe('3 B');
    expect(check.qpdfCheck(file).code).toBe(0);
    expect(check.associatedFile(file).relationship).toBe('/Source');
    expect(check.fieldNames(file).map((n) => n.replace(/^u:/, ''))).toEqual(expect.arrayContaining(['signer', 'seal']));

    const ex = await cli('extract', file, '--lang', 'en');
    expect(ex.code).toBe(0);
    const record = JSON.parse(ex.stdout) as Record<string, any>;
    const first = records[0]!;
    expect(record.person.fullName.normalize('NFC')).toBe(first.person.fullName.normalize('NFC'));
    expect(pdfText(file)).toContain(first.person.fullName.normalize('NFC'));
  });

  it('a plain PDF render carries no embedded record', async () => {
    const out = tmpDir('bieumau-render-plain-');
    const r = await cli('render', 'commitment', 'samples/commitment.json', '--format', 'pdf', '--out', out);
    expect(r.code).toBe(0);
    const file = path.join(out, fs.readdirSync(out).find((f) => f.endsWith('.pdf'))!);
    const ex = await cli('extract', file, '--lang', 'en');
    expect(ex.code).toBe(2);
    expect(ex.stderr).toContain('no bieumau data');
  });

  it('--archive without PDF output is a usage error (exit 2) before anything is written', async () => {
    const out = path.join(tmpDir('bieumau-render-archive-'), 'docs');
    const r = await cli('render', 'commitment', 'samples/commitment.json', '--format', 'docx', '--archive', '--out', out, '--lang', 'en');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--archive applies to PDF output only');
    expect(fs.existsSync(out)).toBe(false);
  });
});
