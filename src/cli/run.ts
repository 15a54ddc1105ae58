// Runs the CLI in-process: parses argv, dispatches to a command, maps every failure to an exit code.
import { Command, CommanderError } from 'commander';
import { isBieumauError } from '../errors.js';
import { CliContext, type CliIO } from './context.js';
import { commandsFor } from './commands/index.js';
import { VERSION } from '../version.js';

/** Returns the exit code: 0 success, 1 the data had errors (reported), 2 the command could not run. */
export async function runCli(argv: string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const ctx = new CliContext(io);
  const program = new Command('bieumau')
    .description('Biểu mẫu đánh giá, xếp loại cán bộ / cadre-evaluation forms toolkit')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  for (const register of await commandsFor(argv)) register(program, ctx);
  program.commands.forEach((c) => c.exitOverride());
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      // help and version exit 0; anything else commander rejects is a usage error
      return e.exitCode === 0 ? 0 : 2;
    }
    if (isBieumauError(e)) {
      ctx.err(`bieumau: ${e.messageIn(ctx.lang)}`);
      return e.exitCode === 1 ? Math.max(ctx.exitCode, 1) : 2;
    }
    // A bug, not a user error: say so plainly; the stack only with BIEUMAU_DEBUG.
    ctx.err(ctx.t(`bieumau: lỗi nội bộ: ${(e as Error)?.message ?? e}`, `bieumau: internal error: ${(e as Error)?.message ?? e}`));
    if (process.env.BIEUMAU_DEBUG) ctx.err(String((e as Error)?.stack));
    return 2;
  }
  return ctx.exitCode;
}
