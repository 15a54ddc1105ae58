// The XLSX writer on hand-built document models: what a clerk opening the sheet sees and prints.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createXlsxWriter, planSheet } from '../../../src/render/xlsx/index.js';
import { writeWorkbook } from '../../../src/render/xlsx/write.js';
import { libreOfficeConvert, pdfText, tmpDir } from '../../support/tools.js';
import { handBuiltDocument, p, summaryTable } from './model-fixture.js';
import { cellsOf, findCell, firstLine, printedPages, rawCell, readWorkbook, zipPart } from './support.js';

const MM = 72 / 25.4;
const dir = tmpDir('bieumau-xlsx-');
const units: Array<[string, number, number]> = [
  ['Chi bộ Ủy ban nhân dân phường', 3, 16],
  ['Chi bộ Cơ quan Đảng - Mặt trận - Đoàn thể', 2, 14],
  ['Đảng bộ Quân sự phường', 1262, 3738],
];

async function written() {
  const doc = handBuiltDocument([summaryTable(units)]);
  const bytes = await createXlsxWriter().write(doc);
  const wb = await readWorkbook(bytes);
  return { doc, bytes, wb, ws: wb.worksheets[0]! };
}

describe('XLSX writer: the sheet', () => {
  it('has one sheet named after the document, gridlines off, Times New Roman as the workbook font', async () => {
    const { wb, ws, bytes } = await written();
    expect(wb.worksheets).toHaveLength(1);
    expect(ws.name).toBe('Tổng hợp kết quả đánh giá, xếp');
    expect(ws.views[0]?.showGridLines).toBe(false);
    const styles = await zipPart(bytes, 'xl/styles.xml');
    expect(/<fonts[^>]*><font><sz val="12"\/><color theme="1"\/><name val="Times New Roman"\/>/.test(styles)).toBe(true);
    expect(wb.title).toBe('Tổng hợp kết quả đánh giá, xếp loại chất lượng');
    for (const c of cellsOf(ws)) expect(c.cell.font?.name, c.address).toBe('Times New Roman');
  });

  it('prints on A4 portrait with the profile margins, fitted to the page width', async () => {
    const { ws } = await written();
    const s = ws.pageSetup;
    expect(s.paperSize).toBe(9);
    expect(s.orientation).toBe('portrait');
    expect(s.fitToPage).toBe(true);
    expect(s.fitToWidth).toBe(1);
    expect(s.fitToHeight).toBe(0);
    expect(s.margins!.left).toBeCloseTo(30 / 25.4, 2);
    expect(s.margins!.right).toBeCloseTo(15 / 25.4, 2);
    expect(s.margins!.top).toBeCloseTo(20 / 25.4, 2);
    expect(s.margins!.bottom).toBeCloseTo(20 / 25.4, 2);
  });

  it('numbers pages from page 2 at the top, centred, as the profile says, and repeats the table header row', async () => {
    const { ws } = await written();
    expect(ws.headerFooter.oddHeader).toMatch(/^&C&"Times New Roman,Regular"&14&P$/);
    expect(ws.headerFooter.oddFooter).toBeUndefined();
    expect(ws.headerFooter.differentFirst).toBe(true);
    expect(ws.headerFooter.firstHeader ?? '').toBe('');
    const header = findCell(ws, 'Đơn vị');
    expect(ws.pageSetup.printTitlesRow).toBe(`${header.row}:${header.row}`);
  });

  it('sizes columns to the text width (Times New Roman 12: 6 pt per width unit)', async () => {
    const { ws, doc } = await written();
    const textWidth = doc.page.width - doc.page.margins.left - doc.page.margins.right;
    let units = 0;
    for (let i = 1; i <= ws.columnCount; i++) units += ws.getColumn(i).width ?? 0;
    expect(units * 6).toBeCloseTo(textWidth, -1);
  });

  it('lays the Party header out in two halves: body left, party name right with a rule under it', async () => {
    const { ws, doc } = await written();
    const agency = findCell(ws, 'ĐẢNG ỦY PHƯỜNG HẢI DƯƠNG');
    const party = findCell(ws, 'ĐẢNG CỘNG SẢN VIỆT NAM');
    expect(agency.cell.font?.bold).toBe(true);
    expect(party.cell.font?.bold).toBe(true);
    expect(party.cell.font?.size).toBe(15);
    expect(party.col).toBeGreaterThan(agency.col);
    expect(party.row).toBe(findCell(ws, 'ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG').row);
    // The rule: bottom borders on a run of cells just below the party name, inside the right half.
    const plan = planSheet(doc);
    const rule = plan.lines[0]!;
    expect(rule.row + 1).toBeGreaterThan(party.row);
    for (let c = rule.from; c < rule.to; c++) expect(ws.getCell(rule.row + 1, c + 1).border?.bottom?.style).toBe('thin');
    expect(ws.getCell(rule.row + 1, rule.from).border?.bottom).toBeUndefined();
    expect(rule.from + 1).toBeGreaterThanOrEqual(party.col);
    expect(findCell(ws, 'Hải Dương, ngày 12 tháng 01 năm 2026').cell.font?.italic).toBe(true);
  });

  it('merges the title across the page and wraps body paragraphs in merged rows', async () => {
    const { ws } = await written();
    const merges: string[] = (ws as unknown as { model: { merges: string[] } }).model.merges;
    const last = ws.getColumn(ws.columnCount).letter;
    const title = findCell(ws, 'BÁO CÁO');
    expect(merges).toContain(`A${title.row}:${last}${title.row}`);
    expect(title.cell.alignment?.horizontal).toBe('center');
    expect(title.cell.font?.size).toBe(16);
    const body = cellsOf(ws).find((c) => c.text.startsWith('Thực hiện Quy định số 366-QĐ/TW'))!;
    expect(merges).toContain(`A${body.row}:${last}${body.row}`);
    expect(body.cell.alignment?.wrapText).toBe(true);
    expect(body.cell.alignment?.horizontal).toBe('justify');
    // The body's first-line indent (36 pt) as leading no-break spaces, about 10 at 14 pt.
    expect(/^\u00a0{8,12}Thực/.test(body.cell.text)).toBe(true);
    // Two lines of 14 pt text need more than one line's height.
    expect(ws.getRow(body.row).height).toBeGreaterThan(2 * 14);
  });

  it('writes counts as numbers with a Vietnamese-tagged format, and totals as formulas with cached results', async () => {
    const { ws, bytes } = await written();
    const big = findCell(ws, '1262');
    expect(big.cell.type).toBe(2); // ExcelJS.ValueType.Number
    expect(big.cell.value).toBe(1262);
    expect(big.cell.numFmt).toBe('[$-42A]#,##0');
    const xs = findCell(ws, 'Xuất sắc');
    const first = findCell(ws, 'Chi bộ Ủy ban nhân dân phường').row;
    const total = findCell(ws, 'Tổng cộng').row;
    const col = ws.getColumn(xs.col).letter;
    expect(total - first).toBe(units.length);
    const sheet = await zipPart(bytes, 'xl/worksheets/sheet1.xml');
    const raw = rawCell(sheet, `${col}${total}`);
    expect(raw.f).toBe(`SUM(${col}${first}:${col}${total - 1})`);
    expect(Number(raw.v)).toBe(units.reduce((s, u) => s + u[1], 0));
    // The row total sums the two cells to its left, in sheet columns (table columns may span several).
    const sumCol = ws.getColumn(findCell(ws, 'Tổng số').col).letter;
    const tot = rawCell(sheet, `${sumCol}${first}`);
    expect(tot.f).toBe(`SUM(${col}${first}:${ws.getColumn(findCell(ws, 'Tốt').col).letter}${first})`);
    expect(Number(tot.v)).toBe(19);
    expect(rawCell(sheet, `${sumCol}${total}`).v).toBe(String(units.reduce((s, u) => s + u[1] + u[2], 0)));
  });

  it('draws thin borders on every edge of table cells, merged ones included', async () => {
    const { ws } = await written();
    const total = findCell(ws, 'Tổng cộng');
    const xs = findCell(ws, 'Xuất sắc');
    for (let c = 1; c < xs.col; c++) {
      const b = ws.getCell(total.row, c).border;
      expect(b?.top?.style, `column ${c}`).toBe('thin');
      expect(b?.bottom?.style, `column ${c}`).toBe('thin');
    }
  });

  it('cuts a paragraph too tall for one row into rows under Excel’s 409 pt limit, keeping every word', async () => {
    const long = Array.from({ length: 400 }, (_, i) => `câu số ${i + 1} của đoạn văn dài.`).join(' ');
    const doc = handBuiltDocument([p('body', long)]);
    const plan = planSheet(doc);
    expect(Math.max(...plan.rows)).toBeLessThanOrEqual(409);
    const pieces = plan.cells.filter((c) => c.runs.some((r) => r.text.includes('câu số')));
    expect(pieces.length).toBeGreaterThan(1);
    const joined = pieces.map((c) => c.runs.map((r) => r.text).join('')).join(' ');
    expect(joined.trim().split(/\s+/)).toEqual(long.split(/\s+/));
  });

  it('forces a page break where the model has one', async () => {
    const doc = handBuiltDocument([p('body', 'Trang một.'), { kind: 'page-break' }, p('body', 'Trang hai.')]);
    const bytes = await createXlsxWriter().write(doc);
    const ws = (await readWorkbook(bytes)).worksheets[0]!;
    const before = findCell(ws, 'Trang một.').row;
    const sheet = await zipPart(bytes, 'xl/worksheets/sheet1.xml');
    const breaks = [...sheet.matchAll(/<brk id="(\d+)"[^>]*man="1"/g)].map((m) => Number(m[1]));
    expect(breaks).toEqual([before]);
    expect(findCell(ws, 'Trang hai.').row).toBe(before + 1);
  });

  it('reads as the same document through LibreOffice: every text, and numbers with Vietnamese separators', async () => {
    const { bytes } = await written();
    const file = path.join(dir, 'hand.xlsx');
    fs.writeFileSync(file, bytes);
    const [pdf] = libreOfficeConvert([file], dir, 'pdf');
    const text = pdfText(pdf!).replace(/\s+/g, ' ');
    // (A long unit name wraps inside its cell, so its two lines are found apart.)
    for (const s of ['ĐẢNG CỘNG SẢN VIỆT NAM', 'ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG', 'Hải Dương, ngày 12 tháng 01 năm 2026', 'BÁO CÁO', 'Chi bộ Ủy ban nhân dân phường', 'Chi bộ Cơ quan Đảng - Mặt trận', 'Đoàn thể', 'Bùi Văn Trường', 'T/M ĐẢNG ỦY']) {
      expect(text).toContain(s);
    }
    // The [$-42A] format tag makes LibreOffice print 1262 and the 5.000 total the Vietnamese way.
    expect(text).toContain('1.262');
    expect(text).toContain('3.738');
    expect(text).toContain(`${1262 + 3 + 2}`.replace(/\B(?=(\d{3})+$)/, '.'));
    expect(text).toMatch(/Thực hiện Quy định số 366-QĐ\/TW/);
  });
});

