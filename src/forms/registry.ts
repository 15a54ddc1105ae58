// Discovers form definitions: the shipped schemas/ folder plus any folder a user passes with --forms.
import fs from 'node:fs';
import path from 'node:path';
import { canonicalJson, sha256Hex } from '../canonical.js';
import { DefinitionError, UsageError, fsProblem } from '../errors.js';
import { SCHEMAS_DIR, TEMPLATES_DIR } from '../paths.js';
import type { FormDefinition, FormMeta, JsonSchema } from './types.js';

const SCHEMA_BASE = 'https://bieumau.org/schemas/';
const FORM_ID = /^[a-z][a-z0-9-]{0,63}$/;

/** A schema file that is not a form (shared `$defs`): loaded so references resolve, not listed. */
export interface SharedSchema {
  id: string;
  schema: JsonSchema;
  file: string;
}

export interface FormRegistry {
  forms: Map<string, FormDefinition>;
  shared: SharedSchema[];
  /** Folders searched for rule sets, in order (shipped first). */
  ruleDirs: string[];
  get(id: string): FormDefinition;
  list(): FormDefinition[];
}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new DefinitionError('definition-unreadable', {
      vi: `Không đọc được tệp ${file}: ${fsProblem(e).vi}`,
      en: `Cannot read ${file}: ${(e as Error).message}`,
    });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DefinitionError('definition-not-json', {
      vi: `Tệp ${file} không phải JSON hợp lệ: ${(e as Error).message}`,
      en: `${file} is not valid JSON: ${(e as Error).message}`,
    });
  }
}

function findTemplate(dirs: string[], name: string): string | undefined {
  for (const dir of dirs) {
    const file = path.join(dir, `${name}.hbs`);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

function loadFolder(dir: string, templateDirs: string[]): { forms: FormDefinition[]; shared: SharedSchema[] } {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UsageError('forms-dir-missing', {
      vi: `Không tìm thấy thư mục biểu mẫu: ${dir}`,
      en: `Forms folder not found: ${dir}`,
    });
  }
  const forms: FormDefinition[] = [];
  const shared: SharedSchema[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    if (!name.endsWith('.schema.json')) continue;
    const file = path.join(dir, name);
    const schema = readJsonFile(file);
    if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
      throw new DefinitionError('definition-not-object', { vi: `${file}: lược đồ phải là một đối tượng JSON.`, en: `${file}: a schema must be a JSON object.` });
    }
    const s = schema as JsonSchema;
    const meta = s['x-form'] as FormMeta | undefined;
    if (meta === undefined) {
      const id = typeof s.$id === 'string' ? s.$id : SCHEMA_BASE + name;
      shared.push({ id, schema: { ...s, $id: id }, file });
      continue;
    }
    if (typeof meta.id !== 'string' || !FORM_ID.test(meta.id)) {
      throw new DefinitionError('form-bad-id', {
        vi: `${file}: x-form.id phải là chữ thường không dấu, chữ số và dấu gạch nối (ví dụ "bao-cao-quy").`,
        en: `${file}: x-form.id must be lower-case ASCII letters, digits and hyphens (e.g. "quarterly-report").`,
      });
    }
    const schemaId = typeof s.$id === 'string' ? s.$id : `${SCHEMA_BASE}${meta.id}.schema.json`;
    const full: JsonSchema = { ...s, $id: schemaId };
    forms.push({
      id: meta.id,
      version: typeof meta.version === 'string' ? meta.version : '0.0.0',
      title: typeof s.title === 'string' ? s.title : meta.id,
      titleEn: typeof s['x-title-en'] === 'string' ? (s['x-title-en'] as string) : typeof s.title === 'string' ? s.title : meta.id,
      description: typeof s.description === 'string' ? s.description : undefined,
      meta: { ...meta, profile: meta.profile === 'state' ? 'state' : 'party' },
      schema: full,
      schemaId,
      schemaHash: sha256Hex(canonicalJson(full)),
      dir,
      templatePath: findTemplate(templateDirs, meta.template ?? meta.id),
    });
  }
  return { forms, shared };
}

/**
 * Loads the shipped forms and those in `extraDirs` (each may hold `*.schema.json`, a `templates/` folder or
 * `.hbs` files beside the schemas, and a `rules/` folder). A user form may not reuse a shipped form's id.
 */
export function loadRegistry(extraDirs: string[] = []): FormRegistry {
  const forms = new Map<string, FormDefinition>();
  const shared: SharedSchema[] = [];
  const ruleDirs = [path.join(SCHEMAS_DIR, 'rules')];
  const sources: Array<{ dir: string; templateDirs: string[] }> = [{ dir: SCHEMAS_DIR, templateDirs: [TEMPLATES_DIR] }];
  for (const raw of extraDirs) {
    const dir = path.resolve(raw);
    sources.push({ dir, templateDirs: [path.join(dir, 'templates'), dir, TEMPLATES_DIR] });
    ruleDirs.push(path.join(dir, 'rules'));
  }
  for (const { dir, templateDirs } of sources) {
    const loaded = loadFolder(dir, templateDirs);
    shared.push(...loaded.shared);
    for (const form of loaded.forms) {
      const existing = forms.get(form.id);
      if (existing) {
        throw new DefinitionError('form-duplicate-id', {
          vi: `Biểu mẫu "${form.id}" được định nghĩa hai lần: ${existing.dir} và ${form.dir}.`,
          en: `Form "${form.id}" is defined twice: ${existing.dir} and ${form.dir}.`,
        });
      }
      forms.set(form.id, form);
    }
  }
  return {
    forms,
    shared,
    ruleDirs,
    get(id: string): FormDefinition {
      const form = forms.get(id);
      if (!form) {
        const known = [...forms.keys()].join(', ');
        throw new UsageError('unknown-form', {
          vi: `Không có biểu mẫu "${id}". Các biểu mẫu hiện có: ${known}.`,
          en: `Unknown form "${id}". Available forms: ${known}.`,
        });
      }
      return form;
    },
    list(): FormDefinition[] {
      return [...forms.values()];
    },
  };
}
