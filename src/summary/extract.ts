// Reads the few facts a summary needs from one score-sheet or self-review record, and checks only those.
//
// What the summary checks per record (records are expected to come from `ingest` or `validate`, which check
// everything else):
//   - the record is a JSON object                              → else error summary-not-object, not counted
//   - the person's unit (or chi bộ) is given                   → else warning summary-no-unit, counted under "(Chưa ghi đơn vị)"
//   - the comparable group is given, when the quota groups by it → else warning summary-no-group, counted under "(Chưa ghi nhóm tương đồng)"
//   - the full name is given                                   → else warning summary-no-name
//   - every level present is a code of the rule set            → else error summary-unknown-level, counted as unclassified
//   - the counted level's score band holds for the score that goes with it → else warning summary-level-above-score
//   - a total given beside its parts equals their sum           → else warning summary-total-mismatch
//   - it is an evaluation: a person, levels or scores           → no person and neither: error summary-not-evaluation, not counted;
//                                                                  a person with neither: warning, counted as unclassified
// A record with no level among those counted is counted as unclassified ("Chưa xếp loại"), never dropped.
// The labels the facts carry ("(Chưa ghi đơn vị)") are Vietnamese: they end up in the official document.
import type { Bilingual } from '../i18n.js';
import { roundPoints, scoreReaches } from '../rules/classify.js';
import { formatNumber } from '../rules/format.js';
import type { RuleSet } from '../rules/types.js';
import { normalizeText, spellingKey } from '../normalize/text.js';
import type { LevelSource, UnitField } from './types.js';

export const NO_UNIT: Bilingual = { vi: '(Chưa ghi đơn vị)', en: '(No unit given)' };
export const NO_GROUP: Bilingual = { vi: '(Chưa ghi nhóm tương đồng)', en: '(No comparable group given)' };
export const NO_NAME: Bilingual = { vi: '(Không ghi họ tên)', en: '(No name given)' };

/** The facts of one person the tallies use. `level` is the index in the rule set's levels, -1 unclassified. */
export interface PersonFacts {
  name: string;
  unit: string;
  group?: string;
  post?: string;
  level: number;
  source: LevelSource | null;
  levels: Partial<Record<LevelSource, string>>;
  score?: number;
  /** The person's own scores and the verifier's total, when given. */
  scores?: { general: number; tasks: number; total?: number };
  verifiedTotal?: number;
  /** Who the person is, to catch one sent twice: the ID number (certain), else name and unit (a guess). */
  identity?: { key: string; certain: boolean };
}

export interface FactIssue {
  code: string;
  severity: 'error' | 'warning';
  pointer?: string;
  text: Bilingual;
}

export interface Extractor {
  /** The person's facts, or undefined when the record cannot be counted (the issue says why). */
  extract(value: unknown, issues: FactIssue[]): PersonFacts | undefined;
  /** Units and comparable groups written several ways, counted under the first spelling met. */
  spellings(): Array<{ field: 'unit' | 'group'; name: string; others: string[] }>;
}

const MAX_SPELLINGS_SHOWN = 5;
const MAX_SPELLINGS_CACHED = 10_000;

