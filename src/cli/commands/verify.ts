// `bieumau verify <pdf...> [--trust root.pem] [--json]`: every signature and the embedded data, said plainly.
import fs from 'node:fs';
import type { Command } from 'commander';
import { readPemCertificates } from '../../archive/chain.js';
import { verifyPdf, type VerifyReport } from '../../archive/verify.js';
import { InputError, fsProblem } from '../../errors.js';
import { withCommonOptions, type CliContext, type CommonOptions } from '../context.js';

interface VerifyOpts extends CommonOptions {
  trust?: string[];
  json?: boolean;
}

/** Trust anchors from PEM files (each may hold several certificates). */
export function readTrust(files: string[] = []): Uint8Array[] {
  return files.flatMap((f) => {
    let text: string;
    try {
      text = fs.readFileSync(f, 'latin1');
    } catch (e) {
      throw new InputError('file-unreadable', { vi: `Không đọc được ${f}: ${fsProblem(e).vi}`, en: `Cannot read ${f}: ${(e as Error).message}` });
    }
    const certs = readPemCertificates(text);
    if (certs.length === 0) throw new InputError('trust-not-pem', { vi: `${f} không chứa chứng thư PEM nào.`, en: `${f} holds no PEM certificate.` });
    return certs;
  });
}

export function printReport(ctx: CliContext, file: string, report: VerifyReport): void {
  const t = (b: { vi: string; en: string }) => b[ctx.lang];
  ctx.out(`${file}: ${report.valid ? ctx.t('HỢP LỆ', 'VALID') : ctx.t('KHÔNG HỢP LỆ', 'NOT VALID')}`);
  report.signatures.forEach((s, i) => {
    ctx.out(`  ${ctx.t('Chữ ký', 'Signature')} ${i + 1} "${s.field}": ${s.valid ? '✓' : '✗'} ${s.signer?.name ?? ''}${s.claimedTime ? ` — ${s.claimedTime}` : ''}`);
    if (s.byteRange) ctx.out(`    ByteRange [${s.byteRange.join(' ')}]${s.coversWholeFile ? ctx.t(' — toàn bộ tệp', ' — whole file') : ''}`);
    ctx.out(`    ${ctx.t('Băm', 'Digest')}: ${s.digestOk ? 'ok' : '✗'}; ${ctx.t('giá trị chữ ký', 'signature value')}: ${s.signatureOk ? 'ok' : '✗'}; ${ctx.t('chuỗi chứng thư', 'chain')}: ${s.chain.trusted ? ctx.t('tin cậy', 'trusted') : ctx.t('không tin cậy', 'not trusted')}${s.chain.path.length ? ` (${s.chain.path.join(' → ')})` : ''}`);
    if (s.reason) ctx.out(`    ${ctx.t('Lý do', 'Reason')}: ${s.reason}`);
    for (const a of s.allowedAfter) ctx.out(`    · ${ctx.t('sau đó', 'afterwards')}: ${t(a)}`);
    for (const p of s.problems) ctx.out(`    ✗ ${t(p)}`);
    for (const n of s.notes) ctx.out(`    ⚠ ${t(n)}`);
  });
  if (report.data) {
    ctx.out(`  ${ctx.t('Dữ liệu nhúng', 'Embedded data')} ${report.data.fileName} (${report.data.formId} ${report.data.schemaVersion ?? ''}): ${report.data.matches ? ctx.t('khớp SHA-256 trong XMP', 'matches the XMP SHA-256') : '✗'}`);
  }
  for (const p of report.problems) ctx.out(`  ✗ ${t(p)}`);
}

export function register(program: Command, ctx: CliContext): void {
  withCommonOptions(program.command('verify'))
    .description('kiểm tra chữ ký số và dữ liệu nhúng / verify signatures and embedded data')
    .argument('<pdf...>', 'tệp PDF / PDF file(s)')
    .option('--trust <pem>', 'chứng thư gốc tin cậy / trusted root certificate (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--json', 'in kết quả dạng JSON / print machine-readable JSON')
    .action(async (files: string[], opts: VerifyOpts) => {
      ctx.useOptions(opts);
      const trust = readTrust(opts.trust);
      const results: Array<{ file: string } & VerifyReport> = [];
      for (const file of files) {
        let bytes: Uint8Array;
        try {
          bytes = new Uint8Array(fs.readFileSync(file));
        } catch (e) {
          throw new InputError('file-unreadable', { vi: `Không đọc được ${file}: ${fsProblem(e).vi}`, en: `Cannot read ${file}: ${(e as Error).message}` });
        }
        const report = await verifyPdf(bytes, { trust });
        if (!report.valid) ctx.fail(1);
        if (opts.json) results.push({ file, ...report });
        else printReport(ctx, file, report);
      }
      if (opts.json) ctx.out(JSON.stringify(files.length === 1 ? results[0] : results, null, 2));
    });
}
