// `bieumau workbook <form> --out <file.xlsx>`: the data-collection workbook a committee sends to its units.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { UsageError, fsProblem } from '../../errors.js';
import { createWorkbook, DEFAULT_ROWS } from '../../workbook/generate.js';
import { withCommonOptions, type CliContext, type CommonOptions } from '../context.js';

interface WorkbookOpts extends CommonOptions {
  out?: string;
  rows?: string;
  unit?: string;
  rules?: string;
}

export function register(program: Command, ctx: CliContext): void {
  withCommonOptions(program.command('workbook'))
    .description('tạo bảng tính thu thập dữ liệu cho đơn vị / generate a data-collection workbook for units')
    .argument('<form>', 'mã biểu mẫu dạng bảng / tabular form id')
    .requiredOption('--out <file.xlsx>', 'tệp .xlsx cần tạo / workbook to write')
    .option('--rows <n>', `số dòng nhập liệu (mặc định ${DEFAULT_ROWS}) / data rows offered`)
    .option('--unit <name>', 'tên đơn vị nhận biểu / unit the workbook is for')
    .option('--rules <id>', 'bộ quy tắc xếp loại (tên mức, điểm tối đa) / rule set for level names and maxima')
    .action(async (formId: string, opts: WorkbookOpts) => {
      ctx.useOptions(opts);
      const rows = opts.rows === undefined ? undefined : Number(opts.rows);
      if (rows !== undefined && !Number.isInteger(rows)) {
        throw new UsageError('bad-rows', { vi: `--rows phải là số nguyên, không phải "${opts.rows}".`, en: `--rows must be a whole number, not "${opts.rows}".` });
      }
      const out = path.resolve(opts.out!);
      const created = await createWorkbook(formId, {
        registry: ctx.registry(),
        ruleRegistry: ctx.rules(),
        rules: opts.rules,
        rows,
        unit: opts.unit,
        lang: ctx.lang,
      });
      try {
        fs.mkdirSync(path.dirname(out), { recursive: true });
        fs.writeFileSync(out, created.buffer);
      } catch (e) {
        throw new UsageError('write-failed', { vi: `Không ghi được ${out}: ${fsProblem(e).vi}`, en: `Cannot write ${out}: ${(e as Error).message}` });
      }
      const { meta } = created;
      const rowsOffered = meta.lastDataRow - meta.firstDataRow + 1;
      ctx.out(
        ctx.t(
          `Đã tạo ${out}: biểu mẫu ${meta.formId} (${meta.rulesId}), ${created.columns.length} cột, ${rowsOffered} dòng nhập liệu (dòng ${meta.firstDataRow}–${meta.lastDataRow} của trang "${meta.dataSheet}").`,
          `Wrote ${out}: form ${meta.formId} (${meta.rulesId}), ${created.columns.length} columns, ${rowsOffered} data rows (rows ${meta.firstDataRow}–${meta.lastDataRow} of sheet "${meta.dataSheet}").`,
        ),
      );
    });
}
