// Layout profiles (state, party) as data: load, apply per-form and per-call overrides, resolve lengths to points.
import fs from 'node:fs';
import path from 'node:path';
import type { ValidateFunction } from 'ajv';
import { DefinitionError, UsageError, fsProblem } from '../errors.js';
import { isCleanText, normalizeText } from '../normalize/text.js';
import { TEMPLATES_DIR } from '../paths.js';
import { createAjv } from '../validate/ajv.js';
import type { Align, LineSpacing, PageNumbering, PageSetup, ResolvedStyle } from './types.js';

export const PROFILES_DIR = path.join(TEMPLATES_DIR, 'profiles');

/** A length as written in a profile: points as a number, or a string with a unit ("20mm", "1.27cm", "6pt", "0.5in"). */
export type Length = number | string;

export type LineSpacingSpec = { multiple: number } | { exact: Length } | { atLeast: Length };

/** A named style as a profile writes it: every property optional, inherited from `basedOn` (default "base"). */
export interface StyleSpec {
  basedOn?: string;
  font?: string;
  size?: number;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  uppercase?: boolean;
  align?: Align;
  firstLineIndent?: Length;
  indentLeft?: Length;
  indentRight?: Length;
  spaceBefore?: Length;
  spaceAfter?: Length;
  lineSpacing?: LineSpacingSpec;
  keepWithNext?: boolean;
  keepTogether?: boolean;
  color?: string;
  /** Set a one-line paragraph smaller, down to this size, rather than wrap it. */
  shrinkTo?: number;
}

/** How a drawn rule under a line of text is sized: a fraction of the measured text, or a fixed width. */
export interface RuleSpec {
  fraction?: number;
  width?: Length;
  thickness?: number;
  spaceBefore?: Length;
  spaceAfter?: Length;
  align?: 'left' | 'center' | 'right';
}

/** A profile file (templates/profiles/<id>.json), after overrides are merged. */
export interface ProfileData {
  id: string;
  /** Which family of headers and signing conventions the templates use. */
  regime: 'state' | 'party';
  title: string;
  /** The guide the values follow (nd30-2020, hd36-2018, …), recorded in document metadata. */
  guide: string;
  /** Paths of values not confirmed against the official text; shown by `bieumau` so a văn thư can check them. */
  unconfirmed?: string[];
  page: { width: Length; height: Length; margins: { top: Length; bottom: Length; left: Length; right: Length } };
  font: string;
  language: string;
  color: string;
  pageNumbering: { show: boolean; fromPage: number; format: string; style: string; offsetTop: Length };
  /** Relative widths of the two header columns (agency | quốc hiệu or Party tiêu đề). */
  header: { columns: number[] };
  /** Relative widths of nơi nhận | signer, and the height left for a hand signature and seal. */
  closing: { columns: number[]; signatureSpace: Length };
  /** Defaults for every rule, then each kind the templates name (motto, agency, subject, partyName, …). */
  rule: { thickness: number; spaceBefore: Length; spaceAfter: Length };
  rules: Record<string, RuleSpec>;
  /** Fixed wording: quốc hiệu, tiêu ngữ, Party tiêu đề, "Nơi nhận:", blanks for hand filling. */
  texts: Record<string, string>;
  /** Số và ký hiệu: `{number}` (padded to `pad` digits) and `{symbol}`; `unnumbered` keeps a blank for the văn thư. */
  number: { format: string; unnumbered: string; pad: number };
  /** Signing prefixes by authority (on-behalf, deputy, by-order, delegated, acting). */
  signing: Record<string, string>;
  /** Nơi nhận list punctuation: "- " before each line, `separator` after each but the last, `terminator` after the last. */
  recipients: { prefix: string; separator: string; terminator: string };
  table: { padding: { x: Length; y: Length } };
  styles: Record<string, StyleSpec>;
}

/** Deep-partial profile values; `profiles` holds values for one profile id only. */
export interface LayoutOverride {
  profiles?: Record<string, LayoutOverride>;
  [key: string]: unknown;
}

/** A rule kind resolved to points. */
export interface ResolvedRule {
  fraction?: number;
  width?: number;
  thickness: number;
  spaceBefore: number;
  spaceAfter: number;
  align: 'left' | 'center' | 'right';
}

export interface ResolvedProfile {
  data: ProfileData;
  page: PageSetup;
  pageNumbering: PageNumbering;
  styles: Record<string, ResolvedStyle>;
  /** Page width between the margins, in points. */
  textWidth: number;
  rules: Record<string, ResolvedRule>;
  tablePadding: { x: number; y: number };
  signatureSpace: number;
}

