// The cell reader on third-party files (SheetJS test_files, Apache POI test-data; Apache-2.0, see
// ../shared/corpus/README.md): every exceljs fault listed in reference §3 is read correctly here.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coerceCell, serialToIso } from '../../src/ingest/coerce.js';
import { DEFAULT_LIMITS } from '../../src/ingest/limits.js';
import { openWorkbookPackage, type WorkbookPackage } from '../../src/ingest/package.js';
import { readSheetRows, type CellValue, type SheetCell } from '../../src/ingest/sheet.js';
import { ZipArchive } from '../../src/ingest/zip.js';
import { cellAddress } from '../../src/workbook/address.js';
import { columnOf, corpus } from '../workbook/support.js';

interface Read {
  pkg: WorkbookPackage;
  sheets: string[];
  cells: Map<string, Map<string, SheetCell>>;
  merges: Map<string, string[]>;
}

async function read(name: string): Promise<Read> {
  const zip = await ZipArchive.open(fs.readFileSync(corpus(name)), DEFAULT_LIMITS);
  const pkg = await openWorkbookPackage(zip, DEFAULT_LIMITS);
  const cells = new Map<string, Map<string, SheetCell>>();
  const merges = new Map<string, string[]>();
  for (const sheet of pkg.sheets) {
    const m = new Map<string, SheetCell>();
    const tail = await readSheetRows(pkg, sheet, DEFAULT_LIMITS, (row) => {
      for (const c of row.cells) m.set(cellAddress(c.col, row.row), c);
    });
    cells.set(sheet.name, m);
    merges.set(sheet.name, tail.merges);
  }
  return { pkg, sheets: pkg.sheets.map((s) => s.name), cells, merges };
}

function value(r: Read, sheet: string, address: string): CellValue | undefined {
  return r.cells.get(sheet)!.get(address)?.value;
}

const dateColumn = columnOf('score-sheet', '/person/dateOfBirth');

describe('case 3: the 1904 date system', () => {
  it('gives the dates Excel shows in both systems (the cached TEXT() results of the same files)', async () => {
    for (const name of ['sheetjs-1904-1900.xlsx', 'sheetjs-1904-1904.xlsx']) {
      const r = await read(name);
      const sheet = r.cells.get('Sheet1')!;
      let compared = 0;
      for (let row = 1; row <= 10; row++) {
        const serial = sheet.get(`B${row}`);
        const shown = sheet.get(`C${row}`)?.value;
        if (!serial || shown?.t !== 'string') continue;
        const coerced = coerceCell(dateColumn, serial, { date1904: r.pkg.date1904, styles: r.pkg.styles, fromText: false, maxCellChars: 32767 });
        if (!r.pkg.date1904 && (serial.value as { value: number }).value < 61) {
          // Excel's fake leap day makes serials below 61 wrong in the 1900 system: refused, never shifted silently.
          expect(coerced.findings.map((f) => f.code), `${name} B${row}`).toEqual(['date-serial-1900']);
          continue;
        }
        expect(coerced.value, `${name} B${row}`).toBe(shown.text);
        compared++;
      }
      expect(compared).toBeGreaterThanOrEqual(3);
    }
    expect((await read('sheetjs-1904-1904.xlsx')).pkg.date1904).toBe(true);
  });
});

describe('case 4: date edges', () => {
  it('reads ISO date cells (t="d") as their dates, never as 1905', async () => {
    const a = await read('sheetjs-xlsx-stream-d-date-cell.xlsx');
    expect(value(a, 'Sheet1', 'B5')).toEqual({ t: 'date', iso: '2014-02-14T08:27:48.765Z' });
    const b = await read('poi-SimpleStrict.xlsx');
    expect(value(b, 'Sheet Number 2', 'A4')).toEqual({ t: 'date', iso: '1990-01-01' });
    const ctx = { date1904: false, styles: a.pkg.styles, fromText: false, maxCellChars: 32767 };
    const coerced = coerceCell(dateColumn, a.cells.get('Sheet1')!.get('B5'), ctx);
    expect([coerced.value, coerced.findings.map((f) => f.code)]).toEqual(['2014-02-14', ['date-time-dropped']]);
  });

  it('maps serials 1, 59, 60 and 61 and a date-time serial correctly or refuses them', () => {
    const cell = (v: number): SheetCell => ({ col: 0, value: { t: 'number', value: v }, formula: false, style: 1, tooLong: false });
    const ctx = { date1904: false, styles: [{ numFmtId: 0, isDate: false, isText: false }, { numFmtId: 14, isDate: true, isText: false }], fromText: false, maxCellChars: 32767 };
    const out = [1, 59, 60, 61, 45661.75].map((v) => {
      const c = coerceCell(dateColumn, cell(v), ctx);
      return `${c.value ?? '-'} ${c.findings.map((f) => f.code).join(',')}`.trim();
    });
    expect(out).toEqual(['- date-serial-1900', '- date-serial-1900', '- date-serial-1900', '1900-03-01', '2025-01-04 date-time-dropped']);
    expect(serialToIso(61, false)).toBe('1900-03-01');
    expect(serialToIso(0, true)).toBe('1904-01-01');
  });
});

