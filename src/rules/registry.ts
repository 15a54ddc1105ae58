// Loads rule sets from the shipped schemas/rules folder and user folders, validating each against its schema.
import fs from 'node:fs';
import path from 'node:path';
import { DefinitionError, UsageError, fsProblem } from '../errors.js';
import { SCHEMAS_DIR } from '../paths.js';
import { createAjv } from '../validate/ajv.js';
import type { RuleSet } from './types.js';

export const DEFAULT_RULES = 'qd366-2025';

export interface RuleRegistry {
  get(id?: string): RuleSet;
  list(): RuleSet[];
}

let ruleSetValidator: ((data: unknown) => boolean) & { errors?: Array<{ instancePath: string; keyword: string; params: unknown }> | null };

function validatorFor(): typeof ruleSetValidator {
  if (!ruleSetValidator) {
    const ajv = createAjv();
    const schema = JSON.parse(fs.readFileSync(path.join(SCHEMAS_DIR, 'rule-set.schema.json'), 'utf8'));
    ruleSetValidator = ajv.compile(schema) as typeof ruleSetValidator;
  }
  return ruleSetValidator;
}

/** Checks what the rule-set schema cannot: levels reference each other consistently. */
function checkConsistency(rules: RuleSet, file: string): void {
  const codes = new Set(rules.levels.map((l) => l.code));
  const problems: string[] = [];
  rules.levels.forEach((level, i) => {
    const last = i === rules.levels.length - 1;
    if (!last && level.minScore === undefined) problems.push(`levels[${i}] (${level.code}) has no minScore`);
    if (i > 0 && level.minScore !== undefined && (rules.levels[i - 1]!.minScore ?? Infinity) < level.minScore) {
      problems.push(`levels must go from best to worst: ${level.code} has a higher minScore than ${rules.levels[i - 1]!.code}`);
    }
  });
  for (const t of rules.triggers) if (!codes.has(t.level)) problems.push(`trigger ${t.id} names unknown level ${t.level}`);
  if (rules.quota) {
    if (!codes.has(rules.quota.level)) problems.push(`quota.level ${rules.quota.level} is not a level`);
    if (!codes.has(rules.quota.goodLevel)) problems.push(`quota.goodLevel ${rules.quota.goodLevel} is not a level`);
  }
  const partsTotal = rules.score.parts.reduce((s, p) => s + p.max, 0);
  if (Math.abs(partsTotal - rules.score.max) > 1e-9) problems.push(`score parts add up to ${partsTotal}, not ${rules.score.max}`);
  if (problems.length > 0) {
    throw new DefinitionError('rules-inconsistent', {
      vi: `Bộ quy tắc ${file} không nhất quán: ${problems.join('; ')}.`,
      en: `Rule set ${file} is inconsistent: ${problems.join('; ')}.`,
    });
  }
}

export function loadRuleSetFile(file: string): RuleSet {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DefinitionError('rules-unreadable', {
      vi: `Không đọc được bộ quy tắc ${file}: ${fsProblem(e).vi}`,
      en: `Cannot read rule set ${file}: ${(e as Error).message}`,
    });
  }
  const validate = validatorFor();
  if (!validate(data)) {
    const detail = (validate.errors ?? []).slice(0, 5).map((e) => `${e.instancePath || '/'} ${e.keyword} ${JSON.stringify(e.params)}`).join('; ');
    throw new DefinitionError('rules-invalid', {
      vi: `Bộ quy tắc ${file} sai cấu trúc: ${detail}`,
      en: `Rule set ${file} is malformed: ${detail}`,
    });
  }
  const rules = data as RuleSet;
  checkConsistency(rules, file);
  return rules;
}

/** Loads every `*.json` rule set in the given folders; later folders may add rule sets, not replace shipped ones. */
export function loadRules(dirs: string[] = [path.join(SCHEMAS_DIR, 'rules')]): RuleRegistry {
  const sets = new Map<string, RuleSet>();
  for (const dir of dirs) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      if (!name.endsWith('.json')) continue;
      const file = path.join(dir, name);
      const rules = loadRuleSetFile(file);
      if (sets.has(rules.id)) {
        throw new DefinitionError('rules-duplicate-id', {
          vi: `Bộ quy tắc "${rules.id}" được định nghĩa hai lần (${file}).`,
          en: `Rule set "${rules.id}" is defined twice (${file}).`,
        });
      }
      sets.set(rules.id, rules);
    }
  }
  return {
    get(id = DEFAULT_RULES): RuleSet {
      const rules = sets.get(id);
      if (!rules) {
        const known = [...sets.keys()].join(', ');
        throw new UsageError('unknown-rules', {
          vi: `Không có bộ quy tắc "${id}". Hiện có: ${known}.`,
          en: `Unknown rule set "${id}". Available: ${known}.`,
        });
      }
      return rules;
    },
    list: () => [...sets.values()],
  };
}
