// Validates records against a form: normalise, JSON Schema (compiled once), then the form's declared checks.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { DefinitionError } from '../errors.js';
import type { FormCheck, FormDefinition, JsonSchema } from '../forms/types.js';
import type { FormRegistry } from '../forms/registry.js';
import type { Lang } from '../i18n.js';
import { normalizeValue } from '../normalize/value.js';
import { getAt } from '../pointer.js';
import { runChecks, formatPoints } from '../rules/checks.js';
import type { RuleRegistry } from '../rules/registry.js';
import type { RuleSet } from '../rules/types.js';
import { createAjv } from './ajv.js';
import { LABEL_SEPARATOR, type ValidationIssue } from './issue.js';
import { describePointer } from './labels.js';
import { message, typeName } from './messages.js';
import { escapePointerToken } from '../normalize/value.js';

export interface ValidateOptions {
  lang?: Lang;
  /** Rule set id; the form's default or qd366-2025 when absent. */
  rules?: string;
  /** Skip normalisation when the caller has already normalised (ingest does). */
  normalized?: boolean;
}

export interface ValidationResult {
  /** No issue of severity "error". */
  ok: boolean;
  /** The normalised record (what was validated and what should be rendered or stored). */
  record: unknown;
  issues: ValidationIssue[];
}

const CHECK_KINDS = new Set(['sum', 'sum-items', 'item-max', 'score-parts', 'level', 'dates-in-year', 'date-order']);
const MAX_ISSUES_PER_RECORD = 200;

interface CompiledForm {
  form: FormDefinition;
  /** Lengths in UTF-16 units: right for records with no character outside the BMP, which are nearly all. */
  validateBmp: ValidateFunction;
  /** Lengths in code points, compiled the first time a record needs it. */
  validateExact?: ValidateFunction;
  checks: FormCheck[];
}

/** A validator bound to one registry and rule registry; compiles each form once, on first use. */
export class FormValidator {
  private readonly ajv = createAjv();
  private readonly ajvBmp = createAjv({ unicode: false });
  private readonly compiled = new Map<string, CompiledForm>();
  /** Every schema document by `$id`, for label lookups through `$ref`. */
  private readonly store = new Map<string, JsonSchema>();

  constructor(
    readonly forms: FormRegistry,
    readonly rules: RuleRegistry,
  ) {
    const documents = [...forms.shared.map((s) => ({ id: s.id, schema: s.schema })), ...forms.list().map((f) => ({ id: f.schemaId, schema: f.schema }))];
    // Each document goes to both compilers (a repeated $id is refused by ajv, as it should be).
    for (const { id, schema } of documents) {
      this.ajv.addSchema(schema);
      this.ajvBmp.addSchema(schema);
      this.store.set(id, schema);
    }
  }

  private compile(formId: string): CompiledForm {
    const cached = this.compiled.get(formId);
    if (cached) return cached;
    const form = this.forms.get(formId);
    let validateBmp: ValidateFunction;
    try {
      validateBmp = this.ajvBmp.getSchema(form.schemaId) ?? this.ajvBmp.compile(form.schema);
    } catch (e) {
      throw new DefinitionError('form-schema-invalid', {
        vi: `Lược đồ của biểu mẫu "${formId}" không hợp lệ: ${(e as Error).message}`,
        en: `The schema of form "${formId}" is invalid: ${(e as Error).message}`,
      });
    }
    const checks = form.meta.checks ?? [];
    for (const check of checks) {
      if (!CHECK_KINDS.has((check as { kind: string }).kind)) {
        throw new DefinitionError('form-check-unknown', {
          vi: `Biểu mẫu "${formId}" khai báo kiểu kiểm tra không có: "${(check as { kind: string }).kind}".`,
          en: `Form "${formId}" declares an unknown check kind "${(check as { kind: string }).kind}".`,
        });
      }
    }
    const entry: CompiledForm = { form, validateBmp, checks };
    this.compiled.set(formId, entry);
    return entry;
  }