/** Gives each name the first spelling met of it (see `spellingKey`), and remembers the other spellings. */
class Spellings {
  private readonly byText = new Map<string, string>();
  private readonly byKey = new Map<string, string>();
  readonly others = new Map<string, Set<string>>();
  /** The last name asked about: records of one unit usually come together. */
  private last = '';
  private lastFirst = '';
  of(text: string): string {
    if (text === this.last) return this.lastFirst;
    const first = this.firstOf(text);
    this.last = text;
    this.lastFirst = first;
    return first;
  }
  private firstOf(text: string): string {
    const known = this.byText.get(text);
    if (known !== undefined) return known;
    const key = spellingKey(text);
    let first = this.byKey.get(key);
    if (first === undefined) {
      first = text;
      if (this.byKey.size < MAX_SPELLINGS_CACHED) this.byKey.set(key, text);
    } else if (first !== text) {
      let set = this.others.get(first);
      if (!set) this.others.set(first, (set = new Set()));
      if (set.size < MAX_SPELLINGS_SHOWN) set.add(text);
    }
    if (this.byText.size < MAX_SPELLINGS_CACHED) this.byText.set(text, first);
    return first;
  }
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

function text(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = normalizeText(v);
  return t === '' ? undefined : t;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

function scoresOf(v: unknown): { general: number; tasks: number; total?: number } | undefined {
  if (!isObj(v)) return undefined;
  const general = num(v.general);
  const tasks = num(v.tasks);
  if (general === undefined || tasks === undefined) return undefined;
  const total = num(v.total);
  return total !== undefined ? { general, tasks, total } : { general, tasks };
}

/** Total of a scores block: `total`, else the sum of its parts. */
function totalOf(scores: unknown): number | undefined {
  if (!isObj(scores)) return undefined;
  const total = num(scores.total);
  if (total !== undefined) return total;
  const general = num(scores.general);
  const tasks = num(scores.tasks);
  return general !== undefined && tasks !== undefined ? roundPoints(general + tasks) : undefined;
}

export function createExtractor(rules: RuleSet, order: LevelSource[], unitField: UnitField, needGroup: boolean): Extractor {
  const quotaLevel = rules.quota ? rules.levels.findIndex((l) => l.code === rules.quota!.level) : -2;
  const index = new Map(rules.levels.map((l, i) => [l.code, i]));
  const display = rules.display.score;
  const fmt = (n: number) => formatNumber(n, display, rules.display.locale);
  const noUnit = NO_UNIT.vi;
  const noGroup = NO_GROUP.vi;
  const noName = NO_NAME.vi;
  const codes = rules.levels.map((l) => l.code).join(', ');
  const units = new Spellings();
  const groups = new Spellings();
  return {
    spellings() {
      const list = (field: 'unit' | 'group', s: Spellings) => [...s.others].map(([name, others]) => ({ field, name, others: [...others] }));
      return [...list('unit', units), ...list('group', groups)];
    },
    extract(value, issues) {
      if (!isObj(value)) {
        issues.push({
          code: 'summary-not-object',
          severity: 'error',
          text: { vi: 'Bản ghi không phải một đối tượng JSON; không tính vào bảng tổng hợp.', en: 'The record is not a JSON object; it is not counted.' },
        });
        return undefined;
      }
      if (!isObj(value.person) && !isObj(value.levels) && !isObj(value.scores)) {
        issues.push({
          code: 'summary-not-evaluation',
          severity: 'error',
          text: {
            vi: 'Bản ghi không có thông tin cá nhân, điểm hay mức xếp loại (không phải phiếu tự đánh giá hay bản kiểm điểm); không tính vào bảng tổng hợp.',
            en: 'The record has no person, scores or levels (it is not a score sheet or self-review); it is not counted.',
          },
        });
        return undefined;
      }
      if (!isObj(value.levels) && !isObj(value.scores)) {
        issues.push({
          code: 'summary-no-evaluation',
          severity: 'warning',
          text: { vi: 'Bản ghi không có điểm và mức xếp loại; được tính là chưa xếp loại.', en: 'The record has no scores and no levels; counted as not yet classified.' },
        });
      }
      const person = isObj(value.person) ? value.person : {};
      let name = text(person.fullName);
      if (name === undefined) {
        issues.push({ code: 'summary-no-name', severity: 'warning', pointer: '/person/fullName', text: { vi: 'Thiếu họ và tên.', en: 'The full name is missing.' } });
        name = noName;
      }
      const unitText = text(person[unitField]);
      let unit = unitText === undefined ? undefined : units.of(unitText);
      if (unit === undefined) {
        issues.push({
          code: 'summary-no-unit',
          severity: 'warning',
          pointer: `/person/${unitField}`,
          text: { vi: `Thiếu đơn vị; được tính vào dòng "${NO_UNIT.vi}".`, en: `The unit is missing; counted under "${NO_UNIT.en}".` },
        });
        unit = noUnit;
      }
      const groupText = text(person.comparableGroup);
      let group = groupText === undefined ? undefined : groups.of(groupText);
      if (group === undefined && needGroup) {
        issues.push({
          code: 'summary-no-group',
          severity: 'warning',
          pointer: '/person/comparableGroup',
          text: { vi: `Thiếu nhóm tương đồng; được tính vào nhóm "${NO_GROUP.vi}".`, en: `The comparable group is missing; counted under "${NO_GROUP.en}".` },
        });
        group = noGroup;
      }
      const levelsBlock = isObj(value.levels) ? value.levels : {};
      const levels: Partial<Record<LevelSource, string>> = {};
      for (const source of ['proposed', 'verified', 'decided'] as const) {
        const raw = levelsBlock[source];
        if (raw === undefined || raw === null || raw === '') continue;
        levels[source] = typeof raw === 'string' ? raw.trim() : String(raw);
      }
      // The first level present in the chosen order is counted; an unknown code there leaves the person unclassified.
      const chosen = order.find((s) => levels[s] !== undefined);
      for (const source of ['proposed', 'verified', 'decided'] as const) {
        const code = levels[source];
        if (code === undefined || index.has(code)) continue;
        issues.push({
          code: 'summary-unknown-level',
          severity: 'error',
          pointer: `/levels/${source}`,
          text:
            source === chosen
              ? {
                  vi: `Mã mức "${code}" không có trong bộ quy tắc ${rules.id} (${codes}); người này được tính là chưa xếp loại.`,
                  en: `Level code "${code}" is not in rule set ${rules.id} (${codes}); the person is counted as not yet classified.`,
                }
              : { vi: `Mã mức "${code}" không có trong bộ quy tắc ${rules.id} (${codes}).`, en: `Level code "${code}" is not in rule set ${rules.id} (${codes}).` },
        });
      }
      let level = -1;
      let source: LevelSource | null = null;
      if (chosen !== undefined && index.has(levels[chosen]!)) {
        level = index.get(levels[chosen]!)!;
        source = chosen;
      }
      for (const [block, pointer] of [
        [value.scores, '/scores/total'],
        [value.verifiedScores, '/verifiedScores/total'],
      ] as const) {
        const parts = scoresOf(block);
        if (parts?.total === undefined || Math.abs(parts.general + parts.tasks - parts.total) <= 0.005) continue;
        issues.push({
          code: 'summary-total-mismatch',
          severity: 'warning',
          pointer,
          text: {
            vi: `Tổng điểm ${fmt(parts.total)} khác tổng hai nhóm ${fmt(parts.general)} + ${fmt(parts.tasks)} = ${fmt(parts.general + parts.tasks)}; vẫn dùng tổng điểm đã ghi.`,
            en: `The total ${fmt(parts.total)} differs from the sum of the two groups ${fmt(parts.general)} + ${fmt(parts.tasks)} = ${fmt(parts.general + parts.tasks)}; the recorded total is used.`,
          },
        });
      }
      // The score that goes with the counted level: the verifier's total for verified or decided levels.
      const own = totalOf(value.scores);
      const verified = totalOf(value.verifiedScores);
      const score = source === 'verified' || source === 'decided' ? (verified ?? own) : own;
      if (level >= 0 && score !== undefined && !scoreReaches(rules.levels[level]!, score)) {
        const rule = rules.levels[level]!;
        const band = `${(rule.op ?? '>=') === '>' ? 'trên' : 'từ'} ${fmt(rule.minScore!)}`;
        const bandEn = `${(rule.op ?? '>=') === '>' ? 'more than' : 'at least'} ${fmt(rule.minScore!)}`;
        issues.push({
          code: 'summary-level-above-score',
          severity: 'warning',
          pointer: `/levels/${source}`,
          text: {
            vi: `Mức "${rule.name}" cần ${band} điểm theo ${rules.id}, nhưng tổng điểm là ${fmt(score)}; vẫn tính theo mức đã ghi.`,
            en: `Level "${rule.nameEn}" needs ${bandEn} points under ${rules.id}, but the total is ${fmt(score)}; counted as recorded.`,
          },
        });
      }
      const facts: PersonFacts = { name, unit, group, post: text(person.post), level, source, levels, score };
      const id = text(person.idNumber);
      if (id !== undefined) facts.identity = { key: `id:${id}`, certain: true };
      else if (name !== noName) facts.identity = { key: `name:${spellingKey(name)}\u0000${unit}`, certain: false };
      // Scores are kept only for proposals at the quota level: they are listed when a group is over its ceiling.
      if (level === quotaLevel) {
        const own = scoresOf(value.scores);
        if (own) facts.scores = own;
        if (verified !== undefined) facts.verifiedTotal = verified;
      }
      return facts;
    },
  };
}
