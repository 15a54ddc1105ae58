// The địa danh, ngày tháng line under the tiêu ngữ as an office reads it: "ngày … tháng … năm …" never breaks
// inside; a place too long for one line with the date puts the place (and its comma) on the first line and the
// whole date on the second. Checked on our PDF, and on the DOCX and XLSX as LibreOffice prints them.
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderEveryFormat, type EveryFormat } from '../support/every-format.js';
import { pdfPages, tmpDir } from '../support/tools.js';
import { all, child, Docx, textOf, textWithBreaks } from './docx/docx-xml.js';
import { zipPart } from './xlsx/support.js';

const DATE = 'ngày 12 tháng 12 năm 2025';
const CASES: Array<{ place: string; profile: 'state' | 'party' }> = [
  { place: 'Thành phố Hồ Chí Minh', profile: 'party' },
  { place: 'Phan Rang - Tháp Chàm', profile: 'party' },
  { place: 'Hoàng Văn Thụ, Bắc Giang', profile: 'state' },
  { place: 'Hoàng Văn Thụ, Bắc Giang', profile: 'party' },
  { place: 'Thành phố Hồ Chí Minh', profile: 'state' },
  { place: 'Hải Dương', profile: 'party' },
];

const squash = (s: string) => s.replace(/[\s\u00a0]+/g, ' ').trim();

/**
 * The place-date line(s) on a printed first page: the line holding "ngày", and the one before it when the
 * place is not on it. Fails when the date is cut (its words are not all on one line).
 */
function placeDateLines(page: string, place: string): string[] {
  const lines = page.split('\n').map(squash).filter(Boolean);
  const at = lines.findIndex((l) => l.includes(' tháng ') || l.startsWith('ngày ') || l.includes(`${place}, ngày`));
  expect(at, `no place-date line in:\n${page}`).toBeGreaterThanOrEqual(0);
  const line = lines[at]!;
  expect(line, 'the date is whole on one line').toContain(DATE);
  if (line.includes(`${place}, ${DATE}`)) return [line];
  // Wrapped: the line before ends with the place and its comma, this one starts with the date.
  expect(line.endsWith(DATE) || line.startsWith(DATE), line).toBe(true);
  expect(lines[at - 1], 'the place ends the line before the date').toMatch(new RegExp(`${place.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')},$`));
  return [lines[at - 1]!, line];
}

describe('place and date under the tiêu ngữ', () => {
  const dir = tmpDir('bieumau-place-date-');
  let files: EveryFormat['files'];
  let printed: EveryFormat['printed'];

  beforeAll(async () => {
    const base = (JSON.parse(fs.readFileSync('samples/score-sheet.json', 'utf8')) as Array<Record<string, any>>)[0]!;
    const records = CASES.map((c) => ({ ...base, header: { ...base.header, place: c.place, date: '2025-12-12', profile: c.profile } }));
    ({ files, printed } = await renderEveryFormat('score-sheet', records, dir));
  }, 300_000);

  it('the date part is joined by no-break spaces in the DOCX paragraph and the XLSX cell; a long line breaks after the comma', async () => {
    const joined = DATE.replace(/ /g, '\u00a0');
    for (const [i, c] of CASES.entries()) {
      const body = new Docx(fs.readFileSync(files.docx[i]!)).part('word/document.xml');
      const para = all(body, 'w:p').find((p) => child(child(p, 'w:pPr'), 'w:pStyle')?.attrs['w:val'] === 'placeDate');
      expect(para, c.place).toBeDefined();
      const text = textWithBreaks(para!);
      expect([`${c.place}, ${joined}`, `${c.place},\n${joined}`], c.place).toContain(text);
      const shared = (await zipPart(fs.readFileSync(files.xlsx[i]!), 'xl/sharedStrings.xml')).replace(/&#(?:10|x[aA]);/g, '\n').replace(/\r\n/g, '\n');
      expect(shared.includes(text), `${c.place}: the cell says what the DOCX says`).toBe(true);
      if (i === 0) expect(text, 'too long even at shrinkTo: broken after the comma').toContain(',\n');
      if (i === 5) expect(text, 'a short place stays on one line').not.toContain('\n');
    }
  });

  it('our PDF: the date never breaks inside; a long line wraps after the place’s comma; the text reads with plain spaces', () => {
    const wrapped = CASES.map((c, i) => placeDateLines(pdfPages(files.pdf[i]!)[0]!, c.place).length);
    // The Party column is too narrow for "Thành phố Hồ Chí Minh, ngày 12 tháng 12 năm 2025" even at shrinkTo.
    expect(wrapped[0]).toBe(2);
    expect(wrapped[5]).toBe(1);
    // pdftotext gives the no-break spaces back as spaces.
    expect(pdfPages(files.pdf[0]!)[0]).toContain(DATE);
  });

  it('the DOCX and the XLSX printed by LibreOffice wrap the same way as our PDF', () => {
    for (const [i, c] of CASES.entries()) {
      const ours = placeDateLines(pdfPages(files.pdf[i]!)[0]!, c.place).length;
      for (const kind of ['docx', 'xlsx'] as const) {
        const lines = placeDateLines(pdfPages(printed[kind][i]!)[0]!, c.place);
        expect(lines.length, `${kind} ${c.profile} ${c.place}: ${lines.join(' / ')}`).toBe(ours);
      }
    }
  });
});
