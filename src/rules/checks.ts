// Evaluates a form's declared checks (x-form.checks): sums, maxima, levels against the rule set, dates.
import type { FormCheck } from '../forms/types.js';
import type { Lang } from '../i18n.js';
import { bindPointer, getAt, matchPointer } from '../pointer.js';
import { bandText, classify, levelIndex, pickMetrics, roundPoints, type ClassifyResult, type Metrics } from './classify.js';
import { EN_NUMBERS, formatNumber, VI_NUMBERS } from './format.js';
import type { RuleSet } from './types.js';

/** A check result before labels and messages are attached. */
export interface CheckFinding {
  code: string;
  severity: 'error' | 'warning';
  pointer: string;
  value?: unknown;
  params: Record<string, unknown>;
}

export interface CheckContext {
  rules: RuleSet;
  lang: Lang;
  /** Label path of a pointer in the current language, for messages that name other fields. */
  labelPath(pointer: string): string[];
}

/** Labels of `pointers` without the steps they share with `anchor`: "Điểm nhóm chung + Điểm nhiệm vụ". */
function relativeLabels(ctx: CheckContext, anchor: string, pointers: string[]): string {
  const base = ctx.labelPath(anchor);
  return pointers
    .map((p) => {
      const path = ctx.labelPath(p);
      let i = 0;
      while (i < path.length - 1 && i < base.length - 1 && path[i] === base[i]) i++;
      return path.slice(i).join(' › ');
    })
    .join(' + ');
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const SUM_TOLERANCE = 0.005;

export function formatPoints(n: number, lang: Lang): string {
  return formatNumber(n, { decimals: 2, rounding: 'half-up', trimZeros: true }, lang === 'vi' ? VI_NUMBERS : EN_NUMBERS);
}

function levelName(rules: RuleSet, code: string, lang: Lang): string {
  const level = rules.levels[levelIndex(rules, code)];
  if (!level) return code;
  return lang === 'vi' ? level.name : level.nameEn;
}

function sumCheck(record: unknown, check: Extract<FormCheck, { kind: 'sum' }>, ctx: CheckContext): CheckFinding[] {
  const out: CheckFinding[] = [];
  for (const target of matchPointer(record, check.target)) {
    if (!isNumber(target.value)) continue;
    const termPointers = check.terms.map((t) => bindPointer(t, target.indices));
    const values = termPointers.map((p) => getAt(record, p));
    if (!values.every(isNumber)) continue;
    const expected = roundPoints((values as number[]).reduce((a, b) => a + b, 0));
    if (Math.abs(expected - target.value) > (check.tolerance ?? SUM_TOLERANCE)) {
      out.push({
        code: 'sum-mismatch',
        severity: 'error',
        pointer: target.pointer,
        value: target.value,
        params: {
          expected: formatPoints(expected, ctx.lang),
          value: formatPoints(target.value, ctx.lang),
          terms: relativeLabels(ctx, target.pointer, termPointers),
        },
      });
    }
  }
  return out;
}

function sumItemsCheck(record: unknown, check: Extract<FormCheck, { kind: 'sum-items' }>, ctx: CheckContext): CheckFinding[] {
  const target = getAt(record, check.target);
  const items = getAt(record, check.items);
  if (!isNumber(target) || !Array.isArray(items) || items.length === 0) return [];
  let expected = 0;
  const blank: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    const v = it && typeof it === 'object' ? (it as Record<string, unknown>)[check.field] : undefined;
    if (v === undefined || v === null) blank.push(i);
    else if (!isNumber(v)) return [];
    else expected += v;
  }
  // No item has the field: the total stands alone. Some have it: a blank one leaves the total unchecked.
  if (blank.length === items.length) return [];
  if (blank.length > 0) {
    // "Nhiệm vụ 1" → "nhiệm vụ": the items named as the form names them.
    const others = (ctx.labelPath(`${check.items}/0`).at(-1) ?? '').replace(/ 1$/, '').toLocaleLowerCase('vi');
    const params = { others, target: ctx.labelPath(check.target).join(' › '), value: formatPoints(target, ctx.lang) };
    return blank.map((i) => ({ code: 'sum-item-missing', severity: 'error' as const, pointer: `${check.items}/${i}/${check.field}`, params }));
  }
  if (Math.abs(expected - target) <= (check.tolerance ?? SUM_TOLERANCE)) return [];
  return [
    {
      code: 'sum-mismatch',
      severity: 'error',
      pointer: check.target,
      value: target,
      params: {
        expected: formatPoints(expected, ctx.lang),
        value: formatPoints(target, ctx.lang),
        terms: `${relativeLabels(ctx, check.target, [`${check.items}/0/${check.field}`]).replace(/ 1(?= ›|$)/, '')} (${items.length})`,
      },
    },
  ];
}

