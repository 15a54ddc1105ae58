// Reading a written workbook back: exceljs for cells and styles, the raw sheet XML for <f> and <v>.
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { pdfText } from '../../support/tools.js';

export async function readWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(Buffer.from(bytes) as unknown as ExcelJS.Buffer);
  return wb;
}

/** The text of one part of the xlsx zip (e.g. "xl/worksheets/sheet1.xml"). */
export function zipPart(bytes: Uint8Array, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== name) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        });
      });
      zip.on('end', () => reject(new Error(`${name} not in the workbook`)));
      zip.readEntry();
    });
  });
}

const unescapeXml = (s: string) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The raw formula and cached value of a cell in a sheet's XML (`<c r="C12"><f>…</f><v>…</v></c>`), unescaped. */
export function rawCell(sheetXml: string, address: string): { f?: string; v?: string; t?: string } {
  const m = new RegExp(`<c r="${address}"([^>]*)>(.*?)</c>`).exec(sheetXml);
  if (!m) return {};
  const t = /t="(\w+)"/.exec(m[1]!)?.[1];
  const rawF = /<f>(.*?)<\/f>/.exec(m[2]!)?.[1];
  const rawV = /<v>(.*?)<\/v>/.exec(m[2]!)?.[1];
  const f = rawF === undefined ? undefined : unescapeXml(rawF);
  const v = rawV === undefined ? undefined : unescapeXml(rawV);
  return { ...(f !== undefined ? { f } : {}), ...(v !== undefined ? { v } : {}), ...(t !== undefined ? { t } : {}) };
}

/** Every cell with its text (without the no-break spaces that stand for a first-line indent), to find cells by what they say. */
export function cellsOf(ws: ExcelJS.Worksheet): Array<{ address: string; row: number; col: number; text: string; cell: ExcelJS.Cell }> {
  const out: Array<{ address: string; row: number; col: number; text: string; cell: ExcelJS.Cell }> = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    row.eachCell({ includeEmpty: false }, (cell) => {
      if (cell.isMerged && cell.master !== cell) return;
      out.push({ address: cell.address, row: Number(cell.row), col: Number(cell.col), text: cell.text.replace(/^\u00a0+/, ''), cell });
    });
  });
  return out;
}

export function findCell(ws: ExcelJS.Worksheet, text: string) {
  const found = cellsOf(ws).find((c) => c.text === text);
  if (!found) throw new Error(`no cell says "${text}"`);
  return found;
}

/** Each printed page of a PDF as laid out (pdftotext -layout): lines as they appear across the page. */
export function printedPages(pdf: string): string[] {
  const pages = pdfText(pdf, true).split('\f');
  if (pages.length > 0 && pages[pages.length - 1]!.trim() === '') pages.pop();
  return pages;
}

/** The first printed line of a page's content (below its page number), spaces squashed. */
export function firstLine(page: string): string {
  return (page.split('\n').find((l) => l.trim() !== '' && !/^\s*\d+\s*$/.test(l)) ?? '').replace(/\s+/g, ' ').trim();
}
