// The very hidden `_meta` sheet: which form, schema and rule set a workbook was made for, and where each column goes.

/** Marks a workbook as ours and says how to read this sheet. */
export const META_FORMAT = 'bieumau-workbook/1';
export const META_SHEET = '_meta';
export const LISTS_SHEET = '_lists';
/** Names the generator gives the data sheet, per language; the reader also accepts them when there is no metadata. */
export const DATA_SHEET_NAMES = { vi: 'Dữ liệu', en: 'Data' } as const;
export const INSTRUCTIONS_SHEET_NAMES = { vi: 'Hướng dẫn', en: 'Instructions' } as const;
/** Where the generated data sheet has its header row (the reader does not warn about a header found there). */
export const TEMPLATE_HEADER_ROW = 6;
/** Marker row before the column map. */
const COLUMNS_MARKER = 'columns';

export interface MetaColumn {
  /** Column letters in the data sheet. */
  column: string;
  pointer: string;
  header: string;
}

export interface WorkbookMeta {
  format: string;
  formId: string;
  formVersion: string;
  schemaId: string;
  schemaHash: string;
  rulesId: string;
  rulesVersion: string;
  unit?: string;
  generatedAt: string;
  toolkitVersion: string;
  lang: string;
  dataSheet: string;
  headerRow: number;
  firstDataRow: number;
  lastDataRow: number;
  columns: MetaColumn[];
}

/** The sheet's rows: key/value pairs, then a marker row, then one row per column (letter, pointer, header). */
export function metaRows(meta: WorkbookMeta): string[][] {
  const rows: string[][] = [
    ['format', meta.format],
    ['formId', meta.formId],
    ['formVersion', meta.formVersion],
    ['schemaId', meta.schemaId],
    ['schemaHash', meta.schemaHash],
    ['rulesId', meta.rulesId],
    ['rulesVersion', meta.rulesVersion],
    ['unit', meta.unit ?? ''],
    ['generatedAt', meta.generatedAt],
    ['toolkitVersion', meta.toolkitVersion],
    ['lang', meta.lang],
    ['dataSheet', meta.dataSheet],
    ['headerRow', String(meta.headerRow)],
    ['firstDataRow', String(meta.firstDataRow)],
    ['lastDataRow', String(meta.lastDataRow)],
    [COLUMNS_MARKER, 'pointer', 'header'],
  ];
  for (const c of meta.columns) rows.push([c.column, c.pointer, c.header]);
  return rows;
}

export type MetaParse = { ok: true; meta: WorkbookMeta } | { ok: false; reason: string };

/**
 * Reads the rows of a `_meta` sheet back. Anything missing or malformed makes it unusable (the caller then falls
 * back to headers and says so): a damaged map must never place values in the wrong fields.
 */
export function parseMetaRows(rows: Array<Array<string | undefined>>): MetaParse {
  const values = new Map<string, string>();
  let i = 0;
  for (; i < rows.length; i++) {
    const [key, value] = rows[i] ?? [];
    if (key === COLUMNS_MARKER) break;
    if (typeof key === 'string' && key !== '') values.set(key, value ?? '');
  }
  if (values.get('format') !== META_FORMAT) return { ok: false, reason: `format ${JSON.stringify(values.get('format') ?? null)}` };
  const columns: MetaColumn[] = [];
  const seenColumns = new Set<string>();
  const seenPointers = new Set<string>();
  for (i++; i < rows.length; i++) {
    const [column, pointer, header] = rows[i] ?? [];
    if (!column && !pointer) continue;
    if (!column || !/^[A-Z]{1,3}$/.test(column) || !pointer || !pointer.startsWith('/')) return { ok: false, reason: `column row ${i + 1}` };
    if (seenColumns.has(column) || seenPointers.has(pointer)) return { ok: false, reason: `duplicate column ${column}` };
    seenColumns.add(column);
    seenPointers.add(pointer);
    columns.push({ column, pointer, header: header ?? '' });
  }
  const num = (key: string) => {
    const n = Number(values.get(key));
    return Number.isInteger(n) && n > 0 ? n : undefined;
  };
  const headerRow = num('headerRow');
  const firstDataRow = num('firstDataRow');
  const lastDataRow = num('lastDataRow');
  const required = ['formId', 'schemaHash', 'dataSheet'] as const;
  for (const key of required) if (!values.get(key)) return { ok: false, reason: `missing ${key}` };
  if (!headerRow || !firstDataRow || !lastDataRow || firstDataRow <= headerRow || columns.length === 0) return { ok: false, reason: 'rows' };
  return {
    ok: true,
    meta: {
      format: META_FORMAT,
      formId: values.get('formId')!,
      formVersion: values.get('formVersion') ?? '',
      schemaId: values.get('schemaId') ?? '',
      schemaHash: values.get('schemaHash')!,
      rulesId: values.get('rulesId') ?? '',
      rulesVersion: values.get('rulesVersion') ?? '',
      unit: values.get('unit') || undefined,
      generatedAt: values.get('generatedAt') ?? '',
      toolkitVersion: values.get('toolkitVersion') ?? '',
      lang: values.get('lang') ?? 'vi',
      dataSheet: values.get('dataSheet')!,
      headerRow,
      firstDataRow,
      lastDataRow,
      columns,
    },
  };
}
