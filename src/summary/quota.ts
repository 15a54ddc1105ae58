// The quota check of one group: base, ceiling with the declared rounding, verdict, and who is over, ranked by score.
import type { Bilingual } from '../i18n.js';
import { quotaCeiling, type RoundingMode } from '../rules/format.js';
import type { QuotaRule, RuleSet } from '../rules/types.js';
import type { Display } from './display.js';
import { grantFor } from './exceptions.js';
import type { Candidate, QuotaCheck, QuotaGrant } from './types.js';

/** Count of the quota base in a row of level counts (best level first): "tốt" only, or "tốt" and above. */
export function baseCount(counts: ArrayLike<number>, rules: RuleSet): number {
  const quota = rules.quota!;
  const good = rules.levels.findIndex((l) => l.code === quota.goodLevel);
  if (quota.base === 'good') return counts[good]!;
  let n = 0;
  for (let i = 0; i <= good; i++) n += counts[i]!;
  return n;
}

export interface QuotaGroupCounts {
  unit?: string;
  group?: string;
  counts: ArrayLike<number>;
}

export function groupName(unit: string | undefined, group: string | undefined): string {
  return [group, unit].filter((x) => x !== undefined).join(' — ');
}

/** The verdict of one group, without the names (see `rankOver`). */
export function checkGroup(g: QuotaGroupCounts, rules: RuleSet, grants: QuotaGrant[], display: Display): QuotaCheck {
  const quota = rules.quota!;
  const level = rules.levels.findIndex((l) => l.code === quota.level);
  let evaluated = 0;
  for (let i = 0; i < g.counts.length; i++) evaluated += g.counts[i]!;
  const base = baseCount(g.counts, rules);
  const grant = grantFor(grants, g.unit, g.group);
  const ceilingPct = grant ? (grant.ceilingPct ?? quota.exceptionCeilingPct) : quota.ceilingPct;
  const ceiling = quotaCeiling(base, ceilingPct, quota.rounding);
  const proposed = g.counts[level]!;
  return {
    name: groupName(g.unit, g.group),
    ...(g.unit !== undefined ? { unit: g.unit } : {}),
    ...(g.group !== undefined ? { group: g.group } : {}),
    evaluated,
    base,
    baseRule: quota.base,
    ceilingPct,
    ...(grant ? { exception: { decision: grant.decision, ceilingPct } } : {}),
    rounding: quota.rounding,
    ceilingExact: display.exactCeiling(base, ceilingPct),
    ceiling,
    proposed,
    share: display.share(proposed, base),
    pass: proposed <= ceiling,
    overBy: Math.max(0, proposed - ceiling),
    over: [],
  };
}

/**
 * Ranks a failing group's proposals by score, highest first (a proposal without a score ranks last; equal scores
 * keep input order), and fills `over` with those after the first `ceiling`. When the cut falls between equal
 * scores, `tie` lists everyone at that score: the ranking among them is for the competent level to decide.
 */
export function rankOver(check: QuotaCheck, candidates: Candidate[]): void {
  const ranked = [...candidates].sort((a, b) => (b.score ?? -Infinity) - (a.score ?? -Infinity) || a.record - b.record);
  check.over = ranked.slice(check.ceiling);
  if (check.ceiling > 0 && check.ceiling < ranked.length) {
    const last = ranked[check.ceiling - 1]!.score;
    const first = ranked[check.ceiling]!.score;
    if (last === first) check.tie = { score: last ?? null, people: ranked.filter((c) => c.score === last) };
  }
}

const ROUNDING_TEXT: Record<RoundingMode, Bilingual> = {
  floor: { vi: 'làm tròn xuống', en: 'rounded down' },
  truncate: { vi: 'bỏ phần thập phân', en: 'decimals dropped' },
  ceil: { vi: 'làm tròn lên', en: 'rounded up' },
  'half-up': { vi: 'làm tròn thông thường (từ 0,5 làm tròn lên)', en: 'rounded half up' },
  'half-even': { vi: 'làm tròn về số chẵn gần nhất khi đúng 0,5', en: 'rounded half to even' },
};

export function roundingText(mode: RoundingMode): Bilingual {
  return ROUNDING_TEXT[mode];
}

/** The quota rule in words, printed beside the results: base, ceiling, grouping, rounding, exception. */
export function quotaStatement(rules: RuleSet): Bilingual {
  const q: QuotaRule = rules.quota!;
  const level = rules.levels.find((l) => l.code === q.level)!;
  const good = rules.levels.find((l) => l.code === q.goodLevel)!;
  const baseVi = q.base === 'good' ? `số "${good.name}"` : `số "${good.name}" trở lên (gồm cả số đề xuất "${level.name}")`;
  const baseEn = q.base === 'good' ? `those rated "${good.nameEn}"` : `those rated "${good.nameEn}" or above (including the "${level.nameEn}" proposals)`;
  const byVi = q.groupBy.length === 2 ? 'từng nhóm tương đồng của từng đơn vị' : q.groupBy[0] === 'unit' ? 'từng đơn vị' : 'từng nhóm tương đồng';
  const byEn = q.groupBy.length === 2 ? 'each comparable group of each unit' : q.groupBy[0] === 'unit' ? 'each unit' : 'each comparable group';
  const pct = (n: number) => String(n).replace('.', ',');
  const r = ROUNDING_TEXT[q.rounding];
  return {
    vi: `Số "${level.name}" không quá ${pct(q.ceilingPct)}% ${baseVi} trong ${byVi}; số tối đa ${r.vi}; tối đa ${pct(q.exceptionCeilingPct)}% khi cấp có thẩm quyền cho phép (${rules.id}).`,
    en: `"${level.nameEn}" may not exceed ${q.ceilingPct}% of ${baseEn} in ${byEn}; the maximum is ${r.en}; up to ${q.exceptionCeilingPct}% where the competent level allows it (${rules.id}).`,
  };
}
