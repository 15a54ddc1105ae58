// Reads a returned file end to end: bytes → container → data sheet → rows → records and issues, every row accounted for.
import fs from 'node:fs';
import path from 'node:path';
import { UsageError, fsProblem } from '../errors.js';
import type { FormRegistry } from '../forms/registry.js';
import { loadRegistry } from '../forms/registry.js';
import type { FormDefinition } from '../forms/types.js';
import type { Lang } from '../i18n.js';
import { loadRules, type RuleRegistry } from '../rules/registry.js';
import { LABEL_SEPARATOR } from '../validate/issue.js';
import { FormValidator } from '../validate/validator.js';
import { columnLetter, parseRange } from '../workbook/address.js';
import { cellValueFor } from '../workbook/cells.js';
import { buildColumns, type ColumnModel } from '../workbook/columns.js';
import { csvRows, decodeText } from './csv.js';
import type { HeaderFinding } from './headers.js';
import { resolveLimits, type IngestLimits } from './limits.js';
import { locateDataSheet, locateHeaderInRows, readMeta } from './locate.js';
import { IngestError, formatBytes, ingestMessage } from './messages.js';
import { openWorkbookPackage, type SheetInfo, type WorkbookPackage } from './package.js';
import { RowReader } from './rows.js';
import { readSheetRows, type SheetRow } from './sheet.js';
import { checkZipKind, sniff } from './sniff.js';
import type { IngestIssue, RawCell, RejectedRow, RowResult, IngestSummary } from './types.js';
import { ZipArchive } from './zip.js';

export type IngestInput = string | Buffer | Uint8Array;

/** Person keys seen in earlier files of the same unit, for duplicates across files. */
/** Person keys of earlier files: the file's name, its path as given, the file itself (full path), the row. */
export type PersonKeyIndex = Map<string, { file: string; path: string; source: string; row: number }>;

export interface IngestOptions {
  /** Called once the data sheet is found, before its rows are read, with the file-level issues known so far. */
  onDataSheet?: (pkg: WorkbookPackage, sheet: SheetInfo, fileIssues: IngestIssue[]) => Promise<void>;
  /** Sees each chunk of the data sheet's XML once its rows were read. */
  onDataChunk?: (chunk: Buffer) => void;
  /** Called between chunks of the data sheet; a returned promise pauses reading (lets a writer drain). */
  backpressure?: () => Promise<void> | void;
  registry?: FormRegistry;
  ruleRegistry?: RuleRegistry;
  validator?: FormValidator;
  /** Rule set id; else the one the workbook was made with (when known), else the form's default. */
  rules?: string;
  lang?: Lang;
  limits?: Partial<IngestLimits>;
  /** Name used in messages and the summary when the input is bytes. */
  fileName?: string;
  /** Keys from earlier files; this file's keys are added to it. */
  knownKeys?: PersonKeyIndex;
}

/** Where the annotated copy comes from: the unit's own package, or the CSV rows. */
export type AnnotateSource = { kind: 'xlsx'; pkg: WorkbookPackage; sheet: SheetInfo } | { kind: 'csv'; rows: SheetRow[]; sheet: string };

/** What the reading pass leaves for whoever writes the results. */
export interface IngestSession {
  form: FormDefinition;
  model: ColumnModel;
  rules: string;
  lang: Lang;
  file: string;
  kind: 'xlsx' | 'csv';
  sheet: string;
  headerRow: number;
  usedMetadata: boolean;
  reader: RowReader;
  /** Problems with the file or its columns (no single row). */
  fileIssues: IngestIssue[];
  /** Problems found after a row was read (duplicates, merges), by row. */
  late: Map<number, IngestIssue[]>;
  rows: number;
  source: AnnotateSource;
  /** The cells of a row rebuilt from its record, for rows rejected late. */
  cellsOf(row: RowResult): RawCell[];
  close(): void;
}

