// What every CLI command shares: output streams, options common to all commands, lazily loaded registries.
import type { Command } from 'commander';
import { loadRegistry, type FormRegistry } from '../forms/registry.js';
import { parseLang, type Lang } from '../i18n.js';
import { loadRules, type RuleRegistry } from '../rules/registry.js';
import { FormValidator } from '../validate/validator.js';
import { UsageError } from '../errors.js';

export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface CommonOptions {
  forms?: string[];
  lang?: string;
}

/** Per-run state: one registry and validator, built on first use with the command's --forms folders. */
export class CliContext {
  exitCode = 0;
  private registryCache?: FormRegistry;
  private rulesCache?: RuleRegistry;
  private validatorCache?: FormValidator;
  private formDirs: string[] = [];
  lang: Lang = 'vi';

  constructor(readonly io: CliIO) {}

  /** Applies the options every command accepts; call first in each action. */
  useOptions(opts: CommonOptions): void {
    try {
      this.lang = parseLang(opts.lang);
    } catch {
      throw new UsageError('bad-lang', { vi: `--lang phải là vi hoặc en, không phải "${opts.lang}".`, en: `--lang must be vi or en, not "${opts.lang}".` });
    }
    this.formDirs = opts.forms ?? [];
  }

  registry(): FormRegistry {
    this.registryCache ??= loadRegistry(this.formDirs);
    return this.registryCache;
  }

  rules(): RuleRegistry {
    this.rulesCache ??= loadRules(this.registry().ruleDirs);
    return this.rulesCache;
  }

  validator(): FormValidator {
    this.validatorCache ??= new FormValidator(this.registry(), this.rules());
    return this.validatorCache;
  }

  /** Raises the exit code, never lowers it (2 beats 1 beats 0). */
  fail(code: 1 | 2): void {
    this.exitCode = Math.max(this.exitCode, code);
  }

  out(line = ''): void {
    this.io.stdout.write(`${line}\n`);
  }

  err(line = ''): void {
    this.io.stderr.write(`${line}\n`);
  }

  /** Picks the text for the current language. */
  t(vi: string, en: string): string {
    return this.lang === 'vi' ? vi : en;
  }
}

/** Adds the options every command takes: --forms (repeatable) and --lang. */
export function withCommonOptions(cmd: Command): Command {
  return cmd
    .option('--forms <dir>', 'thư mục biểu mẫu bổ sung / extra forms folder (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--lang <vi|en>', 'ngôn ngữ thông báo / message language', 'vi');
}
