// The list of CLI commands, one module each; adding a command means adding one line here.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';
import { register as forms } from './forms.js';
import { register as validate } from './validate.js';

export const COMMANDS: Array<(program: Command, ctx: CliContext) => void> = [forms, validate];
