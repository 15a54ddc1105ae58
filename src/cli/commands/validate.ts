// `bieumau validate <form> <data...>`: checks every record of each file and reports each problem.
import type { Command } from 'commander';
import { readRecordBatches } from '../../io/records.js';
import { withCommonOptions, type CliContext, type CommonOptions } from '../context.js';
import { issueLine, recordHeading, recordName } from '../describe.js';

interface ValidateOpts extends CommonOptions {
  rules?: string;
  json?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  withCommonOptions(program.command('validate'))
    .description('kiểm tra dữ liệu theo biểu mẫu / validate data against a form')
    .argument('<form>', 'mã biểu mẫu / form id')
    .argument('<data...>', 'tệp JSON, mảng JSON hoặc NDJSON / JSON, JSON array or NDJSON file(s)')
    .option('--rules <id>', 'bộ quy tắc xếp loại / classification rule set')
    .option('--json', 'in kết quả dạng JSON / print machine-readable JSON')
    .action(async (formId: string, files: string[], opts: ValidateOpts) => {
      ctx.useOptions(opts);
      const validator = ctx.validator();
      const { form, rules } = validator.prepare(formId, opts.rules);
      let total = 0;
      let invalid = 0;
      let warnings = 0;
      if (opts.json) ctx.io.stdout.write(`{"form":${JSON.stringify(form.id)},"rules":${JSON.stringify(rules.id)},"records":[`);
      let firstJson = true;
      for (const file of files) {
        if (!opts.json && files.length > 1) ctx.out(file);
        for await (const batch of readRecordBatches(file)) for (const entry of batch) {
          total++;
          if (entry.kind === 'error') {
            invalid++;
            if (opts.json) {
              ctx.io.stdout.write(`${firstJson ? '' : ','}\n${JSON.stringify({ file, index: entry.index, line: entry.line, ok: false, issues: [{ code: entry.code, severity: 'error', form: form.id, pointer: '', labelPath: [], label: '', message: entry.text[ctx.lang] }] })}`);
              firstJson = false;
            } else {
              ctx.out(recordHeading(ctx, entry.index, entry.line, undefined));
              ctx.out(`  ✗ [${entry.code}]: ${entry.text[ctx.lang]}`);
            }
            continue;
          }
          const result = validator.validate(form.id, entry.value, { lang: ctx.lang, rules: rules.id });
          if (!result.ok) invalid++;
          const warn = result.issues.filter((i) => i.severity === 'warning').length;
          warnings += warn;
          if (result.issues.length === 0) continue;
          if (opts.json) {
            const issues = result.issues.map((i) => ({ ...i, record: entry.index, ...(entry.line !== undefined ? { line: entry.line } : {}) }));
            ctx.io.stdout.write(`${firstJson ? '' : ','}\n${JSON.stringify({ file, index: entry.index, line: entry.line, name: recordName(result.record), ok: result.ok, issues })}`);
            firstJson = false;
          } else {
            ctx.out(recordHeading(ctx, entry.index, entry.line, recordName(result.record)));
            for (const issue of result.issues) ctx.out(issueLine(issue));
          }
        }
      }
      const valid = total - invalid;
      if (opts.json) {
        ctx.io.stdout.write(`\n],"summary":${JSON.stringify({ total, valid, invalid, warnings })}}\n`);
      } else {
        ctx.out(
          ctx.t(
            `${form.id} (${rules.id}): ${total} bản ghi — ${valid} hợp lệ, ${invalid} có lỗi, ${warnings} cảnh báo.`,
            `${form.id} (${rules.id}): ${total} record(s) — ${valid} valid, ${invalid} with errors, ${warnings} warning(s).`,
          ),
        );
      }
      if (invalid > 0) ctx.fail(1);
    });
}