interface Setup {
  registry: FormRegistry;
  validator: FormValidator;
}

function setup(options: IngestOptions): Setup {
  if (options.validator) return { registry: options.validator.forms, validator: options.validator };
  const registry = options.registry ?? loadRegistry();
  const ruleRegistry = options.ruleRegistry ?? loadRules(registry.ruleDirs);
  return { registry, validator: new FormValidator(registry, ruleRegistry) };
}

export function tabularForm(registry: FormRegistry, formId: string): FormDefinition {
  const form = registry.get(formId);
  if (!form.meta.tabular) {
    const tabular = registry
      .list()
      .filter((f) => f.meta.tabular)
      .map((f) => f.id)
      .join(', ');
    throw new UsageError('not-tabular', { vi: ingestMessage('not-tabular', 'vi', { form: formId, tabular }), en: ingestMessage('not-tabular', 'en', { form: formId, tabular }) });
  }
  return form;
}

async function readInput(input: IngestInput, limits: IngestLimits): Promise<Buffer> {
  if (typeof input !== 'string') {
    const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    if (buf.length > limits.maxFileBytes) throw new IngestError('file-too-large', { size: formatBytes(buf.length), limit: formatBytes(limits.maxFileBytes) });
    return buf;
  }
  let size: number;
  try {
    const stat = await fs.promises.stat(input);
    if (!stat.isFile()) throw new Error('not a file');
    size = stat.size;
  } catch (e) {
    throw new UsageError('file-missing', { vi: `Không mở được tệp ${input}: ${fsProblem(e).vi}`, en: `Cannot open ${input}: ${(e as Error).message}` });
  }
  if (size > limits.maxFileBytes) throw new IngestError('file-too-large', { size: formatBytes(size), limit: formatBytes(limits.maxFileBytes) });
  return fs.promises.readFile(input);
}

/**
 * Reads the file and calls `onRow` for every non-blank data row, in file order. Throws `IngestError` (exit 2) when
 * the file cannot be read as this form at all; everything else becomes an issue.
 */
