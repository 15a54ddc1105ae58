// `bieumau render <form> <data...>`: one document per valid record and format; invalid records are reported and skipped.
import fs from 'node:fs';
import path from 'node:path';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { archiveFinisher } from '../../archive/finisher.js';
import { isBieumauError, UsageError, fsProblem } from '../../errors.js';
import { readRecords } from '../../io/records.js';
import { readLayoutOverride } from '../../model/profile.js';
import { slugify } from '../../normalize/text.js';
import { DocumentBuilder } from '../../render/document.js';
import { OUTPUT_FORMATS, WRITER_FACTORIES, type DocumentWriter, type OutputFormat, type PdfFinisher } from '../../render/writers.js';
import { withCommonOptions, type CliContext, type CommonOptions } from '../context.js';
import { issueLine, recordHeading, recordName } from '../describe.js';

interface RenderOpts extends CommonOptions {
  format: string;
  out: string;
  profile?: string;
  rules?: string;
  layout?: string;
  archive?: boolean;
}

/** Shortest zero-padded index width; 4 digits keep file listings in order up to 9,999 records. */
const INDEX_WIDTH = 4;

/** Formats asked for, each with a registered writer; an unknown or unavailable one is a usage error. */
function parseFormats(value: string): OutputFormat[] {
  const available = OUTPUT_FORMATS.filter((f) => WRITER_FACTORIES[f]);
  const asked = [...new Set(value.split(',').map((f) => f.trim().toLowerCase()).filter(Boolean))];
  if (asked.length === 0) asked.push('docx');
  for (const f of asked) {
    if (!available.includes(f as OutputFormat)) {
      throw new UsageError('format-unavailable', {
        vi: `Không có bộ ghi định dạng "${f}". Có thể dùng: ${available.join(', ')}.`,
        en: `No writer for format "${f}". Available: ${available.join(', ')}.`,
      });
    }
  }
  return asked as OutputFormat[];
}

/** PDF finishers run on every PDF before it is saved: `--archive` makes it PDF/A-3b with the record inside. */
function pdfFinishers(opts: RenderOpts, formats: OutputFormat[]): PdfFinisher[] {
  if (!opts.archive) return [];
  if (!formats.includes('pdf')) {
    throw new UsageError('archive-needs-pdf', {
      vi: '--archive chỉ dùng với định dạng pdf (thêm --format pdf).',
      en: '--archive applies to PDF output only (add --format pdf).',
    });
  }
  return [archiveFinisher];
}

/** Records in an NDJSON file (non-blank lines), for the progress bar; undefined for a JSON file. */
async function countRecords(file: string): Promise<number | undefined> {
  const ext = path.extname(file).toLowerCase();
  if (ext !== '.ndjson' && ext !== '.jsonl') return undefined;
  let count = 0;
  let blank = true;
  try {
    for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
      for (const byte of chunk as Buffer) {
        if (byte === 10) {
          if (!blank) count++;
          blank = true;
        } else if (byte !== 13 && byte !== 32 && byte !== 9) {
          blank = false;
        }
      }
    }
  } catch {
    return undefined; // readRecords reports the problem
  }
  return blank ? count : count + 1;
}