function itemMaxCheck(record: unknown, check: Extract<FormCheck, { kind: 'item-max' }>, ctx: CheckContext): CheckFinding[] {
  const items = getAt(record, check.items);
  if (!Array.isArray(items)) return [];
  const out: CheckFinding[] = [];
  items.forEach((item, i) => {
    if (!item || typeof item !== 'object') return;
    const value = (item as Record<string, unknown>)[check.value];
    const max = (item as Record<string, unknown>)[check.max];
    if (isNumber(value) && isNumber(max) && value > max) {
      out.push({
        code: 'over-max',
        severity: 'error',
        pointer: `${check.items}/${i}/${check.value}`,
        value,
        params: { value: formatPoints(value, ctx.lang), limit: formatPoints(max, ctx.lang) },
      });
    }
  });
  return out;
}

function scorePartsCheck(record: unknown, check: Extract<FormCheck, { kind: 'score-parts' }>, ctx: CheckContext): CheckFinding[] {
  const out: CheckFinding[] = [];
  for (const part of ctx.rules.score.parts) {
    const pointer = check.parts[part.key];
    if (!pointer) continue;
    const value = getAt(record, pointer);
    if (isNumber(value) && value > part.max) {
      out.push({
        code: 'score-over-part-max',
        severity: 'error',
        pointer,
        value,
        params: { value: formatPoints(value, ctx.lang), limit: formatPoints(part.max, ctx.lang), rules: ctx.rules.id },
      });
    }
  }
  return out;
}

/** Metric keys of the conditions block that a task-results table can show. */
const TASK_METRICS = ['tasksCompletedPct', 'tasksOnTimePct', 'tasksExceededPct', 'tasksLatePct'] as const;
/** Declared and table shares closer than this (percentage points) agree: 1 task in 3 is 33,33 %. */
const SHARE_TOLERANCE = 0.5;

/**
 * The shares a task-results table shows, over the tasks with a schedule or a quality: completed (not "not done"),
 * on time with quality (early or on time, quality not below), exceeding requirements, behind schedule.
 */
type TaskShares = Partial<Record<(typeof TASK_METRICS)[number], number>>;

export function taskShares(tasks: unknown): TaskShares {
  if (!Array.isArray(tasks)) return {};
  // One pass (it runs for every record): counts over the rated tasks, and whether all of them say each thing.
  let rated = 0;
  let allSchedule = true;
  let allQuality = true;
  let completed = 0;
  let late = 0;
  let exceeded = 0;
  let onTime = 0;
  for (const t of tasks as unknown[]) {
    if (!t || typeof t !== 'object' || !('schedule' in t || 'quality' in t)) continue;
    rated++;
    const { schedule, quality } = t as { schedule?: unknown; quality?: unknown };
    if (typeof schedule === 'string') {
      if (schedule !== 'not-done') completed++;
      if (schedule === 'late') late++;
    } else allSchedule = false;
    if (typeof quality === 'string') {
      if (quality === 'exceeded') exceeded++;
    } else allQuality = false;
    if ((schedule === 'early' || schedule === 'on-time') && quality !== 'below') onTime++;
  }
  if (rated === 0) return {};
  const share = (count: number) => (100 * count) / rated;
  const out: TaskShares = {};
  if (allQuality) out.tasksExceededPct = share(exceeded);
  if (allSchedule) {
    out.tasksCompletedPct = share(completed);
    out.tasksLatePct = share(late);
    if (allQuality) out.tasksOnTimePct = share(onTime);
  }
  return out;
}

function scoresAt(record: unknown, where: string | string[]): { pointer: string; scores: Record<string, unknown> } | undefined {
  for (const pointer of Array.isArray(where) ? where : [where]) {
    const scores = getAt(record, pointer);
    if (scores && typeof scores === 'object' && !Array.isArray(scores)) return { pointer, scores: scores as Record<string, unknown> };
  }
  return undefined;
}

