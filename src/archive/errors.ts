// Archive-area errors about the data itself (exit 1 in the CLI): a signature that does not belong to its document.
import { BieumauError } from '../errors.js';
import type { Bilingual } from '../i18n.js';

/** The input was read but is wrong (e.g. a returned signature made with another key): reported, nothing written. */
export class SignatureDataError extends BieumauError {
  constructor(code: string, text: Bilingual, details?: Record<string, unknown>) {
    super(code, text, 1, details);
  }
}
