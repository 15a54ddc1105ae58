// The list of CLI commands, one module each, loaded when named; adding a command means adding one line here.
import type { Command } from 'commander';
import type { CliContext } from '../context.js';

export type RegisterCommand = (program: Command, ctx: CliContext) => void;

/**
 * Each command's module by its name. A run loads the one it names: `validate` does not pay for loading the PDF,
 * DOCX and workbook libraries (most of the start-up time and memory). Help and unknown names load them all.
 */
export const COMMANDS: Record<string, () => Promise<RegisterCommand>> = {
  forms: async () => (await import('./forms.js')).register,
  validate: async () => (await import('./validate.js')).register,
  extract: async () => (await import('./extract.js')).register,
  sign: async () => (await import('./sign.js')).register,
  verify: async () => (await import('./verify.js')).register,
  archive: async () => (await import('./archive.js')).register,
  workbook: async () => (await import('./workbook.js')).register,
  ingest: async () => (await import('./ingest.js')).register,
  summarize: async () => (await import('./summarize.js')).register,
  render: async () => (await import('./render.js')).register,
};

/** The commands a run needs: the one its first word names, or every one (for help, a version or a misspelling). */
export async function commandsFor(argv: string[]): Promise<RegisterCommand[]> {
  const name = argv.find((a) => !a.startsWith('-'));
  const names = name !== undefined && Object.hasOwn(COMMANDS, name) && name !== 'help' ? [name] : Object.keys(COMMANDS);
  return Promise.all(names.map((n) => COMMANDS[n]!()));
}