const UNIT_PT: Record<string, number> = { pt: 1, mm: 72 / 25.4, cm: 72 / 2.54, in: 72 };

/** Converts a profile length to points; `where` names the value in the error. */
export function toPoints(value: Length, where: string): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  const m = typeof value === 'string' ? /^\s*(-?\d+(?:\.\d+)?)\s*(pt|mm|cm|in)\s*$/.exec(value) : null;
  if (!m) {
    throw new DefinitionError('profile-bad-length', {
      vi: `Độ dài không hợp lệ tại ${where}: ${JSON.stringify(value)} (ví dụ hợp lệ: 20mm, 1.27cm, 6pt).`,
      en: `Invalid length at ${where}: ${JSON.stringify(value)} (valid examples: 20mm, 1.27cm, 6pt).`,
    });
  }
  return Number(m[1]) * UNIT_PT[m[2]!]!;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);

/** Merges `over` into a copy of `base`: objects merge key by key, anything else (arrays included) replaces. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (FORBIDDEN.has(key)) continue;
    out[key] = isPlainObject(value) && isPlainObject(out[key]) ? deepMerge(out[key], value) : value;
  }
  return out as T;
}

/** Applies an override (its general part, then its part for this profile id). */
export function applyOverride(data: ProfileData, override: LayoutOverride | undefined): ProfileData {
  if (!override) return data;
  const { profiles, ...general } = override;
  let merged = deepMerge(data, general);
  const specific = profiles?.[data.id];
  if (specific) merged = applyOverride(merged, specific);
  return merged;
}

/**
 * One text of a profile cleaned up as record text is (`normalizeText`: NFC, invisible characters removed, odd spaces
 * and runs of spaces made one space), except for spacing a profile writes on purpose: runs of no-break spaces (the
 * blank left for the số in `number.unnumbered`) and spaces at either end (the "- " before each recipient).
 */
export function normalizeProfileText(text: string): string {
  if (isCleanText(text)) return text;
  return text
    .split(/(\u00a0+)/)
    .map((part, i) => {
      if (i % 2 === 1) return part;
      const m = /^( *)([\s\S]*?)( *)$/.exec(part)!;
      return m[1]! + normalizeText(m[2]!) + m[3]!;
    })
    .join('');
}

/** Every string of a profile or override (texts, signing prefixes, number formats, …) through `normalizeProfileText`. */
export function normalizeProfileStrings<T>(value: T): T {
  if (typeof value === 'string') return normalizeProfileText(value) as T;
  if (Array.isArray(value)) return value.map((v) => normalizeProfileStrings(v)) as T;
  if (isPlainObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) if (!FORBIDDEN.has(key)) out[key] = normalizeProfileStrings(v);
    return out as T;
  }
  return value;
}

let profileValidator: ValidateFunction | undefined;

function validateProfile(data: unknown, source: string): ProfileData {
  if (!profileValidator) {
    const schema = JSON.parse(fs.readFileSync(path.join(PROFILES_DIR, 'profile.schema.json'), 'utf8'));
    profileValidator = createAjv().compile(schema);
  }
  if (!profileValidator(data)) {
    const detail = (profileValidator.errors ?? [])
      .slice(0, 5)
      .map((e) => `${e.instancePath || '/'} ${e.keyword} ${JSON.stringify(e.params)}`)
      .join('; ');
    throw new DefinitionError('profile-invalid', {
      vi: `Hồ sơ trình bày không hợp lệ (${source}): ${detail}`,
      en: `Invalid layout profile (${source}): ${detail}`,
    });
  }
  return data as ProfileData;
}

export function readJson(file: string, what: { vi: string; en: string }): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError('file-unreadable', {
      vi: `Không đọc được ${what.vi} ${file}: ${fsProblem(e).vi}`,
      en: `Cannot read ${what.en} ${file}: ${(e as Error).message}`,
    });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new DefinitionError('not-json', {
      vi: `${what.vi} ${file} không phải JSON hợp lệ: ${(e as Error).message}`,
      en: `${what.en} ${file} is not valid JSON: ${(e as Error).message}`,
    });
  }
}

/** Reads a layout override file (--layout, or `<template>.layout.json`); it must be a JSON object. */
export function readLayoutOverride(file: string): LayoutOverride {
  const data = readJson(file, { vi: 'tệp trình bày', en: 'layout file' });
  if (!isPlainObject(data)) {
    throw new DefinitionError('layout-not-object', { vi: `${file}: phải là một đối tượng JSON.`, en: `${file}: must be a JSON object.` });
  }
  return data as LayoutOverride;
}

