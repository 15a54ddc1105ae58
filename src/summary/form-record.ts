// Turns a summary into a classification-summary record (the form the committee signs), with notes that state the rules used.
import { DefinitionError, UsageError } from '../errors.js';
import { formatPoints } from '../rules/checks.js';
import { periodText } from '../template/helpers.js';
import type { Candidate, CountRow, Summary } from './types.js';

/** The parts of the document the records cannot give: who issues it, where, signature, recipients, notes. */
export interface DocumentParts {
  header?: Record<string, unknown>;
  subject?: string;
  period?: Record<string, unknown>;
  notes?: string[];
  signature?: Record<string, unknown>;
  recipients?: string[];
}

export interface FormRecordOptions {
  /** Rows of the main table: one per unit (default) or one per comparable group. */
  rowsBy?: 'unit' | 'group';
}

/** The level codes the classification-summary form has columns for. */
const FORM_CODES = ['HTXSNV', 'HTTNV', 'HTNV', 'KHTNV'] as const;
const MAX_NOTES = 20;
const MAX_PEOPLE = 10_000;
const MAX_OVER = 1000;
const MAX_UNITS = 1000;

function counts(row: CountRow) {
  return { HTXSNV: row.counts.HTXSNV!, HTTNV: row.counts.HTTNV!, HTNV: row.counts.HTNV!, KHTNV: row.counts.KHTNV!, unclassified: row.counts.unclassified! };
}

/** The total row with the printed shares as numbers (the cached results of the sheet's share formulas). */
function totalsOf(summary: Summary): Record<string, unknown> {
  const total = summary.total;
  const shares: Record<string, number> = {};
  for (const code of [...FORM_CODES, 'unclassified']) {
    const v = total.shares[code]?.value;
    if (v !== undefined) shares[code] = v;
  }
  const ofBase = total.excellent?.ofBase;
  if (ofBase?.value !== undefined) shares.excellentOfBase = ofBase.value;
  return { total: total.evaluated, counts: counts(total), ...(ofBase ? { base: ofBase.of } : {}), shares };
}

