// Benchmark: self-review PDFs per second with our writer, against (a) naive pdf-lib + fontkit drawText of the
// same lines with per-document subset fonts, (b) pdfmake rendering an equivalent document definition, and (c) the
// floor: pdf-lib drawing the same lines in the standard Times fonts with no layout (diacritics stripped).
// Runs against dist/ (npx tsc -p . first); prints one JSON line. BENCH_PDF_DOCS sets the batch (default 1000).
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import fontkit from '@cantoo/fontkit';
import { PDFDocument, StandardFonts } from '@cantoo/pdf-lib';

const ROOT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(ROOT, 'dist', p));

const DOCS = Number(process.env.BENCH_PDF_DOCS ?? 1000);
const BASELINE_DOCS = Number(process.env.BENCH_PDF_BASELINE_DOCS ?? 50);

const { PdfWriter } = await dist('render/pdf/index.js');
const { TINOS_FILES } = await dist('fonts/families.js');

// ---- the documents ------------------------------------------------------------------------------------------

// The three sample records (variants 02A, 02B, 02C: 5, 4 and 3 pages), each copy under its own name.
const records = JSON.parse(fs.readFileSync(path.join(ROOT, 'samples', 'self-review.json'), 'utf8'));
const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const GIVEN = ['Văn An', 'Thị Bình', 'Quốc Cường', 'Thị Dung', 'Minh Đức', 'Thu Hằng', 'Hữu Khang', 'Ngọc Lan', 'Đình Mạnh', 'Thị Nga', 'Xuân Phúc', 'Thanh Quế'];

/** Record i of the batch: a sample record with its own name. */
function record(i) {
  const r = structuredClone(records[i % records.length]);
  const name = `${SURNAMES[i % SURNAMES.length]} ${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length]}`;
  r.person.fullName = name;
  if (r.signature) r.signature.name = name;
  return r;
}

const { buildDocument } = await dist('render/document.js');
/** The document model of a record, from the real self-review template and the party profile. */
const build = (r) => buildDocument('self-review', r);

// ---- the lines our layout drew, for the baselines that only draw ----------------------------------------------

function linesOf(writer, model) {
  const { layout } = writer.layout(model);
  const pages = [];
  for (const page of layout.pages) {
    const out = [];
    const walk = (frame, ox, oy) => {
      for (const it of frame.items) {
        if (it.kind === 'group') walk(it.frame, ox + it.x, oy + it.y);
        else if (it.kind === 'text') {
          const text = String.fromCodePoint(...it.cids.map((c) => it.font.cps[c]));
          out.push({ text, x: ox + it.x, y: page.frame.height - oy - it.y, size: it.size, variant: it.font.variant ?? 'regular', symbol: !it.font.variant });
        }
      }
    };
    walk(page.frame, 0, 0);
    pages.push(out);
  }
  return { width: model.page.width, height: model.page.height, pages };
}

// ---- runners -------------------------------------------------------------------------------------------------

const fontBytes = Object.fromEntries(Object.entries(TINOS_FILES).map(([k, f]) => [k, fs.readFileSync(f)]));

async function naive(doc) {
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  const fonts = {};
  for (const [k, bytes] of Object.entries(fontBytes)) fonts[k] = await pdf.embedFont(bytes, { subset: true });
  for (const lines of doc.pages) {
    const page = pdf.addPage([doc.width, doc.height]);
    for (const l of lines) if (!l.symbol) page.drawText(l.text, { x: l.x, y: l.y, size: l.size, font: fonts[l.variant] });
  }
  return pdf.save({ useObjectStreams: false });
}

const STANDARD = { regular: StandardFonts.TimesRoman, bold: StandardFonts.TimesRomanBold, italic: StandardFonts.TimesRomanItalic, boldItalic: StandardFonts.TimesRomanBoldItalic };
const strip = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]/g, '?');

async function floor(doc) {
  const pdf = await PDFDocument.create();
  const fonts = {};
  for (const [k, name] of Object.entries(STANDARD)) fonts[k] = await pdf.embedFont(name);
  for (const lines of doc.pages) {
    const page = pdf.addPage([doc.width, doc.height]);
    for (const l of lines) page.drawText(l.strippedText, { x: l.x, y: l.y, size: l.size, font: fonts[l.variant] });
  }
  return pdf.save({ useObjectStreams: false });
}

