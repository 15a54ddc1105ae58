// The library as a program embeds it: only the public entry point, from record to archive PDF and summary.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as bieumau from '../src/index.js';

const samples = (form: string) => JSON.parse(fs.readFileSync(`samples/${form}.json`, 'utf8')) as Array<Record<string, any>>;

describe('public API (src/index.ts)', () => {
  it('validate → buildDocument → PDF writer with the archive finisher → extractRecord gives the record back', async () => {
    const record = samples('commitment')[0]!;
    const result = bieumau.validate('commitment', record, { lang: 'en' });
    expect(result.ok).toBe(true);
    const doc = bieumau.buildDocument('commitment', result.record);
    const pdf = await (await bieumau.createWriter('pdf')).write(doc, {
      form: bieumau.createToolkit().forms.get('commitment'),
      record: result.record,
      pdfFinishers: [bieumau.archiveFinisher],
    });
    const extracted = await bieumau.extractRecord(pdf);
    expect(extracted.properties.FormId).toBe('commitment');
    expect(extracted.hashMatches).toBe(true);
    expect(extracted.record).toEqual(result.record);
  });

  it('every writer names its extension with the dot, as path.extname does', async () => {
    for (const format of bieumau.OUTPUT_FORMATS) {
      const writer = await bieumau.createWriter(format);
      expect(writer.extension).toBe(`.${format}`);
    }
  });

  it('an invalid record: a typed issue with its JSON pointer, in the language asked for', () => {
    const record = structuredClone(samples('score-sheet')[0]!);
    delete record.person;
    const result = bieumau.validate('score-sheet', record, { lang: 'en' });
    expect(result.ok).toBe(false);
    const issue = result.issues.find((i) => i.severity === 'error' && i.code === 'required')!;
    expect(issue.pointer).toBe('/person');
    expect(issue.message).toMatch(/required|missing/i);
    const vi = bieumau.validate('score-sheet', record).issues.find((i) => i.code === 'required')!;
    expect(vi.message).not.toBe(issue.message);
  });

  it('summarize counts the score-sheet samples by level under the default rule set', async () => {
    const toolkit = bieumau.createToolkit();
    const records = samples('score-sheet');
    const summary = await bieumau.summarize(bieumau.arraySource(records), { rules: toolkit.rules.get(bieumau.DEFAULT_RULES) });
    expect(summary.records.counted).toBe(records.length);
    expect(summary.total.evaluated).toBe(records.length);
  });
});
