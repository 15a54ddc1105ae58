// The competent level's block of a breakthrough registration left for hand filling (heading, dotted lines, the two
// tick boxes, "(Ký và ghi rõ họ tên)") is one unit: it never starts on one page and ends on the next, in our PDF
// and in the DOCX and XLSX as LibreOffice prints them. The record grows a line at a time so that the page end
// sweeps across the block.
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderEveryFormat, type EveryFormat } from '../support/every-format.js';
import { pdfPages, tmpDir } from '../support/tools.js';
import { all, child, Docx, textOf } from './docx/docx-xml.js';

const HEADING = 'Ý KIẾN CỦA CẤP CÓ THẨM QUYỀN';
const NOTE = '(Ký và ghi rõ họ tên)';
const VARIANTS = 16;

/** Pages (0-based) of the approval heading and of the signature note after it; the page number line is ignored. */
function approvalPages(pdf: string): { heading: number; note: number; headingFirst: boolean } {
  const pages = pdfPages(pdf).map((p) => p.split('\n').map((l) => l.trim()).filter(Boolean));
  const heading = pages.findIndex((lines) => lines.includes(HEADING));
  expect(heading, `${pdf}: no heading`).toBeGreaterThanOrEqual(0);
  const afterHeading = (i: number) => (i === heading ? pages[i]!.slice(pages[i]!.indexOf(HEADING)) : pages[i]!);
  let note = -1;
  for (let i = heading; i < pages.length && note < 0; i++) if (afterHeading(i).includes(NOTE)) note = i;
  expect(note, `${pdf}: no signature note after the heading`).toBeGreaterThanOrEqual(0);
  const first = pages[heading]!.filter((l) => !/^\d+$/.test(l) && !/^Trang \d+\/\d+$/.test(l))[0];
  return { heading, note, headingFirst: first === HEADING };
}

describe('an empty approval block of a breakthrough registration stays on one page', () => {
  const dir = tmpDir('bieumau-approval-');
  let files: EveryFormat['files'];
  let printed: EveryFormat['printed'];

  beforeAll(async () => {
    const base = (JSON.parse(fs.readFileSync('samples/breakthrough-registration.json', 'utf8')) as Array<Record<string, any>>)[0]!;
    const { approval: _none, ...rest } = base;
    // One task, then a commitment one line longer in each variant (the Party body is exactly 18 pt a line).
    const records = Array.from({ length: VARIANTS }, (_, n) => ({
      ...rest,
      tasks: [base.tasks[0]],
      commitment: Array.from({ length: n + 1 }, (_, k) => `Cam kết thứ ${k + 1}.`).join('\n'),
    }));
    ({ files, printed } = await renderEveryFormat('breakthrough-registration', records, dir));
  }, 300_000);

  const check = (kind: string, pdfs: () => string[]) => {
    const found = pdfs().map((f, n) => ({ n, ...approvalPages(f) }));
    for (const f of found) expect(f.note, `${kind}, commitment of ${f.n + 1} lines: heading on page ${f.heading + 1}, note on page ${f.note + 1}`).toBe(f.heading);
    // The sweep did reach the page end: in some variant the whole block moved to a new page.
    expect(found.some((f) => f.heading > 0 && f.headingFirst), `${kind}: no variant moved the block to a new page`).toBe(true);
  };

  it('our PDF: the heading and "(Ký và ghi rõ họ tên)" are on the same page, the block moved whole when needed', () => {
    check('pdf', () => files.pdf);
  });

  it('the DOCX printed by LibreOffice keeps it together the same way', () => {
    check('docx', () => printed.docx);
  });

  it('the XLSX printed by LibreOffice keeps it together the same way', () => {
    check('xlsx', () => printed.xlsx);
  });

  it('the DOCX ties every paragraph of the block to the next, down to the unsplittable signature row', () => {
    const body = new Docx(fs.readFileSync(files.docx[0]!)).part('word/document.xml');
    const top = child(body, 'w:document') ? child(child(body, 'w:document'), 'w:body')! : body;
    const blocks = top.children.filter((e) => e.name === 'w:p' || e.name === 'w:tbl');
    const start = blocks.findIndex((e) => e.name === 'w:p' && textOf(e).toUpperCase() === HEADING);
    expect(start).toBeGreaterThanOrEqual(0);
    const sign = blocks.findIndex((e, i) => i > start && e.name === 'w:tbl' && textOf(e).includes(NOTE));
    expect(sign).toBeGreaterThan(start);
    const styles = new Docx(fs.readFileSync(files.docx[0]!)).part('word/styles.xml');
    const styleKeeps = (id: string | undefined) => {
      const st = all(styles, 'w:style').find((s) => s.attrs['w:styleId'] === id);
      const k = child(child(st, 'w:pPr'), 'w:keepNext');
      return k !== undefined && k.attrs['w:val'] !== '0' && k.attrs['w:val'] !== 'false';
    };
    for (const p of blocks.slice(start, sign)) {
      const pPr = child(p, 'w:pPr');
      const own = child(pPr, 'w:keepNext');
      const keeps = own ? own.attrs['w:val'] !== '0' && own.attrs['w:val'] !== 'false' : styleKeeps(child(pPr, 'w:pStyle')?.attrs['w:val']);
      expect(keeps, `"${textOf(p).slice(0, 30)}" keeps with the next paragraph`).toBe(true);
    }
    for (const tr of all(blocks[sign]!, 'w:tr')) expect(child(child(tr, 'w:trPr'), 'w:cantSplit'), 'signature row cannot split').toBeDefined();
  });
});
