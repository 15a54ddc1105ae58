// Templates → markup → model: text and runs, measured rules, tables, and errors that name the template line.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureText } from '../../src/fonts/metrics.js';
import { loadProfileData, resolveProfile } from '../../src/model/profile.js';
import type { Paragraph, Rule, Table } from '../../src/model/types.js';
import { loadRules } from '../../src/rules/registry.js';
import { TemplateEnvironment, PARTIALS_DIR } from '../../src/template/environment.js';
import { TemplateError } from '../../src/template/errors.js';
import type { RenderData } from '../../src/template/helpers.js';
import { parseMarkup } from '../../src/template/markup.js';
import { tmpDir } from '../support/tools.js';

const rules = loadRules().get();
const profiles = { state: resolveProfile(loadProfileData('state')), party: resolveProfile(loadProfileData('party')) };

let counter = 0;
/** Writes a template (and partials) to a fresh folder, renders it on `record` and parses the markup. */
function render(source: string, record: unknown = {}, options: { partials?: Record<string, string>; profile?: 'state' | 'party' } = {}) {
  const dir = tmpDir('bieumau-tpl-');
  const partialDir = path.join(dir, 'partials');
  fs.mkdirSync(partialDir);
  for (const [name, text] of Object.entries(options.partials ?? {})) fs.writeFileSync(path.join(partialDir, `${name}.hbs`), text);
  const file = path.join(dir, `form-${counter++}.hbs`);
  fs.writeFileSync(file, source);
  const env = new TemplateEnvironment([PARTIALS_DIR, partialDir]);
  const profile = profiles[options.profile ?? 'state'];
  const data: RenderData = { rules, profile: profile.data, form: { id: 'test', version: '1.0.0', title: 'Test' }, enumLabel: () => undefined, counters: {} };
  const template = env.template(file);
  const markup = template.render(record, data);
  return { markup, file, parsed: parseMarkup(markup, { profile, sources: env.sources, template: template.name }) };
}

function errorOf(fn: () => unknown): TemplateError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TemplateError) return e;
    throw e;
  }
  throw new Error('expected a TemplateError');
}

describe('paragraphs and runs', () => {
  it('collapses template whitespace, keeps runs with their emphasis, breaks lines at <br/>', () => {
    const { parsed } = render('<document>\n  <p style="field">\n    Họ và tên:   <b>{{name}}</b>\n    <i>(ghi chú)</i><br/>  dòng hai  \n  </p>\n</document>', { name: 'Nguyễn Văn Đức' });
    const p = parsed.body[0] as Paragraph;
    expect(p.style).toBe('field');
    expect(p.runs).toEqual([{ text: 'Họ và tên: ' }, { text: 'Nguyễn Văn Đức', bold: true }, { text: ' ' }, { text: '(ghi chú)', italic: true }, { text: '\ndòng hai' }]);
  });

  it('a style marked uppercase upper-cases the text when the model is built, keeping diacritics', () => {
    const { parsed } = render('<document><p style="agency">{{name}}</p></document>', { name: 'chi bộ ủy ban nhân dân phường' });
    expect((parsed.body[0] as Paragraph).runs[0]!.text).toBe('CHI BỘ ỦY BAN NHÂN DÂN PHƯỜNG');
  });

  it('data is text, never markup: < & " {{ and tags come out literally', () => {
    const hostile = '</p><p style="x">& {{name}} <table>';
    const { parsed, markup } = render('<document><p>{{v}}</p></document>', { v: hostile });
    expect(markup).not.toContain('<table>');
    expect(parsed.body).toHaveLength(1);
    expect((parsed.body[0] as Paragraph).runs).toEqual([{ text: hostile }]);
  });

  it('<append> adds the end mark "./." to the paragraph before, keeping a single period after a full sentence', () => {
    const source = '<document><p>{{a}}</p><append text="./."/><p>{{b}}</p><append text="./."/><p><b>{{a}}</b></p><append text="./."/></document>';
    const { parsed } = render(source, { a: 'Đề nghị cấp trên xem xét', b: 'Đề nghị cấp trên xem xét. ' });
    const texts = (parsed.body as Paragraph[]).map((p) => p.runs.map((r) => r.text).join(''));
    expect(texts).toEqual(['Đề nghị cấp trên xem xét./.', 'Đề nghị cấp trên xem xét./.', 'Đề nghị cấp trên xem xét./.']);
  });

  it('<append> after a table is a line of its own under it, at the margin', () => {
    const { parsed } = render('<document><table columns="1 1"><tr><td>a</td><td>b</td></tr></table><append text="./."/></document>', {});
    expect(parsed.body.map((b) => b.kind)).toEqual(['table', 'paragraph']);
    expect((parsed.body[1] as Paragraph).runs).toEqual([{ text: './.' }]);
    expect((parsed.body[1] as Paragraph).indent).toEqual({ firstLine: 0 });
  });

  it('<append> after space left below the last text goes to that text, not to a line of its own', () => {
    const { parsed } = render('<document><p>Nhóm 1: đề xuất vượt số tối đa 1: Đỗ Minh Quân.</p><spacer height="6pt"/><append text="./."/></document>', {});
    expect(parsed.body.map((b) => b.kind)).toEqual(['paragraph', 'spacer']);
    expect((parsed.body[0] as Paragraph).runs).toEqual([{ text: 'Nhóm 1: đề xuất vượt số tối đa 1: Đỗ Minh Quân./.' }]);
  });

  it('a line break in data is written with the lines helper', () => {
    const { parsed } = render('<document><p>{{lines v}}</p></document>', { v: 'một\nhai <b>' });
    expect((parsed.body[0] as Paragraph).runs).toEqual([{ text: 'một\nhai <b>' }]);
  });
});

