// The summary against an answer worked out here from the rule set's own text (quota, display, level bands),
// never from the code under test: every count, every printed share and every verdict, under two rule sets.
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/registry.js';
import type { RoundingMode } from '../../src/rules/format.js';
import type { RuleSet } from '../../src/rules/types.js';
import fs from 'node:fs';
import path from 'node:path';
import { arraySource, fileSource, summarize, type RecordSource } from '../../src/summary/summarize.js';
import { tmpDir } from '../support/tools.js';
import type { CountRow, QuotaGrant, Summary } from '../../src/summary/types.js';
import { CODES, GROUPS, people, UNITS, type Code, type Person } from './fixture.js';

const registry = loadRules();
const EXCEPTION: QuotaGrant = { unit: UNITS[1], group: GROUPS[0], decision: 'Công văn số 15-CV/ĐU ngày 05/01/2026 của Đảng ủy phường' };

// ---- the answer, from the rule's text ----------------------------------------------------------------------

/** n × 10^k / d rounded by `mode` (non-negative integers only; the modes the shipped rule sets use). */
function roundDiv(n: bigint, d: bigint, mode: RoundingMode): bigint {
  const q = n / d;
  const r = n % d;
  if (r === 0n) return q;
  if (mode === 'floor' || mode === 'truncate') return q;
  if (mode === 'ceil') return q + 1n;
  if (mode === 'half-up') return 2n * r >= d ? q + 1n : q;
  throw new Error(`the test does not know rounding ${mode}`);
}

/** "14,29": count/of as a percentage printed the way the rule set's display says. */
function percentText(count: number, of: number, rules: RuleSet): string {
  const { decimals, rounding, trimZeros } = rules.display.percent;
  const scaled = roundDiv(BigInt(count) * 100n * 10n ** BigInt(decimals), BigInt(of), rounding).toString().padStart(decimals + 1, '0');
  const int = scaled.slice(0, scaled.length - decimals);
  let frac = scaled.slice(scaled.length - decimals);
  if (trimZeros) frac = frac.replace(/0+$/, '');
  return frac ? `${int}${rules.display.locale.decimalSeparator}${frac}` : int;
}

function shareText(count: number, of: number, rules: RuleSet): string {
  return of === 0 ? `${count}/0 (—)` : `${count}/${of} (${percentText(count, of, rules)}%)`;
}

/** The quota rule: floor/half-up/ceil of base × pct / 100. */
function ceilingOf(base: number, pct: number, rules: RuleSet): number {
  return Number(roundDiv(BigInt(base) * BigInt(pct), 100n, rules.quota!.rounding));
}

function countsOf(list: Person[]): Record<Code | 'unclassified', number> {
  const out = { HTXSNV: 0, HTTNV: 0, HTNV: 0, KHTNV: 0, unclassified: 0 };
  for (const p of list) out[p.counted ?? 'unclassified']++;
  return out;
}

function baseOf(counts: Record<string, number>, rules: RuleSet): number {
  const q = rules.quota!;
  if (q.base === 'good') return counts[q.goodLevel]!;
  const good = rules.levels.findIndex((l) => l.code === q.goodLevel);
  return rules.levels.slice(0, good + 1).reduce((s, l) => s + counts[l.code]!, 0);
}

function expectRow(row: CountRow | undefined, list: Person[], rules: RuleSet): void {
  expect(row).toBeDefined();
  const counts = countsOf(list);
  expect(row!.evaluated).toBe(list.length);
  for (const code of [...CODES, 'unclassified'] as const) {
    expect(row!.counts[code], `${row!.name} ${code}`).toBe(counts[code]);
    expect(row!.shares[code]!.text, `${row!.name} ${code}`).toBe(shareText(counts[code], list.length, rules));
  }
  // The levels and the unclassified add up to the number evaluated.
  expect(Object.values(row!.counts).reduce((a, b) => a + b, 0)).toBe(row!.evaluated);
  expect(row!.excellent!.ofEvaluated.text).toBe(shareText(counts.HTXSNV, list.length, rules));
  expect(row!.excellent!.ofBase.text).toBe(shareText(counts.HTXSNV, baseOf(counts, rules), rules));
}

