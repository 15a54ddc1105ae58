// Streams a worksheet's cells row by row from its XML, fixing what generic readers get wrong (see reference §3).
import { IngestError } from './messages.js';
import { EXCEL_MAX_COLUMNS, EXCEL_MAX_ROWS, type IngestLimits } from './limits.js';
import type { SheetInfo, WorkbookPackage } from './package.js';
import { StringDecoder } from 'node:string_decoder';
import { XmlScanner, type ScanHandlers } from './scan.js';
import { decodeOoxmlEscapes, StopParsing } from './xml.js';

/** A cell's value as stored, before any schema coercion. */
export type CellValue =
  | { t: 'string'; text: string }
  | { t: 'number'; value: number }
  | { t: 'boolean'; value: boolean }
  | { t: 'error'; code: string }
  /** An ISO 8601 date cell (`t="d"`), kept as text so it is never misread as a number. */
  | { t: 'date'; iso: string };

export interface SheetCell {
  /** 0-based column. */
  col: number;
  /** Undefined for a cell with no value (styled only, or a formula without a saved result). */
  value: CellValue | undefined;
  formula: boolean;
  /** Index into the workbook's cell styles. */
  style: number;
  /** Text longer than the cell limit (cut to the limit + 1 characters). */
  tooLong: boolean;
}

export interface SheetRow {
  /** 1-based row number in the file. */
  row: number;
  hidden: boolean;
  cells: SheetCell[];
}

export interface SheetTail {
  /** Merged ranges ("A7:B8"). */
  merges: string[];
  /** Hidden column ranges, 0-based and inclusive. */
  hiddenColumns: Array<{ from: number; to: number }>;
  /** Whether reading stopped before the end (the callback asked to stop). */
  stopped: boolean;
}

const A = 65;
const CELL_ATTRS = ['r', 't', 's'] as const;

/** Column and row of a cell reference ("AB12" → 27, 12; "$B$3" too); col -1 when there are no letters. */
function columnOfRef(ref: string): { col: number; row: number } {
  let col = 0;
  let row = 0;
  let letters = 0;
  let digits = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c === 36) continue; // $
    if (c >= 48 && c <= 57) {
      row = row * 10 + (c - 48);
      digits++;
    } else {
      const u = c & ~32;
      if (u < A || u > 90 || digits > 0) return { col: letters > 0 ? col - 1 : -1, row: NaN };
      col = col * 26 + (u - 64);
      letters++;
    }
  }
  return { col: letters > 0 ? col - 1 : -1, row: digits > 0 ? row : NaN };
}

/**
 * Reads the rows of one sheet in file order and calls `onRow` for each row element that holds at least one cell.
 * Return `false` from `onRow` to stop reading (no more of the sheet is inflated). Cells keep their raw value: shared
 * strings resolved, inline strings read from their `<t>` elements only (never the indentation around them),
 * rich-text runs joined without phonetic runs, `_xHHHH_` decoded, `t="d"` kept as ISO text, errors as errors,
 * formulas flagged with their cached result.
 */
