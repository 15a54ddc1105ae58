// Reference cases 5–12, 16 and 17 on filled templates: each problem reported with its exact code and cell,
// everything else read exactly; every non-blank row ends accepted or rejected.
import PizZip from 'pizzip';
import { describe, expect, it } from 'vitest';
import type ExcelJS from 'exceljs';
import { readSheetRows } from '../../src/ingest/sheet.js';
import { openWorkbookPackage } from '../../src/ingest/package.js';
import { ZipArchive } from '../../src/ingest/zip.js';
import { DEFAULT_LIMITS } from '../../src/ingest/limits.js';
import { addressOf, corpus, fill, ingest, load, samples, save, scoreRecord, template, where } from '../workbook/support.js';
import fs from 'node:fs';

const S = 'score-sheet';
const B = 'breakthrough-registration';

async function scoreFile(n: number, cells: Array<Record<string, unknown>>, rows = 20): Promise<Buffer> {
  const records = Array.from({ length: n }, (_, i) => scoreRecord(i));
  return fill(S, await template(S, { rows }), records, cells as Array<Record<string, ExcelJS.CellValue>>);
}

function breakthroughRecords(n: number): Array<Record<string, unknown>> {
  return Array.from({ length: n }, (_, i) => {
    const r = structuredClone(samples(B)[i % samples(B).length]!) as Record<string, unknown> & { person: { fullName: string } };
    r.person.fullName = `${r.person.fullName} ${i}`;
    return r;
  });
}

describe('case 5: dates typed as text are read day first', () => {
  it('parses dd/mm/yyyy and ISO, warns on other spellings, rejects month-first and impossible dates quoting the text', async () => {
    const dob = '/person/dateOfBirth';
    const typed = ['01/04/2018', '1/4/18', '2018-04-01', '13/04/2018', '04/13/2018', '32/01/2020', '29/02/2023'];
    const buffer = await scoreFile(typed.length, typed.map((t) => ({ [dob]: t })));
    const r = await ingest(S, buffer);
    expect(where(r.issues)).toEqual(['B8 date-text', 'B11 date-month-first', 'B12 date-invalid', 'B13 date-invalid']);
    expect(r.issues.find((i) => i.cell?.address === 'B11')!.message).toBe(
      '"04/13/2018" không phải ngày hợp lệ theo dạng ngày/tháng/năm: không có tháng 13 (có thể đã gõ tháng trước ngày). Hãy gõ theo dạng ngày/tháng/năm, ví dụ 05/01/2026.',
    );
    expect(r.issues.find((i) => i.cell?.address === 'B8')).toMatchObject({ severity: 'warning', raw: '1/4/18', message: 'Ngày "1/4/18" được đọc là 01/04/2018 (ngày/tháng/năm). Hãy kiểm tra.' });
    expect(r.acceptedRows).toEqual([7, 8, 9, 10]);
    expect(r.records.map((x) => (x.person as { dateOfBirth: string }).dateOfBirth)).toEqual(['2018-04-01', '2018-04-01', '2018-04-01', '2018-04-13']);
    expect(r.rejected.map((x) => x.row)).toEqual([11, 12, 13]);
    expect(r.rejected[0]!.cells).toContainEqual({ address: 'B11', header: 'Ngày sinh', value: '04/13/2018' });
  });

  it('takes real date cells as dates, rejects serials before March 1900 and bare numbers outside the date range', async () => {
    const dob = '/person/dateOfBirth';
    const buffer = await scoreFile(4, [{ [dob]: new Date(Date.UTC(1976, 4, 19)) }, { [dob]: 59 }, { [dob]: 2026 }, { [dob]: 27899.75 }]);
    const wb = await load(buffer);
    // exceljs shares a column's style object between its cells: give each dated cell its own.
    for (const a of ['B7', 'B8']) {
      const cell = wb.getWorksheet('Dữ liệu')!.getCell(a);
      cell.style = { ...cell.style, numFmt: 'dd/mm/yyyy' };
    }
    const r = await ingest(S, await save(wb));
    expect(where(r.issues)).toEqual(['B8 date-serial-1900', 'B9 not-a-date', 'B10 date-from-number']);
    expect((r.records[0]!.person as { dateOfBirth: string }).dateOfBirth).toBe('1976-05-19');
    expect((r.records[1]!.person as { dateOfBirth: string }).dateOfBirth).toBe('1976-05-19');
  });
});