describe('rules are measured from the text they underline', () => {
  it('under the tiêu ngữ: as long as the tiêu ngữ line', () => {
    const { parsed } = render('<document><columns widths="{{@profile.header.columns}}"><column><p style="agency">ỦY BAN NHÂN DÂN</p><rule kind="agency"/></column><column><p style="motto">{{@profile.texts.motto}}</p><rule kind="motto"/></column></columns></document>');
    const cols = parsed.body[0]!;
    if (cols.kind !== 'columns') throw new Error('columns expected');
    const motto = cols.columns[1]![1] as Rule;
    expect(motto.kind).toBe('rule');
    expect(motto.width).toBeCloseTo(measureText('Độc lập - Tự do - Hạnh phúc', 14, true), 3);
    expect(motto.align).toBe('center');
    const agency = cols.columns[0]![1] as Rule;
    const fraction = profiles.state.rules.agency!.fraction!;
    expect(fraction).toBeGreaterThanOrEqual(1 / 3);
    expect(fraction).toBeLessThanOrEqual(1 / 2);
    expect(agency.width).toBeCloseTo(measureText('ỦY BAN NHÂN DÂN', 13, true) * fraction, 3);
  });

  it('a name wrapped in its column is underlined by a fraction of its widest line, not of the column', () => {
    const long = 'ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH VÀ CÁC CƠ QUAN TRỰC THUỘC';
    const { parsed } = render(`<document><columns widths="1 1"><column><p style="agency">${long}</p><rule kind="agency"/></column><column><p>x</p></column></columns></document>`);
    const cols = parsed.body[0]!;
    if (cols.kind !== 'columns') throw new Error('columns expected');
    const rule = cols.columns[0]![1] as Rule;
    // The lines a reader sees: words added while the line still fits the column.
    const column = profiles.state.textWidth / 2;
    const agency = profiles.state.styles.agency!;
    const width = (words: string[]) => measureText(words.join(' '), agency.size, agency.bold, agency.italic);
    const lines: string[][] = [[]];
    for (const word of long.split(' ')) {
      const line = lines[lines.length - 1]!;
      if (line.length > 0 && width([...line, word]) > column) lines.push([word]);
      else line.push(word);
    }
    expect(lines.length).toBeGreaterThan(1);
    const widest = Math.max(...lines.map(width));
    const fraction = profiles.state.rules.agency!.fraction!;
    expect(rule.width).toBeCloseTo(widest * fraction, 3);
    expect(rule.width).toBeLessThan(column * fraction);
  });

  it('a place-date line too long for its column is set smaller, down to the profile floor, rather than wrapped', () => {
    const text = 'Thành phố Hồ Chí Minh, ngày 05 tháng 01 năm 2026';
    const { parsed } = render(`<document><columns widths="38 62"><column><p>x</p></column><column><p style="placeDate">${text}</p></column></columns></document>`);
    const cols = parsed.body[0]!;
    if (cols.kind !== 'columns') throw new Error('columns expected');
    const para = cols.columns[1]![0] as Paragraph;
    const style = profiles.state.styles.placeDate!;
    const column = (profiles.state.textWidth * 62) / 100;
    expect(measureText(text, style.size, false, true)).toBeGreaterThan(column);
    const size = para.runs[0]!.size!;
    expect(size).toBeLessThan(style.size);
    expect(size).toBeGreaterThanOrEqual(style.shrinkTo!);
    expect(measureText(text, size, false, true)).toBeLessThanOrEqual(column);
    // A line that fits keeps the profile's size.
    const { parsed: short } = render(`<document><p style="placeDate">Hà Nội, ngày 05 tháng 01 năm 2026</p></document>`);
    expect((short.body[0] as Paragraph).runs[0]!.size).toBeUndefined();
  });

  it('a place-date line too long even at the floor is set at the floor and broken after the place, never inside the date', () => {
    const nb = (t: string) => t.replace(/ /g, '\u00a0');
    const date = nb('ngày 12 tháng 12 năm 2025');
    const { parsed } = render(
      `<document><columns widths="50 50"><column><p>x</p></column><column><p style="placeDate">Thành phố Hồ Chí Minh, ${date}</p></column></columns></document>`,
      {},
      { profile: 'party' },
    );
    const cols = parsed.body[0]!;
    if (cols.kind !== 'columns') throw new Error('columns expected');
    const para = cols.columns[1]![0] as Paragraph;
    expect(para.runs.map((r) => r.text).join('')).toBe(`Thành phố Hồ Chí Minh,\n${date}`);
    expect(para.runs[0]!.size).toBe(profiles.party.styles.placeDate!.shrinkTo);
    // One that fits at the floor is only shrunk: no break.
    const { parsed: fits } = render(`<document><columns widths="50 50"><column><p>x</p></column><column><p style="placeDate">Hải Dương, ${date}</p></column></columns></document>`, {}, { profile: 'party' });
    const c2 = fits.body[0]!;
    if (c2.kind !== 'columns') throw new Error('columns expected');
    expect((c2.columns[1]![0] as Paragraph).runs.map((r) => r.text).join('')).toBe(`Hải Dương, ${date}`);
  });
});

