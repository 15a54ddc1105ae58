#!/usr/bin/env node
// The `bieumau` executable: runs the CLI on the process's arguments and exits with its code.
import { runCli } from './run.js';

// A reader that stops early (`bieumau validate … | head`) closes the pipe: end quietly, as other tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bieumau: ${(e as Error)?.message ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
