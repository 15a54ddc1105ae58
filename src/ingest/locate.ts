// Finds the data sheet, its header row and the column map: from the `_meta` sheet when it is intact, else by headers.
import { foldForMatch } from '../normalize/text.js';
import { columnIndex } from '../workbook/address.js';
import type { ColumnModel, SheetColumn } from '../workbook/columns.js';
import { DATA_SHEET_NAMES, INSTRUCTIONS_SHEET_NAMES, LISTS_SHEET, META_SHEET, TEMPLATE_HEADER_ROW, parseMetaRows, type WorkbookMeta } from '../workbook/meta.js';
import { buildHeaderIndex, cleanHeader, matchHeaders, type HeaderCell, type HeaderIndex, type HeaderMapping } from './headers.js';
import { IngestError } from './messages.js';
import type { IngestLimits } from './limits.js';
import type { SheetInfo, WorkbookPackage } from './package.js';
import { readSheetRows, type SheetRow } from './sheet.js';

export interface LocateFinding {
  code: 'meta-missing' | 'meta-altered' | 'meta-version' | 'meta-columns-moved' | 'header-row' | 'sheet-hidden' | 'other-data-sheet';
  params: Record<string, unknown>;
  /** Warning unless said: a sheet of data that is not read is an error. */
  severity?: 'error';
}

export interface DataSheetPlan {
  sheet: SheetInfo;
  headerRow: number;
  mapping: HeaderMapping;
  meta?: WorkbookMeta;
  /** The column map came from the metadata (identity and layout verified). */
  usedMeta: boolean;
  findings: LocateFinding[];
}

const INTERNAL = new Set([META_SHEET, LISTS_SHEET].map((s) => s.toLowerCase()));
const DATA_NAMES = new Set([...Object.values(DATA_SHEET_NAMES), 'du lieu', 'data'].map(foldForMatch));
const NOT_DATA = new Set([...Object.values(INSTRUCTIONS_SHEET_NAMES), 'Lỗi', 'Errors'].map(foldForMatch));

function cellText(row: SheetRow, col: number): string | undefined {
  const cell = row.cells.find((c) => c.col === col);
  const v = cell?.value;
  if (!v) return undefined;
  if (v.t === 'string') return v.text;
  if (v.t === 'number' || v.t === 'boolean') return String(v.value);
  if (v.t === 'date') return v.iso;
  return undefined;
}

function headerCells(row: SheetRow): HeaderCell[] {
  const out: HeaderCell[] = [];
  for (const c of row.cells) {
    const text = c.value?.t === 'string' ? c.value.text : c.value?.t === 'number' ? String(c.value.value) : undefined;
    if (text !== undefined && text.trim() !== '') out.push({ col: c.col, text });
  }
  return out;
}

/** The first rows of a sheet (only rows that hold cells), read without inflating the rest. */
async function topRows(pkg: WorkbookPackage, sheet: SheetInfo, limits: IngestLimits, upTo: number): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  await readSheetRows(pkg, sheet, limits, (row) => {
    if (row.row > upTo) return false;
    rows.push(row);
    return rows.length < upTo;
  });
  return rows;
}

export interface MetaRead {
  present: boolean;
  meta?: WorkbookMeta;
  reason?: string;
}

/** Reads the `_meta` sheet when there is one; a damaged one comes back with the reason instead of a map. */
export async function readMeta(pkg: WorkbookPackage, limits: IngestLimits): Promise<MetaRead> {
  const sheet = pkg.sheets.find((s) => s.name.toLowerCase() === META_SHEET);
  if (!sheet) return { present: false };
  const rows: Array<Array<string | undefined>> = [];
  // The map holds one row per column; a few thousand rows is far more than any form has.
  await readSheetRows(pkg, sheet, { ...limits }, (row) => {
    if (rows.length > 5000) return false;
    rows[row.row - 1] = [cellText(row, 0), cellText(row, 1), cellText(row, 2)];
  });
  const parsed = parseMetaRows(Array.from(rows, (r) => r ?? []));
  return parsed.ok ? { present: true, meta: parsed.meta } : { present: true, reason: parsed.reason };
}