/** Does the score fall short of the level's band ("từ" ≥, "trên" >) in this rule set? */
function belowBand(p: Person, rules: RuleSet): boolean {
  const level = rules.levels.find((l) => l.code === p.counted);
  if (!level || level.minScore === undefined) return false;
  return (level.op ?? '>=') === '>' ? !(p.score > level.minScore) : !(p.score >= level.minScore);
}

async function run(rules: RuleSet, extra: { candidateBuffer?: number; grants?: QuotaGrant[] } = {}): Promise<{ summary: Summary; all: Person[] }> {
  const all = people();
  const summary = await summarize(arraySource(all.map((p) => p.record)), { rules, grants: extra.grants ?? [EXCEPTION], ...extra });
  return { summary, all };
}

describe.each(['qd366-2025', 'hp212-2025'])('summary under %s', (id) => {
  const rules = registry.get(id);

  it('records the rule set and the level counted', async () => {
    const { summary, all } = await run(rules);
    expect(summary.ruleSet).toMatchObject({ id: rules.id, version: rules.version });
    expect(summary.levelOrder).toEqual(['decided', 'verified', 'proposed']);
    expect(summary.levelBasis.vi).toMatch(/^Tính theo mức cấp có thẩm quyền quyết định; nếu chưa có thì mức đề xuất của cơ quan thẩm định; nếu chưa có thì mức tự đề xuất/);
    expect(summary.records).toMatchObject({ read: all.length, counted: all.length, rejected: 0 });
    const bySource = summary.records.bySource;
    expect(bySource.none).toBe(all.filter((p) => p.counted === null).length);
    expect(bySource.decided + bySource.verified + bySource.proposed + bySource.none).toBe(all.length);
  });

  it('counts every level per unit, per comparable group and in total, with shares printed the rule set’s way', async () => {
    const { summary, all } = await run(rules);
    expect(summary.units.map((u) => u.name)).toEqual([...UNITS]);
    for (const unit of UNITS) expectRow(summary.units.find((u) => u.name === unit), all.filter((p) => p.unit === unit), rules);
    expect(summary.groups.map((g) => g.name)).toEqual([...GROUPS]);
    for (const group of GROUPS) expectRow(summary.groups.find((g) => g.name === group), all.filter((p) => p.group === group), rules);
    expectRow(summary.total, all, rules);
    // People without a level are shown, not dropped.
    expect(summary.total.counts.unclassified).toBe(3);
  });

  it('checks the quota in each comparable group of each unit: base, ceiling, verdict, and who is over', async () => {
    const { summary, all } = await run(rules);
    const q = rules.quota!;
    expect(summary.quota).toMatchObject({ level: q.level, baseRule: q.base, ceilingPct: q.ceilingPct, rounding: q.rounding, groupBy: q.groupBy });
    expect(q.groupBy).toEqual(['unit', 'comparableGroup']);
    const checks = summary.quota!.checks;
    expect(checks).toHaveLength(UNITS.length * GROUPS.length);
    const verdicts: string[] = [];
    for (const unit of UNITS) {
      for (const group of GROUPS) {
        const list = all.filter((p) => p.unit === unit && p.group === group);
        const counts = countsOf(list);
        const base = baseOf(counts, rules);
        const granted = EXCEPTION.unit === unit && EXCEPTION.group === group;
        const pct = granted ? q.exceptionCeilingPct : q.ceilingPct;
        const ceiling = ceilingOf(base, pct, rules);
        const check = checks.find((c) => c.unit === unit && c.group === group)!;
        expect(check, `${group} — ${unit}`).toMatchObject({ evaluated: list.length, base, ceilingPct: pct, ceiling, proposed: counts.HTXSNV, pass: counts.HTXSNV <= ceiling, overBy: Math.max(0, counts.HTXSNV - ceiling) });
        expect(check.share.text).toBe(shareText(counts.HTXSNV, base, rules));
        expect(check.exception?.decision).toBe(granted ? EXCEPTION.decision : undefined);
        // Over: the proposals ranked by score (the verifier's when the counted level is verified or decided).
        const ranked = list.filter((p) => p.counted === 'HTXSNV').sort((a, b) => b.score - a.score);
        expect(check.over.map((c) => c.name)).toEqual(counts.HTXSNV > ceiling ? ranked.slice(ceiling).map((p) => p.name) : []);
        const tie = counts.HTXSNV > ceiling && ceiling > 0 && ranked[ceiling - 1]!.score === ranked[ceiling]!.score;
        expect(check.tie !== undefined).toBe(tie);
        if (tie) expect(check.tie!.people.map((p) => p.name)).toEqual(ranked.filter((p) => p.score === ranked[ceiling]!.score).map((p) => p.name));
        verdicts.push(`${UNITS.indexOf(unit) + 1}.${GROUPS.indexOf(group) + 1} ${check.pass ? 'pass' : 'fail'} ${check.proposed}/${check.ceiling}`);
      }
    }
    // The cases the fixture was built for, as the rule reads: over, exactly at, saved by the 25 % exception,
    // with unclassified people, and over with a tie at the cut.
    expect(verdicts).toEqual(['1.1 fail 3/2', '1.2 pass 3/3', '2.1 pass 2/2', '2.2 pass 1/2', '3.1 pass 0/1', '3.2 fail 5/4']);
    expect(checks.find((c) => c.unit === UNITS[2] && c.group === GROUPS[1])!.tie!.people).toHaveLength(2);
    expect(summary.quota!.pass).toBe(false);
  });

  it('names the same people over when it must read the records a second time', async () => {
    const once = (await run(rules)).summary;
    const twice = (await run(rules, { candidateBuffer: 0 })).summary;
    expect(once.quota!.secondPass).toBe(false);
    expect(twice.quota!.secondPass).toBe(true);
    expect(twice.quota!.checks).toEqual(once.quota!.checks);
  });

  it('names the same people, at the same record and line, when the second pass reads back their NDJSON lines', async () => {
    // A BOM, CRLF line ends, blank lines and a line that is not JSON: indices and lines must still agree.
    const all = people();
    const lines = all.map((p) => JSON.stringify(p.record));
    const text = `\uFEFF${lines.slice(0, 10).join('\r\n')}\r\n\r\n   \n{"broken": \n${lines.slice(10, 60).join('\n')}\n\n${lines.slice(60).join('\n')}`;
    const dir = tmpDir('bieumau-summary-');
    const file = path.join(dir, 'fixture.ndjson');
    fs.writeFileSync(file, text);
    const once = await summarize(fileSource([file]), { rules, grants: [EXCEPTION] });
    const twice = await summarize(fileSource([file, file]), { rules, grants: [EXCEPTION], candidateBuffer: 0 });
    // The second pass reads back only the proposals' lines (places, not the whole file again).
    const source = fileSource([file]);
    const passes = { whole: 0, places: 0, records: 0 };
    const watched: RecordSource = Object.assign(
      () => {
        passes.whole++;
        return source();
      },
      {
        batches: () => {
          passes.whole++;
          return source.batches!();
        },
        at: async function* (places: Parameters<NonNullable<RecordSource['at']>>[0]) {
          passes.places++;
          for await (const e of source.at!(places)) {
            passes.records++;
            yield e;
          }
        },
      },
    );
    const skim = await summarize(watched, { rules, grants: [EXCEPTION], candidateBuffer: 0 });
    const failingProposals = once.quota!.checks.filter((c) => !c.pass).reduce((n, c) => n + c.proposed, 0);
    expect(passes).toEqual({ whole: 1, places: 1, records: failingProposals });
    expect(once.quota!.secondPass).toBe(false);
    expect(skim.quota!.secondPass).toBe(true);
    expect(skim.quota!.checks).toEqual(once.quota!.checks);
    expect(once.records).toMatchObject({ read: all.length + 1, rejected: 1 });
    const over = once.quota!.checks.flatMap((c) => c.over);
    expect(over.length).toBeGreaterThan(0);
    // A record's index counts the non-blank lines before it, as the reader numbers them.
    const fileLines = text.replace(/^\uFEFF/, '').split('\n');
    const indexOfLine = (line: number) => fileLines.slice(0, line - 1).filter((l) => l.trim() !== '').length;
    for (const c of over) {
      expect(fileLines[c.line! - 1]).toContain(JSON.stringify(c.name));
      expect(c.record).toBe(indexOfLine(c.line!));
    }
    // Two files: the second file's records follow the first's in numbering.
    const perFile = all.length + 1;
    const both = twice.quota!.checks.flatMap((c) => c.over);
    expect(both.some((c) => c.record >= perFile)).toBe(true);
    for (const c of both) expect(c.record).toBe(indexOfLine(c.line!) + (c.record >= perFile ? perFile : 0));
    expect(twice.records.read).toBe(2 * perFile);
  });

  it('stops with file-changed when a JSON file changes between the passes, instead of naming people from another file', async () => {
    const dir = tmpDir('bieumau-summary-changed-');
    const file = path.join(dir, 'records.json');
    const records = people().map((p) => p.record);
    fs.writeFileSync(file, JSON.stringify(records));
    const source = fileSource([file]);
    let passes = 0;
    const changing: RecordSource = () => {
      // Someone saves the file again, one record more at the top, while the summary is under way.
      if (++passes === 2) fs.writeFileSync(file, JSON.stringify([records[0], ...records]));
      return source();
    };
    await expect(summarize(changing, { rules, grants: [EXCEPTION], candidateBuffer: 0 })).rejects.toMatchObject({ code: 'file-changed' });
    expect(passes).toBe(2);
  });

  it('without the exception, the group at 2 for 8 is over', async () => {
    const { summary, all } = await run(rules, { grants: [] });
    const check = summary.quota!.checks.find((c) => c.unit === UNITS[1] && c.group === GROUPS[0])!;
    const list = all.filter((p) => p.unit === UNITS[1] && p.group === GROUPS[0]);
    expect(check.ceiling).toBe(ceilingOf(baseOf(countsOf(list), rules), rules.quota!.ceilingPct, rules));
    expect(check.pass).toBe(false);
    expect(check.exception).toBeUndefined();
  });

  it('warns where a counted level is above its score band under this rule set, and counts it as recorded', async () => {
    const { summary, all } = await run(rules);
    const expected = all.filter((p) => p.counted !== null && belowBand(p, rules));
    expect(summary.issues.byCode['summary-level-above-score'] ?? 0).toBe(expected.length);
    expect(summary.issues.list.filter((i) => i.code === 'summary-level-above-score').map((i) => i.name)).toEqual(expected.map((p) => p.name));
    expect(summary.issues.errors).toBe(0);
  });
});

