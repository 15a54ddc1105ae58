// Every row a clerk typed is accounted for, and every error lands on a cell the clerk can fix: values in a repeated
// column, rows pre-filled with formulas only, a required group left blank, a name split over two columns.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { addressOf, columnOf, columnsOf, fill, ingest, scoreRecord, template, where } from '../workbook/support.js';

const S = 'score-sheet';

/** The records under the form's own headers in a fresh workbook, plus extra columns with their own values. */
async function pasted(records: Array<Record<string, unknown>>, extra: Array<{ header: string; values: unknown[] }>, drop: string[] = []): Promise<Buffer> {
  const filled = await fill(S, await template(S, { rows: 10 }), records);
  const source = new ExcelJS.Workbook();
  await source.xlsx.load(filled as unknown as ArrayBuffer);
  const data = source.getWorksheet('Dữ liệu')!;
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Danh sách');
  const columns = columnsOf(S).filter((c) => !drop.includes(c.pointer));
  columns.forEach((c, k) => {
    ws.getCell(1, k + 1).value = c.header.vi;
    records.forEach((_, i) => (ws.getCell(2 + i, k + 1).value = data.getCell(`${c.letter}${7 + i}`).value));
  });
  extra.forEach((e, j) => {
    ws.getCell(1, columns.length + 1 + j).value = e.header;
    e.values.forEach((v, i) => {
      if (v !== undefined) ws.getCell(2 + i, columns.length + 1 + j).value = v as ExcelJS.CellValue;
    });
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('every typed row is accounted for', () => {
  it('a row whose only value is in a repeated column is rejected with that cell, not dropped', async () => {
    const records = [scoreRecord(0), scoreRecord(1), {}];
    const buffer = await pasted(records, [{ header: 'Họ và tên', values: [undefined, undefined, 'Đinh Văn Sơn'] }]);
    const r = await ingest(S, buffer);
    expect(r.summary).toMatchObject({ rows: 3, accepted: 2, rejected: 1 });
    const row = r.rejected[0]!;
    expect(row.row).toBe(4);
    expect(row.issues.map((i) => i.code)).toContain('duplicate-column-conflict');
    expect(row.cells!.map((c) => c.value)).toContain('Đinh Văn Sơn');
  });

  it('rows holding only formulas that give 0 or nothing are read as blank, in one warning', async () => {
    const total = columnOf(S, '/scores/total').letter;
    const cells: Array<Record<string, ExcelJS.CellValue>> = [{}, {}];
    for (let i = 2; i < 12; i++) cells.push({ [`${total}${7 + i}`]: { formula: `IF(A${7 + i}="","",1)`, result: i % 2 ? '' : 0 } as ExcelJS.CellValue });
    const buffer = await fill(S, await template(S, { rows: 20 }), [scoreRecord(0), scoreRecord(1)], cells);
    const r = await ingest(S, buffer);
    expect(r.summary).toMatchObject({ rows: 2, accepted: 2, rejected: 0 });
    const warning = r.issues.find((i) => i.code === 'formula-only-rows')!;
    expect(warning.severity).toBe('warning');
    expect(warning.params).toMatchObject({ count: 5, row: 9 });
  });

  it('a row with a name and a formula is still a row', async () => {
    const total = columnOf(S, '/scores/total').letter;
    const buffer = await fill(S, await template(S, { rows: 5 }), [scoreRecord(0)], [{}, { '/person/fullName': 'Mai Thị Lan', [`${total}8`]: { formula: 'CT8+CU8', result: 0 } as ExcelJS.CellValue }]);
    const r = await ingest(S, buffer);
    expect(r.summary).toMatchObject({ rows: 2, accepted: 1, rejected: 1 });
  });
});

describe('errors land on the cells to fix', () => {
  it('a required group left wholly blank names each field it needs, on its own cell', async () => {
    const record = scoreRecord(0);
    delete record.header;
    const buffer = await fill(S, await template(S, { rows: 5 }), [record]);
    const r = await ingest(S, buffer);
    const header = r.rejected[0]!.issues.filter((i) => i.pointer.startsWith('/header'));
    expect(header.map((i) => `${i.cell?.address} ${i.code} ${i.label}`)).toEqual([
      `${addressOf(S, '/header/issuingBody', 0)} required Phần đầu văn bản › Cơ quan, tổ chức ban hành`,
      `${addressOf(S, '/header/place', 0)} required Phần đầu văn bản › Địa danh`,
    ]);
  });

  it('a name split into "Họ và đệm" and "Tên" is refused with what to do, never read from "Tên" alone', async () => {
    const records = [scoreRecord(0), scoreRecord(1)];
    const buffer = await pasted(
      records,
      [
        { header: 'Họ và đệm', values: ['Trần Quốc', 'Nguyễn Thị Ngọc'] },
        { header: 'Tên', values: ['Khánh', 'Ánh'] },
      ],
      ['/person/fullName'],
    );
    const r = await ingest(S, buffer);
    expect(r.summary.accepted).toBe(0);
    const split = r.issues.find((i) => i.code === 'header-split-name')!;
    expect(split.severity).toBe('error');
    expect(split.message).toBe('Họ và tên đang tách thành hai cột ("Họ và đệm" và "Tên"); cột "Tên" không được hiểu là họ và tên. Hãy gộp thành một cột "Họ và tên" rồi gửi lại.');
    expect(r.records.map((x) => (x.person as { fullName?: string }).fullName)).toEqual([]);
    expect(where(r.issues.filter((i) => i.code === 'required'))).toHaveLength(2);
  });
});

describe('data on a sheet that is not read', () => {
  it('another sheet with the form headers and rows under them is an error naming it; headers alone are not', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await fill(S, await template(S, { rows: 5 }), [scoreRecord(0)])) as unknown as ArrayBuffer);
    const columns = columnsOf(S).filter((c) => c.requiredInRecord);
    for (const [name, rows] of [
      ['Dữ liệu (2)', 1],
      ['Mẫu trống', 0],
    ] as const) {
      const ws = wb.addWorksheet(name);
      columns.forEach((c, k) => {
        ws.getCell(1, k + 1).value = c.header.vi;
        if (rows > 0) ws.getCell(2, k + 1).value = k === 0 ? 'Đoàn Minh Tuấn' : null;
      });
    }
    const r = await ingest(S, Buffer.from(await wb.xlsx.writeBuffer()));
    expect(r.summary).toMatchObject({ rows: 1, accepted: 1 });
    const other = r.issues.filter((i) => i.code === 'other-data-sheet');
    expect(other.map((i) => [i.severity, i.params])).toEqual([['error', { sheet: 'Dữ liệu (2)', read: 'Dữ liệu' }]]);
  });
});
