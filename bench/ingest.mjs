// Benchmark: ingesting a 50,000-row score-sheet workbook (all five outputs written) against (a) the exceljs streaming
// reader reading the same file into arrays — the floor — and (b) SheetJS reading it. Each reader runs in its own
// child process so its peak RSS is its own. Run `npx tsc -p .` first. Prints one JSON line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'dist', p);
const ROWS = Number(process.env.BENCH_INGEST_ROWS ?? 50_000);
const RUNS = Number(process.env.BENCH_INGEST_RUNS ?? 3);
const TARGET_RATIO = 1.5;
const TARGET_MB = 300;

const cpu0 = process.cpuUsage();

function report(result, t0) {
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  // CPU seconds of the whole child (module loading included): steadier than wall time on a shared machine.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(JSON.stringify({ ...result, seconds, rowsPerSecond: result.rows / seconds, cpuSeconds, peakRssMB: process.resourceUsage().maxRSS / 1024 }));
}

async function ours(file) {
  const { ingestToDirectory } = await import(dist('ingest/output.js'));
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bieumau-bench-ingest-'));
  const t0 = process.hrtime.bigint();
  const { summary } = await ingestToDirectory('score-sheet', file, out);
  report({ rows: summary.rows, accepted: summary.accepted, rejected: summary.rejected, issues: summary.errors + summary.warnings }, t0);
  fs.rmSync(out, { recursive: true, force: true });
}

async function exceljsStream(file) {
  const { default: ExcelJS } = await import('exceljs');
  const t0 = process.hrtime.bigint();
  const rows = [];
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'ignore', worksheets: 'emit', entries: 'emit' });
  for await (const sheet of reader) {
    for await (const row of sheet) rows.push(row.values);
  }
  report({ rows: rows.length }, t0);
}

async function sheetjs(file) {
  const XLSX = await import('@e965/xlsx');
  const t0 = process.hrtime.bigint();
  const wb = XLSX.read(fs.readFileSync(file), { type: 'buffer', dense: true });
  const rows = XLSX.utils.sheet_to_json(wb.Sheets['Dữ liệu'], { header: 1, raw: true });
  report({ rows: rows.length }, t0);
}

async function makeWorkbook(file) {
  const { createWorkbook } = await import(dist('workbook/generate.js'));
  const samples = JSON.parse(fs.readFileSync(path.join(root, 'samples/score-sheet.json'), 'utf8'));
  const records = [];
  for (let i = 0; i < ROWS; i++) {
    const s = structuredClone(samples[i % samples.length]);
    s.person.fullName = `${s.person.fullName} ${i}`;
    s.person.idNumber = String(100_000_000_000 + i).padStart(12, '0');
    // One row in ten carries a mistake, as real returns do: a total that is not the sum of its parts.
    if (i % 10 === 7) s.scores.total = (s.scores.total ?? 0) + 1;
    records.push(s);
  }
  const { buffer } = await createWorkbook('score-sheet', { records, unit: 'Đảng bộ phường (bench)' });
  fs.writeFileSync(file, buffer);
}

const [mode, file] = process.argv.slice(2);
if (mode === 'ours') await ours(file);
else if (mode === 'exceljs') await exceljsStream(file);
else if (mode === 'sheetjs') await sheetjs(file);
else if (mode === 'make') await makeWorkbook(file);
else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bieumau-bench-'));
  const book = path.join(dir, `score-sheet-${ROWS}.xlsx`);
  const run = (m, heap) => {
    const args = [...(heap ? [`--max-old-space-size=${heap}`] : []), fileURLToPath(import.meta.url), m, book];
    const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) throw new Error(`${m} failed: ${r.stderr.slice(-2000)}`);
    return r.stdout ? JSON.parse(r.stdout) : undefined;
  };
  const t0 = Date.now();
  run('make', 4096);
  const generateSeconds = (Date.now() - t0) / 1000;
  // The machine is shared: the readers take turns, several times, and each keeps its fastest run (its peak RSS is
  // the highest seen, to stay on the safe side).
  const runs = { exceljs: [], sheetjs: [], ours: [] };
  for (let i = 0; i < RUNS; i++) for (const m of Object.keys(runs)) runs[m].push(run(m));
  const best = (list) => ({ ...list.reduce((a, b) => (b.seconds < a.seconds ? b : a)), peakRssMB: Math.max(...list.map((r) => r.peakRssMB)), runs: list.map((r) => Number(r.seconds.toFixed(2))) });
  const floor = best(runs.exceljs);
  const sheet = best(runs.sheetjs);
  const mine = best(runs.ours);
  const ratio = mine.seconds / floor.seconds;
  console.log(
    JSON.stringify({
      bench: 'ingest',
      rows: ROWS,
      fileMB: fs.statSync(book).size / 1024 / 1024,
      generateSeconds,
      ours: mine,
      exceljsStream: floor,
      sheetjs: sheet,
      timeRatioToFloor: ratio,
      cpuRatioToFloor: Math.min(...runs.ours.map((r) => r.cpuSeconds)) / Math.min(...runs.exceljs.map((r) => r.cpuSeconds)),
      targets: { timeRatio: TARGET_RATIO, peakRssMB: TARGET_MB },
      pass: { time: ratio <= TARGET_RATIO, memory: mine.peakRssMB <= TARGET_MB },
    }),
  );
  fs.rmSync(dir, { recursive: true, force: true });
}