describe('summary: the two rule sets differ where their texts differ', () => {
  it('Hải Phòng 212 ("trên 80", "trên 90") flags sheets QĐ 366 ("từ 70", "từ 90") accepts', async () => {
    const qd = (await run(registry.get('qd366-2025'))).summary;
    const hp = (await run(registry.get('hp212-2025'))).summary;
    expect(qd.issues.byCode['summary-level-above-score'] ?? 0).toBe(0);
    // 80, 75 and 70 points rated "tốt", and exactly 90 rated "xuất sắc", fall short of "trên".
    expect(hp.issues.byCode['summary-level-above-score']).toBeGreaterThan(0);
    expect(hp.issues.list.find((i) => i.code === 'summary-level-above-score')!.message).toMatch(/cần trên 80 điểm theo hp212-2025, nhưng tổng điểm là 80/);
    expect(hp.total.counts).toEqual(qd.total.counts);
  });
});

describe('summary: records that must not be counted as they stand', () => {
  const rules = registry.get('qd366-2025');
  const sheet = (name: string, id: string | undefined, level: Code, period = { kind: 'year', year: 2025 }) => ({
    period,
    person: { fullName: name, unit: UNITS[0], comparableGroup: GROUPS[1], ...(id ? { idNumber: id } : {}) },
    scores: { general: 25, tasks: 55, total: 80 },
    levels: { proposed: level },
  });

  it('a person sent twice for the same period is counted once, the second record named; another period is not a duplicate', async () => {
    const records = [sheet('Nguyễn Văn An', '001085012345', 'HTTNV'), sheet('Nguyễn Văn An', '001085012345', 'HTTNV'), sheet('Nguyễn Văn An', '001085012345', 'HTTNV', { kind: 'quarter', year: 2025, quarter: 1 } as never)];
    const s = await summarize(arraySource(records), { rules });
    expect(s.records).toMatchObject({ read: 3, counted: 2, rejected: 1 });
    expect(s.total.counts.HTTNV).toBe(2);
    const dup = s.issues.list.find((i) => i.code === 'summary-duplicate-person')!;
    expect(dup).toMatchObject({ severity: 'error', record: 1, name: 'Nguyễn Văn An' });
    expect(dup.message).toMatch(/bản ghi 1 trong cùng kỳ/);
  });

  it('the same name in the same unit without ID numbers is counted twice but flagged', async () => {
    const s = await summarize(arraySource([sheet('Trần Thị Bình', undefined, 'HTTNV'), sheet('Trần  Thị Bình ', undefined, 'HTNV'), sheet('Lê Thị Hòa', undefined, 'HTTNV'), sheet('LÊ THỊ HOÀ', undefined, 'HTTNV')]), { rules });
    expect(s.records.counted).toBe(4);
    expect(s.issues.list.filter((i) => i.code === 'summary-same-name').map((i) => i.record)).toEqual([1, 3]);
  });

  it('a record that is not an evaluation is refused; a person with no scores or levels is counted as unclassified', async () => {
    const s = await summarize(arraySource([{ foo: 1 }, { person: { fullName: 'Lê Văn C', unit: UNITS[0], comparableGroup: GROUPS[1] } }]), { rules });
    expect(s.records).toMatchObject({ read: 2, counted: 1, rejected: 1 });
    expect(s.issues.list.map((i) => `${i.record} ${i.code} ${i.severity}`)).toEqual(['0 summary-not-evaluation error', '1 summary-no-evaluation warning']);
    expect(s.total.counts.unclassified).toBe(1);
  });

  it('a total that is not the sum of its two groups is named', async () => {
    const r = { ...sheet('Phạm Văn D', '001085099999', 'HTTNV'), scores: { general: 25, tasks: 55, total: 81 } };
    const s = await summarize(arraySource([r]), { rules });
    const issue = s.issues.list.find((i) => i.code === 'summary-total-mismatch')!;
    expect(issue).toMatchObject({ severity: 'warning', pointer: '/scores/total' });
    expect(issue.message).toMatch(/Tổng điểm 81 khác tổng hai nhóm 25 \+ 55 = 80/);
  });

  it('totals left blank are their parts as written: 25,1 + 65,2 ties with 28,7 + 61,6 at the ceiling, and the tie is said', async () => {
    const excellent = (name: string, general: number, tasks: number) => ({ ...sheet(name, undefined, 'HTXSNV'), scores: { general, tasks } });
    // 5 "tốt" under a 20 % ceiling, rounded down: one "excellent" allowed, two proposed with the same 90,3.
    const records = [excellent('Bùi Văn Bình', 25.1, 65.2), excellent('Âu Thị Ánh', 28.7, 61.6), ...['A', 'B', 'C', 'D', 'E'].map((n) => sheet(`Tốt ${n}`, undefined, 'HTTNV'))];
    expect(25.1 + 65.2).not.toBe(28.7 + 61.6); // what floating point makes of them
    const s = await summarize(arraySource(records), { rules });
    const check = s.quota!.checks.find((c) => c.proposed === 2)!;
    expect(check).toMatchObject({ ceiling: 1, pass: false });
    // Equal scores rank by the order of the records: the second is over, and both are named as tied.
    expect(check.over.map((c) => c.name)).toEqual(['Âu Thị Ánh']);
    expect(check.tie?.score).toBe(90.3);
    expect(check.tie?.people.map((c) => c.name)).toEqual(['Bùi Văn Bình', 'Âu Thị Ánh']);
  });

  it('messages follow --lang; the names that go into the document stay Vietnamese', async () => {
    const s = await summarize(arraySource([{ person: { fullName: 'Lê Văn E' }, levels: { proposed: 'HTTNV' } }]), { rules, lang: 'en' });
    expect(s.units.map((u) => u.name)).toEqual(['(Chưa ghi đơn vị)']);
    expect(s.total.name).toBe('Tổng cộng');
    expect(s.levels[0]!.name).toBe('Hoàn thành xuất sắc nhiệm vụ');
    expect(s.issues.list.find((i) => i.code === 'summary-no-unit')!.message).toMatch(/^The unit is missing/);
  });
});

