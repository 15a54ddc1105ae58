// The rule-set contract: levels, thresholds, conditions, triggers, quota and number display, all as data.
import type { Bilingual } from '../i18n.js';
import type { NumberDisplay, NumberLocale, RoundingMode } from './format.js';

export type CompareOp = '>=' | '>' | '<=' | '<' | '==' | '!=';
export type PersonCategory = 'leader' | 'staff' | 'outside' | 'collective';

/** A comparison on one metric of the record's `conditions` block, e.g. tasksExceededPct ≥ 30. */
export interface RuleCondition {
  id: string;
  metric: string;
  op: CompareOp;
  value: number | boolean;
  /** Categories it applies to; all when absent. */
  appliesTo?: PersonCategory[];
  label: Bilingual;
}

export interface LevelRule {
  code: string;
  name: string;
  nameEn: string;
  /** Abbreviation used in table headers, e.g. "HTXSNV". */
  short: string;
  /** Lowest total score for the level; absent for the lowest level. */
  minScore?: number;
  /** How the score compares with minScore: ">=" for "từ", ">" for "trên". */
  op?: '>=' | '>';
  conditions: RuleCondition[];
}

export interface TriggerRule extends RuleCondition {
  /** The level the person cannot rise above when the trigger holds. */
  level: string;
}

export interface ScorePart {
  key: string;
  label: Bilingual;
  max: number;
}

export interface QuotaRule {
  /** The level under quota (HTXSNV). */
  level: string;
  ceilingPct: number;
  exceptionCeilingPct: number;
  /** Base of the percentage: the count rated "tốt" only, or "tốt" plus those proposed for the quota level. */
  base: 'good' | 'good-or-above';
  /** Level code counted as "tốt". */
  goodLevel: string;
  rounding: RoundingMode;
  groupBy: Array<'unit' | 'comparableGroup'>;
  note?: Bilingual;
}

export interface RuleSet {
  id: string;
  version: string;
  title: string;
  titleEn: string;
  source: { document: string; issuer?: string; date: string; url?: string };
  validFrom: string;
  validTo?: string | null;
  scope: Bilingual;
  /** Parts of the text not confirmed against the official text. */
  unconfirmed?: string[];
  score: { parts: ScorePart[]; max: number };
  /** Best first. */
  levels: LevelRule[];
  triggers: TriggerRule[];
  quota: QuotaRule | null;
  display: { score: NumberDisplay; percent: NumberDisplay; locale: NumberLocale };
  /** Label for records without a level, in summaries. */
  unclassified: Bilingual;
}
