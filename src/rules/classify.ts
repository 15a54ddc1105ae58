// Applies a rule set to a score and its conditions: which level the data allows, and why.
import type { CompareOp, LevelRule, RuleCondition, RuleSet, TriggerRule } from './types.js';

export type Metrics = Record<string, number | boolean | undefined>;

export interface ClassifyInput {
  total: number;
  metrics: Metrics;
  category?: string;
}

export interface LevelAssessment {
  level: LevelRule;
  /** The total reaches the level's score band. */
  scoreOk: boolean;
  /** Conditions whose metric is present and fails. */
  failed: RuleCondition[];
  /** Conditions whose metric is absent. */
  unknown: RuleCondition[];
}

export interface ClassifyResult {
  /** Best level whose score band holds, whose conditions all hold and that no trigger forbids. */
  allowed: LevelRule;
  /** Best level the score alone reaches (ignoring conditions and triggers). */
  byScore: LevelRule;
  /** Triggers that hold. */
  triggers: TriggerRule[];
  assessments: LevelAssessment[];
}

export function compare(a: number | boolean, op: CompareOp, b: number | boolean): boolean {
  switch (op) {
    case '>=':
      return a >= b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    case '<':
      return a < b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

function applies(c: RuleCondition, category: string | undefined): boolean {
  return !c.appliesTo || (category !== undefined && (c.appliesTo as string[]).includes(category));
}

/**
 * A sum of points as written: points have at most a few decimals, and their floating-point sum is rounded to 6
 * places, so that 25.1 + 65.2 is 90.3 (not 90.30000000000001) and totals that are equal compare equal.
 */
export function roundPoints(sum: number): number {
  return Math.round(sum * 1e6) / 1e6;
}

/** Score comparison on the exact value: thresholds are never compared with a rounded score. */
export function scoreReaches(level: LevelRule, total: number): boolean {
  if (level.minScore === undefined) return true;
  return compare(total, level.op ?? '>=', level.minScore);
}

const levelIndices = new WeakMap<RuleSet, Map<string, number>>();

/** Position of a level code in the rule set's levels (best first), -1 when it is not one of them. */
export function levelIndex(rules: RuleSet, code: string): number {
  let indices = levelIndices.get(rules);
  if (!indices) {
    indices = new Map();
    // The first of a repeated code wins, as a search from the best level would find it.
    for (let i = rules.levels.length - 1; i >= 0; i--) indices.set(rules.levels[i]!.code, i);
    levelIndices.set(rules, indices);
  }
  return indices.get(code) ?? -1;
}

const metricNames = new WeakMap<RuleSet, string[]>();

/**
 * The metrics a rule set reads, each taken from the first source that has it. Cheaper than spreading the
 * sources into one object (a record's conditions block may hold anything) and the same for `classify`.
 */
export function pickMetrics(rules: RuleSet, ...sources: Metrics[]): Metrics {
  let names = metricNames.get(rules);
  if (!names) {
    names = [...new Set([...rules.triggers.map((t) => t.metric), ...rules.levels.flatMap((l) => l.conditions.map((c) => c.metric))])];
    metricNames.set(rules, names);
  }
  const out: Metrics = {};
  for (const name of names) {
    for (const source of sources) {
      if (Object.prototype.hasOwnProperty.call(source, name)) {
        out[name] = source[name];
        break;
      }
    }
  }
  return out;
}

export function classify(rules: RuleSet, input: ClassifyInput): ClassifyResult {
  // Plain loops: this runs for every record validated.
  const { metrics, category, total } = input;
  const triggers: TriggerRule[] = [];
  let capIndex = 0;
  for (const t of rules.triggers) {
    if (!applies(t, category)) continue;
    const v = metrics[t.metric];
    if (v === undefined || !compare(v, t.op, t.value)) continue;
    triggers.push(t);
    capIndex = Math.max(capIndex, levelIndex(rules, t.level));
  }
  const lowest = rules.levels[rules.levels.length - 1]!;
  let byScore: LevelRule | undefined;
  let allowed: LevelRule | undefined;
  const assessments: LevelAssessment[] = [];
  for (let i = 0; i < rules.levels.length; i++) {
    const level = rules.levels[i]!;
    const failed: RuleCondition[] = [];
    const unknown: RuleCondition[] = [];
    for (const c of level.conditions) {
      if (!applies(c, category)) continue;
      const v = metrics[c.metric];
      if (v === undefined) unknown.push(c);
      else if (!compare(v, c.op, c.value)) failed.push(c);
    }
    const scoreOk = scoreReaches(level, total);
    if (scoreOk) byScore ??= level;
    if (!allowed && i >= capIndex && scoreOk && failed.length === 0 && unknown.length === 0) allowed = level;
    assessments.push({ level, scoreOk, failed, unknown });
  }
  return { allowed: allowed ?? lowest, byScore: byScore ?? lowest, triggers, assessments };
}

/** The score band of a level as text, e.g. "từ 90 điểm" / "trên 80 điểm", for messages. */
export function bandText(level: LevelRule, lang: 'vi' | 'en', fmt: (n: number) => string): string {
  if (level.minScore === undefined) return lang === 'vi' ? 'không có ngưỡng điểm' : 'no score threshold';
  const strict = (level.op ?? '>=') === '>';
  if (lang === 'vi') return `${strict ? 'trên' : 'từ'} ${fmt(level.minScore)} điểm`;
  return `${strict ? 'more than' : 'at least'} ${fmt(level.minScore)} points`;
}
