// Hostile data renders as text: markup-like strings, XML specials, Handlebars braces and prototype keys never
// become elements, styles or code — in the model, in document.xml and in the text LibreOffice shows.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../../src/forms/registry.js';
import type { Block, DocumentModel } from '../../../src/model/types.js';
import { DocumentBuilder } from '../../../src/render/document.js';
import { createDocxWriter } from '../../../src/render/docx/writer.js';
import { loadRules } from '../../../src/rules/registry.js';
import { FormValidator } from '../../../src/validate/validator.js';
import { libreOfficeConvert, pdfText, tmpDir } from '../../support/tools.js';
import { all, Docx, textOf } from './docx-xml.js';

const registry = loadRegistry();
const rules = loadRules(registry.ruleDirs);
const builder = new DocumentBuilder(registry, rules);
const validator = new FormValidator(registry, rules);
const dir = tmpDir('bieumau-docx-inject-');

const HOSTILE = {
  name: 'Nguyễn <Văn> & "Đức" {{x}}',
  unit: 'Phòng A & B <C> \'D\'',
  ethics: [
    '</w:t></w:r></w:p><w:p><w:r><w:t>chèn đoạn',
    '</p><p style="x">tiêm</p><table><tr><td>ô</td></tr></table>',
    '{{#each person}}{{this}}{{/each}} {{{raw}}} __proto__ constructor',
  ],
  direction: '<![CDATA[x]]> <!-- c --> &amp; &#x41; <?pi?>',
};
const BENIGN = { name: 'Nguyễn Văn Đức', unit: 'Phòng A và B', ethics: ['Đoạn một', 'Đoạn hai', 'Đoạn ba'], direction: 'Hướng một' };

function record(v: typeof HOSTILE) {
  const base = structuredClone((JSON.parse(fs.readFileSync('samples/self-review.json', 'utf8')) as Array<Record<string, any>>)[1]!);
  base.person.fullName = v.name;
  base.person.unit = v.unit;
  base.signature.name = v.name;
  base.strengths.politicalEthics = v.ethics;
  base.directions = [v.direction];
  return base;
}

function count(blocks: Block[], kinds: Record<string, number> = {}): Record<string, number> {
  for (const b of blocks) {
    kinds[b.kind] = (kinds[b.kind] ?? 0) + 1;
    if (b.kind === 'table') for (const r of b.rows) for (const c of r.cells) count(c.blocks, kinds);
    if (b.kind === 'columns') for (const c of b.columns) count(c, kinds);
    if (b.kind === 'signature') count([...b.left, ...b.right], kinds);
  }
  return kinds;
}

let hostile: { model: DocumentModel; docx: Docx; pdfText: string };
let benign: { model: DocumentModel; docx: Docx };

beforeAll(async () => {
  const writer = createDocxWriter();
  const make = async (v: typeof HOSTILE, file: string) => {
    const result = validator.validate('self-review', record(v));
    expect(result.ok, JSON.stringify(result.issues)).toBe(true);
    const model = builder.build('self-review', result.record, { normalized: true });
    const bytes = await writer.write(model);
    fs.writeFileSync(path.join(dir, file), bytes);
    return { model, docx: new Docx(bytes) };
  };
  benign = await make(BENIGN, 'benign.docx');
  const h = await make(HOSTILE, 'hostile.docx');
  const [pdf] = libreOfficeConvert([path.join(dir, 'hostile.docx')], dir);
  hostile = { ...h, pdfText: pdfText(pdf!).normalize('NFC').replace(/\s+/g, ' ') };
});

describe('injection', () => {
  const strings = [HOSTILE.name, HOSTILE.unit, ...HOSTILE.ethics, HOSTILE.direction];

  it('adds no block to the model: the same structure as plain data', () => {
    expect(count(hostile.model.body)).toEqual(count(benign.model.body));
  });

  it('document.xml holds the strings verbatim as text and no extra elements', () => {
    const doc = hostile.docx.part('word/document.xml');
    const paragraphs = all(doc, 'w:p').map(textOf);
    for (const s of strings) expect(paragraphs.some((p) => p.includes(s)), s).toBe(true);
    const plain = benign.docx.part('word/document.xml');
    for (const name of ['w:p', 'w:tbl', 'w:tr', 'w:tc', 'w:pStyle']) expect(all(doc, name).length, name).toBe(all(plain, name).length);
    expect(hostile.docx.raw('word/document.xml')).not.toContain('<table>');
  });

  it('LibreOffice shows the strings verbatim', () => {
    for (const s of strings) expect(hostile.pdfText, s).toContain(s.replace(/\s+/g, ' '));
  });

  it('a "__proto__" key in a record is dropped before the template sees it, and pollutes nothing', () => {
    const data = JSON.parse(`{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, ${JSON.stringify(record(BENIGN)).slice(1)}`);
    const model = builder.build('self-review', data);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(count(model.body)).toEqual(count(benign.model.body));
  });
});
