// The flat column model of a tabular form: one spreadsheet column per leaf field, arrays flattened into numbered groups.
import type { FormDefinition, JsonSchema } from '../forms/types.js';
import type { FormRegistry } from '../forms/registry.js';
import type { RuleSet } from '../rules/types.js';
import { escapePointerToken } from '../normalize/value.js';
import { describePointer } from '../validate/labels.js';
import { LABEL_SEPARATOR } from '../validate/issue.js';
import { columnLetter } from './address.js';

/** How a cell's text or value becomes a JSON value. */
export type ColumnKind = 'text' | 'date' | 'number' | 'integer' | 'boolean' | 'enum';

export interface EnumOption {
  /** The stored code (string or number). */
  code: string | number;
  /** What the dropdown shows (Vietnamese). */
  label: string;
  /** English label, when the schema or rule set has one. */
  labelEn?: string;
}

export interface SheetColumn {
  /** 0-based position in the data sheet. */
  index: number;
  letter: string;
  /** Concrete JSON pointer, array indices included: "/tasks/0/targets/1/indicator". */
  pointer: string;
  /** Header text shown in the generated workbook, per language (shortest unique suffix of the label path). */
  header: { vi: string; en: string };
  /** Full label path per language, e.g. ["Nhiệm vụ 1", "Chỉ tiêu 2", "Chỉ tiêu, chỉ số"]. */
  labels: { vi: string[]; en: string[] };
  /** Other accepted header texts (schema `x-aliases` on the leaf, combined with the group prefix). */
  aliases: string[];
  kind: ColumnKind;
  /** Required inside its parent object. */
  required: boolean;
  /** Required whenever the record exists: every step from the root is required (no optional array item above it). */
  requiredInRecord: boolean;
  options?: EnumOption[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  maxLength?: number;
  /** Exact number of digits when the pattern says so (`^[0-9]{12}$` for an ID number). */
  exactDigits?: number;
  /** Stored as text in the sheet (x-sheet format "text": ID numbers, phone numbers, codes). */
  textFormat: boolean;
  description?: string;
  /** Array steps above this column: the array pointer pattern and the 0-based index of this column's item. */
  arrays: Array<{ array: string; index: number }>;
  /** Character width for the generated sheet. */
  width: number;
}

export interface ColumnModel {
  form: FormDefinition;
  columns: SheetColumn[];
  byPointer: Map<string, SheetColumn>;
}

/** Arrays without `maxItems` get this many column groups unless the schema says otherwise (`x-sheet.maxItems`). */
const DEFAULT_ARRAY_GROUPS = 3;

function isObject(v: unknown): v is JsonSchema {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The first value a keyword takes across the nodes that apply at a pointer (outer nodes win over $ref targets). */
function first<T>(nodes: JsonSchema[], key: string, guard: (v: unknown) => v is T): T | undefined {
  for (const n of nodes) {
    const v = n[key];
    if (guard(v)) return v;
  }
  return undefined;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);

function typeOf(nodes: JsonSchema[]): string | undefined {
  for (const n of nodes) {
    if (typeof n.type === 'string') return n.type;
    if (Array.isArray(n.type)) return (n.type as unknown[]).find((t) => t !== 'null') as string | undefined;
  }
  if (nodes.some((n) => isObject(n.properties))) return 'object';
  if (nodes.some((n) => isObject(n.items))) return 'array';
  return undefined;
}

function propertyNames(nodes: JsonSchema[]): string[] {
  const names: string[] = [];
  for (const n of nodes) {
    if (!isObject(n.properties)) continue;
    for (const key of Object.keys(n.properties)) if (!names.includes(key)) names.push(key);
  }
  return names;
}

/** Names required unconditionally: `then`/`else` branches (required only in some cases) do not count. */
function requiredNames(nodes: JsonSchema[]): Set<string> {
  const conditional = new Set<unknown>();
  for (const n of nodes) {
    if (isObject(n.then)) conditional.add(n.then);
    if (isObject(n.else)) conditional.add(n.else);
  }
  const out = new Set<string>();
  for (const n of nodes) {
    if (conditional.has(n) || !Array.isArray(n.required)) continue;
    for (const r of n.required) if (typeof r === 'string') out.add(r);
  }
  return out;
}

/** Every schema document by `$id`, for following `$ref` across files. */
export function schemaStore(registry: FormRegistry): Map<string, JsonSchema> {
  const store = new Map<string, JsonSchema>();
  for (const s of registry.shared) store.set(s.id, s.schema);
  for (const f of registry.list()) store.set(f.schemaId, f.schema);
  return store;
}

/** Level codes are shown with the rule set's names, so a local rule set renames the dropdown too. */
function enumOptions(nodes: JsonSchema[], rules: RuleSet | undefined): EnumOption[] | undefined {
  const values = first(nodes, 'enum', isArray);
  if (!values) return undefined;
  const labels = first(nodes, 'x-enumLabels', isObject) as Record<string, unknown> | undefined;
  const labelsEn = first(nodes, 'x-enumLabels-en', isObject) as Record<string, unknown> | undefined;
  const levels = new Map((rules?.levels ?? []).map((l) => [l.code, l]));
  const allLevels = values.length > 0 && values.every((v) => typeof v === 'string' && levels.has(v));
  return values
    .filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
    .map((code) => {
      if (allLevels) {
        const level = levels.get(code as string)!;
        return { code, label: level.name, labelEn: level.nameEn };
      }
      const label = labels?.[String(code)];
      const labelEn = labelsEn?.[String(code)];
      return { code, label: typeof label === 'string' ? label : String(code), ...(typeof labelEn === 'string' ? { labelEn } : {}) };
    });
}

interface Leaf {
  pointer: string;
  nodes: JsonSchema[];
  required: boolean;
  requiredInRecord: boolean;
  arrays: Array<{ array: string; index: number }>;
}

function collectLeaves(form: FormDefinition, store: Map<string, JsonSchema>): Leaf[] {
  const leaves: Leaf[] = [];
  const nodesAt = (pointer: string) => describePointer(form.schema, form.schemaId, pointer, store, 'vi').nodes;

  const walk = (pointer: string, pattern: string, nodes: JsonSchema[], required: boolean, inRecord: boolean, arrays: Leaf['arrays'], depth: number): void => {
    if (depth > 12) return;
    // A field that belongs to the document, not to a row the unit fills (x-sheet.omit), gets no column.
    if (first(nodes, 'x-sheet', isObject)?.omit === true) return;
    const type = typeOf(nodes);
    if (type === 'object') {
      const req = requiredNames(nodes);
      for (const name of propertyNames(nodes)) {
        const child = `${pointer}/${escapePointerToken(name)}`;
        walk(child, `${pattern}/${escapePointerToken(name)}`, nodesAt(child), req.has(name), inRecord && req.has(name), arrays, depth + 1);
      }
      return;
    }
    if (type === 'array') {
      const sheet = first(nodes, 'x-sheet', isObject);
      const groups = (isNumber(sheet?.maxItems) ? sheet.maxItems : undefined) ?? first(nodes, 'maxItems', isNumber) ?? DEFAULT_ARRAY_GROUPS;
      const minItems = first(nodes, 'minItems', isNumber) ?? 0;
      for (let i = 0; i < groups; i++) {
        const child = `${pointer}/${i}`;
        walk(child, `${pattern}/*`, nodesAt(child), true, inRecord && i < minItems, [...arrays, { array: pattern, index: i }], depth + 1);
      }
      return;
    }
    leaves.push({ pointer, nodes, required, requiredInRecord: inRecord, arrays });
  };

  const root = nodesAt('');
  const req = requiredNames(root);
  let names = propertyNames(root);
  // The person comes first (the name column is frozen at the left); the rest keeps the schema's order.
  const personTop = form.meta.personKey?.[0]?.split('/')[1];
  if (personTop && names.includes(personTop)) names = [personTop, ...names.filter((n) => n !== personTop)];
  for (const name of names) {
    const child = `/${escapePointerToken(name)}`;
    walk(child, child, nodesAt(child), req.has(name), req.has(name), [], 1);
  }
  return leaves;
}

function kindOf(nodes: JsonSchema[]): ColumnKind {
  if (first(nodes, 'enum', isArray)) return 'enum';
  const type = typeOf(nodes);
  if (type === 'string' && first(nodes, 'format', isString) === 'date') return 'date';
  if (type === 'number') return 'number';
  if (type === 'integer') return 'integer';
  if (type === 'boolean') return 'boolean';
  return 'text';
}

/** Header texts: the shortest suffix of each label path that no other column shares. */
function uniqueHeaders(paths: string[][]): string[] {
  const take = paths.map(() => 1);
  const text = (i: number) => paths[i]!.slice(-take[i]!).join(LABEL_SEPARATOR);
  for (let round = 0; round < 16; round++) {
    const groups = new Map<string, number[]>();
    paths.forEach((_, i) => {
      const key = text(i).toLowerCase();
      const list = groups.get(key);
      if (list) list.push(i);
      else groups.set(key, [i]);
    });
    let changed = false;
    for (const list of groups.values()) {
      if (list.length < 2) continue;
      for (const i of list) {
        if (take[i]! < paths[i]!.length) {
          take[i]!++;
          changed = true;
        }
      }
    }
    if (!changed) break;
  }
  return paths.map((_, i) => text(i));
}

function widthFor(kind: ColumnKind, header: string, options: EnumOption[] | undefined, maxLength: number | undefined, textFormat: boolean): number {
  const longestWord = Math.max(...header.split(/\s+/).map((w) => w.length));
  let content: number;
  switch (kind) {
    case 'date':
      content = 13;
      break;
    case 'number':
    case 'integer':
      content = 10;
      break;
    case 'boolean':
      content = 9;
      break;
    case 'enum':
      content = Math.max(...(options ?? []).map((o) => String(o.label).length)) + 3;
      break;
    default:
      content = textFormat ? 16 : maxLength !== undefined && maxLength <= 20 ? maxLength + 2 : maxLength !== undefined && maxLength <= 120 ? 24 : 36;
  }
  // Headers wrap onto up to four lines; a column is never narrower than its longest header word.
  const headerNeed = Math.ceil(header.length / 4);
  return Math.min(50, Math.max(10, content, longestWord + 2, headerNeed));
}

/**
 * Builds the column model of a tabular form. `rules` supplies level names for level dropdowns. The model is
 * deterministic for a given schema and rule set, so the generator and the reader agree column by column.
 */
export function buildColumns(form: FormDefinition, registry: FormRegistry, rules?: RuleSet): ColumnModel {
  const store = schemaStore(registry);
  const leaves = collectLeaves(form, store);
  const labelsVi = leaves.map((l) => describePointer(form.schema, form.schemaId, l.pointer, store, 'vi').labels);
  const labelsEn = leaves.map((l) => describePointer(form.schema, form.schemaId, l.pointer, store, 'en').labels);
  const headersVi = uniqueHeaders(labelsVi);
  const headersEn = uniqueHeaders(labelsEn);
  const columns: SheetColumn[] = leaves.map((leaf, index) => {
    const { nodes } = leaf;
    const kind = kindOf(nodes);
    const options = kind === 'enum' ? enumOptions(nodes, rules) : undefined;
    const sheet = first(nodes, 'x-sheet', isObject);
    const aliasList = (first(nodes, 'x-aliases', isArray) ?? []).filter(isString);
    const header = headersVi[index]!;
    const headerParts = header.split(LABEL_SEPARATOR);
    const prefix = headerParts.slice(0, -1);
    const aliases = aliasList.map((a) => [...prefix, a].join(LABEL_SEPARATOR));
    const maxLength = first(nodes, 'maxLength', isNumber);
    const textFormat = sheet?.format === 'text';
    const digits = /^\^\[0-9\]\{(\d+)\}\$$/.exec(first(nodes, 'pattern', isString) ?? '');
    return {
      index,
      letter: columnLetter(index),
      pointer: leaf.pointer,
      header: { vi: header, en: headersEn[index]! },
      labels: { vi: labelsVi[index]!, en: labelsEn[index]! },
      aliases,
      kind,
      required: leaf.required,
      requiredInRecord: leaf.requiredInRecord,
      options,
      minimum: first(nodes, 'minimum', isNumber),
      maximum: first(nodes, 'maximum', isNumber),
      exclusiveMinimum: first(nodes, 'exclusiveMinimum', isNumber),
      exclusiveMaximum: first(nodes, 'exclusiveMaximum', isNumber),
      multipleOf: first(nodes, 'multipleOf', isNumber),
      maxLength,
      exactDigits: digits ? Number(digits[1]) : undefined,
      textFormat,
      // A date's generic description explains the JSON form (YYYY-MM-DD), not what a clerk types.
      description: kind === 'date' && /YYYY-MM-DD/.test(first(nodes, 'description', isString) ?? '') ? undefined : first(nodes, 'description', isString),
      arrays: leaf.arrays,
      width: widthFor(kind, header, options, maxLength, textFormat),
    };
  });
  return { form, columns, byPointer: new Map(columns.map((c) => [c.pointer, c])) };
}

/** Score-part maxima from the rule set for the pointers the form's checks name (e.g. /scores/general ≤ 30). */
export function ruleMaxima(form: FormDefinition, rules: RuleSet): Map<string, number> {
  const out = new Map<string, number>();
  for (const check of form.meta.checks ?? []) {
    if (check.kind === 'score-parts') {
      for (const [key, pointer] of Object.entries(check.parts)) {
        const part = rules.score.parts.find((p) => p.key === key);
        if (part) out.set(pointer, part.max);
      }
    }
    if (check.kind === 'level') out.set(`${check.scores}/total`, rules.score.max);
  }
  return out;
}
