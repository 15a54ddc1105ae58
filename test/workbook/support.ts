// Shared fixtures for workbook and ingest tests: a registry, templates, and filling a template the way a clerk would.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ExcelJS from 'exceljs';
import { loadRegistry } from '../../src/forms/registry.js';
import { loadRules } from '../../src/rules/registry.js';
import { FormValidator } from '../../src/validate/validator.js';
import { createWorkbook, type CreateWorkbookOptions } from '../../src/workbook/generate.js';
import { buildColumns, type SheetColumn } from '../../src/workbook/columns.js';
import { cellValueFor } from '../../src/workbook/cells.js';
import { getAt } from '../../src/pointer.js';
import { ingestWorkbook, type IngestOptions } from '../../src/ingest/ingest.js';

export const registry = loadRegistry();
export const ruleRegistry = loadRules(registry.ruleDirs);
export const validator = new FormValidator(registry, ruleRegistry);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The shared corpus of files written by other programs, used in place beside the repository (or BIEUMAU_CORPUS). */
export const CORPUS = path.join(process.env.BIEUMAU_CORPUS ?? path.join(ROOT, '../shared/corpus'), 'xlsx');

export function corpus(name: string): string {
  const file = path.join(CORPUS, name);
  // A missing corpus fails the test with this line, never a skip.
  if (!fs.existsSync(file)) throw new Error(`corpus file missing: ${file} (set BIEUMAU_CORPUS to the shared corpus folder)`);
  return file;
}

export function samples(formId: string): Array<Record<string, unknown>> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'samples', `${formId}.json`), 'utf8')) as Array<Record<string, unknown>>;
}

export function columnsOf(formId: string): SheetColumn[] {
  const form = registry.get(formId);
  return buildColumns(form, registry, ruleRegistry.get(form.meta.defaultRules)).columns;
}

export function columnOf(formId: string, pointer: string): SheetColumn {
  const c = columnsOf(formId).find((x) => x.pointer === pointer);
  if (!c) throw new Error(`no column ${pointer}`);
  return c;
}

export async function template(formId: string, options: CreateWorkbookOptions = {}): Promise<Buffer> {
  return (await createWorkbook(formId, { registry, ruleRegistry, now: new Date('2026-01-05T08:00:00Z'), ...options })).buffer;
}

export async function load(buffer: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  return wb;
}

export async function save(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The `_meta` map as the workbook carries it: pointer → column letters, and the first data row. */
export function metaMap(wb: ExcelJS.Workbook): { letters: Map<string, string>; firstDataRow: number; dataSheet: string } {
  const meta = wb.getWorksheet('_meta')!;
  const letters = new Map<string, string>();
  let firstDataRow = 0;
  let dataSheet = '';
  let inColumns = false;
  meta.eachRow((row) => {
    const a = String(row.getCell(1).value ?? '');
    const b = String(row.getCell(2).value ?? '');
    if (a === 'columns') inColumns = true;
    else if (inColumns) letters.set(b, a);
    else if (a === 'firstDataRow') firstDataRow = Number(b);
    else if (a === 'dataSheet') dataSheet = b;
  });
  return { letters, firstDataRow, dataSheet };
}

export type CellInput = ExcelJS.CellValue;

/**
 * Fills a template as a clerk would: each record on its own row, each value typed the way the sheet asks (dates as
 * dd/mm/yyyy text, dropdown labels, Có/Không). `cells` then overwrites single cells, addressed by pointer or A1.
 */
export async function fill(formId: string, buffer: Buffer, records: unknown[], cells: Array<Record<string, CellInput>> = []): Promise<Buffer> {
  const wb = await load(buffer);
  const { letters, firstDataRow, dataSheet } = metaMap(wb);
  const ws = wb.getWorksheet(dataSheet)!;
  const columns = new Map(columnsOf(formId).map((c) => [c.pointer, c]));
  records.forEach((record, i) => {
    for (const [pointer, letter] of letters) {
      const v = cellValueFor(columns.get(pointer)!, getAt(record, pointer), 'vi');
      if (v !== undefined) ws.getCell(`${letter}${firstDataRow + i}`).value = v;
    }
  });
  cells.forEach((overrides, i) => {
    for (const [key, value] of Object.entries(overrides)) {
      const address = key.startsWith('/') ? `${letters.get(key)}${firstDataRow + i}` : key;
      ws.getCell(address).value = value;
    }
  });
  return save(wb);
}

/** The address of a field in data row `i` (0-based) of a generated template. */
export function addressOf(formId: string, pointer: string, i: number): string {
  return `${columnOf(formId, pointer).letter}${7 + i}`;
}

export function ingest(formId: string, input: Buffer | string, options: IngestOptions = {}) {
  return ingestWorkbook(formId, input, { validator, fileName: 'test.xlsx', ...options });
}

/** A valid score-sheet record with its own ID number. */
export function scoreRecord(i = 0, id?: string): Record<string, unknown> {
  const base = structuredClone(samples('score-sheet')[i % samples('score-sheet').length]!) as Record<string, unknown> & { person: Record<string, unknown> };
  base.person.idNumber = id ?? `0010${String(90000000 + i).padStart(8, '0')}`;
  return base;
}

/** Issues as "CELL code" strings, for exact assertions. */
export function where(issues: Array<{ code: string; cell?: { address: string } }>): string[] {
  return issues.map((i) => `${i.cell?.address ?? '-'} ${i.code}`);
}
