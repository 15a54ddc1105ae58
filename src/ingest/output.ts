// Writes an ingest to a folder — records.json, rejected.json, errors.json, errors.csv, annotated.xlsx — with flat memory.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { UsageError, fsProblem } from '../errors.js';
import { annotate, XlsxAnnotator } from './annotate.js';
import type { SheetInfo, WorkbookPackage } from './package.js';
import { applyLate, readReturnedFile, summarize, type IngestInput, type IngestOptions, type IngestSession } from './ingest.js';
import { REPORT_HEADERS, csvLine, reportRow } from './report.js';
import type { IngestIssue, IngestSummary, RawCell, RowResult } from './types.js';

export const OUTPUT_FILES = {
  records: 'records.json',
  rejected: 'rejected.json',
  errors: 'errors.json',
  errorsCsv: 'errors.csv',
  annotated: 'annotated.xlsx',
} as const;

const BUFFER_BYTES = 1 << 20;

/**
 * Appends text to a file through a large buffer. Writes go through a write stream (the disk works while rows are
 * parsed); `drained()` lets the reader wait when too much is queued, so memory stays bounded on a slow disk.
 */
class BufferedFile {
  private readonly stream: fs.WriteStream;
  /** Text is encoded straight into this buffer: no joined strings, no second copy. */
  private buf = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;
  private closed = false;
  private readonly done: Promise<void>;

  constructor(readonly file: string) {
    this.stream = fs.createWriteStream(file, { highWaterMark: 4 << 20 });
    this.done = new Promise((resolve, reject) => {
      this.stream.on('close', resolve);
      this.stream.on('error', reject);
    });
  }

  write(text: string): void {
    // A UTF-16 code unit takes at most three bytes in UTF-8.
    if (this.used + text.length * 3 > this.buf.length) {
      this.flush();
      if (text.length * 3 > this.buf.length) {
        this.stream.write(text);
        return;
      }
    }
    this.used += this.buf.write(text, this.used);
  }

  flush(): void {
    if (this.used === 0) return;
    this.stream.write(this.buf.subarray(0, this.used));
    this.buf = Buffer.allocUnsafe(BUFFER_BYTES);
    this.used = 0;
  }

  /** Resolves when the queue is short again; undefined when it already is. */
  drained(): Promise<void> | undefined {
    if (!this.stream.writableNeedDrain) return undefined;
    return new Promise((resolve) => this.stream.once('drain', () => resolve()));
  }

  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.flush();
      this.stream.end();
    }
    await this.done;
  }
}

async function* lines(file: string): AsyncGenerator<string> {
  const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of rl) if (line !== '') yield line;
}

/** One JSON value per line inside "[" … "]", so a file can be filtered line by line without parsing all of it. */
class JsonArrayFile {
  private readonly out: BufferedFile;
  count = 0;

  constructor(file: string) {
    this.out = new BufferedFile(file);
    this.out.write('[');
  }

  add(json: string): void {
    // Separator and value pushed apart: concatenating would make a rope string V8 must flatten again on write.
    this.out.write(this.count++ === 0 ? '\n' : ',\n');
    this.out.write(json);
  }

  drained(): Promise<void> | undefined {
    return this.out.drained();
  }

  async close(): Promise<void> {
    if (this.closed) return this.out.close();
    this.closed = true;
    this.out.write(this.count === 0 ? ']\n' : '\n]\n');
    await this.out.close();
  }

  private closed = false;
}

/** The entries of a file written by JsonArrayFile, as JSON text. */
async function* entries(file: string): AsyncGenerator<string> {
  for await (const line of lines(file)) {
    if (line === '[' || line === ']' || line === '[]') continue;
    yield line.endsWith(',') ? line.slice(0, -1) : line;
  }
}

export interface IngestToDirectoryResult {
  summary: IngestSummary;
  files: Record<keyof typeof OUTPUT_FILES, string>;
}

interface RejectedEntry {
  sheet: string;
  row: number;
  cells: RawCell[];
  issues: IngestIssue[];
}

/**
 * Issues found after reading (duplicates, merged cells) can reject rows already written as accepted: both files are
 * rewritten line by line, the moved rows merged into rejected.json in row order. Only happens when there are such issues.
 */
