// Streams records once (twice only when needed to name people over a ceiling) into counts, shares and quota checks.
import fs from 'node:fs';
import type { Bilingual, Lang } from '../i18n.js';
import { periodText } from '../template/helpers.js';
import { readRecords, type RecordEntry } from '../io/records.js';
import { fileChanged, readNdjson, readNdjsonAt, readNdjsonBatches, stampOf, type FileStamp } from './lines.js';
import { ProposalPlaces, type ProposalPlace } from './places.js';
import type { RuleSet } from '../rules/types.js';
import { createDisplay, type Display } from './display.js';
import { createExtractor, type FactIssue, type PersonFacts } from './extract.js';
import { baseCount, checkGroup, quotaStatement, rankOver } from './quota.js';
import { SeenKeys } from './seen.js';
import {
  DEFAULT_LEVEL_ORDER,
  type Candidate,
  type CountRow,
  type LevelSource,
  type QuotaCheck,
  type Share,
  type Summary,
  type SummaryIssue,
  type SummaryOptions,
} from './types.js';

/**
 * A re-readable stream of records: called once per pass. `at`, when present, re-reads only the records at given
 * places (a cheaper second pass), with the same indices.
 */
export type RecordSource = (() => AsyncIterable<RecordEntry & { file?: string }>) & {
  /** The same records as a call, in batches (fewer awaits on the hot path of big files). */
  batches?: () => AsyncIterable<Array<RecordEntry & { file?: string }>>;
  /** The records at these places (from entries that carry `offset` and `bytes`), read there alone. */
  at?: (places: Iterable<ProposalPlace>) => AsyncIterable<RecordEntry & { file?: string }>;
};

const NDJSON = /\.(ndjson|jsonl)$/i;

/** Records of data files (JSON object, JSON array or NDJSON, streamed), in order, across files. */
export function fileSource(files: string[]): RecordSource {
  // NDJSON files go through the summary's own line reader: the shared reader's numbering, and each line's byte place.
  // Each file as the first pass found it: a later pass (by byte places or all over again) reads only the same
  // file, or stops, so that indices and places from the first pass never point into another.
  const stamps = new Map<string, FileStamp>();
  const same = (file: string): void => {
    let now: FileStamp;
    try {
      now = stampOf(fs.statSync(file));
    } catch {
      return; // the reader says what is wrong with it
    }
    const was = stamps.get(file);
    if (was && (was.size !== now.size || was.mtimeMs !== now.mtimeMs)) throw fileChanged(file);
    stamps.set(file, now);
  };
  const read = (file: string): AsyncIterable<RecordEntry & { file?: string }> => {
    same(file);
    return NDJSON.test(file) ? readNdjson(file) : readRecords(file);
  };
  const source: RecordSource = async function* () {
    let offset = 0;
    for (const file of files) {
      let last = -1;
      for await (const entry of read(file)) {
        // The entries are fresh objects of the reader: tagged in place, not copied (the hot path of big files).
        last = entry.index;
        entry.index += offset;
        entry.file = file;
        yield entry;
      }
      offset += last + 1;
    }
  };
  if (files.every((f) => NDJSON.test(f))) {
    source.batches = async function* () {
      let offset = 0;
      for (const file of files) {
        let count = 0;
        same(file);
        for await (const batch of readNdjsonBatches(file, { counted: (n) => (count = n) })) {
          if (offset > 0) for (const entry of batch) entry.index += offset;
          yield batch;
        }
        offset += count;
      }
    };
    source.at = async function* (places: Iterable<ProposalPlace>) {
      // One open file for each run of places in the same file (the places come in the records' order).
      let run: ProposalPlace[] = [];
      for (const place of places) {
        if (run.length > 0 && run[0]!.file !== place.file) {
          yield* readNdjsonAt(run[0]!.file, run, stamps.get(run[0]!.file));
          run = [];
        }
        run.push(place);
      }
      if (run.length > 0) yield* readNdjsonAt(run[0]!.file, run, stamps.get(run[0]!.file));
    };
  }
  return source;
}

/** Records already in memory. */
export function arraySource(records: unknown[]): RecordSource {
  return async function* () {
    for (let i = 0; i < records.length; i++) yield { kind: 'record', index: i, value: records[i] };
  };
}

const SOURCE_TEXT: Record<LevelSource, Bilingual> = {
  decided: { vi: 'mức cấp có thẩm quyền quyết định', en: 'the level decided by the competent authority' },
  verified: { vi: 'mức đề xuất của cơ quan thẩm định', en: "the verifier's level" },
  proposed: { vi: 'mức tự đề xuất', en: 'the self-proposed level' },
};