describe('writing areas', () => {
  it('the lines of one <dots> area stay together, so a signature after them brings them all to its page', () => {
    const { parsed } = render('<document><dots lines="3"/><p>Sau</p></document>');
    const lines = parsed.body.slice(0, 3) as Paragraph[];
    expect(lines.map((l) => l.runs[0]!.text.replace(/\./g, ''))).toEqual(['', '', '']);
    expect(lines.map((l) => l.keepWithNext ?? false)).toEqual([true, true, false]);
    const width = profiles.state.textWidth;
    const dot = measureText('.', profiles.state.styles.dots!.size, false, false);
    expect(lines[0]!.runs[0]!.text.length * dot).toBeLessThanOrEqual(width);
  });

  it('<dots keep-next> ties its last line to what follows too (tick boxes before a signature)', () => {
    const { parsed } = render('<document><dots lines="3" keep-next="true"/><p>Sau</p></document>');
    expect((parsed.body.slice(0, 4) as Paragraph[]).map((l) => l.keepWithNext ?? false)).toEqual([true, true, true, false]);
  });
});

describe('tables', () => {
  it('leading rows of <th> repeat as the header; cells carry number and formula values; fixed and relative widths', () => {
    const { parsed } = render(
      `<document><table columns="36pt 3 1">
        <tr><th rowspan="2">STT</th><th colspan="2">Điểm</th></tr>
        <tr><th>Nội dung</th><th>Số</th></tr>
        {{#each items}}<tr><td align="center">{{inc @index}}</td><td>{{t}}</td><td number="{{raw n}}" number-format="0.0#">{{num n}}</td></tr>{{/each}}
        <tr><td></td><td>Cộng</td><td formula="SUM(R[-2]C:R[-1]C)" result="{{sumOf items "n"}}">{{num (sumOf items "n")}}</td></tr>
      </table></document>`,
      { items: [{ t: 'a', n: 28.5 }, { t: 'b' }] },
    );
    const t = parsed.body[0] as Table;
    expect(t.headerRows).toBe(2);
    expect(t.columns[0]).toBeCloseTo(36, 6);
    expect(t.columns[1]! / t.columns[2]!).toBeCloseTo(3, 6);
    expect(t.columns.reduce((s, w) => s + w, 0)).toBeCloseTo(profiles.state.textWidth, 3);
    expect(t.rows[0]!.cells[0]!.rowSpan).toBe(2);
    expect(t.rows[0]!.cells[1]!.colSpan).toBe(2);
    expect(t.rows[2]!.cells[2]!.value).toEqual({ kind: 'number', value: 28.5, numberFormat: '0.0#' });
    expect(t.rows[3]!.cells[2]!.value).toBeUndefined();
    expect(t.rows[4]!.cells[2]!.value).toEqual({ kind: 'formula', formula: 'SUM(R[-2]C:R[-1]C)', result: 28.5 });
    const text = (t.rows[2]!.cells[2]!.blocks[0] as Paragraph).runs[0]!.text;
    expect(text).toBe('28,5');
    expect((t.rows[2]!.cells[0]!.blocks[0] as Paragraph).align).toBe('center');
    // An empty cell still holds a paragraph.
    expect(t.rows[4]!.cells[0]!.blocks).toHaveLength(1);
  });
});