export async function readSheetRows(
  pkg: WorkbookPackage,
  sheet: SheetInfo,
  limits: IngestLimits,
  onRow: (row: SheetRow) => boolean | void,
  between?: () => Promise<void> | void,
  /** Sees each chunk of the sheet's XML after its rows were read (the annotated copy is written alongside). */
  onChunk?: (chunk: Buffer) => void,
): Promise<SheetTail> {
  const { sharedStrings } = pkg;
  const merges: string[] = [];
  const hiddenColumns: Array<{ from: number; to: number }> = [];
  const cap = limits.maxCellChars + 1;

  let rowNum = 0;
  let hidden = false;
  let cells: SheetCell[] = [];
  let inRow = false;
  let nextCol = 0;

  let inCell = false;
  let col = 0;
  let type = 'n';
  let style = 0;
  let formula = false;
  let inV = false;
  let vText = '';
  let hasV = false;
  let inIs = false;
  let inT = false;
  let phonetic = 0;
  let isText = '';
  let hasIs = false;

  const beyond = (cell: string) => new IngestError('beyond-excel-limits', { sheet: sheet.name, cell });

  const cellAttrs: Array<string | undefined> = [];
  const handlers: ScanHandlers = {
    wantsText: () => inV || (inT && phonetic === 0),
    open(local, tag) {
      switch (local) {
        case 'row': {
          const r = tag.attr('r');
          rowNum = r !== undefined ? Number(r) : rowNum + 1;
          if (!Number.isInteger(rowNum) || rowNum < 1) rowNum = rowNum < 1 ? 1 : Math.floor(rowNum) || 1;
          if (rowNum > EXCEL_MAX_ROWS) throw beyond(`row ${r}`);
          const h = tag.attr('hidden');
          hidden = h === '1' || h === 'true';
          cells = [];
          inRow = true;
          nextCol = 0;
          break;
        }
        case 'c': {
          tag.attrs(CELL_ATTRS, cellAttrs);
          const r = cellAttrs[0];
          if (r !== undefined) {
            const parsed = columnOfRef(r);
            col = parsed.col >= 0 ? parsed.col : nextCol;
            if (col >= EXCEL_MAX_COLUMNS) throw beyond(r);
            // A cell outside its row element (or a row without r) still gets the row its reference names.
            if (!inRow && Number.isInteger(parsed.row)) rowNum = parsed.row;
          } else col = nextCol;
          type = cellAttrs[1] ?? 'n';
          const s = cellAttrs[2];
          style = s !== undefined ? Number(s) || 0 : 0;
          formula = false;
          vText = '';
          hasV = false;
          isText = '';
          hasIs = false;
          inCell = true;
          break;
        }
        case 'v':
          if (inCell) {
            inV = true;
            hasV = true;
          }
          break;
        case 'f':
          if (inCell) formula = true;
          break;
        case 'is':
          if (inCell) {
            inIs = true;
            hasIs = true;
          }
          break;
        case 't':
          if (inIs) inT = true;
          break;
        case 'rPh':
          if (inIs) phonetic++;
          break;
        case 'mergeCell': {
          const ref = tag.attr('ref');
          if (ref) merges.push(ref);
          break;
        }
        case 'col': {
          const h = tag.attr('hidden');
          const from = Number(tag.attr('min'));
          const to = Number(tag.attr('max') ?? from);
          if ((h === '1' || h === 'true') && Number.isInteger(from) && Number.isInteger(to) && from >= 1 && to >= from) hiddenColumns.push({ from: from - 1, to: to - 1 });
          break;
        }
      }
    },
    text(t) {
      if (inV) {
        if (vText.length < cap) vText += t;
      } else if (inT && phonetic === 0) {
        if (isText.length < cap) isText += t;
      }
    },
    close(local) {
      switch (local) {
        case 'v':
          inV = false;
          break;
        case 't':
          inT = false;
          break;
        case 'rPh':
          if (inIs) phonetic--;
          break;
        case 'is':
          inIs = false;
          break;
        case 'c': {
          inCell = false;
          let value: CellValue | undefined;
          let text: string | undefined;
          switch (type) {
            case 's': {
              if (hasV) {
                const s = sharedStrings[Number(vText)];
                if (s !== undefined) text = s;
              }
              break;
            }
            case 'inlineStr':
              if (hasIs) text = decodeOoxmlEscapes(isText);
              else if (hasV) text = decodeOoxmlEscapes(vText);
              break;
            case 'str':
              if (hasV) text = decodeOoxmlEscapes(vText);
              break;
            case 'b':
              if (hasV) value = { t: 'boolean', value: vText.trim() === '1' || vText.trim().toLowerCase() === 'true' };
              break;
            case 'e':
              if (hasV) value = { t: 'error', code: vText.trim() || '#N/A' };
              break;
            case 'd':
              if (hasV && vText.trim() !== '') value = { t: 'date', iso: vText.trim() };
              break;
            default: {
              if (hasV && vText.trim() !== '') {
                const n = Number(vText);
                value = Number.isFinite(n) ? { t: 'number', value: n } : { t: 'string', text: vText };
              } else if (hasIs) text = decodeOoxmlEscapes(isText);
            }
          }
          if (text !== undefined) value = { t: 'string', text };
          const tooLong = text !== undefined && text.length > limits.maxCellChars;
          if (value !== undefined || formula) cells.push({ col, value, formula, style, tooLong });
          nextCol = col + 1;
          break;
        }
        case 'row':
          inRow = false;
          if (cells.length > 0 && onRow({ row: rowNum, hidden, cells }) === false) throw new StopParsing();
          break;
      }
    },
  };
  const stream = await pkg.zip.stream(sheet.part);
  const scanner = new XmlScanner(sheet.part, handlers);
  let utf16: StringDecoder | undefined;
  let first = true;
  try {
    for await (const raw of stream) {
      let chunk = raw as Buffer;
      if (first) {
        first = false;
        // The scanner reads UTF-8; a UTF-16 part (allowed, rare) is re-encoded on the way in.
        if (chunk[0] === 0xff && chunk[1] === 0xfe) utf16 = new StringDecoder('utf16le');
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
        if (utf16) chunk = chunk.subarray(2);
      }
      const bytes = utf16 ? Buffer.from(utf16.write(chunk), 'utf8') : chunk;
      scanner.push(bytes);
      onChunk?.(raw as Buffer);
      const wait = between?.();
      if (wait) await wait;
    }
    scanner.end();
  } catch (e) {
    stream.destroy();
    if (e instanceof StopParsing) return { merges, hiddenColumns, stopped: true };
    throw e;
  }

  return { merges, hiddenColumns, stopped: false };
}
