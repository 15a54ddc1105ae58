// Reference cases 18–20: the wrong container, passwords and hostile files — each refused in bounded time and memory
// with its own message, or (CSV) read through the same mapping.
import fs from 'node:fs';
import path from 'node:path';
import PizZip from 'pizzip';
import * as XLSX from '@e965/xlsx';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { getAt } from '../../src/pointer.js';
import { cellValueFor } from '../../src/workbook/cells.js';
import { libreOfficeConvert, tmpDir } from '../support/tools.js';
import { columnsOf, corpus, fill, ingest, samples, scoreRecord, template, where } from '../workbook/support.js';

const S = 'score-sheet';

function csvOf(records: Array<Record<string, unknown>>, delimiter = ','): string {
  const columns = columnsOf(S);
  const field = (v: unknown) => {
    const s = v === undefined ? '' : String(v);
    return /[",;\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [columns.map((c) => field(c.header.vi)).join(delimiter)];
  for (const r of records) lines.push(columns.map((c) => field(cellValueFor(c, getAt(r, c.pointer), 'vi'))).join(delimiter));
  return `${lines.join('\r\n')}\r\n`;
}

/** Windows-1258: precomposed base letters (â ê ô ă ơ ư đ) plus combining tone marks. */
function encodeCp1258(text: string): Buffer {
  const table = new Map<string, number>();
  const decoder = new TextDecoder('windows-1258');
  for (let b = 0; b < 256; b++) {
    const ch = decoder.decode(Uint8Array.of(b));
    if (ch !== '\uFFFD' && !table.has(ch)) table.set(ch, b);
  }
  const letterMarks = new Set(['\u0302', '\u0306', '\u031B']);
  const bytes: number[] = [];
  for (const ch of text.normalize('NFC')) {
    const [base, ...marks] = [...ch.normalize('NFD')];
    const letter = (base! + marks.filter((m) => letterMarks.has(m)).join('')).normalize('NFC');
    const tones = marks.filter((m) => !letterMarks.has(m));
    for (const c of [letter, ...tones]) {
      const b = table.get(c);
      if (b === undefined) throw new Error(`not in windows-1258: ${c}`);
      bytes.push(b);
    }
  }
  return Buffer.from(bytes);
}

async function zipOf(entries: Array<[string, Buffer | string]>, compress = true): Promise<Buffer> {
  const z = new yazl.ZipFile();
  for (const [name, data] of entries) z.addBuffer(Buffer.isBuffer(data) ? data : Buffer.from(data), name, { compress });
  z.end();
  const chunks: Buffer[] = [];
  for await (const c of z.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

const MINIMAL = {
  types: '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/></Types>',
  rels: '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
  workbook: '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Dữ liệu" sheetId="1" r:id="rId1"/></sheets></workbook>',
  workbookRels: '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
};

function minimalWorkbook(sheet: Buffer | string): Array<[string, Buffer | string]> {
  return [
    ['[Content_Types].xml', MINIMAL.types],
    ['_rels/.rels', MINIMAL.rels],
    ['xl/workbook.xml', MINIMAL.workbook],
    ['xl/_rels/workbook.xml.rels', MINIMAL.workbookRels],
    ['xl/worksheets/sheet1.xml', sheet],
  ];
}

/** Rewrites the uncompressed size an entry declares in both its local and central headers. */
function declareSize(zip: Buffer, entry: string, size: number): Buffer {
  const out = Buffer.from(zip);
  const name = Buffer.from(entry);
  for (let i = 0; i < out.length - 4; i++) {
    const sig = out.readUInt32LE(i);
    if (sig === 0x02014b50 && out.subarray(i + 46, i + 46 + name.length).equals(name)) out.writeUInt32LE(size, i + 24);
    if (sig === 0x04034b50 && out.subarray(i + 30, i + 30 + name.length).equals(name) && out.readUInt32LE(i + 22) !== 0) out.writeUInt32LE(size, i + 22);
  }
  return out;
}

async function scoreFile(n = 2): Promise<Buffer> {
  return fill(S, await template(S, { rows: 5 }), Array.from({ length: n }, (_, i) => scoreRecord(i)));
}

describe('case 18: the wrong container', () => {
  it('refuses .xls and .ods with "save as .xlsx", naming the format (files made by LibreOffice)', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'don-vi.xlsx');
    fs.writeFileSync(file, await scoreFile());
    const outXls = tmpDir();
    const outOds = tmpDir();
    const [xls] = libreOfficeConvert([file], outXls, 'xls');
    const [ods] = libreOfficeConvert([file], outOds, 'ods');
    await expect(ingest(S, xls!)).rejects.toMatchObject({ code: 'file-xls', exitCode: 2 });
    await expect(ingest(S, ods!)).rejects.toMatchObject({ code: 'file-ods' });
    await expect(ingest(S, ods!)).rejects.toThrow(/save it as Excel 2007–365 \(\.xlsx\)/);
  });

  it('refuses .xlsb (written by SheetJS), Word files, truncated ZIPs, empty files and unknown binary data, each with its own message', async () => {
    const wb = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet([['Họ và tên'], ['Nguyễn Văn A']]), 'Sheet1');
    const xlsb = XLSX.write(wb, { type: 'buffer', bookType: 'xlsb' }) as Buffer;
    await expect(ingest(S, xlsb)).rejects.toMatchObject({ code: 'file-xlsb' });
    const docx = await zipOf([['[Content_Types].xml', MINIMAL.types], ['word/document.xml', '<w:document xmlns:w="x"/>']]);
    await expect(ingest(S, docx)).rejects.toMatchObject({ code: 'file-not-spreadsheet', text: { en: 'The file is neither an Excel workbook (.xlsx) nor CSV: Word document (.docx).' } });
    const good = await scoreFile();
    await expect(ingest(S, good.subarray(0, Math.floor(good.length / 2)))).rejects.toMatchObject({ code: 'file-truncated' });
    // The Vietnamese message says what the reader's English means, and nothing in English.
    const truncated = await ingest(S, good.subarray(0, Math.floor(good.length / 2))).catch((e: { text: { vi: string } }) => e.text.vi);
    expect(truncated).toMatch(/không tìm thấy phần mục lục ở cuối tệp nén/);
    expect(truncated).not.toMatch(/central directory|signature/i);
    await expect(ingest(S, Buffer.alloc(0))).rejects.toMatchObject({ code: 'file-empty', text: { vi: 'Tệp rỗng (0 byte).' } });
    await expect(ingest(S, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).rejects.toMatchObject({ code: 'file-not-spreadsheet' });
  });

  it('reads CSV in UTF-8 with and without BOM, UTF-16 and Windows-1258 through the same column mapping', async () => {
    const records = samples(S);
    const csv = csvOf(records);
    const variants: Array<[string, Buffer, string[]]> = [
      ['utf-8 bom', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(csv)]), []],
      ['utf-8', Buffer.from(csv), []],
      ['utf-16le', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]), ['- csv-encoding']],
      ['semicolons', Buffer.from(csvOf(records, ';')), []],
      ['windows-1258', encodeCp1258(csv), ['- csv-encoding']],
      // A CRLF header over rows with LF or CR line ends (rows pasted from elsewhere): every line is a row.
      ['mixed line ends', Buffer.from(csv.replace(/\r\n/g, (m, at: number) => (at === csv.indexOf('\r\n') ? m : at % 2 ? '\n' : '\r'))), []],
    ];
    for (const [name, bytes, issues] of variants) {
      const r = await ingest(S, bytes, { fileName: 'don-vi.csv' });
      expect(where(r.issues), name).toEqual(issues);
      expect(r.summary.kind).toBe('csv');
      expect(r.records, name).toEqual(records);
    }
  });

  it('reads a CSV renamed .xlsx by its bytes, not its name', async () => {
    const file = path.join(tmpDir(), 'don-vi.xlsx');
    fs.writeFileSync(file, csvOf([scoreRecord(0)]));
    const r = await ingest(S, file);
    expect(r.summary).toMatchObject({ kind: 'csv', accepted: 1 });
    expect(r.records).toEqual([scoreRecord(0)]);
  });
});