/** Builds the record; throws a UsageError when the header cannot be known and is not given. */
export function summaryRecord(summary: Summary, parts: DocumentParts = {}, options: FormRecordOptions = {}): Record<string, unknown> {
  // The record is an official document's: its words are Vietnamese, whatever the language of the messages.
  const codes = summary.levels.map((l) => l.code);
  if (codes.length !== FORM_CODES.length || FORM_CODES.some((c, i) => codes[i] !== c)) {
    throw new DefinitionError('summary-form-levels', {
      vi: `Biểu tổng hợp có cột cho các mức ${FORM_CODES.join(', ')}; bộ quy tắc ${summary.ruleSet.id} có ${codes.join(', ')}. Hãy dùng summary.json hoặc một biểu mẫu riêng.`,
      en: `The summary form has columns for ${FORM_CODES.join(', ')}; rule set ${summary.ruleSet.id} has ${codes.join(', ')}. Use summary.json or a form of your own.`,
    });
  }
  const header = {
    ...(summary.common.parentBody !== undefined ? { issuingBody: summary.common.parentBody } : {}),
    ...(summary.common.place !== undefined ? { place: summary.common.place } : {}),
    ...(parts.header ?? {}),
  };
  const period = parts.period ?? summary.common.period;
  const missing = [header.issuingBody === undefined && 'header.issuingBody', header.place === undefined && 'header.place', period === undefined && 'period'].filter(Boolean);
  if (missing.length > 0) {
    throw new UsageError('summary-document-parts', {
      vi: `Không xác định được ${missing.join(', ')} của bản tổng hợp từ các bản ghi (không ghi hoặc khác nhau); hãy cho trong tệp --document.`,
      en: `Cannot tell the summary's ${missing.join(', ')} from the records (absent or differing); give them in the --document file.`,
    });
  }
  const rows = options.rowsBy === 'group' ? summary.groups : summary.units;
  if (rows.length > MAX_UNITS) {
    throw new UsageError('summary-too-many-rows', {
      vi: `Bảng tổng hợp có ${rows.length} dòng, quá ${MAX_UNITS} dòng một văn bản; summary.json vẫn đủ số liệu.`,
      en: `The summary has ${rows.length} rows, more than ${MAX_UNITS} for one document; summary.json still has every figure.`,
    });
  }

  // The document states the rule set, the level counted and the quota rule itself; the notes add what the
  // committee must act on: groups over the quota, ties at the cut, people not classified, data problems.
  const notes: string[] = [];
  const quota = summary.quota;
  const people: Array<Record<string, unknown>> = [];
  let unlisted = 0;
  if (quota) {
    const failing = quota.checks.filter((c) => !c.pass);
    if (failing.length > 0) {
      notes.push(
        `Nhóm vượt tỷ lệ: ${failing.map((c) => `${c.name} (${c.proposed}/${c.ceiling})`).join('; ')}. Danh sách người vượt (xếp theo điểm) kèm theo để cấp có thẩm quyền xem xét; bản tổng hợp không tự hạ mức của ai.`,
      );
    }
    for (const c of quota.checks) {
      if (!c.tie) continue;
      const score = c.tie.score === null ? 'không có điểm' : formatPoints(c.tie.score, 'vi');
      notes.push(`${c.name}: ${c.tie.people.length} người bằng điểm (${score}) tại ngưỡng; thứ tự giữa họ do cấp có thẩm quyền quyết định.`);
    }
    const listed = new Set<Candidate>();
    for (const c of failing) {
      const ranked = [...(c.tie?.people ?? []), ...c.over].filter((p) => !listed.has(p) && (listed.add(p), true));
      for (const p of ranked) {
        if (people.length >= MAX_PEOPLE) {
          unlisted++;
          continue;
        }
        const isOver = c.over.includes(p);
        const levels = Object.fromEntries(Object.entries(p.levels).filter(([, v]) => codes.includes(v as string)));
        const score = p.score !== undefined ? formatPoints(p.score, 'vi') : 'không có';
        people.push({
          fullName: p.name,
          ...(p.post !== undefined ? { post: p.post } : {}),
          unit: p.unit,
          ...(p.group !== undefined ? { group: p.group } : {}),
          ...(p.scores ? { scores: p.scores } : {}),
          ...(p.verifiedTotal !== undefined ? { verifiedPoints: p.verifiedTotal } : {}),
          ...levels,
          note: isOver
            ? `Vượt số tối đa ${c.ceiling} của nhóm (điểm ${score}); đề nghị cấp có thẩm quyền xem xét.`
            : `Bằng điểm tại ngưỡng (điểm ${score}).`,
        });
      }
    }
  }
  // A list cut to fit one document says so, and where the rest is.
  if (unlisted > 0) notes.push(`Danh sách cá nhân in ${MAX_PEOPLE} người đầu; ${unlisted} người khác có trong summary.json.`);
  const unclassified = summary.total.counts.unclassified!;
  if (unclassified > 0) notes.push(`${unclassified} người chưa xếp loại (chưa có mức được tính), vẫn có trong tổng số.`);
  if (summary.issues.errors + summary.issues.warnings > 0) {
    notes.push(`Dữ liệu có ${summary.issues.errors} lỗi và ${summary.issues.warnings} cảnh báo (chi tiết trong summary.json).`);
  }
  notes.push(...(parts.notes ?? []));

  const year = (period as { year?: number } | undefined)?.year;
  const subject = parts.subject ?? (year !== undefined ? `Tổng hợp kết quả đánh giá, xếp loại chất lượng ${periodText(period)}` : undefined);
  return {
    header,
    ...(subject !== undefined ? { subject } : {}),
    period,
    ruleSet: summary.ruleSet.id,
    ruleSetVersion: summary.ruleSet.version,
    levelBasis: summary.levelBasis.vi,
    unitsBy: options.rowsBy === 'group' ? 'group' : 'unit',
    units: rows.map((r) => ({ name: r.name, total: r.evaluated, counts: counts(r) })),
    totals: totalsOf(summary),
    ...(quota && quota.checks.length > 0
      ? {
          groups: quota.checks.map((c) => ({
            name: c.group ?? c.unit ?? c.name,
            ...(c.unit !== undefined && c.group !== undefined ? { unit: c.unit } : {}),
            evaluated: c.evaluated,
            base: c.base,
            baseRule: c.baseRule,
            ceilingPct: c.ceilingPct,
            exception: c.exception !== undefined,
            ...(c.exception ? { exceptionDecision: c.exception.decision } : {}),
            rounding: c.rounding,
            ceiling: c.ceiling,
            proposedExcellent: c.proposed,
            ...(c.share.value !== undefined ? { proposedPct: c.share.value } : {}),
            pass: c.pass,
            ...(c.over.length > 0
              ? { over: [...c.over.slice(0, MAX_OVER).map((p) => p.name), ...(c.over.length > MAX_OVER ? [`và ${c.over.length - MAX_OVER} người khác (danh sách đủ trong summary.json)`] : [])] }
              : {}),
          })),
        }
      : {}),
    ...(people.length > 0 ? { people } : {}),
    notes: notes.length > MAX_NOTES ? [...notes.slice(0, MAX_NOTES - 1), '(Các ghi chú khác trong summary.json.)'] : notes,
    ...(parts.signature ? { signature: parts.signature } : {}),
    ...(parts.recipients ? { recipients: parts.recipients } : {}),
  };
}