async function applyLateIssues(
  s: IngestSession,
  files: { records: string; rejected: string },
  acceptedRows: number[],
  withIssues: Map<number, { issues: IngestIssue[]; cells?: RawCell[] }>,
): Promise<{ accepted: number; rejected: number }> {
  const recordsTmp = `${files.records}.tmp`;
  const rejectedTmp = `${files.rejected}.tmp`;
  const moved: RejectedEntry[] = [];
  const records = new JsonArrayFile(recordsTmp);
  let k = 0;
  for await (const json of entries(files.records)) {
    const row = acceptedRows[k++]!;
    if (!s.late.has(row)) {
      records.add(json);
      continue;
    }
    const prior = withIssues.get(row);
    const result = applyLate(s, { sheet: s.sheet, row, index: 0, ok: true, record: JSON.parse(json) as Record<string, unknown>, issues: prior?.issues ?? [], cells: prior?.cells });
    if (result.ok) records.add(json);
    else moved.push({ sheet: s.sheet, row, cells: result.cells ?? s.cellsOf(result), issues: result.issues });
  }
  await records.close();
  const rejected = new JsonArrayFile(rejectedTmp);
  let m = 0;
  for await (const json of entries(files.rejected)) {
    const entry = JSON.parse(json) as RejectedEntry;
    while (m < moved.length && moved[m]!.row < entry.row) rejected.add(JSON.stringify(moved[m++]));
    const late = s.late.get(entry.row);
    rejected.add(late ? JSON.stringify({ ...entry, issues: [...entry.issues, ...late] }) : json);
  }
  while (m < moved.length) rejected.add(JSON.stringify(moved[m++]));
  await rejected.close();
  fs.renameSync(recordsTmp, files.records);
  fs.renameSync(rejectedTmp, files.rejected);
  return { accepted: records.count, rejected: rejected.count };
}

/**
 * Ingests one file into `outDir`. Records and rejected rows are written as they are read, so memory stays flat however
 * many rows the file has; the outputs are in file order with file-level issues first. Throws `IngestError` when the
 * file is unreadable.
 */