/** "Tính theo mức quyết định; nếu chưa có thì …": which level each person is counted at. */
export function levelBasis(order: LevelSource[]): Bilingual {
  const [first, ...rest] = order;
  return {
    vi: `Tính theo ${SOURCE_TEXT[first!].vi}${rest.map((s) => `; nếu chưa có thì ${SOURCE_TEXT[s].vi}`).join('')}; người chưa có mức nào được tính là chưa xếp loại.`,
    en: `Counted at ${SOURCE_TEXT[first!].en}${rest.map((s) => `; failing that, ${SOURCE_TEXT[s].en}`).join('')}; anyone with none is counted as not yet classified.`,
  };
}

/** Level counts per key, in order of first appearance; the last slot is "unclassified". */
class Tally {
  readonly rows = new Map<string, { name: string; unit?: string; group?: string; counts: number[] }>();
  constructor(private readonly width: number) {}
  add(key: string, level: number, name: string, unit?: string, group?: string): void {
    let row = this.rows.get(key);
    if (!row) {
      row = { name, ...(unit !== undefined ? { unit } : {}), ...(group !== undefined ? { group } : {}), counts: new Array<number>(this.width).fill(0) };
      this.rows.set(key, row);
    }
    row.counts[level < 0 ? this.width - 1 : level]!++;
  }
}

/** Level counts per quota group (unit × comparable group), looked up without building a key per record. */
class QuotaTally {
  readonly rows = new Map<string, { name: string; unit?: string; group?: string; counts: number[] }>();
  private readonly index = new Map<string, Map<string, { key: string; counts: number[] }>>();
  constructor(private readonly width: number) {}
  /** Counts one person and returns the group's key. */
  add(unit: string | undefined, group: string | undefined, level: number): string {
    const u = unit ?? '';
    const g = group ?? '';
    let inner = this.index.get(u);
    if (!inner) {
      inner = new Map();
      this.index.set(u, inner);
    }
    let entry = inner.get(g);
    if (!entry) {
      const key = `${u}\u0000${g}`;
      const row = { name: '', ...(unit !== undefined ? { unit } : {}), ...(group !== undefined ? { group } : {}), counts: new Array<number>(this.width).fill(0) };
      this.rows.set(key, row);
      entry = { key, counts: row.counts };
      inner.set(g, entry);
    }
    entry.counts[level < 0 ? this.width - 1 : level]!++;
    return entry.key;
  }
  keyOf(unit: string | undefined, group: string | undefined): string | undefined {
    return this.index.get(unit ?? '')?.get(group ?? '')?.key;
  }
}

/** Keeps one value while every record agrees on it (compared by a key: the value itself for strings). */
class Agreement<T> {
  private value: T | undefined;
  private key: string | undefined;
  private mixed = false;
  see(key: string, v: T = key as unknown as T): void {
    if (this.mixed || this.key === key) return;
    if (this.key === undefined) {
      this.key = key;
      this.value = v;
    } else {
      this.mixed = true;
      this.value = undefined;
    }
  }
  get(): T | undefined {
    return this.mixed ? undefined : this.value;
  }
}

const MAX_PERIODS_NAMED = 20;

/** "năm 2025" / "quý I năm 2026"; in English "year 2025" / "Q1 2026". */
function periodName(p: unknown, lang: Lang): string {
  if (lang === 'vi') return periodText(p);
  const { kind, year, quarter, termEndYear } = p as { kind?: unknown; year?: unknown; quarter?: unknown; termEndYear?: unknown };
  if (kind === 'quarter') return `Q${String(quarter)} ${String(year)}`;
  if (kind === 'term') return `term ${String(year)}–${String(termEndYear)}`;
  return `year ${String(year)}`;
}

/** A period as a short key ("year|2025||"), to compare records without serialising each one. */
function periodKey(p: unknown): string | undefined {
  if (p === null || typeof p !== 'object' || Array.isArray(p)) return undefined;
  const { kind, year, quarter, termEndYear, ...rest } = p as Record<string, unknown>;
  return Object.keys(rest).length > 0 ? JSON.stringify(p) : `${kind}|${year}|${quarter ?? ''}|${termEndYear ?? ''}`;
}

