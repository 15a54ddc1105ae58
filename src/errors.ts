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

const FS_PROBLEMS: Record<string, Bilingual> = {
  ENOENT: { vi: 'không có tệp hoặc thư mục này', en: 'no such file or folder' },
  EACCES: { vi: 'không có quyền truy cập', en: 'permission denied' },
  EPERM: { vi: 'không được phép', en: 'operation not permitted' },
  EISDIR: { vi: 'đây là một thư mục, không phải tệp', en: 'it is a folder, not a file' },
  ENOTDIR: { vi: 'một phần của đường dẫn không phải là thư mục', en: 'part of the path is not a folder' },
  EEXIST: { vi: 'đã có tệp trùng tên', en: 'a file of that name exists' },
  ENOSPC: { vi: 'ổ đĩa đã đầy', en: 'the disk is full' },
  EROFS: { vi: 'ổ đĩa chỉ cho phép đọc', en: 'the disk is read-only' },
  EMFILE: { vi: 'mở quá nhiều tệp cùng lúc', en: 'too many open files' },
};

/** What a file-system error means, in both languages (Node's own text is English): for "cannot read X: …". */
export function fsProblem(e: unknown): Bilingual {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  const known = code ? FS_PROBLEMS[code] : undefined;
  if (known) return known;
  const message = (e as Error | undefined)?.message ?? String(e);
  return { vi: `lỗi hệ thống tệp (${code ?? message})`, en: message };
}
