// `bieumau summarize <records...> --out <dir>`: counts per level per unit and comparable group, the quota check,
// summary.json, and the classification-summary document in the requested formats.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { InputError, UsageError } from '../../errors.js';
import { DocumentBuilder } from '../../render/document.js';
import { createWriter, OUTPUT_FORMATS, type OutputFormat } from '../../render/writers.js';
import { roundingText } from '../../summary/quota.js';
import { createDisplay, type Display } from '../../summary/display.js';
import { fileSource, summarize } from '../../summary/summarize.js';
import { loadGrants } from '../../summary/exceptions.js';
import { summaryRecord, type DocumentParts } from '../../summary/form-record.js';
import { LEVEL_SOURCES, type LevelSource, type Summary, type UnitField } from '../../summary/types.js';
import { withCommonOptions, type CliContext, type CommonOptions } from '../context.js';
import { issueLine } from '../describe.js';

interface SummarizeOpts extends CommonOptions {
  out: string;
  rules?: string;
  format: string;
  groupBy: string;
  exceptions?: string;
  level: string;
  unitField: string;
  document?: string;
  profile?: string;
  json?: boolean;
}

const SUMMARY_FORM = 'classification-summary';
const DOCUMENT_KEYS = ['header', 'subject', 'period', 'notes', 'signature', 'recipients'] as const;
const SHOWN_ISSUES = 20;

function parseFormats(value: string): OutputFormat[] {
  if (value === '' || value === 'none') return [];
  const list = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  for (const f of list) {
    if (!(OUTPUT_FORMATS as readonly string[]).includes(f)) {
      throw new UsageError('bad-format', { vi: `--format: "${f}" không hợp lệ (docx, pdf, xlsx hoặc none).`, en: `--format: "${f}" is not valid (docx, pdf, xlsx or none).` });
    }
  }
  return [...new Set(list)] as OutputFormat[];
}

function parseLevels(value: string): LevelSource[] {
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((s) => !(LEVEL_SOURCES as readonly string[]).includes(s));
  if (list.length === 0 || bad.length > 0 || new Set(list).size !== list.length) {
    throw new UsageError('bad-level-order', {
      vi: `--level: cần danh sách không trùng lặp gồm ${LEVEL_SOURCES.join(', ')} theo thứ tự ưu tiên, ví dụ decided,verified,proposed.`,
      en: `--level: expected a list without repeats of ${LEVEL_SOURCES.join(', ')} in order of preference, e.g. decided,verified,proposed.`,
    });
  }
  return list as LevelSource[];
}

function choice<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError('bad-option', { vi: `${option} phải là ${allowed.join(' hoặc ')}, không phải "${value}".`, en: `${option} must be ${allowed.join(' or ')}, not "${value}".` });
  }
  return value as T;
}

function readDocumentParts(file: string): DocumentParts {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError('file-missing', { vi: `Không tìm thấy tệp: ${file}`, en: `File not found: ${file}` });
    throw new InputError('document-not-json', { vi: `${file}: không phải JSON hợp lệ (${(e as Error).message}).`, en: `${file}: not valid JSON (${(e as Error).message}).` });
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError('document-not-object', { vi: `${file}: phải là một đối tượng JSON.`, en: `${file}: must be a JSON object.` });
  }
  const unknown = Object.keys(data).filter((k) => !(DOCUMENT_KEYS as readonly string[]).includes(k) && k !== '$schema');
  if (unknown.length > 0) {
    throw new InputError('document-unknown-keys', {
      vi: `${file}: không biết các mục ${unknown.join(', ')} (chỉ có ${DOCUMENT_KEYS.join(', ')}).`,
      en: `${file}: unknown keys ${unknown.join(', ')} (allowed: ${DOCUMENT_KEYS.join(', ')}).`,
    });
  }
  return data as DocumentParts;
}

