// Benchmark: DOCX documents per second for 1,000 self-review records, single process — bieumau (template →
// markup → model → DOCX writer) against docxtemplater filling an equivalent template. Prints one JSON line.
//
// The docxtemplater template is built once here: the sample record's text fields are replaced by {tN} tags, that
// record is rendered with bieumau, and its DOCX is the template. Both sides then produce the same document text
// for every record (checked). docxtemplater gets the easier job: the lists keep the sample's lengths, so they
// are plain tags rather than loops. Run `npx tsc -p .` first; this script reads dist/.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => path.join(root, 'dist', p);
const require = createRequire(path.join(root, 'package.json'));
const PizZip = require('pizzip');
const Docxtemplater = require('docxtemplater');

const { loadRegistry } = await import(dist('forms/registry.js'));
const { loadRules } = await import(dist('rules/registry.js'));
const { FormValidator } = await import(dist('validate/validator.js'));
const { DocumentBuilder } = await import(dist('render/document.js'));
const { createDocxWriter } = await import(dist('render/docx/writer.js'));

const COUNT = Number(process.env.BENCH_RECORDS ?? 1000);
const FORM = 'self-review';

const registry = loadRegistry();
const rules = loadRules(registry.ruleDirs);
const validator = new FormValidator(registry, rules);
const builder = new DocumentBuilder(registry, rules);
const writer = createDocxWriter();
const base = JSON.parse(fs.readFileSync(path.join(root, 'samples/self-review.json'), 'utf8'))[0];

/** JSON paths of every string leaf of a record. */
function stringPaths(value, at = []) {
  if (typeof value === 'string') return [at];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringPaths(v, [...at, i]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => stringPaths(v, [...at, k]));
  return [];
}
const get = (obj, p) => p.reduce((o, k) => o[k], obj);
const set = (obj, p, v) => {
  get(obj, p.slice(0, -1))[p[p.length - 1]] = v;
};

// Tag every free-text field the schema lets hold "{tN}" (dates, codes and enumerations stay as they are).
const tagged = structuredClone(base);
const tags = [];
for (const p of stringPaths(base)) {
  const trial = structuredClone(tagged);
  set(trial, p, `{t${tags.length}}`);
  if (validator.validate(FORM, trial).ok) {
    set(tagged, p, `{t${tags.length}}`);
    tags.push(p);
  }
}

/** The records: the sample with every tagged text changed per record. */
const records = Array.from({ length: COUNT }, (_, i) => {
  const r = structuredClone(base);
  for (const p of tags) set(r, p, `${get(base, p)} ${i}`);
  r.person.fullName = `Nguyễn Văn Số ${i}`;
  r.signature.name = r.person.fullName;
  return r;
});

/** docxtemplater's data for a record: each tag's text, and its upper-case form for upper-case styles. */
function view(record) {
  const data = {};
  tags.forEach((p, n) => {
    const text = String(get(record, p)).normalize('NFC');
    data[`t${n}`] = text;
    data[`T${n}`] = text.toLocaleUpperCase('vi');
  });
  return data;
}

const ours = async (record) => writer.write(builder.build(FORM, record));
const template = Buffer.from(await ours(tagged));
const theirs = (record) => {
  const doc = new Docxtemplater(new PizZip(template), { paragraphLoop: true, linebreaks: true });
  doc.render(view(record));
  return doc.getZip().generate({ type: 'nodebuffer', compression: 'DEFLATE' });
};

/** Visible text of a DOCX body, to check that both sides wrote the same document. */
function bodyText(bytes) {
  const xml = new PizZip(Buffer.from(bytes)).file('word/document.xml').asText();
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}

async function time(fn) {
  for (let i = 0; i < 50; i++) await fn(records[i % records.length]); // warm up
  let bytes = 0;
  const t0 = process.hrtime.bigint();
  for (const r of records) bytes += (await fn(r)).length;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { docsPerSecond: COUNT / seconds, msPerDoc: (seconds * 1000) / COUNT, seconds, avgBytes: Math.round(bytes / COUNT) };
}

const sample = records[COUNT - 1];
const equivalent = bodyText(await ours(sample)) === bodyText(theirs(sample));
const bieumau = await time(ours);
const docxtemplater = await time(async (r) => theirs(r));
process.stdout.write(
  `${JSON.stringify({
    bench: 'docx',
    form: FORM,
    records: COUNT,
    taggedFields: tags.length,
    equivalentText: equivalent,
    bieumau,
    docxtemplater,
    ratio: bieumau.docsPerSecond / docxtemplater.docsPerSecond,
  })}\n`,
);
