// Quota exceptions as data: a file of grants by the competent level, checked against the rule set and matched to groups.
//
// File format (schema: classification-summary.schema.json#/$defs/quotaExceptions):
//   { "grants": [ { "unit": "Chi bộ Tổ dân phố 3", "group": "Đảng viên sinh hoạt tại tổ dân phố",
//                   "ceilingPct": 25, "decision": "Công văn số 15-CV/ĐU ngày 05/01/2026 của Đảng ủy phường" } ] }
// A grant names a unit, a comparable group or both; the most specific grant that matches a quota group applies.
// `ceilingPct` may not exceed the rule set's exception ceiling and defaults to it.
import fs from 'node:fs';
import type { FormRegistry } from '../forms/registry.js';
import { InputError, UsageError } from '../errors.js';
import { normalizeText, spellingKey } from '../normalize/text.js';
import type { RuleSet } from '../rules/types.js';
import { createAjv } from '../validate/ajv.js';
import type { QuotaGrant } from './types.js';

const SUMMARY_FORM = 'classification-summary';

/** Reads and checks an exceptions file; every problem is an InputError naming the file and the grant. */
export function loadGrants(file: string, registry: FormRegistry, rules: RuleSet): QuotaGrant[] {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    if (missing) throw new UsageError('file-missing', { vi: `Không tìm thấy tệp: ${file}`, en: `File not found: ${file}` });
    throw new InputError('exceptions-not-json', { vi: `${file}: không phải JSON hợp lệ (${(e as Error).message}).`, en: `${file}: not valid JSON (${(e as Error).message}).` });
  }
  const form = registry.get(SUMMARY_FORM);
  const ajv = createAjv();
  for (const shared of registry.shared) ajv.addSchema(shared.schema);
  ajv.addSchema(form.schema);
  const validate = ajv.getSchema(`${form.schemaId}#/$defs/quotaExceptions`);
  if (!validate) throw new Error('classification-summary schema has no $defs/quotaExceptions');
  if (!validate(data)) {
    const detail = (validate.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.keyword}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`)
      .join('; ');
    throw new InputError('exceptions-invalid', {
      vi: `${file}: sai cấu trúc danh sách ngoại lệ (cần {"grants": [{"unit"/"group", "decision", "ceilingPct"?}]}): ${detail}`,
      en: `${file}: malformed exceptions list (expected {"grants": [{"unit"/"group", "decision", "ceilingPct"?}]}): ${detail}`,
    });
  }
  const quota = rules.quota;
  if (!quota) {
    throw new UsageError('exceptions-without-quota', {
      vi: `Bộ quy tắc ${rules.id} không có quy định tỷ lệ; tệp ngoại lệ ${file} không áp dụng được.`,
      en: `Rule set ${rules.id} has no quota; the exceptions file ${file} cannot apply.`,
    });
  }
  const grants = (data as { grants: QuotaGrant[] }).grants.map((g) => ({
    ...(g.unit !== undefined ? { unit: normalizeText(g.unit) } : {}),
    ...(g.group !== undefined ? { group: normalizeText(g.group) } : {}),
    ...(g.ceilingPct !== undefined ? { ceilingPct: g.ceilingPct } : {}),
    decision: normalizeText(g.decision),
  }));
  grants.forEach((g, i) => {
    const pct = g.ceilingPct ?? quota.exceptionCeilingPct;
    if (pct > quota.exceptionCeilingPct) {
      throw new InputError('exception-above-ceiling', {
        vi: `${file}: trường hợp ${i + 1} cho phép ${pct}%, vượt trần ngoại lệ ${quota.exceptionCeilingPct}% của ${rules.id}.`,
        en: `${file}: grant ${i + 1} allows ${pct}%, above the exception ceiling of ${quota.exceptionCeilingPct}% in ${rules.id}.`,
      });
    }
    if (g.unit !== undefined && !quota.groupBy.includes('unit') && g.group === undefined) {
      throw new InputError('exception-unit-not-grouped', {
        vi: `${file}: trường hợp ${i + 1} chỉ ghi đơn vị, nhưng ${rules.id} tính tỷ lệ theo nhóm tương đồng, không theo đơn vị.`,
        en: `${file}: grant ${i + 1} names only a unit, but ${rules.id} applies the quota per comparable group, not per unit.`,
      });
    }
  });
  return grants;
}

/**
 * The grant for a quota group: the most specific match; two equally specific matches are an error. Names match
 * as the summary merges them (`spellingKey`: case, spacing, tone-mark position), so a grant written "Phòng Nội vụ"
 * applies to the unit counted under "Phòng nội vụ", whichever spelling came first.
 */
export function grantFor(grants: QuotaGrant[], unit: string | undefined, group: string | undefined): QuotaGrant | undefined {
  let best: QuotaGrant | undefined;
  let bestRank = -1;
  const unitKey = unit === undefined ? undefined : spellingKey(unit);
  const groupKey = group === undefined ? undefined : spellingKey(group);
  for (const g of grants) {
    if (g.unit !== undefined && spellingKey(g.unit) !== unitKey) continue;
    if (g.group !== undefined && spellingKey(g.group) !== groupKey) continue;
    const rank = (g.unit !== undefined ? 1 : 0) + (g.group !== undefined ? 1 : 0);
    if (rank === bestRank && best && (best.ceilingPct !== g.ceilingPct || best.decision !== g.decision)) {
      const where = [group, unit].filter(Boolean).join(' — ');
      throw new InputError('exception-ambiguous', {
        vi: `Hai trường hợp ngoại lệ cùng áp dụng cho "${where}": "${best.decision}" và "${g.decision}".`,
        en: `Two exception grants apply to "${where}": "${best.decision}" and "${g.decision}".`,
      });
    }
    if (rank > bestRank) {
      best = g;
      bestRank = rank;
    }
  }
  return best;
}
