// User-facing error types: each carries a code and a message in both languages, never a stack trace.
import type { Bilingual, Lang } from './i18n.js';

/** Base of every error the toolkit reports to a user. `exitCode` follows the CLI contract (1 data, 2 could not run). */
export class BieumauError extends Error {
  readonly code: string;
  readonly exitCode: 1 | 2;
  readonly text: Bilingual;
  readonly details?: Record<string, unknown>;
  constructor(code: string, text: Bilingual | string, exitCode: 1 | 2 = 2, details?: Record<string, unknown>) {
    const both = typeof text === 'string' ? { vi: text, en: text } : text;
    super(both.en);
    this.name = new.target.name;
    this.code = code;
    this.exitCode = exitCode;
    this.text = both;
    this.details = details;
  }
  messageIn(lang: Lang): string {
    return this.text[lang];
  }
}

/** The command could not run as asked: unknown form, bad option, missing file. */
export class UsageError extends BieumauError {
  constructor(code: string, text: Bilingual | string, details?: Record<string, unknown>) {
    super(code, text, 2, details);
  }
}

/** An input file cannot be read as the kind of file it should be (not JSON, not UTF-8, too large, empty). */
export class InputError extends BieumauError {
  constructor(code: string, text: Bilingual | string, details?: Record<string, unknown>) {
    super(code, text, 2, details);
  }
}

/** A form, template or rule set shipped or supplied by a user is itself broken. */
export class DefinitionError extends BieumauError {
  constructor(code: string, text: Bilingual | string, details?: Record<string, unknown>) {
    super(code, text, 2, details);
  }
}

export function isBieumauError(e: unknown): e is BieumauError {
  return e instanceof BieumauError;
}