const rawProfiles = new Map<string, ProfileData>();

/** The profile file `<id>.json` from the first folder that has it (shipped profiles last). */
export function loadProfileData(id: string, dirs: string[] = []): ProfileData {
  if (!/^[a-z][a-z0-9-]{0,63}$/.test(id)) {
    throw new UsageError('unknown-profile', { vi: `Tên hồ sơ trình bày không hợp lệ: "${id}".`, en: `Invalid layout profile name: "${id}".` });
  }
  for (const dir of [...dirs, PROFILES_DIR]) {
    const file = path.join(dir, `${id}.json`);
    const cached = rawProfiles.get(file);
    if (cached) return cached;
    if (!fs.existsSync(file)) continue;
    // Texts are normalised once, here, so that every writer gets the same (NFC) characters.
    const data = normalizeProfileStrings(validateProfile(readJson(file, { vi: 'hồ sơ trình bày', en: 'layout profile' }), file));
    if (data.id !== id) {
      throw new DefinitionError('profile-id-mismatch', { vi: `${file}: "id" phải là "${id}".`, en: `${file}: "id" must be "${id}".` });
    }
    rawProfiles.set(file, data);
    return data;
  }
  const known = listProfiles(dirs).join(', ');
  throw new UsageError('unknown-profile', {
    vi: `Không có hồ sơ trình bày "${id}". Hiện có: ${known}.`,
    en: `Unknown layout profile "${id}". Available: ${known}.`,
  });
}

export function listProfiles(dirs: string[] = []): string[] {
  const ids = new Set<string>();
  for (const dir of [...dirs, PROFILES_DIR]) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) if (name.endsWith('.json') && !name.endsWith('.schema.json')) ids.add(name.slice(0, -5));
  }
  return [...ids].sort();
}

function lineSpacing(spec: LineSpacingSpec, where: string): LineSpacing {
  if ('multiple' in spec) return { kind: 'multiple', value: spec.multiple };
  if ('exact' in spec) return { kind: 'exact', pt: toPoints(spec.exact, `${where}.exact`) };
  return { kind: 'atLeast', pt: toPoints(spec.atLeast, `${where}.atLeast`) };
}

function resolveStyles(data: ProfileData): Record<string, ResolvedStyle> {
  const specs = data.styles;
  if (!specs.base) {
    throw new DefinitionError('profile-no-base-style', { vi: `Hồ sơ "${data.id}" thiếu kiểu "base".`, en: `Profile "${data.id}" has no "base" style.` });
  }
  const resolved: Record<string, ResolvedStyle> = {};
  const resolving = new Set<string>();
  const resolve = (name: string): ResolvedStyle => {
    const done = resolved[name];
    if (done) return done;
    const spec = specs[name];
    if (!spec) {
      throw new DefinitionError('profile-unknown-style', {
        vi: `Hồ sơ "${data.id}": kiểu "${name}" không được định nghĩa.`,
        en: `Profile "${data.id}": style "${name}" is not defined.`,
      });
    }
    if (resolving.has(name)) {
      throw new DefinitionError('profile-style-cycle', { vi: `Hồ sơ "${data.id}": kiểu "${name}" kế thừa vòng tròn.`, en: `Profile "${data.id}": style "${name}" inherits from itself.` });
    }
    resolving.add(name);
    const where = `styles.${name}`;
    const parent: ResolvedStyle =
      name === 'base'
        ? {
            font: data.font,
            size: 14,
            bold: false,
            italic: false,
            underline: false,
            uppercase: false,
            align: 'left',
            firstLineIndent: 0,
            indentLeft: 0,
            indentRight: 0,
            spaceBefore: 0,
            spaceAfter: 0,
            lineSpacing: { kind: 'multiple', value: 1 },
            keepWithNext: false,
            keepTogether: false,
            color: data.color,
          }
        : resolve(spec.basedOn ?? 'base');
    const style: ResolvedStyle = {
      font: spec.font ?? parent.font,
      size: spec.size ?? parent.size,
      bold: spec.bold ?? parent.bold,
      italic: spec.italic ?? parent.italic,
      underline: spec.underline ?? parent.underline,
      uppercase: spec.uppercase ?? parent.uppercase,
      align: spec.align ?? parent.align,
      firstLineIndent: spec.firstLineIndent !== undefined ? toPoints(spec.firstLineIndent, `${where}.firstLineIndent`) : parent.firstLineIndent,
      indentLeft: spec.indentLeft !== undefined ? toPoints(spec.indentLeft, `${where}.indentLeft`) : parent.indentLeft,
      indentRight: spec.indentRight !== undefined ? toPoints(spec.indentRight, `${where}.indentRight`) : parent.indentRight,
      spaceBefore: spec.spaceBefore !== undefined ? toPoints(spec.spaceBefore, `${where}.spaceBefore`) : parent.spaceBefore,
      spaceAfter: spec.spaceAfter !== undefined ? toPoints(spec.spaceAfter, `${where}.spaceAfter`) : parent.spaceAfter,
      lineSpacing: spec.lineSpacing ? lineSpacing(spec.lineSpacing, `${where}.lineSpacing`) : parent.lineSpacing,
      keepWithNext: spec.keepWithNext ?? parent.keepWithNext,
      keepTogether: spec.keepTogether ?? parent.keepTogether,
      color: spec.color ?? parent.color,
      ...(spec.shrinkTo !== undefined ? { shrinkTo: spec.shrinkTo } : {}),
    };
    resolving.delete(name);
    resolved[name] = style;
    return style;
  };
  for (const name of Object.keys(specs)) resolve(name);
  return resolved;
}

