// How a record and its issues are named in CLI output.
import type { ValidationIssue } from '../validate/issue.js';
import { getAt } from '../pointer.js';
import type { CliContext } from './context.js';

const NAME_POINTERS = ['/person/fullName', '/collective/name', '/unit/name', '/header/issuingBody'];

/** A short human name for a record ("Nguyễn Văn An"), when it has one. */
export function recordName(record: unknown): string | undefined {
  for (const p of NAME_POINTERS) {
    const v = getAt(record, p);
    if (typeof v === 'string' && v.trim() !== '') return v.trim();
  }
  return undefined;
}

export function recordHeading(ctx: CliContext, index: number, line: number | undefined, name: string | undefined): string {
  const where = ctx.t(`Bản ghi ${index + 1}`, `Record ${index + 1}`) + (line !== undefined ? ctx.t(` (dòng ${line})`, ` (line ${line})`) : '');
  return name ? `${where} — ${name}` : where;
}

export function issueLine(issue: ValidationIssue): string {
  const mark = issue.severity === 'error' ? '✗' : '⚠';
  const where = issue.label ? `${issue.label} (${issue.pointer || '/'})` : issue.pointer || '/';
  return `  ${mark} ${where} [${issue.code}]: ${issue.message}`;
}
