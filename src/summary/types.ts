// The summary contract: options, per-row counts with their shares, the quota check per group, issues.
import type { Bilingual, Lang } from '../i18n.js';
import type { RoundingMode } from '../rules/format.js';
import type { RuleSet } from '../rules/types.js';

/** Which of a record's levels is counted; the first present in the chosen order wins. */
export type LevelSource = 'decided' | 'verified' | 'proposed';
export const LEVEL_SOURCES: readonly LevelSource[] = ['decided', 'verified', 'proposed'];
export const DEFAULT_LEVEL_ORDER: LevelSource[] = ['decided', 'verified', 'proposed'];

/** The record field that names a person's unit: the work unit, or the chi bộ for Party summaries. */
export type UnitField = 'unit' | 'partyCell';

/**
 * A competent level's permission to exceed the normal ceiling for one comparable group (in one unit), or for
 * every group of a unit, or for one group in every unit. Comes from the exceptions file, never from code.
 */
export interface QuotaGrant {
  unit?: string;
  group?: string;
  /** Ceiling granted, at most the rule set's exception ceiling; that ceiling when absent. */
  ceilingPct?: number;
  /** The decision that grants it ("Công văn số 15-CV/ĐU ngày 05/01/2026 của Đảng ủy phường"). */
  decision: string;
}

export interface SummaryOptions {
  rules: RuleSet;
  levelOrder?: LevelSource[];
  unitField?: UnitField;
  grants?: QuotaGrant[];
  /** Language of issue messages. */
  lang?: Lang;
  /** Issues kept in full; beyond this only counted by code. */
  maxIssues?: number;
  /**
   * Proposals at the quota level kept during the first pass to name those over a ceiling. When there are
   * more (default 10,000), they are dropped and a second pass over the source collects only those of the
   * groups that fail; for NDJSON files that pass parses only the lines naming the quota level.
   */
  candidateBuffer?: number;
}

/** A count with its base and the percentage printed the rule set's way: "5/35 (14,29%)". */
export interface Share {
  count: number;
  of: number;
  /** "14,29"; absent when `of` is 0. */
  percent?: string;
  /** The percentage as a number rounded as printed (14.29), for machines; absent when `of` is 0. */
  value?: number;
  /** "5/35 (14,29%)", or "0/0 (—)". */
  text: string;
}

/** One row of a count table: a unit, a comparable group, a quota group or the total. */
export interface CountRow {
  name: string;
  /** Number evaluated: every record placed in the row, classified or not. */
  evaluated: number;
  /** Count per level code, plus `unclassified`; they add up to `evaluated`. */
  counts: Record<string, number>;
  /** Each count as a share of `evaluated`. */
  shares: Record<string, Share>;
  /** The quota level's share of everyone evaluated and of the quota base ("tốt", or "tốt trở lên"). */
  excellent?: { ofEvaluated: Share; ofBase: Share };
}

/** A person proposed at the quota level in a group that exceeds its ceiling. */
export interface Candidate {
  name: string;
  unit: string;
  group?: string;
  post?: string;
  /** The score that goes with the counted level (verified total for verified/decided levels when present). */
  score?: number;
  source: LevelSource;
  levels: Partial<Record<LevelSource, string>>;
  /** The person's own scores and the verifier's total, when the record gives them. */
  scores?: { general: number; tasks: number; total?: number };
  verifiedTotal?: number;
  /** 0-based position in the input, and the NDJSON line when known. */
  record: number;
  line?: number;
  file?: string;
}

export interface QuotaCheck {
  /** Display name: "group — unit" as the grouping asks. */
  name: string;
  unit?: string;
  group?: string;
  evaluated: number;
  base: number;
  baseRule: 'good' | 'good-or-above';
  ceilingPct: number;
  /** Set when a grant raised the ceiling. */
  exception?: { decision: string; ceilingPct: number };
  rounding: RoundingMode;
  /** base × ceilingPct / 100 before rounding, printed ("6,8"). */
  ceilingExact: string;
  ceiling: number;
  proposed: number;
  /** proposed / base. */
  share: Share;
  pass: boolean;
  /** How many proposals exceed the ceiling. */
  overBy: number;
  /** Ranked by score, highest first; those after the first `ceiling` are over. Never downgraded here. */
  over: Candidate[];
  /** When the cut falls between equal scores, everyone at that score: the ranking among them is not by score. */
  tie?: { score: number | null; people: Candidate[] };
}

export interface SummaryIssue {
  code: string;
  severity: 'error' | 'warning';
  /** 0-based record position across the inputs; absent for issues about options or grants. */
  record?: number;
  line?: number;
  file?: string;
  name?: string;
  pointer?: string;
  message: string;
}

export interface Summary {
  format: 'bieumau-summary/1';
  ruleSet: { id: string; version: string; title: string; source: string; date: string };
  /** Levels counted, and in which order of preference. */
  levelOrder: LevelSource[];
  levelBasis: Bilingual;
  unitField: UnitField;
  levels: Array<{ code: string; name: string; short: string }>;
  unclassifiedLabel: string;
  records: {
    /** Entries read from the inputs, including lines that were not JSON. */
    read: number;
    /** Records counted in the tables. */
    counted: number;
    /** Entries that could not be counted (not JSON, not an object). */
    rejected: number;
    /** Counted records by the level that was counted ("none": unclassified). */
    bySource: Record<LevelSource | 'none', number>;
  };
  units: CountRow[];
  groups: CountRow[];
  total: CountRow;
  quota: {
    level: string;
    goodLevel: string;
    baseRule: 'good' | 'good-or-above';
    ceilingPct: number;
    exceptionCeilingPct: number;
    rounding: RoundingMode;
    groupBy: Array<'unit' | 'comparableGroup'>;
    statement: Bilingual;
    checks: QuotaCheck[];
    pass: boolean;
    /** Whether a second pass over the inputs was needed to name the people over. */
    secondPass: boolean;
  } | null;
  /** What the records agree on, for the document's header (absent when they differ). */
  common: { parentBody?: string; place?: string; period?: Record<string, unknown> };
  issues: { errors: number; warnings: number; byCode: Record<string, number>; list: SummaryIssue[]; truncated: boolean };
}