/** Maps columns by the metadata when every header in the file still reads as the template wrote it. */
function mappingFromMeta(model: ColumnModel, meta: WorkbookMeta, row: SheetRow | undefined): { mapping?: HeaderMapping; moved?: LocateFinding } {
  const base = matchHeaders(model, buildHeaderIndex(model), row ? headerCells(row) : []);
  const byCol = new Map<number, SheetColumn>();
  for (const mc of meta.columns) {
    const column = model.byPointer.get(mc.pointer);
    const col = columnIndex(mc.column);
    const found = row ? cleanHeader(cellText(row, col) ?? '') : '';
    // The map must agree with the file's header and with the form's own header for that field: a tampered map
    // must never put values into the wrong fields.
    const own = column ? [column.header.vi, column.header.en].map(cleanHeader) : [];
    if (!column || col < 0 || found !== cleanHeader(mc.header) || !own.includes(found)) {
      // Name what the field's column should say: the map's header, or (when the map itself was edited) the form's.
      const expected = found !== cleanHeader(mc.header) || !column ? mc.header : column.header.vi;
      return { moved: { code: 'meta-columns-moved', params: { column: mc.column, found, expected } } };
    }
    byCol.set(col, column);
  }
  // Header cells outside the map are still reported (a column a clerk added), through the header matcher's findings.
  const findings = base.findings.filter((f) => f.code !== 'header-missing' && (f.col === undefined || !byCol.has(f.col)));
  const mapped = new Set(byCol.values());
  for (const c of model.columns) if (c.requiredInRecord && !mapped.has(c)) findings.push({ code: 'header-missing', severity: 'error', column: c, params: { expected: c.header.vi } });
  const requiredMatched = model.columns.filter((c) => c.requiredInRecord && mapped.has(c)).length;
  return { mapping: { byCol, duplicates: new Map(), headerText: base.headerText, findings, score: byCol.size, requiredMatched } };
}

/** Rows read below a header to tell a sheet of data from a sheet that only repeats the headers. */
const DATA_PEEK_ROWS = 5;

/** The row among `rows` (up to `scanRows`) that names the most form columns, and how many rows below it hold anything. */
function bestHeader(rows: SheetRow[], model: ColumnModel, index: HeaderIndex, scanRows: number): { row: number; mapping: HeaderMapping; rowsBelow: number } | undefined {
  let best: { row: number; mapping: HeaderMapping } | undefined;
  for (const row of rows) {
    if (row.row > scanRows) break;
    const cells = headerCells(row);
    if (cells.length < 2) continue;
    const mapping = matchHeaders(model, index, cells);
    const plausible = mapping.score >= 3 || (mapping.score >= 2 && mapping.requiredMatched >= 1);
    if (plausible && (!best || mapping.score > best.mapping.score)) best = { row: row.row, mapping };
  }
  if (!best) return undefined;
  const mapped = [...best.mapping.byCol.keys()];
  const rowsBelow = rows.filter((r) => r.row > best!.row && mapped.some((col) => (cellText(r, col) ?? '').trim() !== '')).length;
  return { ...best, rowsBelow };
}

/** A sheet that names at least half the required columns the read sheet names, with rows under them, is data too. */
function looksLikeData(found: { mapping: HeaderMapping; rowsBelow: number } | undefined, read: HeaderMapping): boolean {
  return found !== undefined && found.rowsBelow > 0 && found.mapping.requiredMatched >= Math.max(2, Math.ceil(read.requiredMatched / 2));
}

function otherSheetFinding(other: SheetInfo, read: SheetInfo): LocateFinding {
  return { code: 'other-data-sheet', severity: 'error', params: { sheet: other.name, read: read.name } };
}

/** Other worksheets that carry the form's headers with data under them: named, since they are not read. */
async function otherDataSheets(pkg: WorkbookPackage, read: SheetInfo, mapping: HeaderMapping, index: HeaderIndex, model: ColumnModel, limits: IngestLimits, findings: LocateFinding[]): Promise<void> {
  for (const sheet of pkg.sheets) {
    if (sheet === read || INTERNAL.has(sheet.name.toLowerCase()) || NOT_DATA.has(foldForMatch(sheet.name))) continue;
    const found = bestHeader(await topRows(pkg, sheet, limits, limits.headerScanRows + DATA_PEEK_ROWS), model, index, limits.headerScanRows);
    if (looksLikeData(found, mapping)) findings.push(otherSheetFinding(sheet, read));
  }
}

