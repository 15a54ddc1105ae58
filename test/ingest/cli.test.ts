// `bieumau ingest` as a committee runs it: the five output files, exit codes 0/1/2, and the annotated copy a unit
// gets back (checked in the workbook and as LibreOffice renders it).
import fs from 'node:fs';
import path from 'node:path';
import PizZip from 'pizzip';
import { describe, expect, it } from 'vitest';
import type ExcelJS from 'exceljs';
import { cli } from '../support/cli.js';
import { libreOfficeConvert, pdfText, tmpDir } from '../support/tools.js';
import { corpus, fill, ingest, load, samples, save, scoreRecord, template } from '../workbook/support.js';

const S = 'score-sheet';

async function badFile(): Promise<string> {
  const records = samples(S);
  const file = path.join(tmpDir(), 'chi-bo-ubnd.xlsx');
  fs.writeFileSync(
    file,
    await fill(S, await template(S, { rows: 20 }), records, [
      {},
      { '/person/dateOfBirth': '31/02/1982' },
      { '/person/fullName': null },
      { '/person/idNumber': '030076001234' },
      { '/person/category': 'Lãnh đạo' },
      { '/person/phone': 983112406 },
    ]),
  );
  return file;
}

function readJson(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

describe('bieumau ingest', () => {
  it('exits 0 on a clean file: every record in records.json, nothing rejected, an empty report', async () => {
    const file = path.join(tmpDir(), 'sach.xlsx');
    fs.writeFileSync(file, await fill(S, await template(S, { rows: 10 }), samples(S)));
    const out = tmpDir();
    const r = await cli('ingest', S, file, '--out', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`sach.xlsx: ${samples(S).length} dòng dữ liệu — ${samples(S).length} hợp lệ, 0 bị loại; 0 lỗi, 0 cảnh báo`);
    expect(readJson(path.join(out, 'records.json'))).toEqual(samples(S));
    expect(readJson(path.join(out, 'rejected.json'))).toEqual([]);
    expect(readJson(path.join(out, 'errors.json'))).toMatchObject({ issues: [], summary: { rows: 7, accepted: 7, rejected: 0, errors: 0, warnings: 0, usedMetadata: true } });
    expect(fs.readFileSync(path.join(out, 'errors.csv'), 'utf8')).toBe('\uFEFFTrang,Ô,Dòng,Tiêu đề cột,Trường,Mã,Nội dung,Giá trị,Mức độ\r\n');
    const annotated = await load(fs.readFileSync(path.join(out, 'annotated.xlsx')));
    expect(annotated.getWorksheet('Lỗi')!.getCell('D2').value).toBe('Không có lỗi.');
    expect(fs.readdirSync(out).sort()).toEqual(['annotated.xlsx', 'errors.csv', 'errors.json', 'records.json', 'rejected.json']);
  });

  it('exits 1 when rows are rejected, accounting for every row in records.json or rejected.json', async () => {
    const out = tmpDir();
    const r = await cli('ingest', S, await badFile(), '--out', out);
    expect(r.code).toBe(1);
    const records = readJson(path.join(out, 'records.json')) as unknown[];
    const rejected = readJson(path.join(out, 'rejected.json')) as Array<{ row: number; cells: Array<{ address: string; value: unknown }>; issues: Array<{ code: string }> }>;
    const report = readJson(path.join(out, 'errors.json')) as { summary: { rows: number; accepted: number; rejected: number; errors: number; warnings: number } };
    expect(records.length + rejected.length).toBe(report.summary.rows);
    expect(report.summary).toMatchObject({ rows: 7, accepted: 2, rejected: 5, errors: 5, warnings: 1 });
    expect(rejected.map((x) => `${x.row}:${x.issues.map((i) => i.code).join(',')}`)).toEqual(['7:duplicate-person', '8:date-invalid', '9:required', '10:duplicate-person', '11:enum-unknown']);
    expect(rejected[1]!.cells).toContainEqual({ address: 'B8', header: 'Ngày sinh', value: '31/02/1982' });
    // Rows rejected as duplicates keep their cells too (the first one only became a duplicate later).
    expect(rejected[0]!.cells).toContainEqual({ address: 'C7', header: 'Số CCCD', value: '030076001234' });
    expect(rejected[3]!.cells).toContainEqual({ address: 'C10', header: 'Số CCCD', value: '030076001234' });
    const csv = fs.readFileSync(path.join(out, 'errors.csv'), 'utf8').split('\r\n');
    expect(csv).toHaveLength(8);
    expect(csv).toContain('Dữ liệu,B8,8,Ngày sinh,Thông tin cá nhân › Ngày sinh,date-invalid,"""31/02/1982"" không phải ngày hợp lệ theo dạng ngày/tháng/năm (ví dụ 05/01/2026).",31/02/1982,Lỗi');
    expect(csv).toContain('Dữ liệu,J12,12,Số điện thoại,Thông tin cá nhân › Số điện thoại,number-in-text,Ô chứa số 983112406 thay vì văn bản: số 0 ở đầu (nếu có) đã mất. Hãy gõ lại dưới dạng văn bản (ví dụ thêm dấu \' ở đầu).,983112406,Cảnh báo');
  });

  it('returns the unit its own workbook with bad cells filled and noted, an errors sheet, and nothing else changed', async () => {
    const file = await badFile();
    const out = tmpDir();
    await cli('ingest', S, file, '--out', out);
    const buffer = fs.readFileSync(path.join(out, 'annotated.xlsx'));
    const wb = await load(buffer);
    expect(wb.worksheets.map((w) => `${w.name}:${w.state}`)).toEqual(['Hướng dẫn:visible', 'Dữ liệu:visible', '_lists:veryHidden', '_meta:veryHidden', 'Lỗi:visible']);
    const ws = wb.getWorksheet('Dữ liệu')!;
    const fill = (a: string) => (ws.getCell(a).fill as { fgColor?: { argb?: string } } | undefined)?.fgColor?.argb;
    expect([fill('B8'), fill('A9'), fill('C7'), fill('C10'), fill('H11'), fill('J12')]).toEqual(['FFFFC7CE', 'FFFFC7CE', 'FFFFC7CE', 'FFFFC7CE', 'FFFFC7CE', 'FFFFEB9C']);
    expect(fill('D8')).toBeUndefined();
    const note = ws.getCell('B8').note as { texts?: Array<{ text: string }> } | string;
    const noteText = typeof note === 'string' ? note : note.texts!.map((t) => t.text).join('');
    expect(noteText).toContain('✗ "31/02/1982" không phải ngày hợp lệ');
    expect(ws.getCell('B8').value).toBe('31/02/1982');
    expect(ws.getCell('B8').numFmt).toBe('@');
    const original = await load(fs.readFileSync(file));
    expect(ws.getCell('D8').value).toEqual(original.getWorksheet('Dữ liệu')!.getCell('D8').value);
    const errors = wb.getWorksheet('Lỗi')!;
    expect(errors.getRow(1).values).toEqual([undefined, 'Ô', 'Dòng', 'Tiêu đề cột', 'Nội dung', 'Giá trị', 'Mức độ', 'Trường', 'Mã', 'Trang']);
    expect(errors.rowCount).toBe(7);
    expect(errors.getCell('A3').value).toBe('B8');
    // Each cell address links to the cell in the data sheet.
    const errorsXml = new PizZip(buffer).file('xl/worksheets/sheet5.xml')!.asText();
    expect(errorsXml).toContain(`<hyperlink ref="A3" location="'Dữ liệu'!B8" display="B8"/>`);
    // The copy is still the template: fixed and sent back, it is read again (same problems, same cells).
    const again = await ingest(S, buffer);
    expect(again.issues.map((i) => `${i.cell?.address} ${i.code}`)).toEqual(['C7 duplicate-person', 'B8 date-invalid', 'A9 required', 'C10 duplicate-person', 'H11 enum-unknown', 'J12 number-in-text']);
  });

  it('marks cells while reading when no problem turns up later, and annotates a CSV in a new workbook', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'mot-loi.xlsx');
    fs.writeFileSync(file, await fill(S, await template(S, { rows: 5 }), [scoreRecord(0), scoreRecord(1)], [{}, { '/person/dateOfBirth': '30/02/1990' }]));
    const out = tmpDir();
    expect((await cli('ingest', S, file, '--out', out)).code).toBe(1);
    const ws = (await load(fs.readFileSync(path.join(out, 'annotated.xlsx')))).getWorksheet('Dữ liệu')!;
    expect((ws.getCell('B8').fill as { fgColor?: { argb?: string } }).fgColor?.argb).toBe('FFFFC7CE');
    expect(ws.getCell('B7').fill?.type === 'pattern' && (ws.getCell('B7').fill as { fgColor?: { argb?: string } }).fgColor?.argb === 'FFFFC7CE').toBe(false);
    expect(JSON.stringify(ws.getCell('B8').note)).toContain('30/02/1990');
    expect(fs.readdirSync(out).some((f) => f.includes('partial'))).toBe(false);

    const csv = path.join(dir, 'don-vi.csv');
    fs.writeFileSync(csv, 'Họ và tên,Đơn vị công tác,Đối tượng\r\nNguyễn Văn A,Văn phòng,Cán bộ\r\n');
    const outCsv = tmpDir();
    expect((await cli('ingest', S, csv, '--out', outCsv)).code).toBe(1);
    const book = await load(fs.readFileSync(path.join(outCsv, 'annotated.xlsx')));
    const sheet = book.getWorksheet('don-vi')!;
    expect(sheet.getCell('A2').value).toBe('Nguyễn Văn A');
    expect((sheet.getCell('C2').fill as { fgColor?: { argb?: string } }).fgColor?.argb).toBe('FFFFC7CE');
    expect(book.getWorksheet('Lỗi')!.rowCount).toBeGreaterThan(3);
  });

  it('LibreOffice opens the annotated copy and shows the errors sheet', async () => {
    const out = tmpDir();
    await cli('ingest', S, await badFile(), '--out', out);
    const [pdf] = libreOfficeConvert([path.join(out, 'annotated.xlsx')], tmpDir(), 'pdf');
    const text = pdfText(pdf!);
    expect(text).toContain('Trùng người với dòng 10 (030076001234).');
    expect(text).toContain('"31/02/1982" không phải ngày hợp lệ theo dạng ngày/tháng/năm');
  });

  it('speaks English with --lang en', async () => {
    const out = tmpDir();
    const r = await cli('ingest', S, await badFile(), '--out', out, '--lang', 'en');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('7 data row(s) — 2 accepted, 5 rejected; 5 error(s), 1 warning(s)');
    const csv = fs.readFileSync(path.join(out, 'errors.csv'), 'utf8');
    expect(csv.split('\r\n')[0]).toBe('\uFEFFSheet,Cell,Row,Column header,Field,Code,Message,Value,Severity');
    expect(csv).toContain('"""31/02/1982"" is not a valid date in day/month/year form (e.g. 05/01/2026)."');
    expect((await load(fs.readFileSync(path.join(out, 'annotated.xlsx')))).getWorksheet('Errors')).toBeDefined();
  });

  it('exits 2 with a plain message when the file cannot be read, writing nothing', async () => {
    const out = path.join(tmpDir(), 'out');
    const r = await cli('ingest', S, corpus('poi-protected_passtika.xlsx'), '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^bieumau: Tệp được đặt mật khẩu mở nên đã bị mã hoá\./);
    expect(r.stderr).not.toMatch(/\bat .+\.(ts|js):\d+/);
    expect(fs.existsSync(path.join(out, 'records.json'))).toBe(false);
  });

  it('reads several files of one unit into one folder each, catching a person sent twice across files', async () => {
    const dir = tmpDir();
    const a = path.join(dir, 'dot-1.xlsx');
    const b = path.join(dir, 'dot-2.xlsx');
    fs.writeFileSync(a, await fill(S, await template(S, { rows: 5 }), [scoreRecord(0), scoreRecord(1)]));
    fs.writeFileSync(b, await fill(S, await template(S, { rows: 5 }), [scoreRecord(2), scoreRecord(1)]));
    const out = tmpDir();
    const r = await cli('ingest', S, a, b, '--out', out, '--json');
    expect(r.code).toBe(1);
    const summaries = JSON.parse(r.stdout) as Array<{ file: string; accepted: number; rejected: number }>;
    expect(summaries.map((s) => [s.file, s.accepted, s.rejected])).toEqual([
      ['dot-1.xlsx', 2, 0],
      ['dot-2.xlsx', 1, 1],
    ]);
    const issues = (readJson(path.join(out, 'dot-2', 'errors.json')) as { issues: Array<{ code: string; message: string; cell: { address: string } }> }).issues;
    expect(issues.map((i) => `${i.cell.address} ${i.code}`)).toEqual(['C8 duplicate-person-file']);
    expect(issues[0]!.message).toMatch(/^Trùng người với dòng 8 của tệp dot-1\.xlsx/);
  });

  it('keeps files of the same name from different units apart, and still catches a person sent by both', async () => {
    const dir = tmpDir();
    const files = ['phong-noi-vu', 'phong-tai-chinh'].map((unit) => {
      fs.mkdirSync(path.join(dir, unit));
      return path.join(dir, unit, 'bieu-mau.xlsx');
    });
    fs.writeFileSync(files[0]!, await fill(S, await template(S, { rows: 5 }), [scoreRecord(0), scoreRecord(1)]));
    fs.writeFileSync(files[1]!, await fill(S, await template(S, { rows: 5 }), [scoreRecord(2), scoreRecord(1)]));
    const out = tmpDir();
    const r = await cli('ingest', S, ...files, '--out', out);
    expect(r.code).toBe(1);
    expect(fs.readdirSync(out).sort()).toEqual(['phong-noi-vu-bieu-mau', 'phong-tai-chinh-bieu-mau']);
    expect((readJson(path.join(out, 'phong-noi-vu-bieu-mau', 'records.json')) as unknown[]).length).toBe(2);
    expect((readJson(path.join(out, 'phong-tai-chinh-bieu-mau', 'records.json')) as unknown[]).length).toBe(1);
    const issues = (readJson(path.join(out, 'phong-tai-chinh-bieu-mau', 'errors.json')) as { issues: Array<{ code: string; message: string }> }).issues;
    expect(issues.map((i) => i.code)).toEqual(['duplicate-person-file']);
    expect(issues[0]!.message).toContain(files[0]!);
  });
});