/** The report on the terminal: the table, the quota verdicts with who is over, the issues. */
function printSummary(ctx: CliContext, s: Summary, rowsBy: 'unit' | 'group', display: Display, files: string[]): void {
  const t = ctx.t.bind(ctx);
  const n = (v: number) => display.count(v);
  ctx.out(
    t(
      `Tổng hợp theo ${s.ruleSet.id} (${s.ruleSet.version}): ${s.records.read} bản ghi, ${s.records.counted} được tính, ${s.records.rejected} không tính được.`,
      `Summary under ${s.ruleSet.id} (${s.ruleSet.version}): ${s.records.read} records, ${s.records.counted} counted, ${s.records.rejected} not countable.`,
    ),
  );
  ctx.out(s.levelBasis[ctx.lang]);
  const codes = [...s.levels.map((l) => l.short), s.unclassifiedLabel];
  const rows = rowsBy === 'group' ? s.groups : s.units;
  const nameWidth = Math.min(48, Math.max(12, ...rows.map((r) => r.name.length), s.total.name.length));
  const cell = (v: string, w: number) => v.padStart(w);
  const widths = codes.map((c) => Math.max(c.length, 6));
  ctx.out(`${(rowsBy === 'group' ? t('Nhóm tương đồng', 'Comparable group') : t('Đơn vị', 'Unit')).padEnd(nameWidth)}  ${cell(t('Tổng số', 'Total'), 8)}  ${codes.map((c, i) => cell(c, widths[i]!)).join('  ')}`);
  for (const r of [...rows, s.total]) {
    const name = r.name.length > nameWidth ? `${r.name.slice(0, nameWidth - 1)}…` : r.name;
    const counts = [...s.levels.map((l) => r.counts[l.code]!), r.counts.unclassified!];
    ctx.out(`${name.padEnd(nameWidth)}  ${cell(String(r.evaluated), 8)}  ${counts.map((n, i) => cell(String(n), widths[i]!)).join('  ')}`);
  }
  for (const l of s.levels) ctx.out(`  ${l.short}: ${s.total.shares[l.code]!.text}`);
  ctx.out(`  ${s.unclassifiedLabel}: ${s.total.shares.unclassified!.text}`);
  if (s.total.excellent && s.quota) {
    const good = s.levels.find((l) => l.code === s.quota!.goodLevel)!;
    ctx.out(
      t(
        `  ${s.quota.level} trên tổng số: ${s.total.excellent.ofEvaluated.text}; trên số ${good.short}${s.quota.baseRule === 'good-or-above' ? ' trở lên' : ''}: ${s.total.excellent.ofBase.text}`,
        `  ${s.quota.level} of all evaluated: ${s.total.excellent.ofEvaluated.text}; of the ${good.short}${s.quota.baseRule === 'good-or-above' ? '-or-above' : ''} base: ${s.total.excellent.ofBase.text}`,
      ),
    );
  }
  if (s.quota) {
    ctx.out(t('Kiểm tra tỷ lệ:', 'Quota check:') + ` ${s.quota.statement[ctx.lang]}`);
    for (const c of s.quota.checks) {
      const mark = c.pass ? '✓' : '✗';
      const exception = c.exception ? t(` (ngoại lệ ${c.ceilingPct}% theo ${c.exception.decision})`, ` (exception ${c.ceilingPct}% under ${c.exception.decision})`) : '';
      const math = `${n(c.base)} × ${c.ceilingPct}% = ${c.ceilingExact}${c.ceilingExact !== n(c.ceiling) ? ` → ${n(c.ceiling)} (${roundingText(c.rounding)[ctx.lang]})` : ''}`;
      ctx.out(`  ${mark} ${c.name}: ${c.share.text}, ${t('tối đa', 'at most')} ${n(c.ceiling)} [${math}]${exception}`);
      if (!c.pass) {
        const names = c.over.map((p) => `${p.name}${p.score !== undefined ? ` (${String(p.score).replace('.', ',')})` : ''}`).join(', ');
        ctx.out(t(`      vượt ${c.overBy}, đề nghị cấp có thẩm quyền xem xét: ${names}`, `      ${c.overBy} over, for the competent level to consider: ${names}`));
        if (c.tie) ctx.out(t(`      bằng điểm tại ngưỡng: ${c.tie.people.map((p) => p.name).join(', ')}`, `      tied at the cut: ${c.tie.people.map((p) => p.name).join(', ')}`));
      }
    }
  }
  const { errors, warnings, list } = s.issues;
  if (errors + warnings > 0) {
    ctx.out(t(`Dữ liệu: ${errors} lỗi, ${warnings} cảnh báo.`, `Data: ${errors} errors, ${warnings} warnings.`));
    for (const i of list.slice(0, SHOWN_ISSUES)) {
      // With several files, a record is named in its file (its number counts across all of them).
      const file = files.length > 1 && i.file !== undefined ? `${i.file}: ` : '';
      const where =
        i.record !== undefined ? file + t(`Bản ghi ${i.record + 1}`, `Record ${i.record + 1}`) + (i.line !== undefined ? t(` (dòng ${i.line})`, ` (line ${i.line})`) : '') + (i.name ? ` — ${i.name}` : '') : '';
      const at = [where, i.pointer ? `(${i.pointer})` : ''].filter(Boolean).join(' ');
      ctx.out(`  ${i.severity === 'error' ? '✗' : '⚠'} ${at ? `${at} ` : ''}[${i.code}]: ${i.message}`);
    }
    if (errors + warnings > SHOWN_ISSUES) ctx.out(t(`  … xem đủ trong summary.json`, `  … see summary.json for all`));
  }
}

