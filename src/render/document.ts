// Builds the document model of a record: form template + layout profile (with overrides) + rule set → DocumentModel.
//
// Layout overrides are applied in this order, each a deep-partial profile whose `profiles.<id>` part applies to
// one profile only: the form's `x-form.layout` (in its schema), the file `<template>.layout.json` beside the
// template, then the caller's (`layout` option, `--layout FILE`).
import fs from 'node:fs';
import path from 'node:path';
import { loadRegistry, type FormRegistry } from '../forms/registry.js';
import type { FormDefinition, JsonSchema } from '../forms/types.js';
import { buildProfile, readLayoutOverride, type LayoutOverride, type ResolvedProfile } from '../model/profile.js';
import type { DocumentModel } from '../model/types.js';
import { normalizeValue } from '../normalize/value.js';
import { loadRules, type RuleRegistry } from '../rules/registry.js';
import type { RuleSet } from '../rules/types.js';
import { TEMPLATES_DIR } from '../paths.js';
import { UsageError } from '../errors.js';
import { describePointer } from '../validate/labels.js';
import { PARTIALS_DIR, TemplateEnvironment, type CompiledTemplate } from '../template/environment.js';
import { RenderDataError, type RenderData } from '../template/helpers.js';
import { parseMarkup } from '../template/markup.js';

export interface LayoutSource {
  override: LayoutOverride;
  /** Where it came from, for error messages (a file name). */
  source: string;
}

export interface BuilderOptions {
  /** Layout overrides for every document this builder makes (after the form's own). */
  layout?: LayoutSource[];
  /** Extra folders searched for profiles before the shipped templates/profiles/. */
  profileDirs?: string[];
}

export interface BuildOptions {
  /** Layout profile id; when absent, the one the record names in `header.profile`, else the form's `x-form.profile`. */
  profile?: string;
  /** Rule set id or object; when absent, the one the record names in `ruleSet`, else the form's default (qd366-2025). */
  rules?: string | RuleSet;
  /** The record is already normalised (validated records are); skip normalising it again. */
  normalized?: boolean;
}

interface FormKit {
  template: CompiledTemplate;
  env: TemplateEnvironment;
  formLayout: LayoutSource[];
  enumLabels: Map<string, Record<string, string> | undefined>;
  profiles: Map<string, ResolvedProfile>;
}

/**
 * Turns records into document models. Everything that does not depend on the record — compiled templates,
 * resolved profiles, enum labels — is built on first use and kept, so a batch pays for it once.
 */
export class DocumentBuilder {
  private readonly kits = new Map<string, FormKit>();
  private readonly envs = new Map<string, TemplateEnvironment>();
  private readonly schemaStore = new Map<string, JsonSchema>();

  constructor(
    readonly forms: FormRegistry,
    readonly rules: RuleRegistry,
    private readonly options: BuilderOptions = {},
  ) {
    for (const shared of forms.shared) this.schemaStore.set(shared.id, shared.schema);
    for (const form of forms.list()) this.schemaStore.set(form.schemaId, form.schema);
  }

  private environment(templatePath: string): TemplateEnvironment {
    const dir = path.dirname(path.resolve(templatePath));
    const dirs = [PARTIALS_DIR];
    if (dir !== path.resolve(TEMPLATES_DIR)) dirs.push(path.join(dir, 'partials'));
    const key = dirs.join('\u0000');
    let env = this.envs.get(key);
    if (!env) {
      env = new TemplateEnvironment(dirs);
      this.envs.set(key, env);
    }
    return env;
  }

  private kit(form: FormDefinition): FormKit {
    let kit = this.kits.get(form.id);
    if (kit) return kit;
    if (!form.templatePath) {
      throw new UsageError('form-no-template', {
        vi: `Biểu mẫu "${form.id}" chưa có mẫu văn bản (${form.meta.template ?? form.id}.hbs).`,
        en: `Form "${form.id}" has no document template (${form.meta.template ?? form.id}.hbs).`,
      });
    }
    const env = this.environment(form.templatePath);
    const formLayout: LayoutSource[] = [];
    const inSchema = (form.meta as unknown as { layout?: unknown }).layout;
    if (inSchema !== undefined && inSchema !== null && typeof inSchema === 'object' && !Array.isArray(inSchema)) {
      formLayout.push({ override: inSchema as LayoutOverride, source: `${form.id}: x-form.layout` });
    }
    const beside = form.templatePath.replace(/\.hbs$/, '.layout.json');
    if (fs.existsSync(beside)) formLayout.push({ override: readLayoutOverride(beside), source: beside });
    kit = { template: env.template(form.templatePath), env, formLayout, enumLabels: new Map(), profiles: new Map() };
    this.kits.set(form.id, kit);
    return kit;
  }