describe('bieumau ingest, the same file named twice', () => {
  it('reads it once, says so, and still writes one folder for it', async () => {
    const dir = tmpDir();
    const a = path.join(dir, 'dot-1.xlsx');
    fs.writeFileSync(a, await fill(S, await template(S, { rows: 5 }), [scoreRecord(0), scoreRecord(1)]));
    fs.symlinkSync(a, path.join(dir, 'lien-ket.xlsx'));
    const out = tmpDir();
    const r = await cli('ingest', S, a, path.join(dir, '.', 'dot-1.xlsx'), path.join(dir, 'lien-ket.xlsx'), '--out', out, '--json');
    expect(r.code).toBe(0);
    const summaries = JSON.parse(r.stdout) as Array<{ accepted: number; rejected: number }>;
    expect(summaries.map((s) => [s.accepted, s.rejected])).toEqual([[2, 0]]);
    expect(r.stderr.match(/chỉ đọc một lần/g)).toHaveLength(2);
    expect((readJson(path.join(out, 'records.json')) as unknown[]).length).toBe(2);
  });
});

describe('bieumau ingest of an annotated copy sent back', () => {
  const noteOf = (ws: ExcelJS.Worksheet, a: string) => {
    const note = ws.getCell(a).note as { texts?: Array<{ text: string }> } | string | undefined;
    return note === undefined ? '' : typeof note === 'string' ? note : note.texts!.map((t) => t.text).join('');
  };
  const fillOf = (ws: ExcelJS.Worksheet, a: string) => (ws.getCell(a).fill as { fgColor?: { argb?: string } } | undefined)?.fgColor?.argb;

  it('replaces the earlier notes, marks and errors sheet: a fixed cell comes back clean, the unit\'s own note stays', async () => {
    const out = tmpDir();
    await cli('ingest', S, await badFile(), '--out', out);
    // The unit fixes B8 in the annotated copy, adds its own note on H11 (still wrong), and saves it with another program.
    const wb = await load(fs.readFileSync(path.join(out, 'annotated.xlsx')));
    const ws = wb.getWorksheet('Dữ liệu')!;
    ws.getCell('B8').value = '28/02/1982';
    ws.getCell('H11').note = `Đơn vị: đã hỏi lại.\n\n${noteOf(ws, 'H11')}`;
    const back = path.join(tmpDir(), 'gui-lai.xlsx');
    fs.writeFileSync(back, await save(wb));

    const out2 = tmpDir();
    await cli('ingest', S, back, '--out', out2);
    const wb2 = await load(fs.readFileSync(path.join(out2, 'annotated.xlsx')));
    expect(wb2.worksheets.map((w) => w.name)).toEqual(['Hướng dẫn', 'Dữ liệu', '_lists', '_meta', 'Lỗi']);
    const ws2 = wb2.getWorksheet('Dữ liệu')!;
    expect(fillOf(ws2, 'B8')).toBeUndefined();
    expect(noteOf(ws2, 'B8')).toBe('');
    expect(fillOf(ws2, 'H11')).toBe('FFFFC7CE');
    expect(noteOf(ws2, 'H11').startsWith('Đơn vị: đã hỏi lại.\n\nbieumau:\n')).toBe(true);
    for (const a of ['A9', 'H11', 'J12']) expect(noteOf(ws2, a).match(/bieumau:/g), a).toHaveLength(1);
    const errors = wb2.getWorksheet('Lỗi')!;
    expect(errors.rowCount).toBe(6);
    expect(errors.getColumn(1).values.slice(2)).not.toContain('B8');
  });
});
