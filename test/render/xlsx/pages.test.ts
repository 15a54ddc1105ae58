// Pages of the XLSX writer as a reader sees them: the sheet breaks where our PDF does (keep rules, heights as
// the programs draw them), prints at full size, and cell text sits off the borders. Hand-built models check the
// rules on the plan; every shipped sample is checked on LibreOffice's print beside our own PDF.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../../src/forms/registry.js';
import { effectiveParagraph } from '../../../src/model/effective.js';
import type { Block, DocumentModel, Paragraph } from '../../../src/model/types.js';
import { DocumentBuilder } from '../../../src/render/document.js';
import { createWriter } from '../../../src/render/writers.js';
import { measureText } from '../../../src/fonts/metrics.js';
import { DEFAULT_XLSX_LAYOUT, createXlsxWriter, planSheet, type SheetPlan } from '../../../src/render/xlsx/index.js';
import { loadRules } from '../../../src/rules/registry.js';
import { libreOfficeConvert, pdfPageCount, tmpDir, tool } from '../../support/tools.js';
import { STYLES, handBuiltDocument, p, summaryTable } from './model-fixture.js';
import { findCell, printedPages, readWorkbook } from './support.js';

const squash = (s: string) => s.replace(/[\s\u00a0]+/g, ' ').trim();
const textOf = (b: Paragraph) => squash(b.runs.filter((r) => !r.field).map((r) => r.text).join(''));

/** Page (0-based) that holds a sheet row. */
const pageOf = (plan: SheetPlan, row: number) => plan.breaks.filter((b) => b < row).length;

function rowOf(plan: SheetPlan, text: string): number {
  const cell = plan.cells.find((c) => squash(c.runs.map((r) => r.text).join('')) === text);
  if (!cell) throw new Error(`no cell says "${text}"`);
  return cell.row;
}

const filler = (n: number) => Array.from({ length: n }, (_, i) => p('body', `Đoạn văn thứ ${i + 1} của phần nội dung, đủ dài để chiếm hai dòng trên trang in khổ A4 của văn bản chính thức này.`));