export function register(program: Command, ctx: CliContext): void {
  withCommonOptions(program.command('render'))
    .description('tạo văn bản DOCX/PDF/XLSX theo mẫu / render official documents')
    .argument('<form>', 'mã biểu mẫu / form id')
    .argument('<data...>', 'tệp JSON, mảng JSON hoặc NDJSON / JSON, JSON array or NDJSON file(s)')
    .option('--format <list>', 'định dạng, cách nhau bởi dấu phẩy / formats, comma-separated (docx,pdf,xlsx)', 'docx')
    .requiredOption('--out <dir>', 'thư mục ghi kết quả / output folder')
    .option('--profile <id>', 'thể thức trình bày: state (Nghị định 30) hoặc party (Hướng dẫn 36) / layout profile')
    .option('--rules <id>', 'bộ quy tắc xếp loại / classification rule set')
    .option('--layout <file>', 'tệp JSON ghi đè thông số trình bày / JSON file overriding layout values')
    .option('--archive', 'PDF lưu trữ PDF/A-3b kèm dữ liệu nguồn và ô chữ ký trống / archive PDF: PDF/A-3b, source record embedded, empty signature fields')
    .action(async (formId: string, files: string[], opts: RenderOpts) => {
      ctx.useOptions(opts);
      const formats = parseFormats(opts.format);
      const validator = ctx.validator();
      const { form } = validator.prepare(formId, opts.rules);
      const layout = opts.layout ? [{ override: readLayoutOverride(opts.layout), source: opts.layout }] : [];
      const builder = new DocumentBuilder(ctx.registry(), ctx.rules(), { layout });
      // Definition problems (template, profile, layout) surface before any record is read.
      builder.profileFor(form, opts.profile);
      const writers: DocumentWriter[] = [];
      for (const f of formats) writers.push(await WRITER_FACTORIES[f]!());
      const finishers = pdfFinishers(opts, formats);
      try {
        fs.mkdirSync(opts.out, { recursive: true });
      } catch (e) {
        throw new UsageError('out-unwritable', { vi: `Không tạo được thư mục ${opts.out}: ${fsProblem(e).vi}`, en: `Cannot create folder ${opts.out}: ${(e as Error).message}` });
      }
      const knownRules = new Set(ctx.rules().list().map((r) => r.id));

      let total = 0;
      let rendered = 0;
      let skipped = 0;
      let written = 0;
      let index = 0;
      const counts = await Promise.all(files.map(countRecords));
      const expected = counts.every((c) => c !== undefined) ? counts.reduce<number>((s, c) => s + c!, 0) : undefined;
      const bar =
        ctx.io.stderr.isTTY && (expected === undefined || expected >= 10)
          ? new cliProgress.SingleBar(
              {
                stream: ctx.io.stderr as NodeJS.WritableStream,
                format: expected === undefined ? `${form.id} {value} ${ctx.t('bản ghi', 'records')}` : `${form.id} [{bar}] {value}/{total} ${ctx.t('bản ghi', 'records')} · {eta_formatted}`,
                hideCursor: true,
                clearOnComplete: true,
              },
              cliProgress.Presets.shades_classic,
            )
          : undefined;
      bar?.start(expected ?? 0, 0);
      // Reports go to stdout; with a bar on the terminal, the bar is cleared around them.
      const report = (lines: string[]) => {
        if (bar) ctx.io.stderr.write('\r\x1b[K');
        for (const line of lines) ctx.out(line);
      };

      try {
        for (const file of files) {
          for await (const entry of readRecords(file)) {
            total++;
            index++;
            bar?.update(total);
            if (entry.kind === 'error') {
              skipped++;
              report([recordHeading(ctx, entry.index, entry.line, undefined), `  ✗ [${entry.code}]: ${entry.text[ctx.lang]}`]);
              continue;
            }
            const named = (entry.value as { ruleSet?: unknown } | null)?.ruleSet;
            const rulesId = opts.rules ?? (typeof named === 'string' && knownRules.has(named) ? named : undefined);
            const result = validator.validate(form.id, entry.value, { lang: ctx.lang, rules: rulesId });
            const name = recordName(result.record);
            if (result.issues.length > 0) report([recordHeading(ctx, entry.index, entry.line, name), ...result.issues.map(issueLine)]);
            if (!result.ok) {
              skipped++;
              continue;
            }
            try {
              const doc = builder.build(form, result.record, { profile: opts.profile, rules: rulesId, normalized: true });
              const rules = ctx.rules().get(rulesId ?? form.meta.defaultRules);
              const stem = [form.id, name ? slugify(name) : '', String(index).padStart(INDEX_WIDTH, '0')].filter(Boolean).join('-');
              for (const writer of writers) {
                const bytes = await writer.write(doc, { form, record: result.record, rules, pdfFinishers: finishers });
                fs.writeFileSync(path.join(opts.out, `${stem}${writer.extension}`), bytes);
                written++;
              }
              rendered++;
            } catch (e) {
              // A record the layout cannot take (e.g. a signing authority the profile has no prefix for): report, go on.
              if (isBieumauError(e) && e.exitCode === 1) {
                skipped++;
                report([recordHeading(ctx, entry.index, entry.line, name), `  ✗ [${e.code}]: ${e.messageIn(ctx.lang)}`]);
                continue;
              }
              throw e;
            }
          }
        }
      } finally {
        bar?.stop();
      }
      ctx.out(
        ctx.t(
          `${form.id}: ${total} bản ghi — ${rendered} đã tạo (${written} tệp ${formats.join(', ')} trong ${opts.out}), ${skipped} bỏ qua do có lỗi.`,
          `${form.id}: ${total} record(s) — ${rendered} rendered (${written} ${formats.join(', ')} file(s) in ${opts.out}), ${skipped} skipped with errors.`,
        ),
      );
      if (skipped > 0) ctx.fail(1);
    });
}
