// Every record of every sample renders to DOCX; LibreOffice opens each (one batch) and the PDF text holds the
// names, the header title, the signer and, where the form shows them, the four level names — no letter lost.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../../src/forms/registry.js';
import { DocumentBuilder } from '../../../src/render/document.js';
import { createDocxWriter } from '../../../src/render/docx/writer.js';
import { loadRules } from '../../../src/rules/registry.js';
import { FormValidator } from '../../../src/validate/validator.js';
import { PdfWriter } from '../../../src/render/pdf/index.js';
import { libreOfficeConvert, pdfPageCount, pdfText, tmpDir } from '../../support/tools.js';

const registry = loadRegistry();
const rules = loadRules(registry.ruleDirs);
const builder = new DocumentBuilder(registry, rules);
const validator = new FormValidator(registry, rules);
const dir = tmpDir('bieumau-docx-samples-');

/** Forms that print the level names (tick boxes or a legend). */
const SHOWS_LEVELS = new Set(['self-review', 'collective-report', 'score-sheet', 'classification-summary']);

interface Case {
  form: string;
  index: number;
  profile: 'state' | 'party';
  record: Record<string, unknown>;
  docx: string;
}

/** The layout a record asks for in its header (a state body's report on a Party-default form), else the form's. */
function profileFor(record: Record<string, unknown>, fallback: 'state' | 'party'): 'state' | 'party' {
  const header = record.header as { profile?: 'state' | 'party' } | undefined;
  return header?.profile ?? fallback;
}

const cases: Case[] = [];
for (const file of fs.readdirSync('samples').filter((f) => f.endsWith('.json')).sort()) {
  const form = file.replace(/\.json$/, '');
  const data = JSON.parse(fs.readFileSync(path.join('samples', file), 'utf8')) as unknown;
  const records = (Array.isArray(data) ? data : [data]) as Array<Record<string, unknown>>;
  records.forEach((record, index) => {
    const def = registry.get(form);
    cases.push({ form, index, record, profile: profileFor(record, def.meta.profile), docx: path.join(dir, `${form}-${index}.docx`) });
  });
}

const nfc = (s: string) => s.normalize('NFC');
/** PDF text with lines joined: table cells and justified paragraphs wrap names across lines. */
const flat = (s: string) => nfc(s).replace(/\s+/g, ' ');

const texts = new Map<string, string>();
/** Pages of the same document as LibreOffice lays out the DOCX, and as our own PDF writer does. */
const pages = new Map<string, { docx: number; pdf: number }>();

beforeAll(async () => {
  const writer = createDocxWriter();
  const pdfWriter = new PdfWriter();
  const ours = new Map<string, number>();
  for (const c of cases) {
    const result = validator.validate(c.form, c.record);
    expect(result.ok, `${c.form}[${c.index}] is a valid sample`).toBe(true);
    // No profile passed: the builder takes the record's own choice, as `render` does without --profile.
    const model = builder.build(c.form, result.record, { normalized: true });
    fs.writeFileSync(c.docx, await writer.write(model));
    const own = c.docx.replace(/\.docx$/, '.own.pdf');
    fs.writeFileSync(own, await pdfWriter.write(model));
    ours.set(c.docx, pdfPageCount(own));
  }
  const pdfs = libreOfficeConvert(
    cases.map((c) => c.docx),
    dir,
  );
  pdfs.forEach((pdf, i) => {
    texts.set(cases[i]!.docx, pdfText(pdf));
    pages.set(cases[i]!.docx, { docx: pdfPageCount(pdf), pdf: ours.get(cases[i]!.docx)! });
  });
});

describe('samples: the PDF and the DOCX paginate alike', () => {
  it.each(cases.map((c) => [`${c.form}[${c.index}]`, c] as const))('%s has as many pages in our PDF as in the DOCX through LibreOffice', (_label, c) => {
    const { docx, pdf } = pages.get(c.docx)!;
    expect(pdf).toBe(docx);
  });
});

describe('samples → DOCX → LibreOffice → text', () => {
  it('covers every shipped form', () => {
    expect(new Set(cases.map((c) => c.form))).toEqual(new Set(registry.list().map((f) => f.id)));
  });

  it.each(cases.map((c) => [`${c.form}[${c.index}] (${c.profile})`, c] as const))('%s', (_label, c) => {
    const text = flat(texts.get(c.docx)!);
    const expectIn = (s: string | undefined) => {
      if (s) expect(text, `"${s}"`).toContain(flat(s));
    };
    expectIn(c.profile === 'state' ? 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM' : 'ĐẢNG CỘNG SẢN VIỆT NAM');
    if (c.profile === 'state') expectIn('Độc lập - Tự do - Hạnh phúc');
    const header = c.record.header as { issuingBody: string; parentBody?: string };
    expectIn(nfc(header.issuingBody).toLocaleUpperCase('vi'));
    expectIn(header.parentBody && nfc(header.parentBody).toLocaleUpperCase('vi'));
    const person = c.record.person as { fullName?: string } | undefined;
    expectIn(person?.fullName);
    expectIn((c.record.collective as { name?: string } | undefined)?.name);
    for (const p of (c.record.people as Array<{ fullName: string }> | undefined) ?? []) expectIn(p.fullName);
    const signature = c.record.signature as { name?: string } | undefined;
    expectIn(signature?.name);
    if (SHOWS_LEVELS.has(c.form)) {
      const named = (c.record as { ruleSet?: string }).ruleSet;
      for (const level of rules.get(named ?? registry.get(c.form).meta.defaultRules).levels) expectIn(level.name);
    }
  });
});
