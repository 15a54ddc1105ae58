// The list of CLI commands, one module each; adding a command means adding one line here.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { register as forms } from './forms.js';
import { register as validate } from './validate.js';
import { register as extract } from './extract.js';
import { register as sign } from './sign.js';
import { register as verify } from './verify.js';
import { register as archive } from './archive.js';
import { register as workbook } from './workbook.js';
import { register as ingest } from './ingest.js';
import { register as summarize } from './summarize.js';
import { register as render } from './render.js';

export const COMMANDS: Array<(program: Command, ctx: CliContext) => void> = [forms, validate, extract, sign, verify, archive, workbook, ingest, summarize, render];