/** Locates the data sheet for `model`'s form, or throws when the file is another form's or no sheet looks like it. */
export async function locateDataSheet(pkg: WorkbookPackage, model: ColumnModel, limits: IngestLimits, metaRead: MetaRead): Promise<DataSheetPlan> {
  const form = model.form;
  const findings: LocateFinding[] = [];
  let meta = metaRead.meta;
  if (meta && meta.formId !== form.id) throw new IngestError('wrong-form', { form: form.id, other: meta.formId });
  if (!metaRead.present) findings.push({ code: 'meta-missing', params: {} });
  else if (!meta) findings.push({ code: 'meta-altered', params: { detail: metaRead.reason } });
  const sameVersion = meta !== undefined && meta.schemaHash === form.schemaHash;
  if (meta && !sameVersion) findings.push({ code: 'meta-version', params: { version: meta.formVersion || '?', generated: meta.generatedAt || '?' } });

  const index = buildHeaderIndex(model);

  if (meta && sameVersion) {
    const sheet = pkg.sheets.find((s) => s.name === meta!.dataSheet);
    if (sheet) {
      const rows = await topRows(pkg, sheet, limits, meta.headerRow);
      const headerRow = rows.find((r) => r.row === meta!.headerRow);
      const { mapping, moved } = mappingFromMeta(model, meta, headerRow);
      if (mapping) {
        if (sheet.state !== 'visible') findings.push({ code: 'sheet-hidden', params: { sheet: sheet.name } });
        await otherDataSheets(pkg, sheet, mapping, index, model, limits, findings);
        return { sheet, headerRow: meta.headerRow, mapping, meta, usedMeta: true, findings };
      }
      if (moved) findings.push(moved);
    } else findings.push({ code: 'meta-altered', params: { detail: { vi: `không có trang "${meta.dataSheet}"`, en: `sheet "${meta.dataSheet}" not found` } } });
  }

  // By headers: sheets named like a data sheet first, then every other worksheet that is not ours.
  const candidates = pkg.sheets.filter((s) => !INTERNAL.has(s.name.toLowerCase()) && !NOT_DATA.has(foldForMatch(s.name)));
  const named = (s: SheetInfo) => (meta && s.name === meta.dataSheet) || DATA_NAMES.has(foldForMatch(s.name));
  candidates.sort((a, b) => Number(named(b)) - Number(named(a)));
  let best: { sheet: SheetInfo; row: number; mapping: HeaderMapping } | undefined;
  const seen: Array<{ sheet: SheetInfo; found: NonNullable<ReturnType<typeof bestHeader>> }> = [];
  for (const sheet of candidates) {
    const scanRows = Math.max(limits.headerScanRows, meta?.headerRow ?? 0);
    const found = bestHeader(await topRows(pkg, sheet, limits, scanRows + DATA_PEEK_ROWS), model, index, scanRows);
    if (!found) continue;
    seen.push({ sheet, found });
    if (!best || found.mapping.score > best.mapping.score) best = { sheet, row: found.row, mapping: found.mapping };
  }
  if (!best) {
    throw new IngestError('no-data-sheet', { form: form.id, sheets: candidates.map((s) => `"${s.name}"`).join(', ') || '—' });
  }
  for (const other of seen) if (other.sheet !== best.sheet && looksLikeData(other.found, best.mapping)) findings.push(otherSheetFinding(other.sheet, best.sheet));
  if (best.sheet.state !== 'visible') findings.push({ code: 'sheet-hidden', params: { sheet: best.sheet.name } });
  const expectedRows = new Set([1, meta?.headerRow ?? TEMPLATE_HEADER_ROW]);
  if (!expectedRows.has(best.row)) findings.push({ code: 'header-row', params: { row: best.row, sheet: best.sheet.name } });
  return { sheet: best.sheet, headerRow: best.row, mapping: best.mapping, meta, usedMeta: false, findings };
}

/** Finds the header row among rows already in memory (a CSV file): the row that names the most form columns. */
export function locateHeaderInRows(model: ColumnModel, rows: SheetRow[], limits: IngestLimits, sheetName: string): { headerRow: number; mapping: HeaderMapping } {
  const index = buildHeaderIndex(model);
  let best: { headerRow: number; mapping: HeaderMapping } | undefined;
  for (const row of rows.slice(0, limits.headerScanRows)) {
    const cells = headerCells(row);
    if (cells.length < 2) continue;
    const mapping = matchHeaders(model, index, cells);
    const plausible = mapping.score >= 3 || (mapping.score >= 2 && mapping.requiredMatched >= 1);
    if (plausible && (!best || mapping.score > best.mapping.score)) best = { headerRow: row.row, mapping };
  }
  if (!best) throw new IngestError('no-data-sheet', { form: model.form.id, sheets: `"${sheetName}"` });
  return best;
}
