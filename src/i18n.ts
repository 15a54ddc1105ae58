// The two user languages and the shape of a text given in both.

export type Lang = 'vi' | 'en';
export const LANGS: readonly Lang[] = ['vi', 'en'];

/** A user-facing text in Vietnamese (default) and English. */
export interface Bilingual {
  vi: string;
  en: string;
}

export function parseLang(value: string | undefined): Lang {
  if (value === undefined || value === 'vi') return 'vi';
  if (value === 'en') return 'en';
  throw new Error(`unknown language "${value}" (use vi or en)`);
}

/** Fills `{name}` placeholders; unknown names are left as they are so a mistake shows. */
export function fill(text: string, params: Record<string, unknown>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}
