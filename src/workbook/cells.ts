// What a record's values look like in the sheet: dates as dd/mm/yyyy text, codes as dropdown labels, yes/no as Có/Không.
import type { Lang } from '../i18n.js';
import { getAt } from '../pointer.js';
import type { SheetColumn } from './columns.js';

/** The yes/no dropdown, per language; the reader accepts both languages and common spellings. */
export const BOOLEAN_LABELS = { vi: { yes: 'Có', no: 'Không' }, en: { yes: 'Yes', no: 'No' } } as const;

/** "2026-01-05" → "05/01/2026"; anything else is returned unchanged. */
export function isoToDayMonthYear(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

export function optionLabel(column: SheetColumn, code: unknown, lang: Lang): string | number | undefined {
  const option = column.options?.find((o) => o.code === code);
  if (!option) return typeof code === 'string' || typeof code === 'number' ? code : undefined;
  return lang === 'en' && option.labelEn ? option.labelEn : option.label;
}

/** The cell value a clerk would have entered for `value` in this column (undefined: leave the cell empty). */
export function cellValueFor(column: SheetColumn, value: unknown, lang: Lang): string | number | undefined {
  if (value === undefined || value === null) return undefined;
  switch (column.kind) {
    case 'date':
      return typeof value === 'string' ? isoToDayMonthYear(value) : undefined;
    case 'enum':
      return optionLabel(column, value, lang);
    case 'boolean':
      return value === true ? BOOLEAN_LABELS[lang].yes : value === false ? BOOLEAN_LABELS[lang].no : undefined;
    case 'number':
    case 'integer':
      return typeof value === 'number' ? value : undefined;
    default:
      return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
  }
}

/** One row of cell values for a record, in column order (holes for empty cells). */
export function rowValuesFor(columns: SheetColumn[], record: unknown, lang: Lang): Array<string | number | undefined> {
  return columns.map((c) => cellValueFor(c, getAt(record, c.pointer), lang));
}