/** The sum of the score parts when every one is a number (a total left blank is their sum). */
function partsTotal(rules: RuleSet, scores: Record<string, unknown>): number | undefined {
  let total = 0;
  for (const part of rules.score.parts) {
    const v = scores[part.key];
    if (!isNumber(v)) return undefined;
    total += v;
  }
  return roundPoints(total);
}

interface LevelSubject {
  rules: RuleSet;
  lang: Lang;
  pointer: string;
  code: string;
  total: number;
  result: ClassifyResult;
  severity: 'error' | 'warning';
}

/** What is wrong with a level given the score and conditions: a trigger, the score band, unmet or unknown conditions. */
function levelFindings({ rules, lang, pointer, code, total, result, severity }: LevelSubject): CheckFinding[] {
  const at = levelIndex(rules, code);
  const assessment = result.assessments[at]!;
  const allowedAt = levelIndex(rules, result.allowed.code);
  // The usual record: its level is the one the data allows, nothing to say.
  if (result.triggers.length === 0 && assessment.scoreOk && assessment.failed.length === 0 && assessment.unknown.length === 0 && allowedAt >= at) return [];
  const name = levelName(rules, code, lang);
  const fmt = (n: number) => formatPoints(n, lang);
  const finding = (c: string, sev: 'error' | 'warning', params: Record<string, unknown>): CheckFinding => ({ code: c, severity: sev, pointer, value: code, params });
  const capIndex = result.triggers.reduce((w, t) => Math.max(w, levelIndex(rules, t.level)), 0);
  if (result.triggers.length > 0 && at < capIndex) {
    return [
      finding('level-trigger', severity, {
        level: name,
        trigger: result.triggers.map((t) => t.label[lang]).join('; '),
        allowed: levelName(rules, rules.levels[capIndex]!.code, lang),
        rules: rules.id,
      }),
    ];
  }
  if (!assessment.scoreOk) {
    return [finding('level-above-score', severity, { level: name, score: fmt(total), band: bandText(assessment.level, lang, fmt), allowed: levelName(rules, result.byScore.code, lang), rules: rules.id })];
  }
  if (assessment.failed.length > 0) {
    return [finding('level-conditions-unmet', severity, { level: name, failed: assessment.failed.map((c) => c.label[lang]).join('; '), rules: rules.id })];
  }
  const findings: CheckFinding[] = [];
  if (assessment.unknown.length > 0) findings.push(finding('level-condition-unknown', 'warning', { level: name, missing: assessment.unknown.map((c) => c.label[lang]).join('; ') }));
  if (allowedAt < at) findings.push(finding('level-below-allowed', 'warning', { level: name, allowed: levelName(rules, result.allowed.code, lang) }));
  return findings;
}

/** What the level checks of one record share: the proposed, verified and decided levels read the same table and scores. */
interface RecordMemo {
  /** The task shares, and the table they were read from (forms have one). */
  sharesOf?: string;
  shares?: TaskShares;
  /** A few entries per record: searched, not keyed by a string built from the score. */
  classified: Array<{ total: number; conditions?: string; tasks?: string; category?: string; result: ClassifyResult }>;
}

