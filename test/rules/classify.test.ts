import { describe, expect, it } from 'vitest';
import { classify } from '../../src/rules/classify.js';
import { taskShares } from '../../src/rules/checks.js';
import { loadRules } from '../../src/rules/registry.js';
import { loadRuleSetFile } from '../../src/rules/registry.js';
import fs from 'node:fs';
import path from 'node:path';
import { tmpDir } from '../support/tools.js';

const rules = loadRules();
const allGood = { tasksOnTimePct: 100, tasksCompletedPct: 100, tasksExceededPct: 40, shortcomingsFixedPct: 100, tasksLatePct: 0, criteriaBelowStandardPct: 0 };

describe('classification under the shipped rule sets', () => {
  it('ships qd366-2025 (default), nd335-2025 and the Hải Phòng variant', () => {
    expect(rules.get().id).toBe('qd366-2025');
    expect(rules.list().map((r) => r.id).sort()).toEqual(['hp212-2025', 'nd335-2025', 'qd366-2025']);
  });

  it('QĐ 366: bands 90 / 70 / 50, compared on the exact value', () => {
    const q = rules.get('qd366-2025');
    expect(classify(q, { total: 90, metrics: allGood }).allowed.code).toBe('HTXSNV');
    expect(classify(q, { total: 89.99, metrics: allGood }).allowed.code).toBe('HTTNV');
    expect(classify(q, { total: 70, metrics: allGood }).allowed.code).toBe('HTTNV');
    expect(classify(q, { total: 69.99, metrics: allGood }).allowed.code).toBe('HTNV');
    expect(classify(q, { total: 49.99, metrics: allGood }).allowed.code).toBe('KHTNV');
  });

  it('the same score sheet is classified differently under QĐ 366 and Hải Phòng 212 ("trên 80" is strict)', () => {
    const input = { total: 80, metrics: allGood, category: 'staff' };
    expect(classify(rules.get('qd366-2025'), input).allowed.code).toBe('HTTNV');
    expect(classify(rules.get('hp212-2025'), input).allowed.code).toBe('HTNV');
    const at91 = { total: 91, metrics: { ...allGood, tasksExceededPct: 40 }, category: 'staff' };
    // QĐ 366 needs ≥ 30 % exceeded, Hải Phòng ≥ 50 %.
    expect(classify(rules.get('qd366-2025'), at91).allowed.code).toBe('HTXSNV');
    expect(classify(rules.get('hp212-2025'), at91).allowed.code).toBe('HTTNV');
  });

  it('an excellent score without 30 % of tasks exceeded is not excellent', () => {
    const r = classify(rules.get('qd366-2025'), { total: 95, metrics: { ...allGood, tasksExceededPct: 20 } });
    expect(r.byScore.code).toBe('HTXSNV');
    expect(r.allowed.code).toBe('HTTNV');
    expect(r.assessments[0]!.failed.map((c) => c.id)).toEqual(['exceeded-30']);
  });

  it('a trigger caps the level whatever the score; leader-only triggers spare staff', () => {
    const q = rules.get('qd366-2025');
    expect(classify(q, { total: 95, metrics: { ...allGood, disciplined: true } }).allowed.code).toBe('KHTNV');
    const lowConfidence = { ...allGood, lowConfidencePct: 60 };
    expect(classify(q, { total: 95, metrics: lowConfidence, category: 'leader' }).allowed.code).toBe('KHTNV');
    expect(classify(q, { total: 95, metrics: lowConfidence, category: 'staff' }).allowed.code).toBe('HTXSNV');
  });

  it('missing figures never grant a level: the condition stays unknown', () => {
    const r = classify(rules.get('qd366-2025'), { total: 95, metrics: {} });
    expect(r.allowed.code).toBe('KHTNV');
    expect(r.assessments[0]!.unknown.length).toBeGreaterThan(0);
  });
});

describe('a local variant is data only', () => {
  it('loads a new rule set from a folder and rejects an inconsistent one with a clear message', () => {
    const dir = tmpDir();
    const base = JSON.parse(fs.readFileSync(path.join('schemas/rules/qd366-2025.json'), 'utf8'));
    const local = { ...base, id: 'local-2026', levels: base.levels.map((l: { minScore?: number }) => (l.minScore === 90 ? { ...l, minScore: 95 } : l)) };
    fs.writeFileSync(path.join(dir, 'local-2026.json'), JSON.stringify(local));
    const reg = loadRules([path.join('schemas/rules'), dir]);
    expect(classify(reg.get('local-2026'), { total: 92, metrics: allGood }).allowed.code).toBe('HTTNV');

    const broken = { ...local, id: 'broken', levels: [...local.levels].reverse() };
    fs.writeFileSync(path.join(dir, 'broken.json'), JSON.stringify(broken));
    expect(() => loadRuleSetFile(path.join(dir, 'broken.json'))).toThrow(/best to worst|no minScore/);
    fs.writeFileSync(path.join(dir, 'broken.json'), JSON.stringify({ ...local, quota: { level: 'HTXSNV' } }));
    expect(() => loadRuleSetFile(path.join(dir, 'broken.json'))).toThrow(/malformed/);
  });
});

describe('shares shown by a task-results table', () => {
  it('counts completed, on time with quality, exceeded and late over the rated tasks', () => {
    const shares = taskShares([
      { task: 'A', schedule: 'early', quality: 'exceeded' },
      { task: 'B', schedule: 'on-time', quality: 'below' },
      { task: 'C', schedule: 'late', quality: 'met' },
      { task: 'D', schedule: 'not-done', quality: 'below' },
      { task: 'Chưa đánh giá' },
    ]);
    expect(shares).toEqual({ tasksExceededPct: 25, tasksCompletedPct: 75, tasksLatePct: 25, tasksOnTimePct: 25 });
  });
  it('says nothing it cannot see: no ratings, or a column left blank on some rows', () => {
    expect(taskShares([{ task: 'A' }])).toEqual({});
    expect(taskShares(undefined)).toEqual({});
    expect(taskShares([{ schedule: 'on-time' }, { schedule: 'late', quality: 'met' }])).toEqual({ tasksCompletedPct: 100, tasksLatePct: 50 });
  });
});