export function register(program: Command, ctx: CliContext): void {
  withCommonOptions(program.command('summarize'))
    .description('tổng hợp kết quả xếp loại và kiểm tra tỷ lệ / classification summary with the quota check')
    .argument('<records...>', 'bản ghi đã tiếp nhận (records.json, mảng JSON hoặc NDJSON) / accepted records (records.json, JSON array or NDJSON)')
    .requiredOption('--out <dir>', 'thư mục kết quả / output folder')
    .option('--rules <id>', 'bộ quy tắc xếp loại / classification rule set')
    .option('--format <list>', 'định dạng văn bản: docx,pdf,xlsx hoặc none / document formats, or none', 'docx,pdf,xlsx')
    .option('--group-by <unit|group>', 'dòng của bảng chính: đơn vị hoặc nhóm tương đồng / rows of the main table', 'unit')
    .option('--exceptions <file>', 'các trường hợp được áp dụng tỷ lệ ngoại lệ / quota exception grants (JSON)')
    .option('--level <list>', 'mức được tính, theo thứ tự ưu tiên / levels counted, in order of preference', 'decided,verified,proposed')
    .option('--unit-field <unit|partyCell>', 'trường đơn vị: đơn vị công tác hoặc chi bộ / unit field', 'unit')
    .option('--document <file>', 'phần đầu, chữ ký, nơi nhận, ghi chú của văn bản (JSON) / header, signature, recipients, notes (JSON)')
    .option('--profile <id>', 'hồ sơ trình bày / layout profile (state, party)')
    .option('--json', 'in summary.json ra màn hình / print summary.json to stdout')
    .action(async (files: string[], opts: SummarizeOpts) => {
      ctx.useOptions(opts);
      const registry = ctx.registry();
      const rules = ctx.rules().get(opts.rules);
      const formats = parseFormats(opts.format);
      const rowsBy = choice('--group-by', opts.groupBy, ['unit', 'group'] as const);
      const unitField = choice<UnitField>('--unit-field', opts.unitField, ['unit', 'partyCell']);
      const levelOrder = parseLevels(opts.level);
      const grants = opts.exceptions ? loadGrants(opts.exceptions, registry, rules) : [];
      const parts = opts.document ? readDocumentParts(opts.document) : {};

      const summary = await summarize(fileSource(files), { rules, levelOrder, unitField, grants, lang: ctx.lang });
      fs.mkdirSync(opts.out, { recursive: true });
      const written: string[] = [];
      const summaryFile = path.join(opts.out, 'summary.json');
      fs.writeFileSync(summaryFile, `${JSON.stringify(summary, null, 2)}\n`);
      written.push(summaryFile);
      if (summary.issues.errors > 0) ctx.fail(1);
      if (opts.json) ctx.out(JSON.stringify(summary, null, 2));
      else printSummary(ctx, summary, rowsBy, createDisplay(rules), files);

      if (formats.length > 0 && summary.records.counted > 0) {
        // The document is Vietnamese whatever the language of the messages.
        const record = summaryRecord(summary, parts, { rowsBy });
        const recordFile = path.join(opts.out, `${SUMMARY_FORM}.json`);
        fs.writeFileSync(recordFile, `${JSON.stringify(record, null, 2)}\n`);
        written.push(recordFile);
        const checked = ctx.validator().validate(SUMMARY_FORM, record, { lang: ctx.lang, rules: rules.id });
        if (!checked.ok) {
          // Its fields come from the --document file (header, signature, notes) and from the records (names,
          // scores of the people listed): each line below names the field.
          ctx.err(
            ctx.t(
              'Văn bản tổng hợp chưa hợp lệ; các trường dưới đây lấy từ tệp --document (phần đầu, chữ ký, ghi chú) hoặc từ các bản ghi (họ tên, điểm của người được liệt kê):',
              'The summary document is not valid; the fields below come from the --document file (header, signature, notes) or from the records (names and scores of the people listed):',
            ),
          );
          for (const issue of checked.issues) ctx.err(issueLine(issue));
          ctx.fail(1);
        } else {
          const builder = new DocumentBuilder(registry, ctx.rules());
          const doc = builder.build(SUMMARY_FORM, checked.record, { rules: rules.id, ...(opts.profile ? { profile: opts.profile } : {}), normalized: true });
          for (const format of formats) {
            const writer = await createWriter(format);
            const file = path.join(opts.out, `${SUMMARY_FORM}${writer.extension}`);
            fs.writeFileSync(file, await writer.write(doc, { form: registry.get(SUMMARY_FORM), record: checked.record, rules }));
            written.push(file);
          }
        }
      }
      if (!opts.json) ctx.out(ctx.t(`Đã ghi: ${written.join(', ')}`, `Written: ${written.join(', ')}`));
    });
}