describe('XLSX writer: page size from the model', () => {
  it('writes landscape A4 when the page is wider than tall', async () => {
    const doc = handBuiltDocument();
    doc.page = { ...doc.page, width: 297 * MM, height: 210 * MM };
    const wb = await readWorkbook(await createXlsxWriter().write(doc));
    expect(wb.worksheets[0]!.pageSetup.paperSize).toBe(9);
    expect(wb.worksheets[0]!.pageSetup.orientation).toBe('landscape');
  });
});

describe('XLSX writer: pages', () => {
  const many = (n: number, prefix: string): Array<[string, number, number]> => Array.from({ length: n }, (_, i) => [`${prefix} ${i + 1}`, i % 7, 10 + (i % 5)]);

  it('a long single table: manual breaks inside it, its header row as print titles, totals over every row', async () => {
    const list = many(70, 'Chi bộ khu dân cư số');
    const doc = handBuiltDocument([summaryTable(list)]);
    const plan = planSheet(doc);
    expect(plan.breaks.length).toBeGreaterThanOrEqual(1);
    expect(plan.repeatedHeaderRows).toEqual([]);
    const bytes = await createXlsxWriter().write(doc);
    const ws = (await readWorkbook(bytes)).worksheets[0]!;
    const header = findCell(ws, 'Đơn vị').row;
    expect(ws.pageSetup.printTitlesRow).toBe(`${header}:${header}`);
    const sheet = await zipPart(bytes, 'xl/worksheets/sheet1.xml');
    const total = findCell(ws, 'Tổng cộng').row;
    const col = ws.getColumn(findCell(ws, 'Xuất sắc').col).letter;
    expect(rawCell(sheet, `${col}${total}`)).toMatchObject({ f: `SUM(${col}${header + 1}:${col}${total - 1})`, v: String(list.reduce((s, u) => s + u[1], 0)) });
    // Every page of the LibreOffice print starts with the table header.
    const file = path.join(dir, 'long.xlsx');
    fs.writeFileSync(file, bytes);
    const pages = printedPages(libreOfficeConvert([file], dir, 'pdf')[0]!);
    expect(pages.length).toBe(plan.breaks.length + 1);
    for (const page of pages.slice(1)) expect(firstLine(page)).toMatch(/^STT Đơn vị/);
    expect(pages.join('\n')).toContain('Chi bộ khu dân cư số 70');
  });

  it('two long tables: the header rows are written again at the top of each continued page, no print titles', async () => {
    const doc = handBuiltDocument([summaryTable(many(45, 'Đơn vị thứ nhất')), p('heading', 'II. Bảng thứ hai', { keepWithNext: true }), summaryTable(many(45, 'Đơn vị thứ hai'))]);
    doc.styles.heading = { ...doc.styles.body!, bold: true, keepWithNext: true };
    const plan = planSheet(doc);
    expect(plan.titleRows).toBeUndefined();
    expect(plan.repeatedHeaderRows.length).toBeGreaterThanOrEqual(2);
    const bytes = await createXlsxWriter().write(doc);
    const ws = (await readWorkbook(bytes)).worksheets[0]!;
    expect(ws.pageSetup.printTitlesRow).toBeUndefined();
    for (const r of plan.repeatedHeaderRows) {
      expect(plan.breaks).toContain(r - 1);
      expect(ws.getRow(r + 1).getCell(ws.getColumn(findCell(ws, 'Xuất sắc').col).number).text).toBe('Xuất sắc');
    }
    // The totals still add up the body rows only: the repeated header is text, which SUM skips.
    const sheet = await zipPart(bytes, 'xl/worksheets/sheet1.xml');
    const totals = cellsOf(ws).filter((c) => c.text === 'Tổng cộng');
    const col = ws.getColumn(findCell(ws, 'Xuất sắc').col).letter;
    expect(totals).toHaveLength(2);
    for (const t of totals) expect(Number(rawCell(sheet, `${col}${t.row}`).v)).toBe(many(45, '').reduce((s, u) => s + u[1], 0));
    // The heading kept with its table: it never ends a page.
    const heading = findCell(ws, 'II. Bảng thứ hai').row - 1;
    expect(plan.breaks).not.toContain(heading);
    const file = path.join(dir, 'two.xlsx');
    fs.writeFileSync(file, bytes);
    const pages = printedPages(libreOfficeConvert([file], dir, 'pdf')[0]!);
    expect(pages.length).toBe(plan.breaks.length + 1);
    for (const page of pages.slice(1)) expect(firstLine(page)).toMatch(/^(STT Đơn vị|II\. Bảng thứ hai)/);
  });
});

describe('XLSX merged ranges', () => {
  it('writes each planned range as one merge, and refuses a plan whose ranges overlap (a layout bug, never a silent sheet)', async () => {
    const doc = handBuiltDocument();
    const plan = planSheet(doc);
    const merged = plan.cells.filter((c) => c.rows > 1 || c.cols > 1);
    expect(merged.length).toBeGreaterThan(3);
    const ws = (await readWorkbook(await writeWorkbook(doc, plan))).worksheets[0]!;
    expect(ws.model.merges?.length).toBe(merged.length);
    const overlapping = { ...plan, cells: [...plan.cells, { ...merged[0]!, runs: [] }] };
    await expect(writeWorkbook(doc, overlapping)).rejects.toThrow(/merged ranges overlap at row \d+, column \d+/);
  });
});
