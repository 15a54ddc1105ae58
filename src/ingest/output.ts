// Writes an ingest to a folder — records.json, rejected.json, errors.json, errors.csv, annotated.xlsx — with flat memory.
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { UsageError } from '../errors.js';
import { annotate } from './annotate.js';
import { applyLate, readReturnedFile, summarize, type IngestInput, type IngestOptions } from './ingest.js';
import { REPORT_HEADERS, csvLine, reportRow } from './report.js';
import type { IngestIssue, IngestSummary, RowResult } from './types.js';

export const OUTPUT_FILES = {
  records: 'records.json',
  rejected: 'rejected.json',
  errors: 'errors.json',
  errorsCsv: 'errors.csv',
  annotated: 'annotated.xlsx',
} as const;

/** Appends text to a file through a large buffer with synchronous writes (called from synchronous parser callbacks). */
class BufferedFile {
  private readonly fd: number;
  private parts: string[] = [];
  private size = 0;
  private closed = false;

  constructor(readonly file: string) {
    this.fd = fs.openSync(file, 'w');
  }

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size > 1 << 20) this.flush();
  }

  flush(): void {
    if (this.parts.length === 0) return;
    fs.writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    fs.closeSync(this.fd);
  }
}

async function* lines(file: string): AsyncGenerator<string> {
  const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 }), crlfDelay: Infinity });
  for await (const line of rl) if (line !== '') yield line;
}

function splitTabs(line: string, parts: number): string[] {
  const out: string[] = [];
  let from = 0;
  for (let i = 0; i < parts - 1; i++) {
    const at = line.indexOf('\t', from);
    if (at < 0) break;
    out.push(line.slice(from, at));
    from = at + 1;
  }
  out.push(line.slice(from));
  return out;
}

export interface IngestToDirectoryResult {
  summary: IngestSummary;
  files: Record<keyof typeof OUTPUT_FILES, string>;
}

/**
 * Ingests one file into `outDir`. Rows stream through temporary files, so memory stays flat however many rows the file
 * has; the outputs are in file order with file-level issues first. Throws `IngestError` when the file is unreadable.
 */
export async function ingestToDirectory(formId: string, input: IngestInput, outDir: string, options: IngestOptions = {}): Promise<IngestToDirectoryResult> {
  try {
    fs.mkdirSync(outDir, { recursive: true });
  } catch (e) {
    throw new UsageError('out-dir', { vi: `Không tạo được thư mục ${outDir}: ${(e as Error).message}`, en: `Cannot create folder ${outDir}: ${(e as Error).message}` });
  }
  const files = Object.fromEntries(Object.entries(OUTPUT_FILES).map(([k, v]) => [k, path.join(outDir, v)])) as Record<keyof typeof OUTPUT_FILES, string>;
  const rowsTmp = path.join(outDir, '.rows.tmp');
  const issuesTmp = path.join(outDir, '.issues.tmp');
  const allTmp = path.join(outDir, '.all-issues.tmp');
  const temps = [rowsTmp, issuesTmp, allTmp];
  const rowsOut = new BufferedFile(rowsTmp);
  const issuesOut = new BufferedFile(issuesTmp);
  let session: Awaited<ReturnType<typeof readReturnedFile>> | undefined;
  try {
    session = await readReturnedFile(formId, input, options, (r: RowResult) => {
      if (r.ok) {
        const warnings = r.issues.length > 0 ? JSON.stringify({ issues: r.issues, cells: r.cells }) : '';
        rowsOut.write(`${r.row}\ta\t${JSON.stringify(r.record)}\t${warnings}\n`);
      } else {
        rowsOut.write(`${r.row}\tr\t${JSON.stringify({ sheet: '', row: r.row, cells: r.cells, issues: r.issues })}\n`);
      }
      for (const issue of r.issues) issuesOut.write(`${r.row}\t${JSON.stringify(issue)}\n`);
    });
    rowsOut.close();
    issuesOut.close();
    const s = session;

    // Records and rejected rows, with the issues found after reading applied.
    const records = new BufferedFile(files.records);
    const rejected = new BufferedFile(files.rejected);
    records.write('[');
    rejected.write('[');
    let accepted = 0;
    let rejectedCount = 0;
    const addRecord = (json: string) => records.write(`${accepted++ === 0 ? '\n' : ',\n'}${json}`);
    const addRejected = (entry: object) => rejected.write(`${rejectedCount++ === 0 ? '\n' : ',\n'}${JSON.stringify(entry)}`);
    for await (const line of lines(rowsTmp)) {
      const [rowText, kind, payload, extra] = splitTabs(line, 4);
      const row = Number(rowText);
      if (kind === 'a') {
        if (!s.late.has(row)) {
          addRecord(payload!);
          continue;
        }
        const record = JSON.parse(payload!) as Record<string, unknown>;
        const prior = extra ? (JSON.parse(extra) as { issues: IngestIssue[]; cells?: RowResult['cells'] }) : { issues: [] };
        const result = applyLate(s, { row, index: 0, ok: true, record, issues: prior.issues, cells: prior.cells });
        if (result.ok) addRecord(payload!);
        else addRejected({ sheet: s.sheet, row, cells: result.cells ?? s.cellsOf(result), issues: result.issues });
      } else {
        const entry = JSON.parse(payload!) as { row: number; cells: RowResult['cells']; issues: IngestIssue[] };
        const late = s.late.get(row) ?? [];
        addRejected({ sheet: s.sheet, row, cells: entry.cells ?? [], issues: [...entry.issues, ...late] });
      }
    }
    records.write(accepted === 0 ? ']\n' : '\n]\n');
    rejected.write(rejectedCount === 0 ? ']\n' : '\n]\n');
    records.close();
    rejected.close();

    // Issues: file-level first, then each row's own issues followed by those found late, in row order.
    const all = new BufferedFile(allTmp);
    const errorsJson = new BufferedFile(files.errors);
    const errorsCsv = new BufferedFile(files.errorsCsv);
    errorsCsv.write(`\uFEFF${csvLine(REPORT_HEADERS[s.lang])}`);
    errorsJson.write('{"issues":[');
    let count = 0;
    const counts = { errors: 0, warnings: 0 };
    const emit = (issue: IngestIssue) => {
      const json = JSON.stringify(issue);
      errorsJson.write(`${count++ === 0 ? '\n' : ',\n'}${json}`);
      errorsCsv.write(csvLine(reportRow(issue, s.lang)));
      all.write(`${json}\n`);
      if (issue.severity === 'error') counts.errors++;
      else counts.warnings++;
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
      const [rowText, json] = splitTabs(line, 2);
      const row = Number(rowText);
      if (row !== currentRow) {
        flushLateUpTo(currentRow, true);
        flushLateUpTo(row, false);
        currentRow = row;
      }
      emit(JSON.parse(json!) as IngestIssue);
    }
    flushLateUpTo(Infinity, true);
    const summary = summarize(s, accepted, rejectedCount, counts);
    errorsJson.write(`${count === 0 ? '' : '\n'}],\n"summary":${JSON.stringify(summary)}}\n`);
    errorsJson.close();
    errorsCsv.close();
    all.close();

    const buffer = await annotate(s, () => (async function* () {
      for await (const line of lines(allTmp)) yield JSON.parse(line) as IngestIssue;
    })());
    fs.writeFileSync(files.annotated, buffer);
    return { summary, files };
  } finally {
    rowsOut.close();
    issuesOut.close();
    session?.close();
    for (const t of temps) fs.rmSync(t, { force: true });
  }
}