describe('case 8 and 11: strings', () => {
  it('joins rich-text runs and keeps the text of hyperlinked cells', async () => {
    const rich = await read('sheetjs-rich_text_stress.xlsx');
    expect(value(rich, 'Sheet1', 'B2')).toEqual({ t: 'string', text: 'this text is bold, sure enough' });
    const links = await read('sheetjs-hyperlink_stress_test_2011.xlsx');
    expect(value(links, 'Sheet1', 'A1')).toEqual({ t: 'string', text: 'http://www.sheetjs.com' });
    expect(value(links, 'Sheet1', 'A4')).toEqual({ t: 'string', text: 'dev at sheetjs dot com' });
  });

  it('decodes entities once: a literal "&amp;" stays "&amp;"', async () => {
    const r = await read('sheetjs-xlsx-stream-d-date-cell.xlsx');
    expect(value(r, 'Sheet1', 'D1')).toEqual({ t: 'string', text: '&amp;' });
    expect(value(r, 'Sheet1', 'C1')).toEqual({ t: 'string', text: `&'";<>` });
  });

  it('reads inline strings from their <t> only (no indentation), including the minimal writer exceljs crashes on', async () => {
    const r = await read('poi-InlineStrings.xlsx');
    expect(value(r, 'Sheet1', 'C2')).toEqual({ t: 'string', text: '1st Inline String' });
    expect(value(r, 'Sheet1', 'C7')).toEqual({ t: 'string', text: 'The End' });
    const minimal = await read('poi-InlineString.xlsx');
    expect([...minimal.cells.get('Sheet1')!.values()].length).toBeGreaterThan(0);
    const noSst = await read('poi-noSharedStringTable.xlsx');
    expect(value(noSst, 'Sheet1', 'B1')).toEqual({ t: 'number', value: 123 });
  });

  it('decodes _x000D_ in formula string results', async () => {
    const r = await read('sheetjs-crlf-crlf.xlsx');
    expect(value(r, 'Sheet1', 'B1')).toEqual({ t: 'string', text: 'abc\ndef' });
    expect(value(r, 'Sheet1', 'B2')).toEqual({ t: 'string', text: 'abc\r\ndef' });
    expect(r.cells.get('Sheet1')!.get('B2')!.formula).toBe(true);
  });
});

describe('cases 9 and 10: formulas and errors', () => {
  it('keeps the cached result of plain and shared formulas, and formula errors as errors', async () => {
    const f = await read('sheetjs-formulae_test_simple.xlsx');
    expect(f.cells.get('Sheet1')!.get('C5')).toMatchObject({ formula: true, value: { t: 'number', value: 5 } });
    expect(f.cells.get('Sheet1')!.get('A6')).toMatchObject({ formula: true, value: { t: 'error', code: '#VALUE!' } });
    expect(f.cells.get('Sheet1')!.get('B6')).toMatchObject({ formula: true, value: { t: 'number', value: 55 } });
    const wps = await read('sheetjs-wps-fn.xlsx');
    expect(wps.cells.get('Sheet1')!.get('C2')).toMatchObject({ formula: true, value: { t: 'number', value: 2 } });
    expect(wps.cells.get('Sheet1')!.get('C3')).toMatchObject({ formula: true, value: { t: 'error', code: '#VALUE!' } });
  });

  it('reads literal error cells as errors, never as blanks', async () => {
    const r = await read('sheetjs-ErrorTypes.xlsx');
    const codes = ['A2', 'A3', 'A4', 'A5', 'A6'].map((a) => value(r, 'RawErrors', a));
    expect(codes).toEqual(['#NULL!', '#DIV/0!', '#VALUE!', '#REF!', '#NAME?'].map((code) => ({ t: 'error', code })));
    expect(value(r, 'RawErrors', 'C2')).toEqual({ t: 'string', text: '#NULL?' });
    const text = columnOf('score-sheet', '/person/post');
    const c = coerceCell(text, r.cells.get('RawErrors')!.get('A3'), { date1904: false, styles: r.pkg.styles, fromText: false, maxCellChars: 32767 });
    expect([c.blank, c.failed, c.findings.map((f) => f.code)]).toEqual([false, true, ['cell-error']]);
  });
});

describe('case 15: sheets', () => {
  it('lists sheets in workbook order with their visibility, whatever the ZIP order', async () => {
    const r = await read('sheetjs-sheet_visibility.xlsx');
    expect(r.pkg.sheets.map((s) => `${s.name}:${s.state}`)).toEqual(['Visible:visible', 'Hidden:hidden', 'VeryHidden:veryHidden']);
    expect(value(r, 'Hidden', 'A1')).toEqual({ t: 'string', text: 'H' });
    const strict = await read('sheetjs-sheet_visibility_strict.xlsx');
    expect(strict.pkg.sheets.map((s) => s.state)).toEqual(['visible', 'hidden', 'veryHidden']);
  });

  it('reads a strict-OOXML workbook (other namespaces) and a protected sheet normally', async () => {
    const strict = await read('poi-SimpleStrict.xlsx');
    expect(strict.sheets).toEqual(['Sheet1', 'Sheet Number 2']);
    expect(value(strict, 'Sheet1', 'A1')).toEqual({ t: 'string', text: 'test' });
    const prot = await read('poi-workbookProtection_worksheet_protected.xlsx');
    expect(value(prot, 'Sheet1', 'B1')).toEqual({ t: 'string', text: 'non locked cell' });
  });

  it('reports merged ranges of a sheet', async () => {
    const r = await read('sheetjs-merge_cells.xlsx');
    expect(r.merges.get('Merge')).toEqual(['A1:B2', 'C1:C2', 'A3:B3', 'D1:D2', 'A4:B4']);
  });
});
