// Tables across pages: header rows repeated, rows kept whole unless a single row is taller than a page.
import { describe, expect, it } from 'vitest';
import type { Block, TableRow } from '../../../src/model/types.js';
import { pdfPages } from '../../support/tools.js';
import { doc, lorem, p } from './model.js';
import { pageWords, writePdf } from './support.js';

const header: TableRow = {
  cells: [{ blocks: [p('cellHead', 'STT')] }, { blocks: [p('cellHead', 'Nội dung tiêu chí')] }, { blocks: [p('cellHead', 'Điểm tự chấm')], shading: 'D9D9D9' }],
};

function table(rows: TableRow[], headerRows = 1): Block {
  return { kind: 'table', columns: [1, 5, 2], headerRows, borders: true, padding: { x: 4, y: 2 }, rows: [header, ...rows] };
}

const row = (i: number, sentences: number): TableRow => ({
  cells: [
    { blocks: [p('cell', `${i}.`, { align: 'center' })] },
    { blocks: [p('cell', `ĐẦU${i} ${lorem(sentences, i)} CUỐI${i}`)] },
    { blocks: [p('cell', `${(i % 10) + 1},5`)], verticalAlign: 'center' },
  ],
});

describe('PDF tables', () => {
  it('repeats the header rows on every page the table continues on and never splits a row', async () => {
    const rows = Array.from({ length: 45 }, (_, i) => row(i + 1, 1 + (i % 3)));
    const pages = pdfPages(await writePdf(doc([p('body', lorem(2)), table(rows), p('body', 'Sau bảng.')])));
    expect(pages.length).toBeGreaterThanOrEqual(3);
    const tablePages = pages.filter((t) => /ĐẦU\d+/.test(t));
    expect(tablePages.length).toBe(pages.length);
    for (const text of tablePages) {
      expect(text.match(/Nội dung tiêu chí/g)).toHaveLength(1);
      expect(text.match(/Điểm tự chấm/g)).toHaveLength(1);
    }
    for (let i = 1; i <= 45; i++) {
      const start = pages.findIndex((t) => new RegExp(`ĐẦU${i}\\b`).test(t));
      const end = pages.findIndex((t) => new RegExp(`CUỐI${i}\\b`).test(t));
      expect(end, `row ${i}`).toBe(start);
    }
  });

  it('puts the repeated header above the first row of the continuation page', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => row(i + 1, 2));
    const pages = pageWords(await writePdf(doc([table(rows)])));
    for (const page of pages) {
      const head = page.words.find((w) => w.text === 'STT')!;
      const firstRow = page.words.filter((w) => /^ĐẦU\d+$/.test(w.text)).sort((a, b) => a.yMin - b.yMin)[0]!;
      expect(head.yMax).toBeLessThan(firstRow.yMin);
    }
  });

  it('splits a row only when it is taller than a page, and keeps the header on each part', async () => {
    const tall: TableRow = { cells: [{ blocks: [p('cell', '1.')] }, { blocks: Array.from({ length: 14 }, (_, k) => p('cell', `DÒNG${k} ${lorem(3, k)}`)) }, { blocks: [p('cell', '9,0')] }] };
    const pages = pdfPages(await writePdf(doc([table([tall, row(2, 1)])])));
    const withRow = pages.filter((t) => /DÒNG\d+/.test(t));
    expect(withRow.length).toBeGreaterThanOrEqual(2);
    for (const t of withRow) expect(t).toContain('Nội dung tiêu chí');
    // Lines come back in order, none lost at the cut.
    const all = pages.join('\n');
    for (let k = 0; k < 14; k++) expect(all).toContain(`DÒNG${k}`);
  });

  it('lays out column spans and row spans', async () => {
    const rows: TableRow[] = [
      { cells: [{ blocks: [p('cell', 'GỘP HAI CỘT')], colSpan: 2 }, { blocks: [p('cell', 'C1')] }] },
      { cells: [{ blocks: [p('cell', 'GỘP HAI DÒNG')], rowSpan: 2 }, { blocks: [p('cell', 'B2')] }, { blocks: [p('cell', 'C2')] }] },
      { cells: [{ blocks: [p('cell', 'B3')] }, { blocks: [p('cell', 'C3')] }] },
    ];
    const [page] = pageWords(await writePdf(doc([table(rows)])));
    const at = (t: string) => page!.words.find((w) => w.text === t)!;
    // B3 and C3 sit in columns 2 and 3, under B2 and C2, because the row span takes column 1.
    expect(at('B3').xMin).toBeCloseTo(at('B2').xMin, 0);
    expect(at('C3').xMin).toBeCloseTo(at('C2').xMin, 0);
    expect(at('B3').yMin).toBeGreaterThan(at('B2').yMax);
    // C1 is in the third column: the first cell spans two.
    expect(at('C1').xMin).toBeCloseTo(at('C2').xMin, 0);
  });
});
