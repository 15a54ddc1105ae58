// The error a broken template raises: it names the template file, the line and what is wrong.
import path from 'node:path';
import { DefinitionError } from '../errors.js';
import { PACKAGE_ROOT } from '../paths.js';

export interface TemplateErrorWhere {
  /** Template file (relative to the package root when shipped). */
  template: string;
  line?: number;
  column?: number;
}

/** Shows a shipped file relative to the package ("templates/self-review.hbs"), a user's file as given. */
export function displayPath(file: string): string {
  const rel = path.relative(PACKAGE_ROOT, file);
  return rel.startsWith('..') || path.isAbsolute(rel) ? file : rel.split(path.sep).join('/');
}

export class TemplateError extends DefinitionError {
  readonly where: TemplateErrorWhere;
  constructor(where: TemplateErrorWhere, what: { vi: string; en: string }) {
    const at = where.line !== undefined ? { vi: `, dòng ${where.line}`, en: `, line ${where.line}` } : { vi: '', en: '' };
    super(
      'template-error',
      {
        vi: `Lỗi mẫu văn bản ${where.template}${at.vi}: ${what.vi}`,
        en: `Template error in ${where.template}${at.en}: ${what.en}`,
      },
      { ...where },
    );
    this.where = where;
  }
}
