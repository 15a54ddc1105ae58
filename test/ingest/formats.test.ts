// Number formats that change what a cell means: percentages, thousands separators, month-first dates and
// zero-padded ID numbers. Each fixture is built here; each finding is checked by code, severity, cell and value.
import type ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { isPercentColumn, padByFormat, parseNumberText, shiftDecimal } from '../../src/ingest/coerce.js';
import { isMonthFirstFormat, isPercentFormat, openWorkbookPackage, zeroPadFormat } from '../../src/ingest/package.js';
import { DEFAULT_LIMITS } from '../../src/ingest/limits.js';
import { ZipArchive } from '../../src/ingest/zip.js';
import { getAt } from '../../src/pointer.js';
import { cellValueFor } from '../../src/workbook/cells.js';
import { columnOf, columnsOf, fill, ingest, load, samples, save, scoreRecord, template, where } from '../workbook/support.js';

const S = 'score-sheet';
const B = 'breakthrough-registration';
const FIRST = 7;

/** Cell address of a field in data row `i` (0-based) of a generated template. */
const at = (form: string, pointer: string, i: number) => `${columnOf(form, pointer).letter}${FIRST + i}`;

type Formatted = { value: ExcelJS.CellValue; numFmt: string };

/**
 * Fills a template, then gives single cells a value and a number format of their own, as a clerk's Excel does
 * (exceljs shares a column's style object between its cells, so each cell gets a copy).
 */
async function formatted(form: string, records: unknown[], cells: Array<Record<string, Formatted>>): Promise<Buffer> {
  const wb = await load(await fill(form, await template(form, { rows: 20 }), records));
  const ws = wb.getWorksheet('Dữ liệu')!;
  cells.forEach((row, i) => {
    for (const [pointer, { value, numFmt }] of Object.entries(row)) {
      const cell = ws.getCell(at(form, pointer, i));
      cell.style = { ...cell.style, numFmt };
      cell.value = value;
    }
  });
  return save(wb);
}