  /** Compiles a form now, so that definition errors surface before any record is read. */
  prepare(formId: string, rulesId?: string): { form: FormDefinition; rules: RuleSet } {
    const { form } = this.compile(formId);
    return { form, rules: this.rules.get(rulesId ?? form.meta.defaultRules) };
  }

  /** Label paths already worked out, by form, language and pointer: the same few recur across a file's records. */
  private readonly labels = new Map<string, string[]>();

  labelPath(form: FormDefinition, pointer: string, lang: Lang): string[] {
    const key = `${form.id}\u0000${lang}\u0000${pointer}`;
    let labels = this.labels.get(key);
    if (!labels) {
      labels = describePointer(form.schema, form.schemaId, pointer, this.store, lang).labels;
      if (this.labels.size < 10_000) this.labels.set(key, labels);
    }
    return labels.slice();
  }

  validate(formId: string, input: unknown, options: ValidateOptions = {}): ValidationResult {
    const lang = options.lang ?? 'vi';
    const compiled = this.compile(formId);
    const { form, checks } = compiled;
    const rules = this.rules.get(options.rules ?? form.meta.defaultRules);
    const issues: ValidationIssue[] = [];
    const make = (code: string, pointer: string, text: string, severity: 'error' | 'warning', value: unknown, params?: Record<string, unknown>): ValidationIssue => {
      const labelPath = this.labelPath(form, pointer, lang);
      return { code, severity, form: form.id, pointer, labelPath, label: labelPath.join(LABEL_SEPARATOR), message: text, value, params };
    };

    let record = input;
    // Already-normalised input was not scanned here: its lengths are counted exactly.
    let outsideBmp = true;
    if (!options.normalized) {
      const normalized = normalizeValue(input);
      record = normalized.value;
      outsideBmp = normalized.outsideBmp;
      for (const p of normalized.problems) {
        issues.push(make(p.code, p.pointer, message(p.code, lang, { name: p.key ?? '', first: p.first ?? '', raw: p.raw ?? '' }), 'error', undefined));
      }
    }
    if (record === null || typeof record !== 'object' || Array.isArray(record)) {
      issues.push(make('not-object', '', message('not-object', lang), 'error', record));
      return { ok: false, record, issues };
    }

    const validate = outsideBmp ? (compiled.validateExact ??= this.ajv.getSchema(form.schemaId) ?? this.ajv.compile(form.schema)) : compiled.validateBmp;
    if (!validate(record)) {
      const seen = new Set<string>();
      for (const err of validate.errors ?? []) {
        const issue = this.fromAjv(form, err, record, lang, make);
        if (!issue) continue;
        const key = `${issue.pointer}\u0000${issue.code}\u0000${issue.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        issues.push(issue);
        if (issues.length >= MAX_ISSUES_PER_RECORD) break;
      }
    }

    const findings = runChecks(record, checks, {
      rules,
      lang,
      labelPath: (p) => this.labelPath(form, p, lang),
    });
    // A field the schema already reports missing needs no second message about it.
    const missing = findings.length > 0 ? new Set(issues.filter((i) => i.code === 'required').map((i) => i.pointer)) : undefined;
    for (const f of findings) {
      if (missing?.has(f.pointer)) continue;
      issues.push(make(f.code, f.pointer, message(f.code, lang, f.params), f.severity, f.value, f.params));
    }

    return { ok: !issues.some((i) => i.severity === 'error'), record, issues };
  }

  private fromAjv(
    form: FormDefinition,
    err: ErrorObject,
    record: unknown,
    lang: Lang,
    make: (code: string, pointer: string, text: string, severity: 'error' | 'warning', value: unknown, params?: Record<string, unknown>) => ValidationIssue,
  ): ValidationIssue | undefined {
    const p = err.params as Record<string, unknown>;
    const at = err.instancePath;
    const value = getAt(record, at);
    const nodes = () => describePointer(form.schema, form.schemaId, at, this.store, lang).nodes;
    const num = (n: unknown) => (typeof n === 'number' ? formatPoints(n, lang) : String(n));
    switch (err.keyword) {
      case 'required': {
        const pointer = `${at}/${escapePointerToken(String(p.missingProperty))}`;
        return make('required', pointer, message('required', lang), 'error', undefined);
      }
      case 'additionalProperties': {
        const name = String(p.additionalProperty);
        const pointer = `${at}/${escapePointerToken(name)}`;
        return make('unknown-field', pointer, message('unknown-field', lang, { name }), 'error', getAt(record, pointer));
      }
      case 'type': {
        const types = String(p.type).split(',');
        const expected = types.map((t) => typeName(t, lang)).join(lang === 'vi' ? ' hoặc ' : ' or ');
        return make('type', at, message('type', lang, { expected }), 'error', value);
      }
      case 'enum':
      case 'const': {
        const allowedValues = (err.keyword === 'enum' ? p.allowedValues : [p.allowedValue]) as unknown[];
        const labels = nodes()
          .map((n) => n['x-enumLabels'])
          .find((v) => v && typeof v === 'object') as Record<string, string> | undefined;
        const allowed = allowedValues.map((v) => (labels?.[String(v)] ? `${String(v)} (${labels[String(v)]})` : String(v))).join(', ');
        return make('enum', at, message('enum', lang, { value: typeof value === 'object' ? JSON.stringify(value) : String(value), allowed }), 'error', value, { allowed: allowedValues });
      }
      case 'minimum':
        return make('range', at, message('range-min', lang, { limit: num(p.limit) }), 'error', value, { limit: p.limit });
      case 'maximum':
        return make('range', at, message('range-max', lang, { limit: num(p.limit) }), 'error', value, { limit: p.limit });
      case 'exclusiveMinimum':
        return make('range', at, message('range-xmin', lang, { limit: num(p.limit) }), 'error', value, { limit: p.limit });
      case 'exclusiveMaximum':
        return make('range', at, message('range-xmax', lang, { limit: num(p.limit) }), 'error', value, { limit: p.limit });
      case 'minLength':
        // A blank after clean-up is a missing value to a person filling a form.
        if (value === '') return make('required', at, message('empty', lang), 'error', value);
        return make('length', at, message('length-min', lang, { limit: p.limit }), 'error', value, { limit: p.limit });
      case 'maxLength':
        return make('length', at, message('length-max', lang, { limit: p.limit }), 'error', value, { limit: p.limit });
      case 'pattern': {
        const hint = nodes()
          .map((n) => n['x-patternHint'])
          .find((v) => v && typeof v === 'object') as Record<string, string> | undefined;
        const text = hint?.[lang] ? message('pattern', lang, { hint: hint[lang] }) : message('pattern-plain', lang);
        return make('pattern', at, text, 'error', value);
      }
      case 'format': {
        const fmt = String(p.format);
        const key = fmt === 'date' ? 'format-date' : fmt === 'email' ? 'format-email' : 'format';
        return make('format', at, message(key, lang, { format: fmt }), 'error', value, { format: fmt });
      }
      case 'minItems':
        return make('items-count', at, message('items-min', lang, { limit: p.limit }), 'error', undefined, { limit: p.limit });
      case 'maxItems':
        return make('items-count', at, message('items-max', lang, { limit: p.limit, count: Array.isArray(value) ? value.length : '?' }), 'error', undefined, { limit: p.limit });
      case 'multipleOf': {
        const step = Number(p.multipleOf);
        const decimals = Math.round(-Math.log10(step));
        const text = step < 1 && Math.abs(10 ** -decimals - step) < 1e-12 ? message('multiple-of-decimals', lang, { decimals }) : message('multiple-of', lang, { limit: step });
        return make('multiple-of', at, text, 'error', value);
      }
      case 'uniqueItems':
        return make('unique', at, message('unique', lang, { i: Number(p.j) + 1, j: Number(p.i) + 1 }), 'error', undefined);
      case 'if':
        return undefined; // the failing "then" branch is reported on its own
      default:
        return make('invalid', at, message('invalid', lang), 'error', value);
    }
  }
}