describe('XLSX pages: keep rules on the plan', () => {
  const heading = { ...STYLES.body!, bold: true, keepWithNext: true, firstLineIndent: 0 };
  const model = (body: Block[]): DocumentModel => {
    const doc = handBuiltDocument(body);
    doc.styles = { ...doc.styles, heading };
    return doc;
  };

  it('a chain of keep-with-next paragraphs moves to the next page with the paragraph it leads to', () => {
    // Enough filler that the page ends somewhere in the chain, for every length of filler tried.
    for (let n = 14; n <= 20; n++) {
      const doc = model([...filler(n), p('heading', 'II. Mục lớn'), p('heading', '1. Mục nhỏ'), p('body', 'Nội dung của mục nhỏ.')]);
      const plan = planSheet(doc);
      const body = pageOf(plan, rowOf(plan, 'Nội dung của mục nhỏ.'));
      expect(pageOf(plan, rowOf(plan, 'II. Mục lớn')), `${n} fillers`).toBe(body);
      expect(pageOf(plan, rowOf(plan, '1. Mục nhỏ')), `${n} fillers`).toBe(body);
    }
  });

  it('a signature block never starts a page: it takes the whole chain before it along', () => {
    for (let n = 14; n <= 22; n++) {
      const doc = model([...filler(n), p('heading', 'Xếp loại:'), p('heading', '☐ Hoàn thành tốt nhiệm vụ'), p('body', '☐ Không hoàn thành nhiệm vụ')]);
      const plan = planSheet(doc);
      const sign = pageOf(plan, rowOf(plan, 'BÍ THƯ'));
      expect(pageOf(plan, rowOf(plan, '☐ Không hoàn thành nhiệm vụ')), `${n} fillers`).toBe(sign);
      expect(pageOf(plan, rowOf(plan, 'Xếp loại:')), `${n} fillers`).toBe(sign);
    }
  });

  it('a long paragraph the page ends inside fills the page and goes on over the next, its heading kept on the first (no hole)', () => {
    const long = Array.from({ length: 14 }, (_, i) => `Câu ${i + 1}: kết quả thực hiện nhiệm vụ được giao trong năm, có số liệu minh chứng cụ thể và đánh giá của tập thể.`).join(' ');
    const capacity = 297 * (72 / 25.4) - 40 * (72 / 25.4) - DEFAULT_XLSX_LAYOUT.pageSafety;
    let cut = 0;
    for (let n = 8; n <= 14; n++) {
      const doc = model([...filler(n), p('heading', 'I. Ưu điểm'), p('body', long), p('body', 'Đoạn sau.')]);
      const plan = planSheet(doc);
      const pieces = plan.cells.filter((c) => c.runs.some((r) => r.text.includes('Câu ')));
      expect(squash(pieces.map((c) => c.runs.map((r) => r.text).join('')).join(' ')), `${n} fillers`).toBe(squash(long));
      const heading = pageOf(plan, rowOf(plan, 'I. Ưu điểm'));
      const last = pageOf(plan, rowOf(plan, 'Đoạn văn thứ 1 của phần nội dung, đủ dài để chiếm hai dòng trên trang in khổ A4 của văn bản chính thức này.'.replace('1', String(n))));
      if (pieces.length === 1) continue; // the paragraph fits where it starts
      cut++;
      // The heading stays with the fillers; the paragraph starts under it and ends on the next page.
      expect(heading, `${n} fillers`).toBe(last);
      expect(pageOf(plan, pieces[0]!.row), `${n} fillers`).toBe(heading);
      expect(pageOf(plan, pieces.at(-1)!.row), `${n} fillers`).toBe(heading + 1);
      // The first piece ends within a line of the page's foot, its lines spread over its row; the last is set at the top.
      const firstPageRows = plan.rows.slice(0, pieces[0]!.row + 1).reduce((a, b) => a + b, 0) - (heading > 0 ? plan.rows.slice(0, plan.breaks[heading - 1]! + 1).reduce((a, b) => a + b, 0) : 0);
      expect(capacity - firstPageRows, `${n} fillers`).toBeLessThan(20);
      expect(pieces[0]!.vertical).toBe('justify');
      expect(pieces.at(-1)!.vertical).toBe('top');
    }
    expect(cut, 'lengths of filler where the page ends inside the paragraph').toBeGreaterThan(3);
  });

  it("a table's header row stays with its first body row", () => {
    for (let n = 14; n <= 22; n++) {
      const doc = model([...filler(n), summaryTable([['Chi bộ số 1', 1, 2], ['Chi bộ số 2', 3, 4]])]);
      const plan = planSheet(doc);
      expect(pageOf(plan, rowOf(plan, 'Đơn vị')), `${n} fillers`).toBe(pageOf(plan, rowOf(plan, 'Chi bộ số 1')));
    }
  });

  it('plans what the programs draw: rows in whole pixels, columns in whole pixels within the text width', () => {
    const plan = planSheet(model(filler(30)));
    for (const h of plan.rows) expect(Math.abs(h / 0.75 - Math.round(h / 0.75)), `row of ${h} pt`).toBeLessThan(1e-6);
    for (const w of plan.columns) expect(Math.abs(w / 0.75 - Math.round(w / 0.75)), `column of ${w} pt`).toBeLessThan(1e-6);
    expect(plan.columns.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(plan.textWidth);
    // No page holds more than the printable height: the programs would break it again on their own.
    const doc = model(filler(30));
    const height = doc.page.height - doc.page.margins.top - doc.page.margins.bottom;
    const starts = [0, ...plan.breaks.map((b) => b + 1)];
    expect(plan.breaks.length).toBeGreaterThan(0);
    starts.forEach((a, i) => expect(plan.rows.slice(a, starts[i + 1]).reduce((x, y) => x + y, 0), `page ${i + 1}`).toBeLessThanOrEqual(height));
  });

  it('sets the Party header halves on the same first row, the issuing body one single line below', () => {
    const doc = model([]);
    const header = doc.body[0]!;
    if (header.kind !== 'columns') throw new Error('the fixture starts with the header halves');
    header.columns[0]![0] = p('parentBody', 'ĐẢNG BỘ TỈNH HÀ NAM');
    const plan = planSheet(doc);
    const parent = plan.cells.find((c) => squash(c.runs.map((r) => r.text).join('')) === 'ĐẢNG BỘ TỈNH HÀ NAM')!;
    const agency = plan.cells.find((c) => squash(c.runs.map((r) => r.text).join('')) === 'ĐẢNG ỦY PHƯỜNG HẢI DƯƠNG')!;
    expect(parent.row).toBe(rowOf(plan, 'ĐẢNG CỘNG SẢN VIỆT NAM'));
    const gap = plan.rows.slice(parent.row, agency.row).reduce((a, b) => a + b, 0);
    // Single spacing: one line of the 14 pt parent body (1.15 em), in whole pixels.
    expect(gap).toBeGreaterThanOrEqual(14 * 1.1);
    expect(gap).toBeLessThanOrEqual(14 * 1.2);
    for (const c of plan.cells) if (!c.border) expect(c.vertical, squash(c.runs.map((r) => r.text).join(''))).toBe('top');
  });

  it('drops the indent off the border only where it alone would cost a page (a cell a line longer than in the PDF)', () => {
    // A unit name whose first line fits the PDF's cell (padding 5.4 pt) but not the sheet's indented one.
    const L = DEFAULT_XLSX_LAYOUT;
    const probe = planSheet(model([summaryTable([['x', 1, 2]])]));
    const column = probe.cells.find((c) => c.border && c.indent > 0)!;
    const width = probe.columns.slice(column.col, column.col + column.cols).reduce((a, b) => a + b, 0);
    const indented = (width - 2 * L.cellPadX - L.indentPt) * L.wrapSafety;
    const pdf = (width - 2 * L.pdfCellPadX) * L.wrapSafety;
    const line = 'Chi bộ ô ô ô ô ô ô ô ô ô ô ô ô ô ô ô ô ô ô ô';
    // Its size set so that the line falls between the two widths.
    const size = (13 * (indented + pdf)) / 2 / measureText(line, 13);
    expect(measureText(line, size)).toBeGreaterThan(indented);
    expect(measureText(line, size)).toBeLessThan(pdf);
    const table = (): Block => {
      const t = summaryTable([[`${line}\nKhu dân cư`, 1, 2]]);
      if (t.kind !== 'table') throw new Error('a table');
      const runs = (t.rows[1]!.cells[1]!.blocks[0] as Paragraph).runs;
      runs[0] = { ...runs[0]!, size };
      return t;
    };
    const seen = new Set<number>();
    // A spacer moves the table down the last page in steps finer than the extra line.
    for (let h = 0; h <= 60; h += 4) {
      const n = `${h} pt down`;
      const doc = model([...filler(8), { kind: 'spacer', height: h }, table()]);
      const plan = planSheet(doc);
      const cell = plan.cells.find((c) => c.runs.some((r) => r.text.startsWith('Chi bộ ô')))!;
      seen.add(cell.indent);
      // As many pages as with rows as tall as the PDF's (no indent at all), and the indent kept where it is free.
      const flat = planSheet(doc, { ...L, tableIndent: 0 });
      expect(plan.breaks.length, n).toBe(flat.breaks.length);
    }
    expect([...seen].sort()).toEqual([0, 1]);
  });

  it('keeps left-aligned text in bordered cells off the border (indent), and sets cell text at the top', async () => {
    const ws = (await readWorkbook(await createXlsxWriter().write(model([summaryTable([['Chi bộ Ủy ban nhân dân phường', 3, 16]])])))).worksheets[0]!;
    const unit = findCell(ws, 'Chi bộ Ủy ban nhân dân phường');
    expect(unit.cell.alignment?.horizontal).toBe('left');
    expect(unit.cell.alignment?.indent).toBeGreaterThanOrEqual(1);
    expect(unit.cell.alignment?.vertical).toBe('top');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Every shipped sample: LibreOffice's print of the XLSX beside our PDF.

const registry = loadRegistry();
const builder = new DocumentBuilder(registry, loadRules(registry.ruleDirs));
const dir = tmpDir('bieumau-xlsx-pages-');

interface Sample {
  name: string;
  doc: DocumentModel;
  pdf: string;
  xlsx: string;
  print?: string;
}
const samples: Sample[] = [];

beforeAll(async () => {
  const xlsx = await createWriter('xlsx');
  const pdf = await createWriter('pdf');
  for (const form of registry.list()) {
    const file = path.join('samples', `${form.id}.json`);
    if (!fs.existsSync(file)) continue;
    const records = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown[];
    for (const [i, record] of (Array.isArray(records) ? records : [records]).entries()) {
      const ruleSet = (record as { ruleSet?: string }).ruleSet;
      const doc = builder.build(form, record, ruleSet ? { rules: ruleSet } : {});
      const base = path.join(dir, `${form.id}-${i + 1}`);
      fs.writeFileSync(`${base}.xlsx`, await xlsx.write(doc));
      fs.writeFileSync(`${base}.pdf`, await pdf.write(doc));
      samples.push({ name: `${form.id} #${i + 1}`, doc, pdf: `${base}.pdf`, xlsx: `${base}.xlsx` });
    }
  }
  const printDir = path.join(dir, 'print');
  fs.mkdirSync(printDir);
  libreOfficeConvert(samples.map((s) => s.xlsx), printDir, 'pdf').forEach((f, i) => (samples[i]!.print = f));
}, 240_000);

interface Word {
  x0: number;
  x1: number;
  text: string;
}

/** Words of a PDF page with their horizontal extent (poppler's -bbox). */
function words(pdf: string, page: number): Word[] {
  const xml = execFileSync(tool('pdftotext'), ['-f', String(page), '-l', String(page), '-bbox', pdf, '-'], { encoding: 'utf8' });
  return [...xml.matchAll(/xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</g)].map((m) => ({ x0: Number(m[1]), x1: Number(m[2]), text: m[3]!.normalize('NFC') }));
}

/** Squashed text of each printed page, line by line as printed (raw reading order scrambles table cells). */
function pageTexts(pdf: string): string[] {
  return printedPages(pdf).map((page) => squash(page.normalize('NFC')));
}

/** Text that stands for a top-level block where it starts and where it ends (a few words each). */
function probes(b: Block): { first: string; last: string } | undefined {
  const few = (s: string, from: 'start' | 'end', n = 4) => {
    const w = s.split(' ').filter(Boolean);
    return (from === 'start' ? w.slice(0, n) : w.slice(-Math.min(n, 3))).join(' ');
  };
  if (b.kind === 'paragraph') {
    // A line of dashes or dots says nothing that can be found again.
    const t = textOf(b);
    return /\p{L}/u.test(t) ? { first: few(t, 'start'), last: few(t, 'end') } : undefined;
  }
  const longest = (cells: Block[][]) =>
    cells
      .flatMap((blocks) => blocks.filter((x): x is Paragraph => x.kind === 'paragraph').map(textOf))
      .sort((a, z) => z.length - a.length)[0];
  if (b.kind === 'table') {
    const body = b.rows.slice(Math.min(b.headerRows, b.rows.length - 1));
    const first = longest(body[0]!.cells.map((c) => c.blocks));
    const last = longest(body[body.length - 1]!.cells.map((c) => c.blocks));
    // Two words: the lines of the cells of one row are read across the row, so a cell's text is cut at its lines.
    return first && last ? { first: few(first, 'start', 2), last: few(last, 'start', 2) } : undefined;
  }
  if (b.kind === 'signature') {
    const right = b.right.filter((x): x is Paragraph => x.kind === 'paragraph').map(textOf).filter(Boolean);
    return right.length ? { first: few(right[0]!, 'start'), last: few(right[right.length - 1]!, 'start') } : undefined;
  }
  return undefined;
}

/**
 * Pages where each top-level block starts and ends on a print, found in reading order (the same words may come
 * again further on); undefined for blocks without text.
 */
function blockPages(doc: DocumentModel, pages: string[]): Array<{ first: number; last: number } | undefined> {
  let page = 0;
  let offset = 0;
  const find = (s: string): number => {
    for (let p = page; p < pages.length; p++) {
      const at = pages[p]!.indexOf(s, p === page ? offset : 0);
      if (at >= 0) {
        page = p;
        offset = at;
        return p;
      }
    }
    throw new Error(`"${s}" is not printed after page ${page + 1}`);
  };
  return doc.body.map((b) => {
    const pr = probes(b);
    if (!pr) return undefined;
    const first = find(pr.first);
    return { first, last: b.kind === 'paragraph' ? first : find(pr.last) };
  });
}

describe('XLSX pages: every sample printed by LibreOffice', () => {
  it('has as many pages as our PDF', () => {
    // commitment #1 needs the indent rule above: its PDF's page 2 is full to within 3 pt.
    const counts = samples.map((s) => `${s.name}: ${pdfPageCount(s.pdf)}`);
    expect(samples.map((s) => `${s.name}: ${pdfPageCount(s.print!)}`)).toEqual(counts);
  });

  it('prints at full size (the header line as wide as in our PDF)', () => {
    for (const s of samples) {
      // The widest of the header words: "ĐẢNG" of the Party name (15 pt) or "CỘNG" of the quốc hiệu.
      const head = (pdf: string) => {
        const found = words(pdf, 1).filter((x) => x.text === 'ĐẢNG' || x.text === 'CỘNG');
        if (found.length === 0) throw new Error(`${s.name}: no header word in ${pdf}`);
        return Math.max(...found.map((w) => w.x1 - w.x0));
      };
      expect(head(s.print!) / head(s.pdf), s.name).toBeCloseTo(1, 2);
    }
  });

  it('keeps headings with what follows and signature blocks with what precedes them', () => {
    for (const s of samples) {
      const at = blockPages(s.doc, pageTexts(s.print!));
      const body = s.doc.body;
      body.forEach((b, i) => {
        const next = body[i + 1];
        const here = at[i];
        if (!here || !next || !at[i + 1]) return;
        const label = `${s.name}: "${probes(b)!.last}" then "${probes(next)!.first}"`;
        const tied = (b.kind === 'paragraph' && effectiveParagraph(s.doc, b).keepWithNext) || next.kind === 'signature';
        if (tied) expect(at[i + 1]!.first, label).toBe(here.last);
      });
    }
  });
});
