// The one ajv configuration every form is compiled with: JSON Schema 2020-12, formats, our x- keywords.
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

/** Annotation keywords our schemas carry for labels, spreadsheets and rules; ajv must accept and ignore them. */
export const ANNOTATION_KEYWORDS = [
  'x-form',
  'x-title-en',
  'x-description-en',
  'x-enumLabels',
  'x-patternHint',
  'x-sheet',
  'x-aliases',
  'x-itemLabel',
] as const;

export interface AjvOptions {
  /**
   * Count string lengths in code points, as JSON Schema says (default). Off, lengths are UTF-16 units: the same for
   * text with no character outside the Basic Multilingual Plane, and no extra pass over each string.
   */
  unicode?: boolean;
}

/** ajv 8 marks `unicode` deprecated (code points became the default) yet honours it; its one warning is expected. */
const QUIET_ABOUT_UNICODE = {
  log: (...args: unknown[]) => console.log(...args),
  warn: (...args: unknown[]) => {
    if (!String(args[0]).startsWith('DEPRECATED: option unicode')) console.warn(...args);
  },
  error: (...args: unknown[]) => console.error(...args),
};

export function createAjv(options: AjvOptions = {}): Ajv2020 {
  const ajv = new Ajv2020({
    ...(options.unicode === false ? { unicode: false, logger: QUIET_ABOUT_UNICODE } : {}),
    allErrors: true,
    strict: true,
    strictTypes: false,
    // `then: { required: [...] }` naming properties declared beside the `if` is the normal variant idiom.
    strictRequired: false,
    // multipleOf 0.01 must accept 64.35 and 1.15, which are not exact binary multiples.
    multipleOfPrecision: 9,
    allowUnionTypes: true,
    // Keep ajv from growing an unbounded error list on hostile records.
    messages: false,
  });
  (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  ajv.addVocabulary([...ANNOTATION_KEYWORDS]);
  return ajv;
}
