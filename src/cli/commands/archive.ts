// `bieumau archive <pdf...> --out <bag>` builds a BagIt bag of verified PDFs; `bieumau archive verify <bag>` checks one.
import type { Command } from 'commander';
import { createBag, verifyBag } from '../../archive/bag.js';
import { UsageError } from '../../errors.js';
import { withCommonOptions, type CliContext, type CommonOptions } from '../context.js';
import { readTrust } from './verify.js';

interface ArchiveOpts extends CommonOptions {
  out?: string;
  trust?: string[];
  organization?: string;
  identifier?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const archive = withCommonOptions(program.command('archive'))
    .description('đóng gói lưu trữ BagIt các PDF đã kiểm tra / pack verified PDFs into a BagIt archive bag')
    .argument('<pdf...>', 'tệp PDF / PDF files')
    .option('--out <bag>', 'thư mục gói (chưa có hoặc trống) / bag folder (new or empty)')
    .option('--trust <pem>', 'chứng thư gốc tin cậy / trusted root certificate (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--organization <name>', 'cơ quan nộp lưu / Source-Organization')
    .option('--identifier <id>', 'mã hồ sơ lưu trữ / External-Identifier')
    .action(async (files: string[], opts: ArchiveOpts) => {
      ctx.useOptions(opts);
      if (!opts.out) throw new UsageError('no-out', { vi: 'Cần --out <thư mục gói>.', en: 'Needs --out <bag folder>.' });
      const result = await createBag(files, opts.out, { trust: readTrust(opts.trust), organization: opts.organization, identifier: opts.identifier });
      if (result.rejected.length) {
        for (const r of result.rejected) {
          ctx.out(`✗ ${r.source}`);
          for (const reason of r.reasons) ctx.out(`    ${reason[ctx.lang]}`);
        }
        ctx.out(ctx.t(`Không tạo gói: ${result.rejected.length} tệp không đạt kiểm tra.`, `No bag written: ${result.rejected.length} file(s) failed verification.`));
        ctx.fail(1);
        return;
      }
      const records = result.entries.filter((e) => e.record).length;
      ctx.out(ctx.t(`Đã tạo gói ${opts.out}: ${result.entries.length} PDF, ${records} bản ghi.`, `Bag written to ${opts.out}: ${result.entries.length} PDF(s), ${records} record(s).`));
    });

  // --lang and --forms belong to `archive` and are read from there (commander parses parent options first).
  archive
    .command('verify')
    .description('kiểm tra gói BagIt / verify a BagIt bag')
    .argument('<bag>', 'thư mục gói / bag folder')
    .action(async (dir: string, _opts: unknown, cmd: Command) => {
      ctx.useOptions(cmd.optsWithGlobals<CommonOptions>());
      const check = await verifyBag(dir);
      for (const f of check.missing) ctx.out(ctx.t(`✗ thiếu: ${f}`, `✗ missing: ${f}`));
      for (const f of check.extra) ctx.out(ctx.t(`✗ thừa (không có trong danh mục): ${f}`, `✗ extra (not in the manifest): ${f}`));
      for (const f of check.altered) ctx.out(ctx.t(`✗ bị thay đổi: ${f}`, `✗ altered: ${f}`));
      for (const p of check.problems) ctx.out(`✗ ${p[ctx.lang]}`);
      // Warnings leave the bag valid (RFC 8493 allows them), so they never change the exit code.
      for (const w of check.warnings) ctx.out(`⚠ ${w[ctx.lang]}`);
      if (check.ok) ctx.out(ctx.t(`Gói ${dir} hợp lệ.`, `Bag ${dir} is valid.`));
      else ctx.fail(1);
    });
}
