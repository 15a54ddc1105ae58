// Reference cases 13–15: headers matched by key, label, alias and (with a warning) fuzzily; the template identified
// by its metadata or not at all; the data sheet found by metadata or content, not position.
import ExcelJS from 'exceljs';
import PizZip from 'pizzip';
import { describe, expect, it } from 'vitest';
import { getAt } from '../../src/pointer.js';
import { cellValueFor } from '../../src/workbook/cells.js';
import { columnsOf, fill, ingest, load, samples, save, scoreRecord, template, where } from '../workbook/support.js';

const S = 'score-sheet';

interface FreshColumn {
  header: string;
  pointer?: string;
  /** Values by data row, overriding the record's value. */
  values?: unknown[];
}

/** Data pasted into a fresh workbook: no metadata, headers as given, the header row where asked. */
async function fresh(records: Array<Record<string, unknown>>, columns: FreshColumn[], options: { sheet?: string; headerRow?: number; title?: string } = {}): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(options.sheet ?? 'Sheet1');
  const headerRow = options.headerRow ?? 1;
  if (options.title) ws.getCell('A1').value = options.title;
  const model = new Map(columnsOf(S).map((c) => [c.pointer, c]));
  columns.forEach((c, k) => {
    ws.getCell(headerRow, k + 1).value = c.header;
    records.forEach((record, i) => {
      const v = c.values ? c.values[i] : c.pointer ? cellValueFor(model.get(c.pointer)!, getAt(record, c.pointer), 'vi') : undefined;
      if (v !== undefined && v !== null) ws.getCell(headerRow + 1 + i, k + 1).value = v as ExcelJS.CellValue;
    });
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function standardColumns(): FreshColumn[] {
  return columnsOf(S).map((c) => ({ header: c.header.vi, pointer: c.pointer }));
}

describe('case 13: headers', () => {
  it('matches reordered columns, an alias, an English label, NFD text and a pointer key; warns on fuzzy and unknown headers and a low header row', async () => {
    const records = [scoreRecord(0), scoreRecord(1)];
    const cols = standardColumns().reverse();
    const rename = (pointer: string, header: string) => (cols.find((c) => c.pointer === pointer)!.header = header);
    rename('/person/fullName', 'Họ tên');
    rename('/person/unit', 'Don vi cong tac');
    rename('/person/dateOfBirth', 'Ngày sinh'.normalize('NFD'));
    rename('/person/post', 'Post');
    rename('/notes', '/notes');
    cols.push({ header: 'Ghi chú thêm', values: ['x', 'y'] });
    const buffer = await fresh(records, cols, { headerRow: 3, title: 'DANH SÁCH CÁN BỘ', sheet: 'Tổng hợp' });
    const r = await ingest(S, buffer);
    const unitCol = String.fromCharCode(65 + cols.findIndex((c) => c.header === 'Don vi cong tac'));
    expect(r.issues.map((i) => `${i.cell?.address ?? '-'} ${i.code} ${i.severity}`)).toEqual([
      '- meta-missing warning',
      '- header-row warning',
      expect.stringMatching(new RegExp(`^[A-Z]+3 header-fuzzy warning$`)),
      expect.stringMatching(/^[A-Z]+3 header-unknown warning$/),
    ]);
    expect(r.issues[2]!.message).toBe('Tiêu đề "Don vi cong tac" được hiểu là cột "Đơn vị công tác" (khác dấu, hoa/thường hoặc chính tả). Hãy kiểm tra.');
    void unitCol;
    expect(r.issues[3]!.message).toBe('Cột "Ghi chú thêm" không thuộc biểu mẫu; giá trị trong cột này không được đọc.');
    expect(r.summary).toMatchObject({ sheet: 'Tổng hợp', headerRow: 3, usedMetadata: false, accepted: 2 });
    expect(r.records).toEqual(records);
  });

  it('reports a duplicated column (and conflicting values in it) and a missing required column', async () => {
    const records = [scoreRecord(0), scoreRecord(1)];
    const cols = standardColumns().filter((c) => c.pointer !== '/header/place');
    cols.push({ header: 'Chức vụ', values: [(records[0]!.person as { post: string }).post, 'Bí thư'] });
    const buffer = await fresh(records, cols);
    const r = await ingest(S, buffer);
    const dup = `${String.fromCharCode(64 + Math.floor(cols.length / 26))}${String.fromCharCode(65 + ((cols.length - 1) % 26))}`;
    expect(where(r.issues)).toEqual([
      '- meta-missing',
      `${dup}1 header-duplicate`,
      '- header-missing',
      '- required',
      '- required',
      `${dup}3 duplicate-column-conflict`,
    ]);
    expect(r.issues.find((i) => i.code === 'header-missing')!.message).toBe('Thiếu cột bắt buộc "Địa danh".');
    expect(r.issues.filter((i) => i.code === 'required').map((i) => [i.row, i.pointer])).toEqual([
      [2, '/header/place'],
      [3, '/header/place'],
    ]);
    expect(r.summary).toMatchObject({ accepted: 0, rejected: 2 });
  });
});

describe('case 14: template identity', () => {
  async function filled(): Promise<Buffer> {
    return fill(S, await template(S, { rows: 5 }), [scoreRecord(0), scoreRecord(1)]);
  }

  async function editMeta(buffer: Buffer, edit: (meta: ExcelJS.Worksheet) => void): Promise<Buffer> {
    const wb = await load(buffer);
    edit(wb.getWorksheet('_meta')!);
    return save(wb);
  }

  function metaRow(meta: ExcelJS.Worksheet, key: string): ExcelJS.Row {
    let found: ExcelJS.Row | undefined;
    meta.eachRow((row) => {
      if (row.getCell(1).value === key) found = row;
    });
    return found!;
  }

  it('uses the metadata when intact; without it, matches headers and says so', async () => {
    const ok = await ingest(S, await filled());
    expect([ok.summary.usedMetadata, ok.issues]).toEqual([true, []]);
    const wb = await load(await filled());
    wb.removeWorksheet(wb.getWorksheet('_meta')!.id);
    const r = await ingest(S, await save(wb));
    expect([r.summary.usedMetadata, where(r.issues)]).toEqual([false, ['- meta-missing']]);
    expect(r.records).toEqual([scoreRecord(0), scoreRecord(1)]);
  });

  it('falls back to headers when the metadata is from another version, damaged, or its column map was altered', async () => {
    const older = await editMeta(await filled(), (meta) => {
      metaRow(meta, 'schemaHash').getCell(2).value = '0'.repeat(64);
      metaRow(meta, 'formVersion').getCell(2).value = '0.9.0';
    });
    const a = await ingest(S, older);
    expect(where(a.issues)).toEqual(['- meta-version']);
    expect(a.issues[0]!.message).toContain('phiên bản 0.9.0');
    expect(a.records).toEqual([scoreRecord(0), scoreRecord(1)]);

    const damaged = await editMeta(await filled(), (meta) => {
      metaRow(meta, 'format').getCell(2).value = 'something-else';
    });
    expect(where((await ingest(S, damaged)).issues)).toEqual(['- meta-altered']);

    // Swap the pointers of two columns: the map no longer agrees with the form's own headers, so it is not used.
    const swapped = await editMeta(await filled(), (meta) => {
      const b = metaRow(meta, 'B');
      const c = metaRow(meta, 'C');
      const pb = b.getCell(2).value;
      b.getCell(2).value = c.getCell(2).value;
      c.getCell(2).value = pb;
    });
    const s = await ingest(S, swapped);
    expect(where(s.issues)).toEqual(['- meta-columns-moved']);
    expect(s.records).toEqual([scoreRecord(0), scoreRecord(1)]);
  });

  it('refuses a workbook made for another form, and a file that has none of the form headers', async () => {
    const other = await fill('breakthrough-registration', await template('breakthrough-registration', { rows: 2 }), [samples('breakthrough-registration')[0]]);
    await expect(ingest(S, other)).rejects.toMatchObject({ code: 'wrong-form', exitCode: 2, text: { vi: 'Tệp này được tạo cho biểu mẫu "breakthrough-registration", không phải "score-sheet".' } });
    const wb = await load(await filled());
    wb.removeWorksheet(wb.getWorksheet('_meta')!.id);
    const ws = wb.getWorksheet('Dữ liệu')!;
    for (let c = 1; c <= 122; c++) ws.getCell(6, c).value = `Cột ${c}`;
    await expect(ingest(S, await save(wb))).rejects.toMatchObject({ code: 'no-data-sheet' });
  });
});

describe('case 15: finding the data sheet', () => {
  it('finds it whatever the ZIP order, renamed, hidden, or behind other sheets', async () => {
    const base = await fill(S, await template(S, { rows: 5 }), [scoreRecord(0)]);
    // ZIP order reversed.
    const src = new PizZip(base);
    const reversed = new PizZip();
    for (const name of Object.keys(src.files).reverse()) if (!src.files[name]!.dir) reversed.file(name, src.files[name]!.asUint8Array());
    const zipOrder = reversed.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
    expect(Object.keys(new PizZip(zipOrder).files)[0]).not.toBe(Object.keys(src.files)[0]);
    expect((await ingest(S, zipOrder)).issues).toEqual([]);

    // Renamed and hidden, with an extra sheet in front that has a few of the same headers.
    const wb = await load(base);
    const data = wb.getWorksheet('Dữ liệu')!;
    data.name = 'Danh sách';
    data.state = 'hidden';
    const extra = wb.addWorksheet('Tổng hợp');
    extra.addRow(['Họ và tên', 'Đơn vị công tác', 'Điểm']);
    extra.addRow(['Nguyễn Văn A', 'Văn phòng', 90]);
    const r = await ingest(S, await save(wb));
    expect(where(r.issues)).toEqual(['- meta-altered', '- sheet-hidden']);
    expect(r.summary).toMatchObject({ sheet: 'Danh sách', headerRow: 6, accepted: 1 });
    expect(r.records).toEqual([scoreRecord(0)]);
  });
});
