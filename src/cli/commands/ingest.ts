// `bieumau ingest <form> <file...> --out <dir>`: returned workbooks or CSV files in, validated records and reports out.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { isBieumauError } from '../../errors.js';
import type { PersonKeyIndex } from '../../ingest/ingest.js';
import { ingestToDirectory } from '../../ingest/output.js';
import { withCommonOptions, type CliContext, type CommonOptions } from '../context.js';

interface IngestOpts extends CommonOptions {
  out: string;
  rules?: string;
  json?: boolean;
}

export function register(program: Command, ctx: CliContext): void {
  withCommonOptions(program.command('ingest'))
    .description('đọc bảng tính đơn vị gửi lại thành bản ghi đã kiểm tra / read returned workbooks into validated records')
    .argument('<form>', 'mã biểu mẫu dạng bảng / tabular form id')
    .argument('<files...>', 'tệp .xlsx hoặc .csv / .xlsx or .csv file(s)')
    .requiredOption('--out <dir>', 'thư mục kết quả (mỗi tệp một thư mục con khi có nhiều tệp) / output folder')
    .option('--rules <id>', 'bộ quy tắc xếp loại / classification rule set')
    .option('--json', 'in tóm tắt dạng JSON / print the summaries as JSON')
    .action(async (formId: string, named: string[], opts: IngestOpts) => {
      ctx.useOptions(opts);
      const files = onceEach(named, (file) => ctx.err(ctx.t(`bieumau: ${file}: tệp đã có ở trên, chỉ đọc một lần.`, `bieumau: ${file}: named earlier, read once.`)));
      const validator = ctx.validator();
      validator.prepare(formId, opts.rules);
      const knownKeys: PersonKeyIndex = new Map();
      const summaries: unknown[] = [];
      const folders = outputFolders(files);
      for (const [i, file] of files.entries()) {
        const outDir = files.length > 1 ? path.join(opts.out, folders[i]!) : opts.out;
        try {
          const { summary } = await ingestToDirectory(formId, file, outDir, { validator, rules: opts.rules, lang: ctx.lang, knownKeys });
          summaries.push({ ...summary, out: outDir });
          if (summary.rejected > 0 || summary.errors > 0) ctx.fail(1);
          if (!opts.json) {
            ctx.out(
              ctx.t(
                `${file}: ${summary.rows} dòng dữ liệu — ${summary.accepted} hợp lệ, ${summary.rejected} bị loại; ${summary.errors} lỗi, ${summary.warnings} cảnh báo (trang "${summary.sheet}", dòng tiêu đề ${summary.headerRow}, quy tắc ${summary.rules}). Kết quả trong ${outDir}.`,
                `${file}: ${summary.rows} data row(s) — ${summary.accepted} accepted, ${summary.rejected} rejected; ${summary.errors} error(s), ${summary.warnings} warning(s) (sheet "${summary.sheet}", header row ${summary.headerRow}, rules ${summary.rules}). Results in ${outDir}.`,
              ),
            );
          }
        } catch (e) {
          if (!isBieumauError(e) || files.length === 1) throw e;
          // With several files, one unreadable file does not stop the others; it still makes the run fail (exit 2).
          ctx.err(`bieumau: ${file}: ${e.messageIn(ctx.lang)}`);
          summaries.push({ file, error: e.code, message: e.messageIn(ctx.lang) });
          ctx.fail(2);
        }
      }
      if (opts.json) ctx.out(JSON.stringify(summaries, null, 2));
    });
}

/** The files in order, each only once however it is named (a path, another spelling of it, a link to it). */
export function onceEach(files: string[], repeated: (file: string) => void): string[] {
  const seen = new Set<string>();
  return files.filter((file) => {
    let key: string;
    try {
      key = fs.realpathSync(file);
    } catch {
      key = path.resolve(file); // a missing file is reported when it is read
    }
    if (seen.has(key)) {
      repeated(file);
      return false;
    }
    seen.add(key);
    return true;
  });
}

/**
 * One output folder per input file, named after it; files of the same name (each unit's "bieu-mau.xlsx") take
 * their folder's name in front, then a number, so that no file's results overwrite another's.
 */
export function outputFolders(files: string[]): string[] {
  const base = files.map((f) => path.basename(f, path.extname(f)));
  const clash = (names: string[], i: number) => names.some((n, j) => j !== i && n.toLowerCase() === names[i]!.toLowerCase());
  const named = base.map((b, i) => (clash(base, i) ? `${path.basename(path.dirname(path.resolve(files[i]!)))}-${b}` : b));
  const used = new Set<string>();
  return named.map((n) => {
    let name = n;
    for (let k = 2; used.has(name.toLowerCase()); k++) name = `${n}-${k}`;
    used.add(name.toLowerCase());
    return name;
  });
}
