// CSV input: decode the bytes (UTF-8 with or without BOM, UTF-16, else Windows-1258), parse, present as sheet rows.
import { parse } from 'csv-parse/sync';
import { IngestError } from './messages.js';
import type { SheetRow } from './sheet.js';

export interface DecodedText {
  text: string;
  /** Encoding used; anything but UTF-8 is reported to the user. */
  encoding: 'UTF-8' | 'UTF-16LE' | 'UTF-16BE' | 'Windows-1258';
}

export function decodeText(buf: Buffer): DecodedText {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return { text: buf.subarray(3).toString('utf8'), encoding: 'UTF-8' };
  if (buf[0] === 0xff && buf[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(buf.subarray(2)), encoding: 'UTF-16LE' };
  if (buf[0] === 0xfe && buf[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(buf.subarray(2)), encoding: 'UTF-16BE' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'UTF-8' };
  } catch {
    // Not UTF-8: Vietnamese Windows saves "CSV" in its ANSI code page, Windows-1258.
    return { text: new TextDecoder('windows-1258').decode(buf), encoding: 'Windows-1258' };
  }
}

/** The delimiter used in the first line: comma, semicolon (Excel in many locales) or tab. */
function detectDelimiter(text: string): string {
  let inQuotes = false;
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
  ]);
  for (let i = 0; i < text.length && i < 65536; i++) {
    const ch = text[i]!;
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) break;
    else if (!inQuotes && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best = ',';
  for (const [d, n] of counts) if (n > counts.get(best)!) best = d;
  return best;
}

/** Parses CSV text into rows numbered as a spreadsheet program would show them (one per record). */
export function csvRows(text: string, maxCellChars: number): SheetRow[] {
  let records: string[][];
  try {
    // Every line end is a line end, even mixed in one file (a CRLF header pasted above LF rows): left to itself
    // the parser keeps to the first kind it meets and runs every other line into one record.
    records = parse(text, { delimiter: detectDelimiter(text), record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true, relax_quotes: true, skip_empty_lines: false, bom: true }) as string[][];
  } catch (e) {
    throw new IngestError('csv-malformed', { detail: String((e as Error).message).split('\n')[0] });
  }
  const rows: SheetRow[] = [];
  records.forEach((fields, i) => {
    const cells = fields.map((text, col) => ({ col, value: { t: 'string' as const, text }, formula: false, style: 0, tooLong: text.length > maxCellChars })).filter((c) => c.value.text !== '');
    if (cells.length > 0) rows.push({ row: i + 1, hidden: false, cells });
  });
  return rows;
}
