// Number formats for live cells: values stay numbers; the format carries the document's locale.
//
// Excel writes a format with "," for thousands and "." for decimals and shows them with the separators of the
// reader's system (a Vietnamese Windows shows "1.262" and "14,29%"). LibreOffice honours a locale tag inside the
// format, so formats get "[$-42A]" (Vietnamese) for vi-VN documents: LibreOffice then shows Vietnamese
// separators whatever its own locale, and Excel still follows the reader's system.

const LCID: Record<string, string> = { vi: '42A', en: '409' };

/** The locale tag for a BCP 47 language ("vi-VN" → "[$-42A]"), or "" when none is known. */
export function localeTag(language: string | undefined): string {
  const lang = (language ?? '').toLowerCase().split('-')[0] ?? '';
  const id = LCID[lang];
  return id ? `[$-${id}]` : '';
}

/** The format to write: the model's own (tagged when it has no locale yet), else one chosen from the value. */
export function numberFormat(given: string | undefined, value: number | string, language: string | undefined): string | undefined {
  const tag = localeTag(language);
  if (given !== undefined && given !== '') return given.startsWith('[$') || tag === '' ? given : `${tag}${given}`;
  if (typeof value !== 'number') return undefined;
  return `${tag}${Number.isInteger(value) ? '#,##0' : '#,##0.##'}`;
}
