// `bieumau extract <pdf> [--out file.json] [--rules id]`: gets the embedded record back and validates it against its
// form, under the rule set the PDF was rendered with.
import fs from 'node:fs';
import type { Command } from 'commander';
import { extractRecord } from '../../archive/extract.js';
import { InputError, UsageError, fsProblem } from '../../errors.js';
import { withCommonOptions, type CliContext, type CommonOptions } from '../context.js';
import { issueLine } from '../describe.js';

interface ExtractOpts extends CommonOptions {
  out?: string;
  rules?: string;
}

/**
 * The rule set to validate under: --rules, else the one the XMP records (vnform:RuleSetId, written when the
 * PDF was rendered), else the record's own ruleSet when known, else the form's default (undefined).
 */
function chooseRules(ctx: CliContext, opts: ExtractOpts, recorded: string | undefined, record: unknown): string | undefined {
  const known = new Set(ctx.rules().list().map((r) => r.id));
  if (opts.rules) return ctx.rules().get(opts.rules).id;
  if (recorded) {
    if (!known.has(recorded)) {
      throw new UsageError('rules-unknown', {
        vi: `Dữ liệu được kiểm tra theo bộ quy tắc "${recorded}", không có ở đây; dùng --forms để thêm thư mục của nó hoặc --rules để chọn bộ khác.`,
        en: `The data was validated under rule set "${recorded}", which is not known here; use --forms to add its folder or --rules to choose another.`,
      });
    }
    return recorded;
  }
  const named = (record as { ruleSet?: unknown } | null)?.ruleSet;
  return typeof named === 'string' && known.has(named) ? named : undefined;
}

function readFile(file: string): Uint8Array {
  try {
    return new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    throw new InputError('file-unreadable', { vi: `Không đọc được tệp ${file}: ${fsProblem(e).vi}`, en: `Cannot read ${file}: ${(e as Error).message}` });
  }
}

export function register(program: Command, ctx: CliContext): void {
  withCommonOptions(program.command('extract'))
    .description('lấy dữ liệu nguồn nhúng trong PDF / get the embedded source record out of a PDF')
    .argument('<pdf>', 'tệp PDF do bieumau tạo / a PDF made by bieumau')
    .option('--out <file>', 'ghi dữ liệu vào tệp JSON (mặc định: in ra) / write the record to a file (default: stdout)')
    .option('--rules <id>', 'bộ quy tắc để kiểm tra (mặc định: bộ ghi trong PDF) / rule set to validate under (default: the one recorded in the PDF)')
    .action(async (file: string, opts: ExtractOpts) => {
      ctx.useOptions(opts);
      if (opts.rules) ctx.rules().get(opts.rules); // an unknown --rules is a usage error before anything is written
      const extracted = await extractRecord(readFile(file));
      const formId = extracted.properties.FormId;
      if (opts.out) fs.writeFileSync(opts.out, extracted.bytes);
      else ctx.io.stdout.write(Buffer.from(extracted.bytes));
      if (!extracted.hashMatches) {
        ctx.err(ctx.t(
          `✗ Dữ liệu nhúng đã bị thay đổi: SHA-256 ${extracted.sha256} khác giá trị trong XMP (${extracted.properties.DataSHA256 ?? '—'}).`,
          `✗ The embedded data was altered: SHA-256 ${extracted.sha256} differs from the XMP value (${extracted.properties.DataSHA256 ?? '—'}).`,
        ));
        ctx.fail(1);
      }
      if (!formId || !ctx.registry().forms.has(formId)) {
        throw new UsageError('form-unknown', {
          vi: `Dữ liệu thuộc biểu mẫu "${formId ?? '?'}" không có trong danh mục; dùng --forms để chỉ thư mục biểu mẫu.`,
          en: `The data belongs to form "${formId ?? '?'}", which is not known here; use --forms to add its folder.`,
        });
      }
      const form = ctx.registry().get(formId);
      if (extracted.properties.SchemaSHA256 && extracted.properties.SchemaSHA256 !== form.schemaHash) {
        ctx.err(ctx.t(
          `⚠ Dữ liệu được kiểm tra theo phiên bản biểu mẫu ${extracted.properties.SchemaVersion ?? '?'}; phiên bản hiện có là ${form.version} (lược đồ khác).`,
          `⚠ The data was validated against form version ${extracted.properties.SchemaVersion ?? '?'}; the one here is ${form.version} (a different schema).`,
        ));
      }
      const rules = chooseRules(ctx, opts, extracted.properties.RuleSetId, extracted.record);
      const rulesId = rules ?? ctx.rules().get(form.meta.defaultRules).id;
      const result = ctx.validator().validate(formId, extracted.record, { lang: ctx.lang, rules });
      for (const issue of result.issues) ctx.err(issueLine(issue));
      if (!result.ok) ctx.fail(1);
      const what = `${formId} ${extracted.properties.SchemaVersion ?? ''} (${rulesId})`;
      if (opts.out) ctx.err(ctx.t(`${what}: đã ghi ${opts.out}`, `${what}: wrote ${opts.out}`));
    });
}
