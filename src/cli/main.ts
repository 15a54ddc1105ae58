#!/usr/bin/env node
// The `bieumau` executable: runs the CLI on the process's arguments and exits with its code.
import { runCli } from './run.js';

runCli(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`bieumau: ${(e as Error)?.message ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