export async function readReturnedFile(formId: string, input: IngestInput, options: IngestOptions, onRow: (row: RowResult) => void): Promise<IngestSession> {
  const { registry, validator } = setup(options);
  const form = tabularForm(registry, formId);
  const lang = options.lang ?? 'vi';
  const limits = resolveLimits(options.limits);
  const file = options.fileName ?? (typeof input === 'string' ? path.basename(input) : 'input');
  // Two files of the same name in different folders are different files (units often send "bieu-mau.xlsx").
  const sourceId = typeof input === 'string' ? path.resolve(input) : file;
  const shownAs = typeof input === 'string' ? input : file;
  const bytes = await readInput(input, limits);
  const container = sniff(bytes);

  const fileIssues: IngestIssue[] = [];
  const late = new Map<number, IngestIssue[]>();
  const addLate = (row: number, issue: IngestIssue) => {
    const list = late.get(row);
    if (list) list.push(issue);
    else late.set(row, [issue]);
  };
  const issue = (code: string, severity: 'error' | 'warning', params: Record<string, unknown>, extra: Partial<IngestIssue> = {}): IngestIssue => ({
    code,
    severity,
    form: form.id,
    pointer: '',
    labelPath: [],
    label: '',
    message: ingestMessage(code, lang, params),
    params,
    ...extra,
  });

  let model: ColumnModel;
  let rulesId: string;
  let sheetName: string;
  let headerRow: number;
  let usedMetadata = false;
  let reader: RowReader;
  let source: AnnotateSource;
  let zip: ZipArchive | undefined;
  let rowsRead = 0;
  const dataRows = new Set<number>();
  const keys = new Map<string, { row: number; text: string }>();

  const chooseRules = (fromMeta?: string): string => {
    const wanted = options.rules ?? (fromMeta && validator.rules.list().some((r) => r.id === fromMeta) ? fromMeta : undefined);
    return validator.prepare(form.id, wanted).rules.id;
  };

  // The person-key column of the sheet, found once (the reader exists by the time rows arrive).
  let keyPlace: { column?: RowReader['columns'][number]; base: Partial<IngestIssue> } | undefined;
  const handle = (result: RowResult) => {
    rowsRead++;
    if (rowsRead > limits.maxRows) throw new IngestError('too-many-rows', { sheet: sheetName, limit: limits.maxRows });
    dataRows.add(result.row);
    if (result.key !== undefined) {
      if (!keyPlace) {
        const column = reader.columns.find((m) => m.column.pointer === form.meta.personKey?.[0]);
        const labelPath = column?.column.labels[lang] ?? [];
        keyPlace = { column, base: { pointer: form.meta.personKey?.[0] ?? '', labelPath, label: labelPath.join(LABEL_SEPARATOR) } };
      }
      const first = keys.get(result.key);
      const earlier = options.knownKeys?.get(result.key);
      const fromOtherFile = earlier !== undefined && earlier.source !== sourceId;
      if (first || fromOtherFile) {
        const keyColumn = keyPlace.column;
        const place = (row: number) =>
          keyColumn ? { cell: { sheet: sheetName, address: `${keyColumn.letter}${row}`, row, column: keyColumn.letter, header: keyColumn.header } } : {};
        const base = { ...keyPlace.base, raw: result.keyText };
        if (first) {
          result.issues.push(issue('duplicate-person', 'error', { other: first.row, key: result.keyText }, { ...base, ...place(result.row), row: result.row }));
          result.ok = false;
          addLate(first.row, issue('duplicate-person', 'error', { other: result.row, key: result.keyText }, { ...base, ...place(first.row), row: first.row }));
        }
        if (earlier && fromOtherFile) {
          // Another file of the same name is named by its path.
          const other = earlier.file === file ? earlier.path : earlier.file;
          result.issues.push(issue('duplicate-person-file', 'error', { other: earlier.row, file: other, key: result.keyText }, { ...base, ...place(result.row), row: result.row }));
          result.ok = false;
        }
        // A row that was clean until now carries no cells yet; the rejected report needs them.
        result.cells ??= reader.cellsFromRecord(result.record, result.row, (c, v) => cellValueFor(c, v, lang));
      }
      if (!first) keys.set(result.key, { row: result.row, text: result.keyText ?? '' });
    }
    onRow(result);
  };

  const headerIssues = (findings: HeaderFinding[], row: number) => {
    for (const f of findings) {
      const labelPath = f.column?.labels[lang] ?? [];
      const cell = f.col !== undefined ? { sheet: sheetName, address: `${columnLetter(f.col)}${row}`, row, column: columnLetter(f.col), header: String(f.params.found ?? f.params.expected ?? '') } : undefined;
      fileIssues.push(issue(f.code, f.severity, f.params, { pointer: f.column?.pointer ?? '', labelPath, label: labelPath.join(LABEL_SEPARATOR), ...(cell ? { cell, row } : {}) }));
    }
  };

  if (container === 'zip') {
    zip = await ZipArchive.open(bytes, limits);
    await checkZipKind(zip);
    const pkg = await openWorkbookPackage(zip, limits);
    const metaRead = await readMeta(pkg, limits);
    rulesId = chooseRules(metaRead.meta?.formId === form.id ? metaRead.meta.rulesId : undefined);
    model = buildColumns(form, registry, validator.rules.get(rulesId));
    const plan = await locateDataSheet(pkg, model, limits, metaRead);
    sheetName = plan.sheet.name;
    headerRow = plan.headerRow;
    usedMetadata = plan.usedMeta;
    for (const f of plan.findings) fileIssues.push(issue(f.code, f.severity ?? 'warning', f.params));
    headerIssues(plan.mapping.findings, headerRow);
    reader = new RowReader({ form, allPointers: model.columns.map((c) => c.pointer), validator, rules: rulesId, lang, sheet: sheetName, mapping: plan.mapping, coerce: { date1904: pkg.date1904, styles: pkg.styles, fromText: false, maxCellChars: limits.maxCellChars } });
    source = { kind: 'xlsx', pkg, sheet: plan.sheet };
    await options.onDataSheet?.(pkg, plan.sheet, fileIssues);
    const tail = await readSheetRows(
      pkg,
      plan.sheet,
      limits,
      (row) => {
        if (row.row <= headerRow) return;
        const result = reader.read(row);
        if (result) handle(result);
      },
      options.backpressure,
      options.onDataChunk,
    );
    // A hidden column the unit may not have seen: what it holds is read, and said once.
    for (const m of reader.columns) {
      if (m.filled === 0 || !tail.hiddenColumns.some((h) => m.col >= h.from && m.col <= h.to)) continue;
      const labelPath = m.column.labels[lang];
      const address = `${m.letter}${m.firstRow}`;
      fileIssues.push(
        issue('hidden-column', 'warning', { column: m.letter, header: m.header, count: m.filled, cell: address }, { pointer: m.column.pointer, labelPath, label: labelPath.join(LABEL_SEPARATOR), cell: { sheet: sheetName, address, row: m.firstRow, column: m.letter, header: m.header } }),
      );
    }
    // Merged cells in the data area: only the first cell of a merge holds a value, the others read as blank.
    for (const ref of tail.merges) {
      const range = parseRange(ref);
      if (!range || range.r2 <= headerRow) continue;
      const cols = reader.columns.filter((m) => m.col >= range.c1 && m.col <= range.c2);
      if (cols.length === 0) continue;
      const m = cols[0]!;
      for (let r = Math.max(range.r1, headerRow + 1); r <= range.r2; r++) {
        if (!dataRows.has(r)) continue;
        const labelPath = m.column.labels[lang];
        addLate(r, issue('merged-cells', 'error', { range: ref }, { pointer: m.column.pointer, labelPath, label: labelPath.join(LABEL_SEPARATOR), cell: { sheet: sheetName, address: `${m.letter}${r}`, row: r, column: m.letter, header: m.header }, row: r }));
      }
    }
  } else {
    const decoded = decodeText(bytes);
    if (decoded.encoding !== 'UTF-8') fileIssues.push(issue('csv-encoding', 'warning', { encoding: decoded.encoding }));
    const rows = csvRows(decoded.text, limits.maxCellChars);
    rulesId = chooseRules();
    model = buildColumns(form, registry, validator.rules.get(rulesId));
    sheetName = path.basename(file, path.extname(file)).slice(0, 31) || 'CSV';
    const located = locateHeaderInRows(model, rows, limits, sheetName);
    headerRow = located.headerRow;
    if (headerRow !== 1) fileIssues.push(issue('header-row', 'warning', { row: headerRow, sheet: sheetName }));
    headerIssues(located.mapping.findings, headerRow);
    reader = new RowReader({ form, allPointers: model.columns.map((c) => c.pointer), validator, rules: rulesId, lang, sheet: sheetName, mapping: located.mapping, coerce: { date1904: false, styles: [], fromText: true, maxCellChars: limits.maxCellChars } });
    source = { kind: 'csv', rows, sheet: sheetName };
    for (const row of rows) {
      if (row.row <= headerRow) continue;
      const result = reader.read(row);
      if (result) handle(result);
    }
  }

  if (reader.filledDown) {
    const { count, first, last, headers } = reader.filledDown;
    fileIssues.push(issue('filled-down-rows', 'warning', { count, first, last, columns: headers.slice(0, 3).join('; ') + (headers.length > 3 ? '; …' : ''), sheet: sheetName }));
  }
  if (reader.numberingRow !== undefined) fileIssues.push(issue('column-numbers-row', 'warning', { row: reader.numberingRow, sheet: sheetName }));
  if (reader.formulaOnly) fileIssues.push(issue('formula-only-rows', 'warning', { count: reader.formulaOnly.count, row: reader.formulaOnly.first, sheet: sheetName }));
  for (const [col, u] of reader.unmapped) {
    fileIssues.push(issue('unmapped-data', 'warning', { column: columnLetter(col), count: u.count, cell: u.first }));
  }
  if (rowsRead === 0) fileIssues.push(issue('no-rows', 'error', { row: headerRow, sheet: sheetName }));
  if (options.knownKeys) for (const [key, v] of keys) if (!options.knownKeys.has(key)) options.knownKeys.set(key, { file, path: shownAs, source: sourceId, row: v.row });

  const finalReader = reader;
  return {
    form,
    model,
    rules: rulesId,
    lang,
    file,
    kind: container === 'zip' ? 'xlsx' : 'csv',
    sheet: sheetName,
    headerRow,
    usedMetadata,
    reader,
    fileIssues,
    late,
    rows: rowsRead,
    source,
    cellsOf: (row) => row.cells ?? finalReader.cellsFromRecord(row.record, row.row, (c, v) => cellValueFor(c, v, lang)),
    close: () => zip?.close(),
  };
}