/** pdfmake wants every grid position filled: empty objects where a span covers a cell. */
function gridOf(table, cellOf) {
  const n = table.columns.length;
  const carry = new Array(n).fill(0);
  return table.rows.map((row) => {
    const out = new Array(n).fill(null);
    for (let k = 0; k < n; k++) if (carry[k] > 0) out[k] = {};
    let c = 0;
    for (const cell of row.cells) {
      while (c < n && out[c]) c++;
      if (c >= n) break;
      const span = Math.min(cell.colSpan ?? 1, n - c);
      out[c] = { ...cellOf(cell), colSpan: span > 1 ? span : undefined, rowSpan: (cell.rowSpan ?? 1) > 1 ? cell.rowSpan : undefined };
      for (let k = c; k < c + span; k++) {
        if (k > c) out[k] = {};
        carry[k] = Math.max(carry[k], cell.rowSpan ?? 1);
      }
      c += span;
    }
    for (let k = 0; k < n; k++) if (carry[k] > 0) carry[k]--;
    return out.map((x) => x ?? { text: '' });
  });
}

/** pdfmake document definition equivalent to a model: same page, styles, paragraphs, tables, columns, rules. */
function pdfmakeDefinition(model) {
  const toStyle = (s) => ({ fontSize: s.size, bold: s.bold, italics: s.italic, alignment: s.align, decoration: s.underline ? 'underline' : undefined });
  const blocks = (list, width) => list.map((b) => block(b, width)).filter(Boolean);
  const block = (b, width) => {
    switch (b.kind) {
      case 'paragraph': {
        const s = model.styles[b.style];
        const text = b.runs.map((r) => ({ text: r.text, bold: r.bold, italics: r.italic, fontSize: r.size, decoration: r.underline ? 'underline' : undefined }));
        const indent = b.indent?.firstLine ?? s.firstLineIndent;
        return {
          text,
          ...toStyle(s),
          alignment: b.align ?? s.align,
          leadingIndent: indent > 0 ? indent : undefined,
          margin: [b.indent?.left ?? s.indentLeft, b.spacing?.before ?? s.spaceBefore, b.indent?.right ?? s.indentRight, b.spacing?.after ?? s.spaceAfter],
          lineHeight: s.lineSpacing.kind === 'multiple' ? s.lineSpacing.value : 1,
        };
      }
      case 'rule':
        return { canvas: [{ type: 'line', x1: (width - b.width) / 2, y1: 0, x2: (width + b.width) / 2, y2: 0, lineWidth: b.thickness }], margin: [0, b.spaceBefore, 0, b.spaceAfter] };
      case 'spacer':
      case 'signature-space':
        return { text: '', margin: [0, b.height, 0, 0] };
      case 'page-break':
        return { text: '', pageBreak: 'after' };
      case 'columns':
      case 'signature': {
        const cols = b.kind === 'columns' ? b.columns : [b.left, b.right];
        const total = b.widths.reduce((a, c) => a + c, 0);
        return { columns: cols.map((c, i) => ({ width: (b.widths[i] / total) * width, stack: blocks(c, (b.widths[i] / total) * width) })), columnGap: 0, unbreakable: b.kind === 'signature' };
      }
      case 'table': {
        const grid = (t) => gridOf(t, (c) => ({ stack: blocks(c.blocks, 100) }));
        const total = b.columns.reduce((a, c) => a + c, 0);
        const widths = b.columns.map((c) => (c / total) * width - 2 * (b.padding?.x ?? 4) - 1);
        return {
          table: { headerRows: b.headerRows, dontBreakRows: true, widths, body: grid(b) },
          layout: { paddingLeft: () => b.padding?.x ?? 4, paddingRight: () => b.padding?.x ?? 4, paddingTop: () => b.padding?.y ?? 2, paddingBottom: () => b.padding?.y ?? 2 },
        };
      }
    }
    return null;
  };
  const m = model.page.margins;
  const textWidth = model.page.width - m.left - m.right;
  return {
    pageSize: { width: model.page.width, height: model.page.height },
    pageMargins: [m.left, m.top, m.right, m.bottom],
    info: { title: model.meta.title, author: model.meta.author, subject: model.meta.subject },
    defaultStyle: { font: 'Tinos', fontSize: 14 },
    header: (page) => (page >= model.pageNumbering.fromPage ? { text: String(page), alignment: 'center', margin: [0, model.pageNumbering.offsetTop, 0, 0], fontSize: 14 } : null),
    content: blocks(model.body, textWidth),
  };
}

// ---- measuring -----------------------------------------------------------------------------------------------

const rssMB = () => Math.round(process.memoryUsage().rss / 1048576);
// Live heap after a full collection: what the batch really keeps (RSS also holds garbage not yet collected).
v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc');
const liveHeapMB = () => {
  gc();
  return Math.round(process.memoryUsage().heapUsed / 1048576);
};

async function timeRun(n, fn) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn(i);
  const ms = performance.now() - t0;
  return { docs: n, ms: Math.round(ms), docsPerSec: Math.round((n / ms) * 1000 * 10) / 10 };
}

const writer = new PdfWriter();

// Warm up (parse fonts, build the base subsets, JIT) before timing.
for (let i = 0; i < 20; i++) await writer.write(build(record(i)));