function levelCheck(record: unknown, check: Extract<FormCheck, { kind: 'level' }>, ctx: CheckContext, memo: RecordMemo): CheckFinding[] {
  const { rules, lang } = ctx;
  const code = getAt(record, check.level);
  if (typeof code !== 'string' || levelIndex(rules, code) < 0) return [];
  const found = scoresAt(record, check.scores);
  if (!found) return [];
  const { scores } = found;
  const total = isNumber(scores.total) ? scores.total : partsTotal(rules, scores);
  if (total === undefined) return [];
  const metricsRaw = check.conditions ? getAt(record, check.conditions) : undefined;
  const declared: Metrics = metricsRaw && typeof metricsRaw === 'object' ? (metricsRaw as Metrics) : {};
  let shown: TaskShares = {};
  if (check.tasks) {
    if (memo.sharesOf !== check.tasks || !memo.shares) {
      memo.sharesOf = check.tasks;
      memo.shares = taskShares(getAt(record, check.tasks));
    }
    shown = memo.shares;
  }
  const categoryRaw = check.category ? getAt(record, check.category) : undefined;
  const category = typeof categoryRaw === 'string' ? categoryRaw : undefined;
  const severity = check.severity ?? 'error';
  // Conditions left blank are taken from the task table; declared ones are kept and compared with it below.
  const { conditions, tasks } = check;
  let result = memo.classified.find((c) => c.total === total && c.conditions === conditions && c.tasks === tasks && c.category === category)?.result;
  if (!result) {
    result = classify(rules, { total, metrics: pickMetrics(rules, declared, shown), category });
    memo.classified.push({ total, conditions, tasks, category, result });
  }
  const findings = levelFindings({ rules, lang, pointer: check.level, code, total, result, severity });

  if (!check.conditions) return findings;
  const differing: Array<(typeof TASK_METRICS)[number]> = [];
  for (const k of TASK_METRICS) {
    const s = shown[k];
    const d = declared[k];
    if (isNumber(s) && isNumber(d) && Math.abs(d - s) > SHARE_TOLERANCE) differing.push(k);
  }
  if (differing.length === 0) return findings;
  // A level that holds only by declared shares the task table does not show is refused on those shares.
  const byTable = classify(rules, { total, metrics: pickMetrics(rules, shown, declared), category }).assessments[levelIndex(rules, code)]!;
  const holdsOnlyByDeclared = findings.every((f) => f.severity !== 'error') && byTable.scoreOk && byTable.failed.length > 0;
  const pct = (n: number) => formatNumber(n, { decimals: 2, rounding: 'half-up', trimZeros: true }, lang === 'vi' ? VI_NUMBERS : EN_NUMBERS);
  for (const k of differing) {
    const decisive = holdsOnlyByDeclared && byTable.failed.some((c) => c.metric === k);
    // The difference itself is said once, by the check of the person's own proposal (not again per level).
    if (!decisive && check.severity === 'warning') continue;
    findings.push({
      code: decisive ? 'level-unmet-by-tasks' : 'conditions-differ-from-tasks',
      severity: decisive ? severity : 'warning',
      // Someone else's level (verifier, competent level) is flagged at that level; the person's own at the share.
      pointer: check.severity === 'warning' ? check.level : `${check.conditions}/${k}`,
      value: declared[k],
      params: { value: pct(declared[k] as number), shown: pct(shown[k]!), level: levelName(rules, code, lang), rules: rules.id },
    });
  }
  return findings;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function datesInYearCheck(record: unknown, check: Extract<FormCheck, { kind: 'dates-in-year' }>): CheckFinding[] {
  const year = getAt(record, check.year);
  if (!Number.isInteger(year)) return [];
  const out: CheckFinding[] = [];
  for (const m of matchPointer(record, check.dates)) {
    if (typeof m.value !== 'string') continue;
    const parsed = ISO_DATE.exec(m.value);
    if (parsed && Number(parsed[1]) !== year) {
      out.push({ code: 'date-outside-year', severity: 'error', pointer: m.pointer, value: m.value, params: { value: m.value, year } });
    }
  }
  return out;
}

function dateOrderCheck(record: unknown, check: Extract<FormCheck, { kind: 'date-order' }>): CheckFinding[] {
  const out: CheckFinding[] = [];
  for (const from of matchPointer(record, check.from)) {
    const to = getAt(record, bindPointer(check.to, from.indices));
    if (typeof from.value === 'string' && typeof to === 'string' && ISO_DATE.test(from.value) && ISO_DATE.test(to) && from.value > to) {
      out.push({ code: 'date-order', severity: 'error', pointer: from.pointer, value: from.value, params: { from: from.value, to } });
    }
  }
  return out;
}

/** Runs every declared check; the record is assumed to have passed its schema's structural checks or not — checks skip values of the wrong type. */
export function runChecks(record: unknown, checks: FormCheck[], ctx: CheckContext): CheckFinding[] {
  const out: CheckFinding[] = [];
  const memo: RecordMemo = { classified: [] };
  for (const check of checks) {
    switch (check.kind) {
      case 'sum':
        out.push(...sumCheck(record, check, ctx));
        break;
      case 'sum-items':
        out.push(...sumItemsCheck(record, check, ctx));
        break;
      case 'item-max':
        out.push(...itemMaxCheck(record, check, ctx));
        break;
      case 'score-parts':
        out.push(...scorePartsCheck(record, check, ctx));
        break;
      case 'level':
        out.push(...levelCheck(record, check, ctx, memo));
        break;
      case 'dates-in-year':
        out.push(...datesInYearCheck(record, check));
        break;
      case 'date-order':
        out.push(...dateOrderCheck(record, check));
        break;
    }
  }
  return out;
}
