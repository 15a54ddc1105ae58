// Texts that come from a layout profile (quốc hiệu, tiêu ngữ, Party tiêu đề, "(Ký và ghi rõ họ tên)") reach every
// writer in NFC, however the --layout file spelled them: a clerk's search for "Độc lập" must find them in the
// DOCX, the XLSX and the PDF alike.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProfile, loadProfileData } from '../../src/model/profile.js';
import { cli } from '../support/cli.js';
import { pdfText, tmpDir } from '../support/tools.js';
import { Docx, textOf } from './docx/docx-xml.js';
import { zipPart } from './xlsx/support.js';

const NFC = {
  nationalName: 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
  motto: 'Độc lập - Tự do - Hạnh phúc',
  partyName: 'ĐẢNG CỘNG SẢN VIỆT NAM',
  signNote: '(Ký và ghi rõ họ tên)',
};
const COMBINING = /[\u0300-\u036f]/;
const nfd = (s: string) => s.normalize('NFD');
const unescapeXml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

describe('layout profile texts are normalised when the profile is loaded', () => {
  it('an override spelled decomposed (NFD), with doubled spaces and a zero-width space, resolves to the NFC text', () => {
    const override = { texts: { motto: `${nfd(NFC.motto)}\u200b`, signNote: nfd(NFC.signNote).replace(' ', ' \t ') }, signing: { 'on-behalf': nfd('TM.') } };
    expect(COMBINING.test(override.texts.motto)).toBe(true);
    const state = buildProfile('state', [{ override, source: 'nfd.json' }]);
    expect(state.data.texts.motto).toBe(NFC.motto);
    expect(state.data.texts.signNote).toBe(NFC.signNote);
    expect(state.data.signing['on-behalf']).toBe('TM.');
    // What a profile spaces on purpose stays: the no-break blank for the số, the "- " before each recipient.
    expect(state.data.number.unnumbered).toBe(loadProfileData('state').number.unnumbered);
    expect(state.data.number.unnumbered).toContain('\u00a0'.repeat(7));
    expect(state.data.recipients.prefix).toBe('- ');
  });

  it('a --layout file in NFD: DOCX document.xml and XLSX sharedStrings hold the NFC text and no combining mark', async () => {
    const dir = tmpDir('bieumau-nfd-layout-');
    const layout = path.join(dir, 'layout-nfd.json');
    const texts = Object.fromEntries(Object.entries(NFC).map(([k, v]) => [k, nfd(v)]));
    for (const v of Object.values(texts)) expect(COMBINING.test(v)).toBe(true);
    fs.writeFileSync(layout, JSON.stringify({ texts }));
    const records = JSON.parse(fs.readFileSync('samples/score-sheet.json', 'utf8')) as Array<Record<string, any>>;
    const data = path.join(dir, 'records.json');
    // One record under each regime: the state header shows quốc hiệu and tiêu ngữ, the Party one its tiêu đề.
    fs.writeFileSync(data, JSON.stringify([{ ...records[0], header: { ...records[0]!.header, profile: 'state' } }, { ...records[1], header: { ...records[1]!.header, profile: 'party' } }]));
    const out = path.join(dir, 'out');
    const r = await cli('render', 'score-sheet', data, '--layout', layout, '--format', 'docx,pdf,xlsx', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // In record order: the files end in the record's position ("-0001").
    const files = fs.readdirSync(out).sort((a, b) => a.replace(/^.*-(\d+)\.\w+$/, '$1').localeCompare(b.replace(/^.*-(\d+)\.\w+$/, '$1')));
    const byExt = (ext: string) => files.filter((f) => f.endsWith(ext)).map((f) => path.join(out, f));
    expect(byExt('.docx')).toHaveLength(2);

    const expected = [[NFC.nationalName, NFC.motto, NFC.signNote], [NFC.partyName, NFC.signNote]];
    for (const [i, file] of byExt('.docx').entries()) {
      const docx = new Docx(fs.readFileSync(file));
      expect(COMBINING.test(docx.raw('word/document.xml')), `${file}: combining mark in document.xml`).toBe(false);
      const text = textOf(docx.part('word/document.xml'));
      for (const s of expected[i]!) expect(text, file).toContain(s);
    }
    for (const [i, file] of byExt('.xlsx').entries()) {
      const shared = unescapeXml(await zipPart(fs.readFileSync(file), 'xl/sharedStrings.xml'));
      expect(COMBINING.test(shared), `${file}: combining mark in sharedStrings.xml`).toBe(false);
      for (const s of expected[i]!) expect(shared, file).toContain(s);
    }
    for (const [i, file] of byExt('.pdf').entries()) {
      const text = pdfText(file);
      expect(COMBINING.test(text), file).toBe(false);
      for (const s of expected[i]!) expect(text, file).toContain(s);
    }
  });
});