  /** The resolved profile a form's documents use (profile file + form layout + caller layout). */
  profileFor(form: FormDefinition | string, profileId?: string): ResolvedProfile {
    const def = typeof form === 'string' ? this.forms.get(form) : form;
    const kit = this.kit(def);
    const id = profileId ?? def.meta.profile;
    let profile = kit.profiles.get(id);
    if (!profile) {
      profile = buildProfile(id, [...kit.formLayout, ...(this.options.layout ?? [])], this.options.profileDirs);
      kit.profiles.set(id, profile);
    }
    return profile;
  }

  private enumLabel(form: FormDefinition, kit: FormKit, pointer: string, value: string): string | undefined {
    let labels = kit.enumLabels.get(pointer);
    if (!kit.enumLabels.has(pointer)) {
      const concrete = pointer.replace(/\/\*(?=\/|$)/g, '/0');
      const info = describePointer(form.schema, form.schemaId, concrete, this.schemaStore, 'vi');
      const found = info.nodes.map((n) => n['x-enumLabels']).find((v) => v !== null && typeof v === 'object');
      labels = found as Record<string, string> | undefined;
      kit.enumLabels.set(pointer, labels);
    }
    return labels && Object.prototype.hasOwnProperty.call(labels, value) ? labels[value] : undefined;
  }

  /** A record that names the rule set it was computed with (a summary's `ruleSet`) is rendered with that set. */
  private recordRules(record: unknown): string | undefined {
    const id = record !== null && typeof record === 'object' ? (record as { ruleSet?: unknown }).ruleSet : undefined;
    if (typeof id !== 'string') return undefined;
    if (!this.rules.list().some((r) => r.id === id)) {
      throw new RenderDataError('record-rules-unknown', {
        vi: `Bản ghi dùng bộ quy tắc "${id}" nhưng bộ quy tắc này không có (hiện có: ${this.rules.list().map((r) => r.id).join(', ')}).`,
        en: `The record names rule set "${id}", which is not loaded (available: ${this.rules.list().map((r) => r.id).join(', ')}).`,
      });
    }
    return id;
  }

  /** A record whose header names its layout (a state body's report on a Party form, say) is laid out that way. */
  private recordProfile(record: unknown): string | undefined {
    const header = record !== null && typeof record === 'object' ? (record as { header?: unknown }).header : undefined;
    const id = header !== null && typeof header === 'object' ? (header as { profile?: unknown }).profile : undefined;
    return typeof id === 'string' ? id : undefined;
  }

  /** The markup a record's template produces (for debugging templates and for tests). */
  markup(form: FormDefinition | string, record: unknown, options: BuildOptions = {}): { markup: string; profile: ResolvedProfile; template: CompiledTemplate; env: TemplateEnvironment } {
    const def = typeof form === 'string' ? this.forms.get(form) : form;
    const kit = this.kit(def);
    const value = options.normalized ? record : normalizeValue(record).value;
    const profile = this.profileFor(def, options.profile ?? this.recordProfile(value));
    const rules = typeof options.rules === 'object' ? options.rules : this.rules.get(options.rules ?? this.recordRules(value) ?? def.meta.defaultRules);
    const data: RenderData = {
      rules,
      profile: profile.data,
      form: { id: def.id, version: def.version, title: def.title, ...(def.meta.code ? { code: def.meta.code } : {}) },
      enumLabel: (pointer, v) => this.enumLabel(def, kit, pointer, v),
      counters: {},
    };
    return { markup: kit.template.render(value, data), profile, template: kit.template, env: kit.env };
  }

  /** The document model of one record. */
  build(form: FormDefinition | string, record: unknown, options: BuildOptions = {}): DocumentModel {
    const def = typeof form === 'string' ? this.forms.get(form) : form;
    const { markup, profile, template, env } = this.markup(def, record, options);
    const parsed = parseMarkup(markup, { profile, sources: env.sources, template: template.name });
    return {
      profile: profile.data.id,
      meta: {
        title: parsed.title ?? def.title,
        ...(parsed.subject ? { subject: parsed.subject } : {}),
        ...(parsed.keywords ? { keywords: parsed.keywords } : {}),
        language: profile.data.language,
        formId: def.id,
        formVersion: def.version,
      },
      page: profile.page,
      pageNumbering: profile.pageNumbering,
      styles: profile.styles,
      body: parsed.body,
    };
  }
}

let defaultBuilder: DocumentBuilder | undefined;

/** One-off convenience over a builder for the shipped forms and rule sets (kept between calls). */
export function buildDocument(form: FormDefinition | string, record: unknown, options: BuildOptions = {}): DocumentModel {
  if (!defaultBuilder) {
    const registry = loadRegistry();
    defaultBuilder = new DocumentBuilder(registry, loadRules(registry.ruleDirs));
  }
  return defaultBuilder.build(form, record, options);
}
