// `bieumau forms`: lists the forms the registry knows, with title and version.
import type { Command } from 'commander';
import { withCommonOptions, type CliContext, type CommonOptions } from '../context.js';

export function register(program: Command, ctx: CliContext): void {
  withCommonOptions(program.command('forms'))
    .description('liệt kê các biểu mẫu / list the forms')
    .option('--json', 'in dạng JSON / print JSON')
    .action((opts: CommonOptions & { json?: boolean }) => {
      ctx.useOptions(opts);
      const forms = ctx.registry().list();
      if (opts.json) {
        ctx.out(
          JSON.stringify(
            forms.map((f) => ({ id: f.id, title: f.title, titleEn: f.titleEn, version: f.version, code: f.meta.code, tabular: !!f.meta.tabular, profile: f.meta.profile, template: !!f.templatePath, dir: f.dir })),
            null,
            2,
          ),
        );
        return;
      }
      const width = Math.max(...forms.map((f) => f.id.length), 4);
      for (const f of forms) ctx.out(`${f.id.padEnd(width)}  ${f.version.padEnd(7)}  ${ctx.lang === 'vi' ? f.title : f.titleEn}`);
    });
}