describe('case 6: numbers and text', () => {
  it('reads decimal commas, grouped thousands, padded and exponent numbers with a warning; refuses words', async () => {
    const baseline = '/tasks/0/targets/0/baseline';
    const typed = ['7,5', '1.234,5', ' 12 ', '1e3', 'khoảng 10'];
    const buffer = await fill(B, await template(B, { rows: 10 }), breakthroughRecords(typed.length), typed.map((t) => ({ [baseline]: t })));
    const r = await ingest(B, buffer);
    const col = addressOf(B, baseline, 0).replace(/\d+$/, '');
    expect(where(r.issues)).toEqual([`${col}7 decimal-comma`, `${col}8 decimal-comma`, `${col}9 number-from-text`, `${col}10 number-from-text`, `${col}11 not-a-number`]);
    expect(r.records.map((x) => ((x.tasks as Array<{ targets: Array<{ baseline: number }> }>)[0]!.targets[0]!.baseline))).toEqual([7.5, 1234.5, 12, 1000]);
    expect(r.issues.at(-1)!.message).toBe('"khoảng 10" không phải là số.');
  });

  it('keeps ID and phone numbers typed as text; flags numbers that lost a leading zero or their last digits', async () => {
    const buffer = await scoreFile(4, [
      { '/person/phone': '0912345678' },
      { '/person/phone': 912345678 },
      { '/person/idNumber': 30076001234 },
      { '/person/idNumber': 123456789012345680 },
    ]);
    const r = await ingest(S, buffer);
    expect(where(r.issues)).toEqual(['J8 number-in-text', 'C9 number-in-text', 'C9 pattern', 'C10 precision-lost']);
    expect(r.issues.find((i) => i.code === 'precision-lost')!.message).toContain('1.23457E+17');
    expect((r.records[0]!.person as { phone: string }).phone).toBe('0912345678');
    expect((r.records[1]!.person as { phone: string }).phone).toBe('912345678');
    expect(r.rejected.map((x) => x.row)).toEqual([9, 10]);
  });
});

describe('case 7: dropdown values', () => {
  it('matches labels exactly, in any case, NFD or padded, and codes; accent-free spelling with a warning; legacy or unknown values are errors', async () => {
    const cat = '/person/category';
    const label = 'Giữ chức vụ lãnh đạo, quản lý';
    const values = [label, 'giữ CHỨC VỤ lãnh đạo, quản lý', label.normalize('NFD'), `${label}  `, 'leader', 'Giu chuc vu lanh dao, quan ly', 'Gi÷ chøc vô l·nh ®¹o, qu¶n lý', 'Lãnh đạo', 'Cán bộ lãnh đạo'];
    const buffer = await scoreFile(values.length, values.map((v) => ({ [cat]: v })));
    const r = await ingest(S, buffer);
    expect(where(r.issues)).toEqual(['H12 enum-fuzzy', 'H13 legacy-encoding', 'H14 enum-unknown', 'H15 enum-unknown']);
    expect(r.records.map((x) => (x.person as { category: string }).category)).toEqual(Array(6).fill('leader'));
    expect(r.issues.find((i) => i.cell?.address === 'H14')!.message).toBe(
      'Giá trị "Lãnh đạo" không có trong danh sách. Chọn một trong: Giữ chức vụ lãnh đạo, quản lý; Không giữ chức vụ lãnh đạo, quản lý; Không làm việc trong hệ thống chính trị.',
    );
    expect(r.issues.find((i) => i.cell?.address === 'H13')!.message).toContain('TCVN3');
  });
});

describe('case 8: rich text and links', () => {
  it('reads a partly bold name and an auto-linked e-mail as plain strings', async () => {
    const buffer = await scoreFile(1, [
      {
        '/person/fullName': { richText: [{ text: 'Trần ' }, { font: { bold: true }, text: 'Quốc' }, { text: ' Khánh' }] },
        '/person/email': { text: 'khanh@haiduong.gov.vn', hyperlink: 'mailto:khanh@haiduong.gov.vn' },
      },
    ]);
    const r = await ingest(S, buffer);
    expect(r.issues).toEqual([]);
    expect(r.records[0]!.person).toMatchObject({ fullName: 'Trần Quốc Khánh', email: 'khanh@haiduong.gov.vn' });
  });
});

