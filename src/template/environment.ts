// The Handlebars environment: helpers and partials registered once, each template compiled once, errors located.
//
// Templates are compiled with `strict` (a missing field is an error, not an empty string), `knownHelpersOnly`
// and HTML escaping on, and run with prototype access off. Before compiling, every start tag of a markup element
// gets a `_at="<file index>:<line>"` attribute, so that the markup parser can name the template line an element
// came from; the attribute never reaches the model.
import fs from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { BieumauError, fsProblem } from '../errors.js';
import { TEMPLATES_DIR } from '../paths.js';
import { displayPath, TemplateError } from './errors.js';
import { HELPERS, KNOWN_HELPERS, type RenderData } from './helpers.js';

export const PARTIALS_DIR = path.join(TEMPLATES_DIR, 'partials');

const COMPILE_OPTIONS: CompileOptions = {
  strict: true,
  knownHelpers: KNOWN_HELPERS,
  knownHelpersOnly: true,
  preventIndent: true,
  noEscape: false,
};

type CompileOptions = Parameters<typeof Handlebars.compile>[1];
type TemplateFn = (context: unknown, options?: Record<string, unknown>) => string;

/** Inserts `_at="<index>:<line>"` into every start tag, outside Handlebars expressions. */
export function annotateSource(src: string, index: number): string {
  let out = '';
  let last = 0;
  let line = 1;
  let i = 0;
  const countLines = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (src.charCodeAt(k) === 10) line++;
  };
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === 10) {
      line++;
      i++;
    } else if (c === 123 && src.charCodeAt(i + 1) === 123) {
      const close = src.startsWith('{{!--', i) ? src.indexOf('--}}', i + 5) : src.indexOf('}}', i + 2);
      if (close < 0) break; // unterminated: Handlebars reports it
      const end = close + (src.startsWith('{{!--', i) ? 4 : 2);
      countLines(i, end);
      i = end;
    } else if (c === 60) {
      // Every start tag, known or not, so that an unknown element is located too.
      const m = /^<([A-Za-z_][\w.-]*)/.exec(src.slice(i, i + 48));
      if (m) {
        const at = i + m[0].length;
        out += `${src.slice(last, at)} _at="${index}:${line}"`;
        last = at;
        i = at;
      } else {
        i++;
      }
    } else {
      i++;
    }
  }
  return out + src.slice(last);
}

/** Line and column a Handlebars error carries, in its properties or its message. */
function handlebarsLocation(e: unknown): { line?: number; column?: number } {
  const err = e as { lineNumber?: number; column?: number; message?: string };
  if (typeof err.lineNumber === 'number') return { line: err.lineNumber, column: typeof err.column === 'number' ? err.column + 1 : undefined };
  const m = /line (\d+)/.exec(err.message ?? '') ?? / - (\d+):(\d+)$/.exec(err.message ?? '');
  return m ? { line: Number(m[1]) } : {};
}

/** Lines of `source` whose Handlebars expressions use `.name` (a path whose parent may be missing). */
function linesUsing(source: string, name: string): number[] {
  const found: number[] = [];
  const pattern = new RegExp(`\\{\\{[^}]*\\.${name.replace(/[^A-Za-z0-9_$]/g, '')}\\b[^}]*\\}\\}`);
  source.split('\n').forEach((line, i) => {
    if (pattern.test(line)) found.push(i + 1);
  });
  return found;
}

function describeHandlebarsError(e: unknown, source: string): { vi: string; en: string; line?: number } {
  const message = String((e as Error)?.message ?? e)
    .replace(/ - \d+:\d+$/, '')
    .trim();
  const missing = /^"([^"]+)" not defined in/.exec(message);
  if (missing) {
    return {
      vi: `dữ liệu không có trường "${missing[1]}"; với trường tùy chọn hãy dùng {{#if …}} hoặc helper val`,
      en: `the data has no field "${missing[1]}"; guard optional fields with {{#if …}} or the val helper`,
    };
  }
  // Strict mode reads `a.b` without checking `a`: a missing parent surfaces as a TypeError with no location.
  const parent = /^Cannot read properties of (?:undefined|null) \(reading '([^']+)'\)/.exec(message);
  if (parent) {
    const lines = linesUsing(source, parent[1]!);
    return {
      vi: `một trường cha của "${parent[1]}" không có trong dữ liệu; hãy bọc biểu thức trong {{#if …}}`,
      en: `a parent of field "${parent[1]}" is missing from the data; wrap the expression in {{#if …}}`,
      ...(lines.length === 1 ? { line: lines[0] } : {}),
    };
  }
  return { vi: message, en: message };
}

function toTemplateError(e: unknown, display: string, source: string): unknown {
  if (e instanceof BieumauError) return e; // already located, or a data problem raised by a helper
  const { line, ...what } = describeHandlebarsError(e, source);
  const loc = handlebarsLocation(e);
  return new TemplateError({ template: display, ...(line !== undefined ? { line } : loc) }, what);
}

export interface CompiledTemplate {
  /** File name shown in errors. */
  name: string;
  /** Runs the template on a record; returns the document markup. */
  render(record: unknown, data: RenderData): string;
}

/**
 * One Handlebars environment with our helpers and the partials of the given folders (later folders override
 * earlier ones by name). Templates are read, checked and compiled once and kept.
 */
export class TemplateEnvironment {
  private readonly hb = Handlebars.create();
  /** Display names of every file compiled here, by the index used in `_at` attributes. */
  readonly sources: string[] = [];
  private readonly templates = new Map<string, CompiledTemplate>();

  constructor(partialDirs: string[] = [PARTIALS_DIR]) {
    for (const [name, fn] of Object.entries(HELPERS)) this.hb.registerHelper(name, fn as Handlebars.HelperDelegate);
    for (const dir of partialDirs) {
      if (!fs.existsSync(dir)) continue;
      for (const file of fs.readdirSync(dir).sort()) {
        if (!file.endsWith('.hbs')) continue;
        this.registerPartial(file.slice(0, -4), path.join(dir, file));
      }
    }
  }

  private compileFile(file: string): { fn: TemplateFn; display: string; source: string } {
    const display = displayPath(file);
    let source: string;
    try {
      source = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new TemplateError({ template: display }, { vi: `không đọc được tệp: ${fsProblem(e).vi}`, en: `cannot read the file: ${(e as Error).message}` });
    }
    const index = this.sources.push(display) - 1;
    const annotated = annotateSource(source.normalize('NFC'), index);
    try {
      // Parse now so that syntax errors surface when the template is loaded, not at the first record.
      this.hb.parse(annotated);
    } catch (e) {
      throw toTemplateError(e, display, source);
    }
    const fn = this.hb.compile(annotated, COMPILE_OPTIONS) as unknown as TemplateFn;
    return { fn, display, source };
  }

  private registerPartial(name: string, file: string): void {
    const { fn, display, source } = this.compileFile(file);
    const located: TemplateFn = (context, options) => {
      try {
        return fn(context, options);
      } catch (e) {
        throw toTemplateError(e, display, source);
      }
    };
    this.hb.registerPartial(name, located as unknown as Handlebars.Template);
  }

  /** The compiled template of a file, compiled on first request. */
  template(file: string): CompiledTemplate {
    const key = path.resolve(file);
    let t = this.templates.get(key);
    if (!t) {
      const { fn, display, source } = this.compileFile(key);
      t = {
        name: display,
        render(record: unknown, data: RenderData): string {
          try {
            return fn(record, { data, allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
          } catch (e) {
            throw toTemplateError(e, display, source);
          }
        },
      };
      this.templates.set(key, t);
    }
    return t;
  }
}