/** Resolves a (merged) profile: every length in points, every style complete. */
export function resolveProfile(data: ProfileData): ResolvedProfile {
  const m = data.page.margins;
  const page: PageSetup = {
    width: toPoints(data.page.width, 'page.width'),
    height: toPoints(data.page.height, 'page.height'),
    margins: {
      top: toPoints(m.top, 'page.margins.top'),
      bottom: toPoints(m.bottom, 'page.margins.bottom'),
      left: toPoints(m.left, 'page.margins.left'),
      right: toPoints(m.right, 'page.margins.right'),
    },
  };
  const textWidth = page.width - page.margins.left - page.margins.right;
  if (!(textWidth > 72)) {
    throw new DefinitionError('profile-no-text-width', {
      vi: `Hồ sơ "${data.id}": lề trái và phải quá lớn so với khổ giấy.`,
      en: `Profile "${data.id}": the left and right margins leave no room for text.`,
    });
  }
  const styles = resolveStyles(data);
  if (!styles[data.pageNumbering.style]) {
    throw new DefinitionError('profile-unknown-style', {
      vi: `Hồ sơ "${data.id}": pageNumbering.style "${data.pageNumbering.style}" không được định nghĩa.`,
      en: `Profile "${data.id}": pageNumbering.style "${data.pageNumbering.style}" is not defined.`,
    });
  }
  const rules: Record<string, ResolvedRule> = {};
  for (const [kind, spec] of Object.entries(data.rules)) {
    rules[kind] = {
      fraction: spec.fraction,
      width: spec.width !== undefined ? toPoints(spec.width, `rules.${kind}.width`) : undefined,
      thickness: spec.thickness ?? data.rule.thickness,
      spaceBefore: toPoints(spec.spaceBefore ?? data.rule.spaceBefore, `rules.${kind}.spaceBefore`),
      spaceAfter: toPoints(spec.spaceAfter ?? data.rule.spaceAfter, `rules.${kind}.spaceAfter`),
      align: spec.align ?? 'center',
    };
  }
  return {
    data,
    page,
    pageNumbering: {
      show: data.pageNumbering.show,
      fromPage: data.pageNumbering.fromPage,
      format: data.pageNumbering.format,
      style: data.pageNumbering.style,
      offsetTop: toPoints(data.pageNumbering.offsetTop, 'pageNumbering.offsetTop'),
    },
    styles,
    textWidth,
    rules,
    tablePadding: { x: toPoints(data.table.padding.x, 'table.padding.x'), y: toPoints(data.table.padding.y, 'table.padding.y') },
    signatureSpace: toPoints(data.closing.signatureSpace, 'closing.signatureSpace'),
  };
}

/**
 * A profile with its overrides applied in order (form layout, then the caller's), validated again and resolved.
 * `source` names the overrides in an error.
 */
export function buildProfile(id: string, overrides: Array<{ override: LayoutOverride; source: string }> = [], dirs: string[] = []): ResolvedProfile {
  let data = loadProfileData(id, dirs);
  for (const { override, source } of overrides) {
    // An override's texts (a --layout file, a form's layout) are cleaned up as the profile's own are.
    data = validateProfile(applyOverride(data, normalizeProfileStrings(override)), source);
  }
  return resolveProfile(data);
}