describe('cases 9 and 10: formulas and error cells', () => {
  it('uses cached formula results with a warning, reports uncached formulas and formula errors, and literal errors per cell', async () => {
    const total = '/scores/total';
    const buffer = await scoreFile(4, [
      { [total]: { formula: 'CS7+CT7', result: 92.5 } },
      { [total]: { formula: 'CS8+CT8' } },
      { [total]: { formula: 'NA()', result: { error: '#N/A' } } },
      { [total]: { error: '#DIV/0!' } },
    ]);
    const r = await ingest(S, buffer);
    const col = addressOf(S, total, 0).replace(/\d+$/, '');
    expect(where(r.issues)).toEqual([`${col}7 formula`, `${col}8 formula-no-value`, `${col}9 formula-error`, `${col}10 cell-error`]);
    expect(r.issues.map((i) => i.message).slice(2)).toEqual(['Công thức trả về lỗi #N/A; hãy sửa công thức hoặc gõ giá trị.', 'Ô chứa giá trị lỗi #DIV/0!.']);
    expect(r.records[0]!.scores).toMatchObject({ total: 92.5 });
    expect(r.rejected.map((x) => x.row)).toEqual([8, 9, 10]);
  });
});

describe('case 11: whitespace and invisible characters', () => {
  it('trims NBSP, zero-width spaces and tabs, keeps line breaks as LF, and treats a blank required cell as missing', async () => {
    const buffer = await scoreFile(3, [
      { '/person/fullName': '\u00A0 Trần\u00A0Quốc\u200B Khánh\t', '/notes': 'Dòng 1\r\nDòng 2', '/person/post': 'A &amp; B' },
      { '/person/fullName': ' \u00A0\u200B ' },
      { '/person/unit': 'Ủy ban nhân dân phường'.normalize('NFD') },
    ]);
    const r = await ingest(S, buffer);
    expect(where(r.issues)).toEqual(['A8 required']);
    expect(r.records[0]!.person).toMatchObject({ fullName: 'Trần Quốc Khánh', post: 'A &amp; B' });
    expect(r.records[0]!.notes).toBe('Dòng 1\nDòng 2');
    expect((r.records[1]!.person as { unit: string }).unit).toBe('Ủy ban nhân dân phường'.normalize('NFC'));
  });
});

describe('case 12: blank and phantom rows', () => {
  it('skips blank and formatted-only rows to row 1,048,576, still finds data 50 rows down, with the right row numbers', async () => {
    const records = [scoreRecord(0), scoreRecord(1), undefined, undefined, scoreRecord(2)];
    const base = await fill(S, await template(S, { rows: 10 }), records.filter(Boolean) as unknown[]);
    // Move the third record down to row 11 and add one more far below, past the rows the template offered.
    const wb = await load(base);
    const ws = wb.getWorksheet('Dữ liệu')!;
    const row9 = ws.getRow(9).values as ExcelJS.CellValue[];
    ws.getRow(11).values = row9;
    ws.getRow(9).values = [];
    ws.getRow(10).getCell(4).value = '   ';
    const late = structuredClone(scoreRecord(3)) as { person: Record<string, unknown> };
    const filledLate = await fill(S, await template(S, { rows: 1 }), [late]);
    const lateRow = (await load(filledLate)).getWorksheet('Dữ liệu')!.getRow(7).values as ExcelJS.CellValue[];
    ws.getRow(62).values = lateRow;
    ws.getRow(62).getCell(1).value = null;
    let xml = await save(wb);
    // Formatting dragged to the bottom of the sheet: styled, empty rows up to 1,048,576.
    const zip = new PizZip(xml);
    const sheet = zip.file('xl/worksheets/sheet2.xml')!.asText();
    const phantom = [100, 5000, 1048576].map((n) => `<row r="${n}" s="1" customFormat="1"><c r="B${n}" s="1"/></row>`).join('');
    zip.file('xl/worksheets/sheet2.xml', sheet.replace('</sheetData>', `${phantom}</sheetData>`));
    xml = zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
    const r = await ingest(S, xml);
    expect(r.summary.rows).toBe(4);
    expect(r.acceptedRows).toEqual([7, 8, 11]);
    expect(r.rejected.map((x) => x.row)).toEqual([62]);
    expect(where(r.rejected[0]!.issues)).toEqual(['A62 required']);
  });
});