// The writer's own work is timed; building each model from its record (template + markup) is timed apart.
let bytes = 0;
let peak = 0;
let rss100 = 0;
let heap100 = 0;
let writeMs = 0;
let buildMs = 0;
for (let i = 0; i < DOCS; i++) {
  const t0 = performance.now();
  const model = build(record(i));
  const t1 = performance.now();
  const out = await writer.write(model);
  writeMs += performance.now() - t1;
  buildMs += t1 - t0;
  bytes += out.length;
  if (i === 99) {
    rss100 = rssMB();
    heap100 = liveHeapMB();
  }
  peak = Math.max(peak, rssMB());
}
const heapEnd = liveHeapMB();
const rate = (n, ms) => Math.round((n / ms) * 1000 * 10) / 10;
const ours = { docs: DOCS, ms: Math.round(writeMs), docsPerSec: rate(DOCS, writeMs) };
const rssEnd = rssMB();

// The alternative: each document embeds a subset of exactly its own glyphs.
const perDocWriter = new PdfWriter({ subsets: 'document' });
let perDocBytes = 0;
const perDocDocs = Math.min(DOCS, 4 * BASELINE_DOCS);
const perDoc = await timeRun(perDocDocs, async (i) => {
  perDocBytes += (await perDocWriter.write(build(record(i)))).length;
});

// Baselines, on the same documents: their lines (from our layout) and pdfmake definitions, prepared untimed.
const models = Array.from({ length: BASELINE_DOCS }, (_, i) => build(record(i)));
const sampleDocs = models.map((m) => linesOf(writer, m));
for (const d of sampleDocs) for (const p of d.pages) for (const l of p) l.strippedText = strip(l.text);
const pages = sampleDocs.reduce((a, d) => a + d.pages.length, 0) / sampleDocs.length;

const pdfmake = (await import('pdfmake')).default;
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((p) => Object.values(TINOS_FILES).includes(p));
pdfmake.addFonts({ Tinos: { normal: TINOS_FILES.regular, bold: TINOS_FILES.bold, italics: TINOS_FILES.italic, bolditalics: TINOS_FILES.boldItalic } });
const definitions = models.map(pdfmakeDefinition);

// Interleaved in blocks: five rounds, each writing a block of documents with our writer and with each baseline,
// so that a busy machine slows all of them alike. Blocks are long enough that switching between libraries
// (cold caches, inline caches of pdf-lib's writer) does not dominate the fast runs.
const ROUNDS = 5;
const FAST_BLOCK = 100;
const SLOW_BLOCK = Math.max(1, Math.round(BASELINE_DOCS / ROUNDS));
const spent = { ours: 0, naive: 0, pdfmake: 0, floor: 0 };
const count = { ours: 0, naive: 0, pdfmake: 0, floor: 0 };
const block = async (key, n, fn) => {
  gc(); // each block starts with a clean heap instead of paying for the garbage of the one before
  const t0 = performance.now();
  for (let k = 0; k < n; k++) await fn(count[key]++ % models.length);
  spent[key] += performance.now() - t0;
};
for (let r = 0; r < ROUNDS; r++) {
  await block('ours', FAST_BLOCK, (i) => writer.write(models[i]));
  await block('naive', SLOW_BLOCK, (i) => naive(sampleDocs[i]));
  await block('pdfmake', SLOW_BLOCK, (i) => pdfmake.createPdf(definitions[i]).getBuffer());
  await block('floor', FAST_BLOCK, (i) => floor(sampleDocs[i]));
}
const oursRate = rate(count.ours, spent.ours);
const versus = (key, target) => ({
  docs: count[key],
  docsPerSec: rate(count[key], spent[key]),
  ratio: Math.round((oursRate / rate(count[key], spent[key])) * 100) / 100,
  target,
});
console.log(
  JSON.stringify({
    bench: 'pdf',
    source: 'templates/self-review.hbs, samples/self-review.json',
    docs: DOCS,
    pagesPerDoc: Math.round(pages * 100) / 100,
    kbPerDoc: Math.round(bytes / DOCS / 1024),
    docsPerSec: ours.docsPerSec,
    pagesPerSec: Math.round(ours.docsPerSec * pages),
    withTemplateDocsPerSec: rate(DOCS, writeMs + buildMs),
    rssMB: { after100: rss100, [`after${DOCS}`]: rssEnd, peak },
    liveHeapMB: { after100: heap100, [`after${DOCS}`]: heapEnd },
    perDocumentSubsets: { ...perDoc, kbPerDoc: Math.round(perDocBytes / perDocDocs / 1024) },
    interleaved: { oursDocs: count.ours, oursDocsPerSec: oursRate },
    naivePdfLib: versus('naive', 20),
    pdfmake: versus('pdfmake', 3),
    standardFontFloor: versus('floor', 0.5),
  }),
);