/** A CSV as a spreadsheet program saves it: the template's Vietnamese headers, then one line per record. */
function csvOf(form: string, records: Array<Record<string, unknown>>, overrides: Array<Record<string, string>>, delimiter: string): Buffer {
  const columns = columnsOf(form);
  const field = (v: unknown) => {
    const s = v === undefined ? '' : String(v);
    return /[",;\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [columns.map((c) => field(c.header.vi)).join(delimiter)];
  records.forEach((r, i) => lines.push(columns.map((c) => field(overrides[i]?.[c.pointer] ?? cellValueFor(c, getAt(r, c.pointer), 'vi'))).join(delimiter)));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`);
}

/** The same registration sent by several people (names told apart), so only the cell under test differs. */
function registrations(n: number): Array<Record<string, unknown>> {
  return Array.from({ length: n }, (_, i) => {
    const r = structuredClone(samples(B)[3]!) as Record<string, unknown> & { person: { fullName: string } };
    r.person.fullName = `${r.person.fullName} ${i}`;
    return r;
  });
}

const issueAt = (issues: Array<{ cell?: { address: string } }>, address: string) => issues.find((i) => i.cell?.address === address);

describe('percentage formats', () => {
  const exceeded = '/conditions/tasksExceededPct';
  const low = '/conditions/lowConfidencePct';
  const completed = '/conditions/tasksCompletedPct';
  const onTime = '/conditions/tasksOnTimePct';
  const maxPoints = '/criteria/0/maxPoints';

  it('reads a cell typed as 33,33% in a column in % as 33.33 (not 0.3333) with a warning; other columns keep the stored value', async () => {
    // Row 7: Nguyễn Thị Ngọc Ánh (33.33 %, 5 %) typed with % in Excel; row 8: Lê Thuỳ Dương typed as text;
    // row 9: Trần Quốc Khánh's 3,5 % (0.035 × 100 is 3.5000000000000004 in binary).
    const buffer = await formatted(S, [scoreRecord(1), scoreRecord(4), scoreRecord(0)], [
      {
        [exceeded]: { value: 0.3333, numFmt: '0.00%' }, // built-in 10
        [low]: { value: 0.05, numFmt: '0%' }, // built-in 9
        [completed]: { value: 1, numFmt: '0.0%' }, // custom code
        [onTime]: { value: 100, numFmt: '0"%"' }, // a quoted % is only text: Excel shows 100%, stores 100
        [maxPoints]: { value: 6, numFmt: '0%' },
      },
      { [exceeded]: { value: '33,33%', numFmt: '@' }, [completed]: { value: '100 %', numFmt: '@' } },
      { [low]: { value: 0.035, numFmt: '0.0%' } },
    ]);
    const r = await ingest(S, buffer);
    expect(where(r.issues)).toEqual([
      `${at(S, maxPoints, 0)} percent-format-kept`,
      `${at(S, completed, 0)} percent-format`,
      `${at(S, exceeded, 0)} percent-format`,
      `${at(S, low, 0)} percent-format`,
      `${at(S, completed, 1)} percent-text`,
      `${at(S, exceeded, 1)} percent-text`,
      `${at(S, low, 2)} percent-format`,
    ]);
    expect(r.issues.every((i) => i.severity === 'warning')).toBe(true);
    expect(r.acceptedRows).toEqual([7, 8, 9]);
    const conditions = r.records.map((x) => x.conditions as Record<string, number>);
    expect(conditions[0]).toMatchObject({ tasksExceededPct: 33.33, lowConfidencePct: 5, tasksCompletedPct: 100, tasksOnTimePct: 100 });
    expect(conditions[1]).toMatchObject({ tasksExceededPct: 33.33, tasksCompletedPct: 100 });
    expect(conditions[2]!.lowConfidencePct).toBe(3.5);
    expect((r.records[0]!.criteria as Array<{ maxPoints: number }>)[0]!.maxPoints).toBe(6);

    expect(issueAt(r.issues, at(S, exceeded, 0))).toMatchObject({
      code: 'percent-format',
      severity: 'warning',
      raw: 0.3333,
      value: 33.33,
      message: 'Ô có định dạng phần trăm: giá trị lưu trong tệp là 0.3333, tức 33.33%; đã đọc là 33.33 vì cột tính theo %. Hãy kiểm tra.',
    });
    expect(issueAt(r.issues, at(S, maxPoints, 0))).toMatchObject({
      code: 'percent-format-kept',
      severity: 'warning',
      value: 6,
      message: 'Ô có định dạng phần trăm (hiển thị 600%) nhưng cột này không tính theo %; đã giữ giá trị lưu trong tệp là 6. Hãy kiểm tra.',
    });
    expect(issueAt(r.issues, at(S, exceeded, 1))).toMatchObject({ code: 'percent-text', severity: 'warning', raw: '33,33%', value: 33.33, message: '"33,33%" được đọc là 33.33 (cột tính theo %).' });

    const en = await ingest(S, buffer, { lang: 'en' });
    expect(issueAt(en.issues, at(S, exceeded, 0))!.message).toBe('The cell has a percentage format: the file stores 0.3333, that is 33.33%; it was read as 33.33, as the column is in %. Please check.');
  });

  it('reads "33,33%" and "5%" in a CSV column in % as 33.33 and 5, with a warning each', async () => {
    const csv = csvOf(S, [scoreRecord(1)], [{ [exceeded]: '33,33%', [low]: '5%' }], ';');
    const r = await ingest(S, csv, { fileName: 'don-vi.csv' });
    const row = (p: string) => `${columnOf(S, p).letter}2`;
    expect(where(r.issues)).toEqual([`${row(exceeded)} percent-text`, `${row(low)} percent-text`]);
    expect(issueAt(r.issues, row(low))).toMatchObject({ severity: 'warning', raw: '5%', value: 5 });
    expect(r.records[0]!.conditions).toMatchObject({ tasksExceededPct: 33.33, lowConfidencePct: 5 });
  });

  it('knows percent formats, percent columns and scales in decimal', () => {
    expect([isPercentFormat(9, undefined), isPercentFormat(10, undefined), isPercentFormat(164, '0.0%'), isPercentFormat(164, '[Red]0%;-0%')]).toEqual([true, true, true, true]);
    expect([isPercentFormat(2, undefined), isPercentFormat(164, '0"%"'), isPercentFormat(164, '0\\%'), isPercentFormat(164, '0.00')]).toEqual([false, false, false, false]);
    expect([isPercentColumn(columnOf(S, exceeded)), isPercentColumn(columnOf(S, maxPoints)), isPercentColumn(columnOf(S, '/scores/total')), isPercentColumn(columnOf(S, '/period/year'))]).toEqual([
      true,
      false,
      false,
      false,
    ]);
    // Binary multiplication is off in the last digit for many of them (0.57 × 100 = 56.99999999999999).
    expect([0.57 * 100, 0.07 * 100, 0.2856 * 100]).not.toEqual([57, 7, 28.56]);
    expect([0.3333, 0.57, 0.07, 0.2856, 0.6667, 0.035, 1, 0.000001].map((n) => shiftDecimal(n, 2))).toEqual([33.33, 57, 7, 28.56, 66.67, 3.5, 100, 0.0001]);
  });
});

describe('thousands separators', () => {
  const target = '/tasks/0/targets/1/value';
  const year = '/year';

  it('reads "3.000" as three thousand, flags "3,000" as ambiguous, keeps "7.5" and "0.125" as decimals (xlsx text cells)', async () => {
    const typed = ['3.000', '3,000', '1.234.567', '1,234,567', '7.5', '0.125', '12.34'];
    const cells: Array<Record<string, Formatted>> = typed.map((t) => ({ [target]: { value: t, numFmt: '@' } }));
    cells[0]![year] = { value: '2.026', numFmt: '@' };
    const r = await ingest(B, await formatted(B, registrations(typed.length), cells));
    const col = (i: number) => at(B, target, i);
    expect(where(r.issues)).toEqual([
      `${at(B, year, 0)} number-grouped`,
      `${col(0)} number-grouped`,
      `${col(1)} number-ambiguous`,
      `${col(2)} number-grouped`,
      `${col(3)} number-grouped`,
      `${col(4)} number-from-text`,
      `${col(5)} number-from-text`,
      `${col(6)} number-from-text`,
    ]);
    expect(r.issues.every((i) => i.severity === 'warning')).toBe(true);
    expect(r.records.map((x) => getAt(x, target))).toEqual([3000, 3, 1234567, 1234567, 7.5, 0.125, 12.34]);
    expect(r.records[0]!.year).toBe(2026);
    expect(issueAt(r.issues, col(0))).toMatchObject({
      raw: '3.000',
      value: 3000,
      message: '"3.000" được đọc là 3000: dấu ngăn các nhóm ba chữ số được hiểu là dấu phân cách hàng nghìn. Hãy kiểm tra.',
    });
    expect(issueAt(r.issues, col(1))).toMatchObject({
      raw: '3,000',
      value: 3,
      message: '"3,000" có thể hiểu theo hai cách: 3 (dấu phẩy thập phân, cách viết Việt Nam) hoặc 3000 (dấu phẩy phân cách hàng nghìn, cách viết tiếng Anh). Đã đọc là 3; hãy kiểm tra và sửa nếu sai.',
    });
  });

  it('warns on grouped, ambiguous and decimal-comma numbers in a CSV too, but not on plain ones', async () => {
    const typed = ['3.000', '3,000', '7,5', '12'];
    const csv = csvOf(B, registrations(typed.length), typed.map((t) => ({ [target]: t })), ';');
    const r = await ingest(B, csv, { fileName: 'don-vi.csv' });
    const col = (i: number) => `${columnOf(B, target).letter}${2 + i}`;
    expect(where(r.issues)).toEqual([`${col(0)} number-grouped`, `${col(1)} number-ambiguous`, `${col(2)} decimal-comma`]);
    expect(issueAt(r.issues, col(1))).toMatchObject({ severity: 'warning', raw: '3,000', value: 3 });
    expect(r.records.map((x) => getAt(x, target))).toEqual([3000, 3, 7.5, 12]);
  });

  it('parses each spelling one way', () => {
    const read = (s: string) => {
      const p = parseNumberText(s);
      return p && [p.value, p.style, ...(p.alternative === undefined ? [] : [p.alternative])];
    };
    expect(['3.000', '-1.500', '1.234,5', '3,000', '0,125', '1234,567', '1,234.5', '7.5', '0.125', '0.500', '12.34', '1234.567', '03.000', '0,123,456'].map(read)).toEqual([
      [3000, 'grouped'],
      [-1500, 'grouped'],
      [1234.5, 'decimal-comma'],
      [3, 'ambiguous', 3000],
      [0.125, 'decimal-comma'],
      [1234.567, 'decimal-comma'],
      [1234.5, 'grouped'],
      [7.5, 'plain'],
      [0.125, 'plain'],
      [0.5, 'plain'],
      [12.34, 'plain'],
      [1234.567, 'plain'],
      [3, 'plain'],
      undefined,
    ]);
  });
});

describe('month-first date formats', () => {
  const dob = '/person/dateOfBirth';
  const utc = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d));

  it('warns on date cells formatted month first whose day could be a month, quoting both readings', async () => {
    const cells: Array<Record<string, Formatted>> = [
      { [dob]: { value: utc(1976, 5, 19), numFmt: 'mm/dd/yy' } }, // day 19 cannot be a month
      { [dob]: { value: utc(1982, 9, 3), numFmt: 'mm/dd/yy' } },
      { [dob]: { value: utc(1988, 2, 4), numFmt: '[$-409]m/d/yyyy' } },
      { [dob]: { value: utc(1990, 11, 7), numFmt: 'MM-DD-YYYY' } },
      { [dob]: { value: utc(1993, 7, 8), numFmt: 'mm-dd-yy' } }, // built-in 14: shown in the reader's locale
      { [dob]: { value: utc(1985, 3, 3), numFmt: 'mm/dd/yyyy' } }, // both readings agree
      { [dob]: { value: utc(2000, 3, 4), numFmt: 'dd/mm/yyyy' } },
    ];
    const buffer = await formatted(S, cells.map((_, i) => scoreRecord(i)), cells);
    const pkg = await openWorkbookPackage(await ZipArchive.open(buffer, DEFAULT_LIMITS), DEFAULT_LIMITS);
    expect(pkg.styles.some((s) => s.numFmtId === 14 && s.formatCode === undefined && !s.monthFirst)).toBe(true);

    const r = await ingest(S, buffer);
    expect(where(r.issues)).toEqual([`${at(S, dob, 1)} date-month-first-format`, `${at(S, dob, 2)} date-month-first-format`, `${at(S, dob, 3)} date-month-first-format`]);
    expect(r.records.map((x) => (x.person as { dateOfBirth: string }).dateOfBirth)).toEqual(['1976-05-19', '1982-09-03', '1988-02-04', '1990-11-07', '1993-07-08', '1985-03-03', '2000-03-04']);
    expect(issueAt(r.issues, at(S, dob, 1))).toMatchObject({
      code: 'date-month-first-format',
      severity: 'warning',
      value: '1982-09-03',
      message:
        'Ô ngày có định dạng tháng trước ngày ("mm/dd/yy"), thường do tệp được mở và lưu lại trên máy cài đặt kiểu Mỹ, nên ngày và tháng có thể đã bị đảo. Đã đọc là 03/09/1982 (ngày/tháng/năm); nếu đúng ra là 09/03/1982 thì hãy sửa lại.',
    });
    expect(issueAt(r.issues, at(S, dob, 2))!.params).toMatchObject({ value: '04/02/1988', swapped: '02/04/1988', format: '[$-409]m/d/yyyy' });
  });

  it('tells month-first codes from day-first, ISO, month-name and time codes', () => {
    const first = ['mm/dd/yy', 'm/d/yyyy', '[$-409]m/d/yy', 'MM-DD-YYYY', 'm/d/yyyy h:mm AM/PM', '"Ngày" mm/dd/yyyy'];
    const notFirst = ['dd/mm/yyyy', 'd/m/yy', 'yyyy-mm-dd', 'mmm d, yyyy', 'd mmmm yyyy', 'h:mm dd/mm/yyyy', 'hh:mm:ss', 'mm:ss'];
    expect(first.map(isMonthFirstFormat)).toEqual(first.map(() => true));
    expect(notFirst.map(isMonthFirstFormat)).toEqual(notFirst.map(() => false));
    expect(isMonthFirstFormat(undefined)).toBe(false);
  });
});

describe('zero-padding number formats on ID and phone columns', () => {
  const id = '/person/idNumber';
  const phone = '/person/phone';

  it('takes the digits the sheet shows (leading zeros included) with a warning; a General cell still says the zero is lost', async () => {
    const buffer = await formatted(S, [scoreRecord(0, '030193006789'), scoreRecord(1)], [
      { [id]: { value: 30193006789, numFmt: '000000000000' }, [phone]: { value: 983112406, numFmt: '0#########' } },
      { [phone]: { value: 912345678, numFmt: 'General' } },
    ]);
    const r = await ingest(S, buffer);
    expect(where(r.issues)).toEqual([`${at(S, id, 0)} number-format-restored`, `${at(S, phone, 0)} number-format-restored`, `${at(S, phone, 1)} number-in-text`]);
    expect(r.issues.every((i) => i.severity === 'warning')).toBe(true);
    expect(r.acceptedRows).toEqual([7, 8]);
    expect(r.records[0]!.person).toMatchObject({ idNumber: '030193006789', phone: '0983112406' });
    expect((r.records[1]!.person as { phone: string }).phone).toBe('912345678');
    expect(issueAt(r.issues, at(S, phone, 0))).toMatchObject({
      raw: 983112406,
      value: '0983112406',
      message: 'Ô chứa số 983112406 với định dạng hiển thị "0#########"; đã lấy đúng dãy số hiển thị trên bảng tính là 0983112406 (kể cả số 0 ở đầu). Hãy kiểm tra; lần sau nên định dạng ô là Văn bản.',
    });
  });

  it('pads as Excel does: unfilled 0 places show 0, # places nothing', () => {
    expect([zeroPadFormat('000000000000'), zeroPadFormat('0#########'), zeroPadFormat('00;-00'), zeroPadFormat('0'), zeroPadFormat('#0'), zeroPadFormat('0.00'), zeroPadFormat('"0"#########'), zeroPadFormat(undefined)]).toEqual([
      '000000000000',
      '0#########',
      '00',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect([padByFormat(983112406, '0#########'), padByFormat(98311240, '0#########'), padByFormat(5, '0#0#'), padByFormat(12345, '000'), padByFormat(0, '000')]).toEqual([
      '0983112406',
      '098311240',
      '005',
      '12345',
      '000',
    ]);
  });
});
