// Page layout as a reader checks it: page size, margins kept, justified edges, headings, page numbers.
import { describe, expect, it } from 'vitest';
import { pdfPageCount, pdfPages } from '../../support/tools.js';
import { doc, lorem, mm, p, STYLES, style } from './model.js';
import { PdfWriter } from '../../../src/render/pdf/index.js';
import { lineText, pageWords, writePdf } from './support.js';

const TOL = 0.6;

describe('PDF page layout', () => {
  it('uses the page size and margins of the model and keeps all body text inside the margins', async () => {
    const margins = { top: mm(25), bottom: mm(22), left: mm(35), right: mm(18) };
    const body = Array.from({ length: 14 }, (_, i) => p('body', lorem(5, i)));
    const model = doc(body, { page: { width: mm(210), height: mm(297), margins } });
    const file = await writePdf(model);
    const pages = pageWords(file);
    expect(pages.length).toBeGreaterThan(2);
    for (const [i, page] of pages.entries()) {
      expect(page.width).toBeCloseTo(mm(210), 1);
      expect(page.height).toBeCloseTo(mm(297), 1);
      // The page number is the only text in the top margin, and only from page 2.
      const inTopMargin = page.words.filter((w) => w.yMax <= margins.top);
      expect(inTopMargin.map((w) => w.text)).toEqual(i === 0 ? [] : [String(i + 1)]);
      for (const w of page.words.filter((x) => x.yMax > margins.top)) {
        expect(w.xMin, w.text).toBeGreaterThanOrEqual(margins.left - TOL);
        expect(w.xMax, w.text).toBeLessThanOrEqual(page.width - margins.right + TOL);
        expect(w.yMin, w.text).toBeGreaterThanOrEqual(margins.top - TOL);
        expect(w.yMax, w.text).toBeLessThanOrEqual(page.height - margins.bottom + TOL);
      }
    }
    // The text reaches close to the bottom margin: pages are filled, not broken early.
    const lowest = Math.max(...pages[0]!.words.map((w) => w.yMax));
    expect(lowest).toBeGreaterThan(mm(297) - margins.bottom - 40);
  });

  it('ends every justified line but the last at the right margin, and indents the first line', async () => {
    const model = doc([p('body', lorem(10))]);
    const file = await writePdf(model);
    const [page] = pageWords(file);
    const right = page!.width - model.page.margins.right;
    const left = model.page.margins.left;
    const lines = page!.lines;
    expect(lines.length).toBeGreaterThan(5);
    lines.slice(0, -1).forEach((line) => expect(line[line.length - 1]!.xMax, lineText(line)).toBeCloseTo(right, 0));
    const last = lines[lines.length - 1]!;
    expect(last[last.length - 1]!.xMax).toBeLessThan(right - 20);
    expect(lines[0]![0]!.xMin).toBeCloseTo(left + mm(12.7), 0);
    lines.slice(1).forEach((line) => expect(line[0]!.xMin).toBeCloseTo(left, 0));
  });

  it('does not stretch a justified line that a written line break ends; the lines wrapped after it still reach the margin', async () => {
    const model = doc([p('body', `Kết quả cụ thể như sau:\n${lorem(4)}\nDòng cuối.`)]);
    const [page] = pageWords(await writePdf(model));
    const right = page!.width - model.page.margins.right;
    const lines = page!.lines;
    const texts = lines.map(lineText);
    expect(texts[0]).toBe('Kết quả cụ thể như sau:');
    // Set at its natural width, words one space apart, far short of the margin.
    expect(lines[0]![lines[0]!.length - 1]!.xMax).toBeLessThan(right - 100);
    const beforeLast = lines.length - 2; // the line the second break ends
    expect(lines[beforeLast]![lines[beforeLast]!.length - 1]!.xMax).toBeLessThan(right - 5);
    for (const line of lines.slice(1, beforeLast)) expect(line[line.length - 1]!.xMax, lineText(line)).toBeCloseTo(right, 0);
    expect(texts.at(-1)).toBe('Dòng cuối.');
  });

  it('centres and right-aligns lines within the text width', async () => {
    const model = doc([p('plain', 'Giữa trang', { align: 'center' }), p('plain', 'Lề phải', { align: 'right' })]);
    const [page] = pageWords(await writePdf(model));
    const { left, right } = model.page.margins;
    const [c, r] = page!.lines;
    const mid = (c![0]!.xMin + c![c!.length - 1]!.xMax) / 2;
    expect(mid).toBeCloseTo(left + (page!.width - left - right) / 2, 0);
    expect(r![r!.length - 1]!.xMax).toBeCloseTo(page!.width - right, 0);
  });

  it('never ends a page with a heading (keep with next)', async () => {
    const writer = new PdfWriter();
    const sections = (keep: boolean, shift: number) => {
      const body = [];
      for (let i = 0; i < 40; i++) {
        body.push(p('heading', `MỤC SỐ ${i + 1}`, { keepWithNext: keep }));
        body.push(p('body', lorem(1 + ((i + shift) % 4), i)));
      }
      return doc(body);
    };
    const lastLines = async (keep: boolean, shift: number) =>
      pdfPages(await writePdf(sections(keep, shift), writer)).map((t) => t.trim().split('\n').filter(Boolean).pop() ?? '');
    let endedWithHeading = 0;
    for (let shift = 0; shift < 4; shift++) {
      const kept = await lastLines(true, shift);
      expect(kept.length).toBeGreaterThan(3);
      for (const last of kept) expect(last, `shift ${shift}`).not.toMatch(/^MỤC SỐ/);
      endedWithHeading += (await lastLines(false, shift)).filter((l) => /^MỤC SỐ/.test(l)).length;
    }
    // Without keep-with-next the same documents do end pages with headings, so the check above has teeth.
    expect(endedWithHeading).toBeGreaterThan(0);
  });

  it('numbers pages from page 2 in the top margin, centred, as "Trang X/Y" when asked', async () => {
    const body = Array.from({ length: 12 }, (_, i) => p('body', lorem(6, i)));
    const model = doc(body, { pageNumbering: { show: true, fromPage: 2, format: 'Trang {page}/{pages}', style: 'pageNumber', offsetTop: mm(10) } });
    const file = await writePdf(model);
    const pages = pageWords(file);
    const n = pdfPageCount(file);
    expect(n).toBeGreaterThanOrEqual(3);
    pages.forEach((page, i) => {
      const top = page.lines.filter((l) => l[0]!.yMax <= model.page.margins.top);
      if (i === 0) return expect(top).toEqual([]);
      expect(top.map(lineText)).toEqual([`Trang ${i + 1}/${n}`]);
      const line = top[0]!;
      const mid = (line[0]!.xMin + line[line.length - 1]!.xMax) / 2;
      const { left, right } = model.page.margins;
      expect(mid).toBeCloseTo(left + (page.width - left - right) / 2, 0);
      expect(line[0]!.yMin).toBeGreaterThanOrEqual(mm(10) - TOL);
    });
  });

  it('keeps a keep-together paragraph on one page and applies widow and orphan control', async () => {
    const fill = Array.from({ length: 9 }, (_, i) => p('body', lorem(4, i)));
    const marker = 'ĐOẠN GIỮ NGUYÊN ' + lorem(7) + ' HẾT ĐOẠN';
    const model = doc([...fill, p('body', marker, { keepTogether: true })]);
    const pages = pdfPages(await writePdf(model));
    const start = pages.findIndex((t) => t.includes('ĐOẠN GIỮ NGUYÊN'));
    expect(start).toBeGreaterThanOrEqual(0);
    expect(pages[start]).toContain('HẾT ĐOẠN');
    // Widows/orphans: no page starts or ends with a single line of a multi-line body paragraph.
    const model2 = doc(Array.from({ length: 30 }, (_, i) => p('body', `P${i}A ` + lorem(3, i) + ` P${i}Z`)));
    const pages2 = pdfPages(await writePdf(model2));
    for (let k = 0; k + 1 < pages2.length; k++) {
      const lines = pages2[k]!.trim().split('\n');
      const next = pages2[k + 1]!.trim().split('\n').filter((l) => !/^\d+$/.test(l));
      // The last line on a page is not the first line of a paragraph (orphan) …
      expect(lines[lines.length - 1]).not.toMatch(/^P\d+A /);
      // … and the first line of the next page is not the last line of a paragraph (widow).
      expect(next[0]).not.toMatch(/ P\d+Z$/);
    }
  });

  it('draws runs of mixed size on one line with the taller line height', async () => {
    const model = doc([p('plain', [{ text: 'Nhỏ ' }, { text: 'LỚN', size: 28 }, { text: ' nhỏ' }]), p('plain', 'Dòng sau')], {
      styles: { ...STYLES, plain: style({ size: 12 }) },
    });
    const [page] = pageWords(await writePdf(model));
    const first = page!.words.find((w) => w.text === 'LỚN')!;
    const next = page!.words.find((w) => w.text === 'Dòng')!;
    expect(next.yMin).toBeGreaterThan(first.yMax - 1);
  });

  it('spaces lines as Word does: multiples of the single line (1.15 em for Times), exact and at-least heights', async () => {
    const pitch = async (line: import('../../../src/model/types.js').LineSpacing, size = 14) => {
      const model = doc([p('plain', [{ text: lorem(3), size }], { spacing: { line } })]);
      const [page] = pageWords(await writePdf(model));
      const tops = page!.lines.map((l) => l[0]!.yMin);
      expect(tops.length).toBeGreaterThan(2);
      return tops[2]! - tops[1]!;
    };
    const single = (14 * (1825 + 443 + 87)) / 2048;
    expect(await pitch({ kind: 'multiple', value: 1 })).toBeCloseTo(single, 1);
    expect(await pitch({ kind: 'multiple', value: 1.5 })).toBeCloseTo(1.5 * single, 1);
    expect(await pitch({ kind: 'exact', pt: 19 })).toBeCloseTo(19, 1);
    expect(await pitch({ kind: 'atLeast', pt: 19 })).toBeCloseTo(19, 1);
    expect(await pitch({ kind: 'atLeast', pt: 10 })).toBeCloseTo(single, 1);
  });

  it('fills page and page-count fields in body text once pages are counted', async () => {
    const body = [
      p('plain', [{ text: 'Văn bản này gồm ' }, { text: '', field: 'pages' }, { text: ' trang; đây là trang ' }, { text: '', field: 'page' }, { text: '.' }]),
      ...Array.from({ length: 10 }, (_, i) => p('body', lorem(6, i))),
      p('plain', [{ text: 'Trang cuối: ' }, { text: '', field: 'page' }, { text: '/' }, { text: '', field: 'pages' }]),
    ];
    const file = await writePdf(doc(body));
    const n = pdfPageCount(file);
    expect(n).toBeGreaterThanOrEqual(3);
    const pages = pdfPages(file);
    expect(pages[0]).toContain(`Văn bản này gồm ${n} trang; đây là trang 1.`);
    expect(pages[n - 1]).toContain(`Trang cuối: ${n}/${n}`);
  });

  it('numbers an appendix on its own: from 1, none on its first page, {pages} counting the appendix', async () => {
    const main = Array.from({ length: 12 }, (_, i) => p('body', lorem(6, i)));
    const annex = [p('plain', 'PHỤ LỤC'), ...Array.from({ length: 12 }, (_, i) => p('body', lorem(6, i + 40)))];
    const model = doc([...main, { kind: 'page-break', restartNumbering: true }, ...annex], {
      pageNumbering: { show: true, fromPage: 2, format: 'Trang {page}/{pages}', style: 'pageNumber', offsetTop: mm(10) },
    });
    const pages = pageWords(await writePdf(model));
    const numbers = pages.map((page) => page.lines.filter((l) => l[0]!.yMax <= model.page.margins.top).map(lineText).join(''));
    const annexStart = pages.findIndex((page) => page.lines.some((l) => lineText(l) === 'PHỤ LỤC'));
    expect(annexStart).toBeGreaterThanOrEqual(2);
    const annexPages = pages.length - annexStart;
    expect(annexPages).toBeGreaterThanOrEqual(2);
    expect(numbers).toEqual([
      '',
      ...Array.from({ length: annexStart - 1 }, (_, i) => `Trang ${i + 2}/${annexStart}`),
      '',
      ...Array.from({ length: annexPages - 1 }, (_, i) => `Trang ${i + 2}/${annexPages}`),
    ]);
  });

  it('starts a new page at a page break, without leaving a blank page', async () => {
    const pages = pdfPages(await writePdf(doc([p('plain', 'TRANG MỘT'), { kind: 'page-break' }, { kind: 'page-break' }, p('plain', 'TRANG HAI')])));
    expect(pages).toHaveLength(2);
    expect(pages[0]).toContain('TRANG MỘT');
    expect(pages[1]).toContain('TRANG HAI');
  });
});

