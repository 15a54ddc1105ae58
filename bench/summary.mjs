// Benchmark: summarising score-sheet records streamed from NDJSON (counts, shares, quota check with the people
// over named) — records/s and peak RSS at 100,000 and 1,000,000 records, each size in its own process, against
// the floor of reading and JSON-parsing the same lines. Prints one JSON line. Run `npx tsc -p .` first.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'dist', p);
const SIZES = [100_000, 1_000_000];
const UNITS = 400;
const HEAP_CAP_MB = 48;
const GROUPS = ['Lãnh đạo, quản lý', 'Công chức chuyên môn, nghiệp vụ', 'Đảng viên không giữ chức vụ'];

/** The read + parse floor: the same file through readline and JSON.parse, nothing else. */
async function floor(file) {
  const readline = await import('node:readline');
  let n = 0;
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  for await (const line of readline.createInterface({ input: fs.createReadStream(file, { highWaterMark: 1 << 20 }) })) {
    if (line) {
      JSON.parse(line);
      n++;
    }
  }
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  process.stdout.write(JSON.stringify({ records: n, seconds, perSecond: n / seconds, perCpuSecond: n / cpuSeconds, peakRssMB: process.resourceUsage().maxRSS / 1024 }));
}

async function child(file) {
  const { summarize, fileSource } = await import(dist('summary/summarize.js'));
  const { loadRules } = await import(dist('rules/registry.js'));
  const rules = loadRules().get('qd366-2025');
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const s = await summarize(fileSource([file]), { rules });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const failing = s.quota.checks.filter((c) => !c.pass);
  process.stdout.write(
    JSON.stringify({
      records: s.records.read,
      counted: s.records.counted,
      units: s.units.length,
      quotaGroups: s.quota.checks.length,
      failingGroups: failing.length,
      namedOver: failing.reduce((n, c) => n + c.over.length, 0),
      secondPass: s.quota.secondPass,
      seconds,
      perSecond: s.records.read / seconds,
      perCpuSecond: s.records.read / cpuSeconds,
      peakRssMB: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

/**
 * Records as `ingest` accepts them from a returned workbook (no criteria breakdown or task annex): 400 units,
 * 3 comparable groups, about 12 % proposed excellent, a few groups over the quota, 2 % not yet classified.
 */
function makeData(file, count) {
  const fd = fs.openSync(file, 'w');
  const lines = [];
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < count; i++) {
    const u = i % UNITS;
    const g = GROUPS[(i >> 3) % GROUPS.length];
    const r = rand();
    // Units 0–19 propose more excellent people than their quota allows.
    const excellent = u < 20 ? 0.3 : 0.1;
    const level = r < 0.02 ? null : r < 0.02 + excellent ? 'HTXSNV' : r < 0.9 ? 'HTTNV' : r < 0.97 ? 'HTNV' : 'KHTNV';
    const total = level === 'HTXSNV' ? 90 + Math.round(rand() * 40) / 4 : level === 'HTTNV' ? 70 + Math.round(rand() * 76) / 4 : level === 'HTNV' ? 50 + Math.round(rand() * 76) / 4 : 40;
    const general = Math.min(30, Math.round(total * 0.3 * 4) / 4);
    const record = {
      header: { parentBody: 'ĐẢNG BỘ TỈNH TUYÊN QUANG', issuingBody: `CHI BỘ SỐ ${u + 1}`, place: 'Tuyên Quang', date: '2025-12-15' },
      period: { kind: 'year', year: 2025 },
      person: {
        fullName: `Nguyễn Thị Phương Thảo ${i}`,
        dateOfBirth: '1984-07-21',
        idNumber: String(8000000000 + i).padStart(12, '0'),
        post: 'Chuyên viên phòng Tổ chức - Hành chính',
        unit: `Chi bộ cơ quan số ${u + 1} - Đảng bộ các cơ quan tỉnh`,
        partyCell: `Chi bộ số ${u + 1}`,
        category: g === GROUPS[0] ? 'leader' : 'staff',
        comparableGroup: g,
      },
      scores: { general, tasks: Math.round((total - general) * 100) / 100, total },
      verifiedScores: { general, tasks: Math.round((total - general) * 100) / 100, total },
      conditions: { tasksCompletedPct: 100, tasksOnTimePct: 100, tasksExceededPct: level === 'HTXSNV' ? 40 : 10, disciplined: false, degraded: false },
      levels: level ? { proposed: level, ...(i % 2 ? { verified: level } : {}), ...(i % 4 === 1 ? { decided: level } : {}) } : {},
    };
    lines.push(JSON.stringify(record));
    if (lines.length === 5000) {
      fs.writeSync(fd, `${lines.join('\n')}\n`);
      lines.length = 0;
    }
  }
  if (lines.length) fs.writeSync(fd, `${lines.join('\n')}\n`);
  fs.closeSync(fd);
}

function spawn(args, flags = []) {
  const r = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout);
}

if (process.argv[2] === '--child') {
  await child(process.argv[3]);
} else if (process.argv[2] === '--floor') {
  await floor(process.argv[3]);
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bieumau-bench-summary-'));
  try {
    const results = {};
    for (const count of SIZES) {
      const file = path.join(dir, `records-${count}.ndjson`);
      makeData(file, count);
      results[count] = { ...spawn(['--child', file]), bytesPerRecord: Math.round(fs.statSync(file).size / count) };
      if (count === SIZES[SIZES.length - 1]) {
        results.floor = spawn(['--floor', file]);
        // The same run with the JavaScript heap capped: it completes, so what it keeps does not grow with the input.
        results.capped = spawn(['--child', file], [`--max-old-space-size=${HEAP_CAP_MB}`]);
      }
      fs.rmSync(file);
    }
    const big = results[SIZES[1]];
    const small = results[SIZES[0]];
    console.log(
      JSON.stringify({
        bench: 'summary',
        what: 'score-sheet NDJSON streamed into counts per unit/group, shares, quota check naming those over; one process',
        records: big.records,
        recordsPerSecond: Math.round(big.perSecond),
        targetRecordsPerSecond: 200_000,
        ratioToTarget: +(big.perSecond / 200_000).toFixed(2),
        // The machine is shared: records per second of CPU time the process used is the less noisy figure.
        recordsPerCpuSecond: Math.round(big.perCpuSecond),
        peakRssMB_100k: Math.round(small.peakRssMB),
        peakRssMB_1M: Math.round(big.peakRssMB),
        heapCapMB_1M: HEAP_CAP_MB,
        peakRssMB_1M_heapCapped: Math.round(results.capped.peakRssMB),
        recordsPerSecond_1M_heapCapped: Math.round(results.capped.perSecond),
        recordsPerSecond_100k: Math.round(small.perSecond),
        bytesPerRecord: big.bytesPerRecord,
        quotaGroups: big.quotaGroups,
        failingGroups: big.failingGroups,
        namedOver: big.namedOver,
        secondPass: big.secondPass,
        floorRecordsPerSecond: Math.round(results.floor.perSecond),
        floorWhat: 'readline + JSON.parse of the same file, nothing else',
        ratioToFloor: +(big.perSecond / results.floor.perSecond).toFixed(2),
        floorRecordsPerCpuSecond: Math.round(results.floor.perCpuSecond),
        loadAverage: +os.loadavg()[0].toFixed(2),
      }),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