describe('case 16: merged cells and hidden rows in the data area', () => {
  it('rejects rows touched by a merge, cell by cell, and reads hidden rows with a warning', async () => {
    const wb = await load(await scoreFile(4, []));
    const ws = wb.getWorksheet('Dữ liệu')!;
    ws.mergeCells('F7:F8');
    ws.getRow(10).hidden = true;
    const r = await ingest(S, await save(wb));
    expect(where(r.issues)).toEqual(['F7 merged-cells', 'F8 required', 'F8 merged-cells', 'A10 hidden-row']);
    expect(r.issues[0]!.message).toBe('Ô bị gộp (F7:F8) trong vùng dữ liệu: chỉ ô đầu giữ giá trị. Hãy bỏ gộp ô và điền đủ từng dòng.');
    expect(r.acceptedRows).toEqual([9, 10]);
  });

  it('reads 50,000 merges (apache/poi 57893-many-merges.xlsx) without hanging and refuses it as not this form', async () => {
    const zip = await ZipArchive.open(fs.readFileSync(corpus('poi-57893-many-merges.xlsx')), DEFAULT_LIMITS);
    const pkg = await openWorkbookPackage(zip, DEFAULT_LIMITS);
    const tail = await readSheetRows(pkg, pkg.sheets[0]!, DEFAULT_LIMITS, () => undefined);
    expect(tail.merges.length).toBeGreaterThanOrEqual(50_000);
    await expect(ingest(S, corpus('poi-57893-many-merges.xlsx'))).rejects.toMatchObject({ code: 'no-data-sheet' });
  });
});

describe('case 17: the same person twice', () => {
  it('reports both rows, comparing keys after normalisation', async () => {
    const buffer = await scoreFile(3, [{ '/person/idNumber': '030076001234' }, {}, { '/person/idNumber': ' 030076001234\u00A0' }]);
    const r = await ingest(S, buffer);
    expect(where(r.issues)).toEqual(['C7 duplicate-person', 'C9 duplicate-person']);
    expect(r.issues.map((i) => i.message)).toEqual(['Trùng người với dòng 9 (030076001234).', 'Trùng người với dòng 7 (030076001234).']);
    expect(r.acceptedRows).toEqual([8]);
    expect(r.rejected.map((x) => x.row)).toEqual([7, 9]);
    expect(r.rejected[0]!.cells.find((c) => c.address === 'C7')?.value).toBe('030076001234');
    expect(r.rejected[1]!.cells.find((c) => c.address === 'A9')?.value).toBe((scoreRecord(2) as { person: { fullName: string } }).person.fullName);
  });

  it('takes a name written with the tone mark elsewhere, or in capitals, for the same name', async () => {
    const records = breakthroughRecords(3);
    const name = (records[0] as { person: { fullName: string; unit: string } }).person;
    const again = structuredClone(records[0]!) as { person: { fullName: string; unit: string } };
    again.person.fullName = 'Hoà Thuỷ';
    name.fullName = 'Hòa Thủy';
    again.person.unit = name.unit.toLocaleUpperCase('vi');
    const r = await ingest(B, await fill(B, await template(B, { rows: 10 }), [records[0], records[1], again]));
    expect(r.issues.filter((i) => i.code === 'duplicate-person').map((i) => i.row)).toEqual([7, 9]);
  });

  it('reports a person already sent in an earlier file of the same unit', async () => {
    const known = new Map();
    await ingest(S, await scoreFile(2, []), { knownKeys: known, fileName: 'dot-1.xlsx' });
    const r = await ingest(S, await scoreFile(2, [{}, { '/person/idNumber': '099999999999' }]), { knownKeys: known, fileName: 'dot-2.xlsx' });
    expect(where(r.issues)).toEqual(['C7 duplicate-person-file']);
    expect(r.issues[0]!.message).toBe(`Trùng người với dòng 7 của tệp dot-1.xlsx (${(scoreRecord(0) as { person: { idNumber: string } }).person.idNumber}).`);
    expect(r.acceptedRows).toEqual([8]);
  });
});

describe('issues on the cells of a group', () => {
  it('a level that cannot be read, alone in its group, is one error on its cell (not also "missing")', async () => {
    const buffer = await scoreFile(1, [{ '/levels/proposed': 'Xuất sắc', '/levels/verified': null, '/levels/decided': null }]);
    const r = await ingest(S, buffer);
    const at = addressOf(S, '/levels/proposed', 0);
    expect(where(r.issues.filter((i) => i.cell?.address === at))).toEqual([`${at} enum-unknown`]);
    expect(r.rejected.map((x) => x.row)).toEqual([7]);
  });

  it('after a skipped task, an issue names the task as its column header does, and points into the record as stored', async () => {
    const second = ['task', 'product', 'schedule', 'quality', 'points'].map((f) => [`/taskResults/1/${f}`, null]);
    const buffer = await scoreFile(1, [{ ...Object.fromEntries(second), '/taskResults/2/points': 150 }]);
    const r = await ingest(S, buffer);
    const at = addressOf(S, '/taskResults/2/points', 0);
    const issue = r.issues.find((i) => i.cell?.address === at && i.code === 'range')!;
    expect(issue.cell!.header).toMatch(/^Nhiệm vụ 3 › /);
    expect(issue.labelPath[0]).toBe('Nhiệm vụ 3');
    expect(issue.label.startsWith(issue.cell!.header.split(' › ')[0]!)).toBe(true);
    expect(issue.pointer).toBe('/taskResults/1/points');
  });
});