describe('summary: one unit written several ways', () => {
  const rules = registry.get('qd366-2025');
  const spell = ['CHI BỘ UỶ BAN NHÂN DÂN PHƯỜNG', 'Chi bộ Uỷ ban nhân dân phường'.normalize('NFD'), 'chi bộ  ủy ban nhân dân phường '];

  it('is counted as one unit under its first spelling, with the same counts and quota as if written one way, and said once', async () => {
    const list = people();
    const plain = await summarize(arraySource(list.map((p) => p.record)), { rules, grants: [EXCEPTION] });
    let k = 0;
    const respelled = list.map((p, i) => {
      if (p.unit !== UNITS[0] || i === list.findIndex((q) => q.unit === UNITS[0])) return p.record;
      const r = structuredClone(p.record) as { person: { unit: string } };
      r.person.unit = spell[k++ % spell.length]!;
      return r;
    });
    const s = await summarize(arraySource(respelled), { rules, grants: [EXCEPTION] });
    expect(s.units).toEqual(plain.units);
    expect(s.quota.checks).toEqual(plain.quota.checks);
    const merged = s.issues.list.filter((i) => i.code === 'summary-spellings-merged');
    expect(merged).toHaveLength(1);
    expect(merged[0]!.message).toContain(`Đơn vị "${UNITS[0]}" còn được ghi là "CHI BỘ UỶ BAN NHÂN DÂN PHƯỜNG"`);
  });

  it('an exception grant applies to the unit however either is spelled, whichever spelling comes first', async () => {
    const list = people();
    const plain = await summarize(arraySource(list.map((p) => p.record)), { rules, grants: [EXCEPTION] });
    const granted = plain.quota.checks.find((c) => c.exception)!;
    expect(granted.unit).toBe(UNITS[1]);
    // The unit written another way in every record, and the grant written a third way.
    const other = (r: Record<string, unknown>) => {
      const c = structuredClone(r) as { person: { unit: string } };
      if (c.person.unit === UNITS[1]) c.person.unit = UNITS[1].toLocaleUpperCase('vi');
      return c;
    };
    const grant = { ...EXCEPTION, unit: `  ${UNITS[1]!.toLocaleLowerCase('vi').normalize('NFD')} ` };
    const s = await summarize(arraySource(list.map((p) => other(p.record))), { rules, grants: [grant] });
    const check = s.quota.checks.find((c) => c.unit === UNITS[1].toLocaleUpperCase('vi') && c.group === granted.group)!;
    expect(check).toMatchObject({ pass: granted.pass, ceiling: granted.ceiling, ceilingPct: granted.ceilingPct, exception: granted.exception });
    expect(s.issues.list.filter((i) => i.code === 'summary-grant-unused')).toEqual([]);
  });

  it('names differing in a letter or a diacritic stay apart', async () => {
    const sheet = (unit: string) => ({ person: { fullName: `Người ${unit}`, unit, comparableGroup: GROUPS[1] }, scores: { general: 25, tasks: 55, total: 80 }, levels: { proposed: 'HTTNV' } });
    const s = await summarize(arraySource(['Chi bộ số 1', 'Chi bộ số 2', 'Chi bộ Hải Dương', 'Chi bộ Hai Dương'].map(sheet)), { rules });
    expect(s.units.map((u) => u.name)).toEqual(['Chi bộ số 1', 'Chi bộ số 2', 'Chi bộ Hải Dương', 'Chi bộ Hai Dương']);
    expect(s.issues.list.filter((i) => i.code === 'summary-spellings-merged')).toEqual([]);
  });
});
