// Benchmark: validating score-sheet records streamed from NDJSON — records/s and peak RSS at two batch sizes.
// Each size runs in its own child process so peak RSS is that run's alone. Prints one JSON line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'dist', p);
const HEAP_CAP_MB = 64;
const RUNS = Number(process.env.BENCH_VALIDATE_RUNS ?? 3);

/** The floor: reading, decoding and JSON-parsing the same lines with nothing else. */
async function floor(file) {
  const readline = await import('node:readline');
  let n = 0;
  const t0 = process.hrtime.bigint();
  for await (const line of readline.createInterface({ input: fs.createReadStream(file, { highWaterMark: 1 << 20 }) })) {
    if (line) {
      JSON.parse(line);
      n++;
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  process.stdout.write(JSON.stringify({ records: n, seconds, perSecond: n / seconds, peakRssMB: process.resourceUsage().maxRSS / 1024 }));
}

async function child(file) {
  const { readRecordBatches } = await import(dist('io/records.js'));
  const { loadRegistry } = await import(dist('forms/registry.js'));
  const { loadRules } = await import(dist('rules/registry.js'));
  const { FormValidator } = await import(dist('validate/validator.js'));
  const registry = loadRegistry();
  const validator = new FormValidator(registry, loadRules(registry.ruleDirs));
  validator.prepare('score-sheet');
  let n = 0;
  let invalid = 0;
  const t0 = process.hrtime.bigint();
  // The loop of `bieumau validate`.
  for await (const batch of readRecordBatches(file)) {
    for (const entry of batch) {
      n++;
      if (entry.kind !== 'record' || !validator.validate('score-sheet', entry.value).ok) invalid++;
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rusage = process.resourceUsage();
  // What the run still holds once garbage is collected (run with --expose-gc): flat in the record count if nothing
  // is kept per record.
  globalThis.gc?.();
  const liveHeapMB = process.memoryUsage().heapUsed / 1048576;
  process.stdout.write(JSON.stringify({ records: n, invalid, seconds, perSecond: n / seconds, peakRssMB: rusage.maxRSS / 1024, liveHeapMB }));
}

function makeData(file, count, compact = false) {
  const samples = JSON.parse(fs.readFileSync(path.join(root, 'samples/score-sheet.json'), 'utf8'));
  const fd = fs.openSync(file, 'w');
  const lines = [];
  for (let i = 0; i < count; i++) {
    const s = structuredClone(samples[i % samples.length]);
    s.person.fullName = `${s.person.fullName} ${i}`;
    if (compact) {
      // The columns of a returned data-collection workbook: no criteria breakdown, no task annex.
      delete s.criteria;
      delete s.taskResults;
    }
    if (i % 10 === 7) s.scores.total = (s.scores.total ?? 0) + 1; // one in ten carries an error, as real returns do
    lines.push(JSON.stringify(s));
    if (lines.length === 5000) {
      fs.writeSync(fd, `${lines.join('\n')}\n`);
      lines.length = 0;
    }
  }
  if (lines.length) fs.writeSync(fd, `${lines.join('\n')}\n`);
  fs.closeSync(fd);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]);
} else if (process.argv[2] === '--floor') {
  await floor(process.argv[3]);
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bieumau-bench-'));
  const results = {};
  /**
   * One measurement in its own process. The machine is shared: each is taken RUNS times, the runs taking turns,
   * and keeps its fastest (its peak RSS the highest seen, to stay on the safe side).
   */
  const measure = (mode, file, flags = []) => {
    const r = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), mode, file], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout);
  };
  const best = (list) => ({ ...list.reduce((a, b) => (b.perSecond > a.perSecond ? b : a)), peakRssMB: Math.max(...list.map((r) => r.peakRssMB)), runs: list.map((r) => Math.round(r.perSecond)) });
  const files = {};
  for (const count of [10_000, 100_000]) {
    files[count] = path.join(dir, `score-sheet-${count}.ndjson`);
    makeData(files[count], count);
  }
  files.compact = path.join(dir, 'compact.ndjson');
  makeData(files.compact, 100_000, true);
  const runs = { small: [], big: [], capped: [], floor: [], compact: [] };
  for (let i = 0; i < RUNS; i++) {
    runs.small.push(measure('--child', files[10_000], ['--expose-gc']));
    runs.big.push(measure('--child', files[100_000], ['--expose-gc']));
    // The same run with the JavaScript heap capped: it completes, so what it keeps does not grow with the input.
    runs.capped.push(measure('--child', files[100_000], [`--max-old-space-size=${HEAP_CAP_MB}`]));
    runs.floor.push(measure('--floor', files[100_000]));
    runs.compact.push(measure('--child', files.compact));
  }
  results[10_000] = best(runs.small);
  results[100_000] = best(runs.big);
  results.capped = best(runs.capped);
  results.floor = best(runs.floor);
  results.compact = { ...best(runs.compact), bytesPerRecord: Math.round(fs.statSync(files.compact).size / 100_000) };
  results.bytesPerRecord = Math.round(fs.statSync(files[100_000]).size / 100_000);
  fs.rmSync(dir, { recursive: true, force: true });
  const big = results[100_000];
  console.log(
    JSON.stringify({
      bench: 'validate',
      what: 'score-sheet NDJSON streamed through normalise + ajv + checks, one process',
      records: big.records,
      recordsPerSecond: Math.round(big.perSecond),
      runs: big.runs,
      targetRecordsPerSecond: 50_000,
      ratioToTarget: +(big.perSecond / 50_000).toFixed(2),
      peakRssMB_10k: Math.round(results[10_000].peakRssMB),
      peakRssMB_100k: Math.round(big.peakRssMB),
      liveHeapMB_10k: +results[10_000].liveHeapMB.toFixed(1),
      liveHeapMB_100k: +big.liveHeapMB.toFixed(1),
      heapCapMB_100k: HEAP_CAP_MB,
      peakRssMB_100k_heapCapped: Math.round(results.capped.peakRssMB),
      recordsPerSecond_100k_heapCapped: Math.round(results.capped.perSecond),
      invalidRecords: big.invalid,
      bytesPerRecord: results.bytesPerRecord,
      floorRecordsPerSecond: Math.round(results.floor.perSecond),
      floorWhat: 'readline + JSON.parse of the same file, nothing else',
      ratioToFloor: +(big.perSecond / results.floor.perSecond).toFixed(2),
      compactRecordsPerSecond: Math.round(results.compact.perSecond),
      compactBytesPerRecord: results.compact.bytesPerRecord,
      compactRatioToTarget: +(results.compact.perSecond / 50_000).toFixed(2),
    }),
  );
}