/** Applies issues found after a row was read; returns whether the row is still accepted. */
export function applyLate(session: IngestSession, row: RowResult): RowResult {
  const extra = session.late.get(row.row);
  if (!extra) return row;
  const issues = [...row.issues, ...extra];
  const ok = row.ok && !extra.some((i) => i.severity === 'error');
  return { ...row, issues, ok, cells: ok ? row.cells : session.cellsOf(row) };
}

export function summarize(session: IngestSession, accepted: number, rejected: number, issues: { errors: number; warnings: number }): IngestSummary {
  return {
    form: session.form.id,
    rules: session.rules,
    file: session.file,
    kind: session.kind,
    sheet: session.sheet,
    headerRow: session.headerRow,
    usedMetadata: session.usedMetadata,
    rows: session.rows,
    accepted,
    rejected,
    errors: issues.errors,
    warnings: issues.warnings,
  };
}

export interface IngestResult {
  summary: IngestSummary;
  /** Accepted records, in file order. */
  records: Array<Record<string, unknown>>;
  /** File row of each accepted record. */
  acceptedRows: number[];
  rejected: RejectedRow[];
  /** File-level issues first, then row issues in row order. */
  issues: IngestIssue[];
  /** The unit's own workbook with the problems marked, plus an errors sheet. */
  annotate(): Promise<Buffer>;
}