function countRow(name: string, counts: number[], rules: RuleSet, display: Display): CountRow {
  const codes = [...rules.levels.map((l) => l.code), 'unclassified'];
  const evaluated = counts.reduce((a, b) => a + b, 0);
  const byCode: Record<string, number> = {};
  const shares: Record<string, Share> = {};
  codes.forEach((code, i) => {
    byCode[code] = counts[i]!;
    shares[code] = display.share(counts[i]!, evaluated);
  });
  const row: CountRow = { name, evaluated, counts: byCode, shares };
  if (rules.quota) {
    const top = counts[rules.levels.findIndex((l) => l.code === rules.quota!.level)]!;
    row.excellent = { ofEvaluated: display.share(top, evaluated), ofBase: display.share(top, baseCount(counts, rules)) };
  }
  return row;
}

/** Summarises the records of `source` under `options.rules`. */
export async function summarize(source: RecordSource, options: SummaryOptions): Promise<Summary> {
  const rules = options.rules;
  const lang = options.lang ?? 'vi';
  const order = options.levelOrder?.length ? options.levelOrder : DEFAULT_LEVEL_ORDER;
  const unitField = options.unitField ?? 'unit';
  const grants = options.grants ?? [];
  const maxIssues = options.maxIssues ?? 1000;
  const bufferCap = options.candidateBuffer ?? 10_000;
  const quota = rules.quota;
  const byUnit = quota?.groupBy.includes('unit') ?? false;
  const byGroup = quota?.groupBy.includes('comparableGroup') ?? false;
  const display = createDisplay(rules);
  const extractor = createExtractor(rules, order, unitField, byGroup);
  const width = rules.levels.length + 1;
  const quotaLevel = quota ? rules.levels.findIndex((l) => l.code === quota.level) : -1;

  const units = new Tally(width);
  const groups = new Tally(width);
  const quotaGroups = new QuotaTally(width);
  const parentBody = new Agreement<string>();
  const place = new Agreement<string>();
  const period = new Agreement<Record<string, unknown>>();
  // Records of several periods in one summary are counted together but named in a warning (a few keys at most).
  const periods = new Map<string, { period: unknown; count: number }>();
  const issues: SummaryIssue[] = [];
  const byCode: Record<string, number> = {};
  let errors = 0;
  let warnings = 0;
  const bySource: Record<LevelSource | 'none', number> = { decided: 0, verified: 0, proposed: 0, none: 0 };
  let read = 0;
  let counted = 0;
  let rejected = 0;
  let buffer: Array<{ key: string; candidate: Candidate }> | undefined = [];
  // Where every proposal at the quota level lies, while each entry says so: the second pass then reads those lines.
  let places = source.at ? new ProposalPlaces() : undefined;
  // A person counted once per period: the ID number (or, without one, name and unit) with the period.
  const seen = new SeenKeys();
  const duplicates = new Set<number>();

  const candidate = (f: PersonFacts, entry: RecordEntry & { file?: string }): Candidate => ({
    name: f.name,
    unit: f.unit,
    ...(f.group !== undefined ? { group: f.group } : {}),
    ...(f.post !== undefined ? { post: f.post } : {}),
    ...(f.score !== undefined ? { score: f.score } : {}),
    ...(f.scores !== undefined ? { scores: f.scores } : {}),
    ...(f.verifiedTotal !== undefined ? { verifiedTotal: f.verifiedTotal } : {}),
    source: f.source!,
    levels: f.levels,
    record: entry.index,
    ...(entry.line !== undefined ? { line: entry.line } : {}),
    ...(entry.file !== undefined ? { file: entry.file } : {}),
  });
  const report = (entry: RecordEntry & { file?: string }, name: string | undefined, issue: FactIssue) => {
    byCode[issue.code] = (byCode[issue.code] ?? 0) + 1;
    if (issue.severity === 'error') errors++;
    else warnings++;
    if (issues.length < maxIssues) {
      issues.push({
        code: issue.code,
        severity: issue.severity,
        record: entry.index,
        ...(entry.line !== undefined ? { line: entry.line } : {}),
        ...(entry.file !== undefined ? { file: entry.file } : {}),
        ...(name !== undefined ? { name } : {}),
        ...(issue.pointer !== undefined ? { pointer: issue.pointer } : {}),
        message: issue.text[lang],
      });
    }
  };

  // Pass 1: counts, agreement on header facts, and (while they fit) the proposals at the quota level.
  const found: FactIssue[] = [];
  const take = (entry: RecordEntry & { file?: string }): void => {
    read++;
    if (entry.kind === 'error') {
      rejected++;
      report(entry, undefined, { code: entry.code, severity: 'error', text: entry.text });
      return;
    }
    found.length = 0;
    const facts = extractor.extract(entry.value, found);
    for (const issue of found) report(entry, facts?.name, issue);
    if (!facts) {
      rejected++;
      return;
    }
    const v = entry.value as { header?: { parentBody?: unknown; place?: unknown }; period?: unknown };
    const pk = periodKey(v.period);
    if (facts.identity) {
      const first = seen.see(`${facts.identity.key}\u0000${pk ?? ''}`, entry.index);
      if (first !== undefined) {
        const n = first + 1;
        if (facts.identity.certain) {
          report(entry, facts.name, {
            code: 'summary-duplicate-person',
            severity: 'error',
            pointer: '/person/idNumber',
            text: {
              vi: `Cùng số định danh với bản ghi ${n} trong cùng kỳ: người này đã được tính, bản ghi này không tính thêm.`,
              en: `Same ID number as record ${n} for the same period: the person is already counted; this record is not counted again.`,
            },
          });
          duplicates.add(entry.index);
          rejected++;
          return;
        }
        report(entry, facts.name, {
          code: 'summary-same-name',
          severity: 'warning',
          pointer: '/person/fullName',
          text: {
            vi: `Trùng họ tên và đơn vị với bản ghi ${n} trong cùng kỳ (không có số định danh để phân biệt); cả hai đều được tính, hãy kiểm tra.`,
            en: `Same name and unit as record ${n} for the same period (no ID number to tell them apart); both are counted, check them.`,
          },
        });
      }
    }
    counted++;
    bySource[facts.source ?? 'none']++;
    units.add(facts.unit, facts.level, facts.unit);
    groups.add(facts.group ?? '', facts.level, facts.group ?? '');
    if (quota) {
      const key = quotaGroups.add(byUnit ? facts.unit : undefined, byGroup ? facts.group : undefined, facts.level);
      if (facts.level === quotaLevel) {
        if (buffer) {
          if (buffer.length < bufferCap) buffer.push({ key, candidate: candidate(facts, entry) });
          else buffer = undefined;
        }
        if (places) {
          const { offset, bytes } = entry as { offset?: number; bytes?: number };
          if (offset !== undefined && bytes !== undefined && entry.line !== undefined && entry.file !== undefined) {
            places.add({ offset, bytes, index: entry.index, line: entry.line, file: entry.file, group: key });
          } else {
            places = undefined;
          }
        }
      }
    }
    const header = v.header;
    if (header !== null && typeof header === 'object') {
      if (typeof header.parentBody === 'string') parentBody.see(header.parentBody);
      if (typeof header.place === 'string') place.see(header.place);
    }
    if (pk !== undefined) {
      period.see(pk, v.period as Record<string, unknown>);
      const seen = periods.get(pk);
      if (seen) seen.count++;
      else if (periods.size < MAX_PERIODS_NAMED) periods.set(pk, { period: v.period, count: 1 });
    }
  };
  if (source.batches) {
    for await (const batch of source.batches()) for (const entry of batch) take(entry);
  } else {
    for await (const entry of source()) take(entry);
  }
  // One unit or group written several ways is one unit or group: counted together, and said so.
  for (const { field, name, others } of extractor.spellings()) {
    byCode['summary-spellings-merged'] = (byCode['summary-spellings-merged'] ?? 0) + 1;
    warnings++;
    const list = others.map((o) => `"${o}"`).join(', ');
    issues.push({
      code: 'summary-spellings-merged',
      severity: 'warning',
      message:
        lang === 'vi'
          ? `${field === 'unit' ? 'Đơn vị' : 'Nhóm tương đồng'} "${name}" còn được ghi là ${list}; đã tính chung dưới tên "${name}".`
          : `${field === 'unit' ? 'Unit' : 'Comparable group'} "${name}" is also written ${list}; counted together as "${name}".`,
    });
  }
  if (periods.size > 1) {
    const list = [...periods.values()].map((p) => `${periodName(p.period, lang)}: ${p.count}`).join('; ');
    byCode['summary-mixed-periods'] = (byCode['summary-mixed-periods'] ?? 0) + 1;
    warnings++;
    issues.push({
      code: 'summary-mixed-periods',
      severity: 'warning',
      message:
        lang === 'vi'
          ? `Các bản ghi thuộc nhiều kỳ đánh giá khác nhau nhưng được tính chung (${list}). Hãy tổng hợp riêng từng kỳ.`
          : `The records belong to different evaluation periods but are counted together (${list}). Summarise each period separately.`,
    });
  }

  // Quota checks, units in order of first appearance and groups within them.
  let checks: Array<QuotaCheck & { key: string }> = [];
  let secondPass = false;
  if (quota) {
    const unitOrder = new Map([...units.rows.keys()].map((k, i) => [k, i]));
    const groupOrder = new Map([...groups.rows.keys()].map((k, i) => [k, i]));
    checks = [...quotaGroups.rows.entries()]
      .map(([key, g]) => ({ ...checkGroup(g, rules, grants, display), key }))
      .sort((a, b) => (unitOrder.get(a.unit ?? '') ?? 0) - (unitOrder.get(b.unit ?? '') ?? 0) || (groupOrder.get(a.group ?? '') ?? 0) - (groupOrder.get(b.group ?? '') ?? 0));
    const failing = new Map(checks.filter((c) => !c.pass).map((c) => [c.key, [] as Candidate[]]));
    if (failing.size > 0) {
      if (buffer) {
        for (const b of buffer) failing.get(b.key)?.push(b.candidate);
      } else {
        // Pass 2: only the proposals of failing groups, so memory follows what the report must list.
        secondPass = true;
        const ignored: FactIssue[] = [];
        // The proposals' own lines when their places are known, else every record again.
        const candidates = places && source.at ? source.at(places.of(failing)) : source();
        for await (const entry of candidates) {
          if (entry.kind !== 'record' || duplicates.has(entry.index)) continue;
          ignored.length = 0;
          const facts = extractor.extract(entry.value, ignored);
          if (!facts || facts.level !== quotaLevel) continue;
          const key = quotaGroups.keyOf(byUnit ? facts.unit : undefined, byGroup ? facts.group : undefined);
          if (key !== undefined) failing.get(key)?.push(candidate(facts, entry));
        }
      }
      for (const c of checks) {
        const list = failing.get(c.key);
        if (list) rankOver(c, list);
      }
    }
    const used = new Set(checks.filter((c) => c.exception).map((c) => c.exception!.decision));
    for (const g of grants) {
      if (used.has(g.decision)) continue;
      const where = [g.group, g.unit].filter(Boolean).join(' — ');
      byCode['summary-grant-unused'] = (byCode['summary-grant-unused'] ?? 0) + 1;
      warnings++;
      issues.push({
        code: 'summary-grant-unused',
        severity: 'warning',
        message: lang === 'vi' ? `Trường hợp ngoại lệ "${where}" (${g.decision}) không khớp nhóm nào trong dữ liệu.` : `Exception grant "${where}" (${g.decision}) matches no group in the data.`,
      });
    }
  }

  // Names and labels are the official document's, in Vietnamese; `lang` is the language of the messages.
  const unclassifiedLabel = rules.unclassified.vi;
  const name = (n: string, fallback: string) => (n === '' ? fallback : n);
  const unitRows = [...units.rows.values()].map((r) => countRow(r.name, r.counts, rules, display));
  const groupRows = [...groups.rows.values()].map((r) => countRow(name(r.name, '(Không chia nhóm)'), r.counts, rules, display));
  const totals = new Array<number>(width).fill(0);
  for (const r of units.rows.values()) r.counts.forEach((n, i) => (totals[i]! += n));

  return {
    format: 'bieumau-summary/1',
    ruleSet: { id: rules.id, version: rules.version, title: rules.title, source: rules.source.document, date: rules.source.date },
    levelOrder: order,
    levelBasis: levelBasis(order),
    unitField,
    levels: rules.levels.map((l) => ({ code: l.code, name: l.name, short: l.short })),
    unclassifiedLabel,
    records: { read, counted, rejected, bySource },
    units: unitRows,
    groups: groupRows,
    total: countRow('Tổng cộng', totals, rules, display),
    quota: quota
      ? {
          level: quota.level,
          goodLevel: quota.goodLevel,
          baseRule: quota.base,
          ceilingPct: quota.ceilingPct,
          exceptionCeilingPct: quota.exceptionCeilingPct,
          rounding: quota.rounding,
          groupBy: quota.groupBy,
          statement: quotaStatement(rules),
          checks: checks.map(({ key: _key, ...c }) => c),
          pass: checks.every((c) => c.pass),
          secondPass,
        }
      : null,
    common: { parentBody: parentBody.get(), place: place.get(), period: period.get() },
    issues: { errors, warnings, byCode, list: issues, truncated: errors + warnings > issues.length },
  };
}