describe('errors name the template file and line', () => {
  it('an unknown element', () => {
    const e = errorOf(() => render('<document>\n<p>a</p>\n<para>b</para>\n</document>'));
    expect(e.where.template).toMatch(/form-\d+\.hbs$/);
    expect(e.where.line).toBe(3);
    expect(e.text.en).toContain('<para>');
  });

  it('an unknown attribute and an unknown style', () => {
    const a = errorOf(() => render('<document>\n\n<p sytle="body">a</p></document>'));
    expect(a.where.line).toBe(3);
    expect(a.text.en).toContain('unknown attribute "sytle"');
    const s = errorOf(() => render('<document>\n<p style="bodyy">a</p></document>'));
    expect(s.where.line).toBe(2);
    expect(s.text.vi).toContain('kiểu "bodyy" không có trong hồ sơ trình bày "state"');
  });

  it('text outside a paragraph, and a rule with nothing to measure', () => {
    const t = errorOf(() => render('<document>\n<columns widths="1 1"><column>loose text</column><column></column></columns></document>'));
    expect(t.where.line).toBe(2);
    expect(t.text.en).toContain('text outside a paragraph: "loose text"');
    const r = errorOf(() => render('<document>\n<rule kind="motto"/></document>'));
    expect(r.text.en).toContain('must follow the paragraph it underlines');
  });

  it('malformed markup names the element it happened in', () => {
    const e = errorOf(() => render('<document>\n<p>a\n<b>b</p>\n</document>'));
    expect(e.where.line).toBe(2);
    expect(e.text.en).toMatch(/<p> malformed markup: unexpected close tag/);
  });

  it('a DOCTYPE (entity expansion) is refused', () => {
    const e = errorOf(() => render('<!DOCTYPE d [<!ENTITY x "boom">]><document><p>&x;</p></document>'));
    expect(e.text.en).toMatch(/DOCTYPE/);
  });

  it('a Handlebars syntax error, with its line', () => {
    const e = errorOf(() => render('<document>\n<p>{{#if a}}x</p>\n</document>'));
    expect(e.where.line).toBeGreaterThanOrEqual(2);
    expect(e.message).toMatch(/form-\d+\.hbs/);
  });

  it('strict mode: a missing field is an error naming the field and the line', () => {
    const e = errorOf(() => render('<document>\n<p>{{person.fullName}}</p>\n<p>{{person.post}}</p>\n</document>', { person: { fullName: 'A' } }));
    expect(e.where.line).toBe(3);
    expect(e.text.en).toContain('"post"');
  });

  it('a missing parent object in a helper argument names the line', () => {
    const e = errorOf(() => render('<document>\n<p>a</p>\n<p>{{upper conclusion.level}}</p>\n</document>', {}));
    expect(e.where.line).toBe(3);
    expect(e.text.en).toContain('"level"');
  });

  it('an error inside a partial names the partial file', () => {
    const e = errorOf(() => render('<document>{{> broken}}</document>', {}, { partials: { broken: '<p>ok</p>\n<p>{{missing}}</p>' } }));
    expect(e.where.template).toMatch(/partials\/broken\.hbs$/);
    expect(e.where.line).toBe(2);
  });

  it('only known helpers: an unknown one is refused', () => {
    const e = errorOf(() => render('<document><p>{{shout name}}</p></document>', { name: 'x' }));
    expect(e.text.en).toMatch(/shout/);
  });
});

describe('no prototype access from templates', () => {
  it('inherited properties read as absent', () => {
    const { parsed } = render('<document><p>[{{#if name.constructor}}leak{{/if}}{{#if __proto__}}leak{{/if}}]</p></document>', { name: 'x' });
    expect((parsed.body[0] as Paragraph).runs[0]!.text).toBe('[]');
  });
});