describe('a task score left blank', () => {
  it('rejects the row with the error on the blank cell when the other tasks have points', async () => {
    const buffer = await scoreFile(2, [{ '/taskResults/1/points': null }]);
    const r = await ingest(S, buffer);
    const at = addressOf(S, '/taskResults/1/points', 0);
    expect(where(r.issues)).toEqual([`${at} sum-item-missing`]);
    expect(r.rejected.map((x) => x.row)).toEqual([7]);
    expect(r.acceptedRows).toEqual([8]);
  });
});

describe('a hidden column', () => {
  it('is read, with one warning naming the column and its first filled cell; a hidden empty column says nothing', async () => {
    const wb = await load(await scoreFile(3, [{ '/person/phone': null }, { '/person/phone': null }, { '/person/phone': null }]));
    const ws = wb.getWorksheet('Dữ liệu')!;
    const decided = addressOf(S, '/levels/decided', 0).replace(/\d+$/, '');
    const phone = addressOf(S, '/person/phone', 0).replace(/\d+$/, '');
    ws.getColumn(decided).hidden = true;
    ws.getColumn(phone).hidden = true;
    const r = await ingest(S, await save(wb));
    expect(where(r.issues.filter((i) => i.code.startsWith('hidden')))).toEqual([`${decided}7 hidden-column`]);
    const decidedLevels = [0, 1, 2].map((i) => (scoreRecord(i).levels as { decided?: string }).decided);
    expect(r.issues.find((i) => i.code === 'hidden-column')).toMatchObject({ severity: 'warning', params: { count: decidedLevels.filter(Boolean).length } });
    expect(r.records.map((x) => (x.levels as { decided?: string }).decided)).toEqual(decidedLevels);
  });
});

describe('a row numbering the columns under the header', () => {
  for (const style of ['1, 2, 3…', '(1), (2), (3)…']) {
    it(`is skipped with one warning (${style}); the people below are read from the next row on`, async () => {
      const wb = await load(await scoreFile(3, []));
      const ws = wb.getWorksheet('Dữ liệu')!;
      const width = ws.getRow(6).cellCount;
      ws.spliceRows(7, 0, Array.from({ length: width }, (_, i) => (style.startsWith('(') ? `(${i + 1})` : i + 1)));
      const r = await ingest(S, await save(wb));
      expect(where(r.issues)).toEqual(['- column-numbers-row']);
      expect(r.issues[0]!.message).toBe('Dòng 7 (trang "Dữ liệu") chỉ đánh số thứ tự các cột (1, 2, 3…); không đọc như dữ liệu.');
      expect(r.acceptedRows).toEqual([8, 9, 10]);
    });
  }

  it('a first row of real data with small numbers in it is still a person', async () => {
    const r = await ingest(S, await scoreFile(2, []));
    expect(r.acceptedRows).toEqual([7, 8]);
    expect(r.issues.filter((i) => i.code === 'column-numbers-row')).toEqual([]);
  });
});

describe('common columns dragged down past the people', () => {
  it('rows holding only the values of the row above, with no person, are one warning, not rejected people', async () => {
    const wb = await load(await scoreFile(3, []));
    const ws = wb.getWorksheet('Dữ liệu')!;
    const common = ['/period/kind', '/period/year', '/header/place'].map((p) => addressOf(S, p, 2).replace(/\d+$/, ''));
    for (let r = 10; r <= 40; r++) for (const col of common) ws.getCell(`${col}${r}`).value = ws.getCell(`${col}9`).value;
    // Further down, a row that repeats them but has a name is a person (with its problems).
    for (const col of common) ws.getCell(`${col}41`).value = ws.getCell(`${col}9`).value;
    ws.getCell(`${addressOf(S, '/person/fullName', 0).replace(/\d+$/, '')}41`).value = 'Phạm Văn Toàn';
    const r = await ingest(S, await save(wb));
    const warning = r.issues.find((i) => i.code === 'filled-down-rows')!;
    expect(warning.params).toMatchObject({ count: 31, first: 10, last: 40 });
    expect(r.acceptedRows).toEqual([7, 8, 9]);
    expect(r.rejected.map((x) => x.row)).toEqual([41]);
  });
});