describe('case 19: passwords', () => {
  it('tells the unit to remove the open password of an encrypted workbook (apache/poi protected_passtika.xlsx)', async () => {
    const err = await ingest(S, corpus('poi-protected_passtika.xlsx')).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'file-encrypted', exitCode: 2 });
    expect((err as Error).message).toContain('remove the password');
  });

  it('reads a returned template whose sheet and structure are protected as usual', async () => {
    const r = await ingest(S, await scoreFile());
    expect(r.summary.accepted).toBe(2);
  });
});

describe('case 20: hostile files', () => {
  it('refuses a zip bomb by its compression ratio before inflating it', async () => {
    const sheet = Buffer.alloc(64 * 1024 * 1024, 0x20);
    sheet.write('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>', 0);
    const bomb = await zipOf(minimalWorkbook(sheet));
    expect(bomb.length).toBeLessThan(1024 * 1024);
    await expect(ingest(S, bomb)).rejects.toMatchObject({ code: 'zip-ratio' });
  });

  it('refuses an entry declaring a huge size, and one that inflates past its declared size', async () => {
    const small = await zipOf(minimalWorkbook('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'));
    await expect(ingest(S, declareSize(small, 'xl/worksheets/sheet1.xml', 3_000_000_000))).rejects.toMatchObject({ code: 'zip-entry-too-large' });
    const rows = Array.from({ length: 20000 }, (_, i) => `<row r="${i + 2}"><c r="A${i + 2}" t="inlineStr"><is><t>Nguyễn Văn ${i}</t></is></c></row>`).join('');
    const sheet = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Họ và tên</t></is></c><c r="B1" t="inlineStr"><is><t>Đơn vị công tác</t></is></c><c r="C1" t="inlineStr"><is><t>Đối tượng</t></is></c></row>${rows}</sheetData></worksheet>`;
    const liar = declareSize(await zipOf(minimalWorkbook(sheet)), 'xl/worksheets/sheet1.xml', 50_000);
    await expect(ingest(S, liar)).rejects.toMatchObject({ code: 'zip-size-mismatch' });
  });

  it('refuses DTDs: billion laughs (apache/poi poc-xmlbomb.xlsx) and an XXE entity in our own template', async () => {
    await expect(ingest(S, corpus('poi-poc-xmlbomb.xlsx'))).rejects.toMatchObject({ code: 'xml-dtd', text: { en: expect.stringContaining('xl/sharedStrings.xml') } });
    const zip = new PizZip(await scoreFile());
    const sst = zip.file('xl/sharedStrings.xml')?.asText() ?? '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"></sst>';
    zip.file('xl/sharedStrings.xml', sst.replace(/^(<\?xml[^>]*\?>)?/, '$1<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'));
    await expect(ingest(S, zip.generate({ type: 'nodebuffer' }))).rejects.toMatchObject({ code: 'xml-dtd' });
  });

  it('never reads the XML map of apache/poi xxe_in_schema.xlsx, and the 1 MB shared string of poc-shared-strings stays one string', async () => {
    await expect(ingest(S, corpus('poi-xxe_in_schema.xlsx'))).rejects.toMatchObject({ code: 'no-data-sheet' });
    await expect(ingest(S, corpus('poi-poc-shared-strings.xlsx'))).rejects.toMatchObject({ code: 'no-data-sheet' });
  });

  it('refuses cells beyond Excel limits and files with more data rows than allowed', async () => {
    for (const cell of ['A1048577', 'XFE7']) {
      const zip = new PizZip(await scoreFile());
      const sheet = zip.file('xl/worksheets/sheet2.xml')!.asText();
      const row = /\d+$/.exec(cell)![0];
      zip.file('xl/worksheets/sheet2.xml', sheet.replace('</sheetData>', `<row r="${row === '7' ? 1048000 : row}"><c r="${cell}" t="inlineStr"><is><t>x</t></is></c></row></sheetData>`));
      await expect(ingest(S, zip.generate({ type: 'nodebuffer' })), cell).rejects.toMatchObject({ code: 'beyond-excel-limits' });
    }
    await expect(ingest(S, await scoreFile(4), { limits: { maxRows: 3 } })).rejects.toMatchObject({ code: 'too-many-rows' });
  });

  it('treats __proto__ and constructor as unknown headers and sheet names, without touching any prototype', async () => {
    const csvText = csvOf([scoreRecord(0)]).replace(/\r\n/, ',__proto__,constructor\r\n').replace(/\r\n$/, ',{"polluted":1},x\r\n');
    const r = await ingest(S, Buffer.from(csvText), { fileName: '__proto__.csv' });
    expect(where(r.issues)).toEqual([expect.stringMatching(/^[A-Z]+1 header-unknown$/), expect.stringMatching(/^[A-Z]+1 header-unknown$/)]);
    expect(r.summary.sheet).toBe('__proto__');
    expect(r.records).toEqual([scoreRecord(0)]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(r.records[0])).toBe(Object.prototype);
  });
});