export async function ingestToDirectory(formId: string, input: IngestInput, outDir: string, options: IngestOptions = {}): Promise<IngestToDirectoryResult> {
  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw new UsageError('out-dir', { vi: `Không tạo được thư mục ${outDir}: ${fsProblem(e).vi}`, en: `Cannot create folder ${outDir}: ${(e as Error).message}` });
  }
  const files = Object.fromEntries(Object.entries(OUTPUT_FILES).map(([k, v]) => [k, path.join(outDir, v)])) as Record<keyof typeof OUTPUT_FILES, string>;
  const issuesTmp = path.join(outDir, '.issues.tmp');
  const allTmp = path.join(outDir, '.all-issues.tmp');
  const temps: string[] = [issuesTmp, allTmp, `${files.records}.tmp`, `${files.rejected}.tmp`];
  const records = new JsonArrayFile(files.records);
  const rejected = new JsonArrayFile(files.rejected);
  const issuesOut = new BufferedFile(issuesTmp);
  const acceptedRows: number[] = [];
  // Accepted rows that have warnings keep them here, in case a late issue moves the row to rejected.json.
  const withIssues = new Map<number, { issues: IngestIssue[]; cells?: RawCell[] }>();
  let session: IngestSession | undefined;
  let complete = false;
  try {
    // The annotated copy of a workbook is written while the file is read: its data sheet is deflated alongside.
    let annotator: XlsxAnnotator | undefined;
    let notedFileIssues = 0;
    const partial = `${files.annotated}.partial`;
    temps.push(partial);
    const backpressure = () => records.drained() ?? rejected.drained() ?? issuesOut.drained() ?? annotator?.drained();
    const onDataSheet = async (pkg: WorkbookPackage, sheet: SheetInfo, known: IngestIssue[]) => {
      annotator = await XlsxAnnotator.start(pkg, sheet, options.lang ?? 'vi', partial);
      for (const issue of known) annotator.note(issue);
      notedFileIssues = known.length;
    };
    const onDataChunk = (chunk: Buffer) => annotator?.feed(chunk);
    session = await readReturnedFile(formId, input, { ...options, backpressure, onDataSheet, onDataChunk }, (r: RowResult) => {
      if (annotator) for (const issue of r.issues) annotator.note(issue);
      if (r.ok) {
        records.add(JSON.stringify(r.record));
        acceptedRows.push(r.row);
        if (r.issues.length > 0) withIssues.set(r.row, { issues: r.issues, cells: r.cells });
      } else {
        rejected.add(JSON.stringify({ sheet: r.sheet, row: r.row, cells: r.cells ?? [], issues: r.issues }));
      }
      for (const issue of r.issues) issuesOut.write(`${r.row}\t${JSON.stringify(issue)}\n`);
    });
    await Promise.all([records.close(), rejected.close(), issuesOut.close()]);
    const s = session;
    let counts = { accepted: records.count, rejected: rejected.count };
    if (s.late.size > 0) counts = await applyLateIssues(s, files, acceptedRows, withIssues);

    // Issues: file-level first, then each row's own issues followed by those found late, in row order.
    const all = new BufferedFile(allTmp);
    const errorsJson = new BufferedFile(files.errors);
    const errorsCsv = new BufferedFile(files.errorsCsv);
    errorsCsv.write(`\uFEFF${csvLine(REPORT_HEADERS[s.lang])}`);
    errorsJson.write('{"issues":[');
    let count = 0;
    const severities = { errors: 0, warnings: 0 };
    const emit = (issue: IngestIssue) => {
      const json = JSON.stringify(issue);
      errorsJson.write(`${count++ === 0 ? '\n' : ',\n'}${json}`);
      errorsCsv.write(csvLine(reportRow(issue, s.lang)));
      all.write(`${json}\n`);
      if (issue.severity === 'error') severities.errors++;
      else severities.warnings++;
    };
    for (const issue of s.fileIssues) emit(issue);
    const lateRows = [...s.late.keys()].sort((a, b) => a - b);
    let li = 0;
    let currentRow = -1;
    const flushLateUpTo = (row: number, inclusive: boolean) => {
      while (li < lateRows.length && (inclusive ? lateRows[li]! <= row : lateRows[li]! < row)) {
        for (const issue of s.late.get(lateRows[li]!)!) emit(issue);
        li++;
      }
    };
    for await (const line of lines(issuesTmp)) {
      const tab = line.indexOf('\t');
      const row = Number(line.slice(0, tab));
      if (row !== currentRow) {
        flushLateUpTo(currentRow, true);
        flushLateUpTo(row, false);
        currentRow = row;
      }
      emit(JSON.parse(line.slice(tab + 1)) as IngestIssue);
    }
    flushLateUpTo(Infinity, true);
    const summary = summarize(s, counts.accepted, counts.rejected, severities);
    errorsJson.write(`${count === 0 ? '' : '\n'}],\n"summary":${JSON.stringify(summary)}}\n`);
    await Promise.all([errorsJson.close(), errorsCsv.close(), all.close()]);

    const allIssues = () =>
      (async function* () {
        for await (const line of lines(allTmp)) yield JSON.parse(line) as IngestIssue;
      })();
    // Issues found after reading (a duplicate's first row, merged cells) and file-level ones found at the end may
    // mark rows already written: then the copy is made again from the start.
    const late = [...s.late.values()].flat().concat(s.fileIssues.slice(notedFileIssues));
    const fresh = annotator !== undefined && !late.some((i) => annotator!.staleFor(i));
    if (annotator) {
      for (const issue of late) annotator.note(issue);
      await annotator.finish(allIssues);
    }
    if (annotator && fresh) fs.renameSync(partial, files.annotated);
    else await annotate(s, allIssues, files.annotated);
    complete = true;
    return { summary, files };
  } finally {
    await Promise.all([records.close(), rejected.close(), issuesOut.close()]).catch(() => undefined);
    session?.close();
    for (const t of temps) fs.rmSync(t, { force: true });
    // A file that could not be read leaves no half-written results behind.
    if (!complete) for (const f of Object.values(files)) fs.rmSync(f, { force: true });
  }
}