/** Library entry point: reads a returned workbook or CSV into validated records, all in memory. */
export async function ingestWorkbook(formId: string, input: IngestInput, options: IngestOptions = {}): Promise<IngestResult> {
  const rows: RowResult[] = [];
  const session = await readReturnedFile(formId, input, options, (r) => {
    rows.push(r);
  });
  const records: Array<Record<string, unknown>> = [];
  const acceptedRows: number[] = [];
  const rejected: RejectedRow[] = [];
  const issues: IngestIssue[] = [...session.fileIssues];
  for (const raw of rows) {
    const row = applyLate(session, raw);
    issues.push(...row.issues);
    if (row.ok) {
      records.push(row.record);
      acceptedRows.push(row.row);
    } else rejected.push({ sheet: session.sheet, row: row.row, cells: row.cells ?? session.cellsOf(row), issues: row.issues });
  }
  const counts = { errors: issues.filter((i) => i.severity === 'error').length, warnings: issues.filter((i) => i.severity === 'warning').length };
  const summary = summarize(session, records.length, rejected.length, counts);
  return {
    summary,
    records,
    acceptedRows,
    rejected,
    issues,
    annotate: async () => {
      const { annotate } = await import('./annotate.js');
      try {
        return await annotate(session, issues);
      } finally {
        session.close();
      }
    },
  };
}
