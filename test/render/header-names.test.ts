// The names of the parent and issuing bodies in the header: a clerk who writes a line break into one (Alt+Enter in
// the workbook, "\n" in JSON) breaks the name there, as offices break "SỞ NÔNG NGHIỆP / VÀ PHÁT TRIỂN NÔNG THÔN"
// at the phrase rather than where the column happens to end. Checked in all three formats and as LibreOffice prints.
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderEveryFormat, type EveryFormat } from '../support/every-format.js';
import { pdfPages, tmpDir } from '../support/tools.js';
import { all, child, Docx, textWithBreaks } from './docx/docx-xml.js';
import { zipPart } from './xlsx/support.js';

const PARENT = ['Ủy ban nhân dân', 'tỉnh Hải Dương'];
const AGENCY = ['Sở Nông nghiệp', 'và Phát triển nông thôn'];
const PROFILES = ['state', 'party'] as const;
const upper = (s: string) => s.toLocaleUpperCase('vi');
const squash = (s: string) => s.replace(/[\s\u00a0]+/g, ' ').trim();

/** The text of the DOCX paragraphs in a style, each line break as "\n". */
function docxParagraphs(file: string, style: string): string[] {
  const body = new Docx(fs.readFileSync(file)).part('word/document.xml');
  return all(body, 'w:p')
    .filter((p) => child(child(p, 'w:pPr'), 'w:pStyle')?.attrs['w:val'] === style)
    .map(textWithBreaks);
}

describe('line breaks written in the header names', () => {
  const dir = tmpDir('bieumau-header-names-');
  let files: EveryFormat['files'];
  let printed: EveryFormat['printed'];

  beforeAll(async () => {
    const base = (JSON.parse(fs.readFileSync('samples/score-sheet.json', 'utf8')) as Array<Record<string, any>>)[0]!;
    const records = PROFILES.map((profile) => ({ ...base, header: { ...base.header, profile, parentBody: PARENT.join('\n'), issuingBody: AGENCY.join('\n') } }));
    ({ files, printed } = await renderEveryFormat('score-sheet', records, dir));
  }, 300_000);

  it('are kept as line breaks in the DOCX paragraphs and the XLSX cells', async () => {
    for (const [i, profile] of PROFILES.entries()) {
      // Both styles are upper-case in both profiles: the writers set the text so.
      expect(docxParagraphs(files.docx[i]!, 'agency'), profile).toContain(upper(AGENCY.join('\n')));
      expect(docxParagraphs(files.docx[i]!, 'parentBody'), profile).toContain(upper(PARENT.join('\n')));
      const shared = (await zipPart(fs.readFileSync(files.xlsx[i]!), 'xl/sharedStrings.xml')).replace(/&#(?:10|x[aA]);/g, '\n').replace(/\r\n/g, '\n');
      expect(shared, `${profile}: agency cell`).toContain(upper(AGENCY.join('\n')));
      expect(shared, `${profile}: parent body cell`).toContain(upper(PARENT.join('\n')));
    }
  });

  it('break the name there on our PDF and on the DOCX and XLSX as LibreOffice prints them', () => {
    for (const [i, profile] of PROFILES.entries()) {
      for (const [what, file] of [
        ['pdf', files.pdf[i]!],
        ['docx', printed.docx[i]!],
        ['xlsx', printed.xlsx[i]!],
      ] as const) {
        const lines = pdfPages(file)[0]!.split('\n').map(squash);
        // Each written line starts a printed line, and the first ends where the clerk ended it.
        for (const written of [AGENCY, PARENT]) {
          expect(lines, `${profile} ${what}: "${written[0]}" alone on its line`).toContain(upper(written[0]!));
          expect(lines.some((l) => l.startsWith(upper(written[1]!).split(' ')[0]!)), `${profile} ${what}: the second line starts where the break is`).toBe(true);
        }
      }
    }
  });
});
