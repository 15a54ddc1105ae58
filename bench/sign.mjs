// Benchmark: archive-grade PDFs — render (PDF writer), archive finisher (PDF/A-3b + data.json), sign (signer,
// PAdES-B-B incremental), seal (second signature), verify (both signatures, revision diff, data hash), per
// document, and the share signing adds to rendering. Runs against dist/ (npx tsc -p . first); prints one JSON
// line. BENCH_SIGN_DOCS sets the batch (default 1000). Certificates are made here with the openssl CLI.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(ROOT, 'dist', p));
const DOCS = Number(process.env.BENCH_SIGN_DOCS ?? 1000);

const { PdfWriter } = await dist('render/pdf/index.js');
const { archiveFinisher } = await dist('archive/finisher.js');
const { signPdf } = await dist('archive/sign.js');
const { loadPkcs12 } = await dist('archive/pkcs12.js');
const { verifyPdf } = await dist('archive/verify.js');
const { readPemCertificates } = await dist('archive/chain.js');
const { loadRegistry } = await dist('forms/registry.js');
const { buildProfile } = await dist('model/profile.js');

// ---- certificates ---------------------------------------------------------------------------------------------
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bieumau-bench-sign-'));
const ssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
fs.writeFileSync(path.join(dir, 'leaf.ext'), 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n');
ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'root.key', '-out', 'root.pem', '-days', '30', '-subj', '/CN=Bench Root', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign');
for (const [name, cn] of [['signer', 'Nguyễn Văn An'], ['seal', 'Ủy ban nhân dân phường']]) {
  ssl('req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-utf8', '-subj', `/CN=${cn}`);
  ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'root.pem', '-CAkey', 'root.key', '-CAcreateserial', '-out', `${name}.pem`, '-days', '30', '-extfile', 'leaf.ext');
  ssl('pkcs12', '-export', '-inkey', `${name}.key`, '-in', `${name}.pem`, '-certfile', 'root.pem', '-out', `${name}.p12`, '-passout', 'pass:bench');
}
const signer = loadPkcs12(fs.readFileSync(path.join(dir, 'signer.p12')), 'bench');
const seal = loadPkcs12(fs.readFileSync(path.join(dir, 'seal.p12')), 'bench');
const trust = readPemCertificates(fs.readFileSync(path.join(dir, 'root.pem'), 'utf8'));

// ---- documents -------------------------------------------------------------------------------------------------
const registry = loadRegistry([]);
const form = registry.get('self-review');
const records = JSON.parse(fs.readFileSync(path.join(ROOT, 'samples', 'self-review.json'), 'utf8'));
const profile = buildProfile('party');
const para = (style, text) => ({ kind: 'paragraph', style, runs: [{ text }] });

/** The real self-review template through the document builder when it is built, else a compact model. */
async function modelBuilder() {
  try {
    const { buildDocument } = await dist('render/document.js');
    buildDocument(form, records[0]);
    return { source: 'template', build: (r) => buildDocument(form, r) };
  } catch {
    /* no template builder yet */
  }
  return {
    source: 'compact-model',
    build: (r) => ({
      profile: 'party',
      meta: { title: `Bản kiểm điểm cá nhân - ${r.person.fullName}`, author: r.person.fullName, subject: 'Kiểm điểm, đánh giá, xếp loại', keywords: ['kiểm điểm'], language: 'vi-VN', formId: 'self-review' },
      page: profile.page,
      pageNumbering: profile.pageNumbering,
      styles: profile.styles,
      body: [
        para('docType', 'BẢN KIỂM ĐIỂM CÁ NHÂN'),
        para('field', `Họ và tên: ${r.person.fullName}`),
        para('field', `Chức vụ: ${r.person.post ?? ''}`),
        ...Object.values(r.strengths ?? {}).flat().map((t) => para('listItem', `- ${t}`)),
        { kind: 'signature', widths: profile.data.closing.columns, left: [], right: [para('signerAuthority', 'NGƯỜI TỰ KIỂM ĐIỂM'), { kind: 'signature-space', height: profile.signatureSpace, field: 'signer' }, para('signerName', r.person.fullName)] },
      ],
    }),
  };
}
const builder = await modelBuilder();

const writer = new PdfWriter();
const t = { finisher: 0, archive: 0, sign: 0, seal: 0, verify: 0 };
const timedFinisher = async (...args) => {
  const s = performance.now();
  await archiveFinisher(...args);
  t.finisher += performance.now() - s;
};
let bytesUnsigned = 0;
let bytesSigned = 0;
let invalid = 0;
const now = () => performance.now();
// Warm-up (font parsing, JIT) outside the measured loop.
for (let i = 0; i < 5; i++) {
  const record = records[i % records.length];
  const pdf = await writer.write(builder.build(record), { form, record, pdfFinishers: [archiveFinisher] });
  await verifyPdf((await signPdf(pdf, signer, { field: 'signer' })).pdf, { trust });
}
for (let i = 0; i < DOCS; i++) {
  const record = structuredClone(records[i % records.length]);
  const model = builder.build(record);
  // One write per document (a second write of the same model would reuse its font subsets and flatter it);
  // the finisher's own time is taken inside the write.
  let s = now();
  const pdf = await writer.write(model, { form, record, pdfFinishers: [timedFinisher] });
  t.archive += now() - s;
  bytesUnsigned += pdf.length;
  s = now();
  const one = await signPdf(pdf, signer, { field: 'signer' });
  t.sign += now() - s;
  s = now();
  const two = await signPdf(one.pdf, seal, { field: 'seal' });
  t.seal += now() - s;
  bytesSigned += two.pdf.length;
  s = now();
  const report = await verifyPdf(two.pdf, { trust });
  t.verify += now() - s;
  if (!report.valid) invalid++;
}
fs.rmSync(dir, { recursive: true, force: true });
const per = (ms) => Math.round((ms / DOCS) * 100) / 100;

console.log(
  JSON.stringify({
    bench: 'sign',
    docs: DOCS,
    model: builder.source,
    // Writing the archive PDF (layout, fonts, PDF/A, data.json, empty fields, save); the finisher call within it.
    render_archive_ms_per_doc: per(t.archive),
    archive_finisher_call_ms_per_doc: per(t.finisher),
    sign_ms_per_doc: per(t.sign),
    seal_ms_per_doc: per(t.seal),
    verify_two_signatures_ms_per_doc: per(t.verify),
    // How much signing adds on top of rendering the archive PDF (1.0 = as long again).
    sign_share_of_render: Math.round((t.sign / t.archive) * 100) / 100,
    sign_and_seal_share_of_render: Math.round(((t.sign + t.seal) / t.archive) * 100) / 100,
    kb_unsigned: Math.round(bytesUnsigned / DOCS / 102.4) / 10,
    kb_signed_twice: Math.round(bytesSigned / DOCS / 102.4) / 10,
    invalid,
    rss_mb: Math.round(process.memoryUsage().rss / 1048576),
  }),
);
