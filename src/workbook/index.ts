// Public API of the workbook side: data-collection workbooks generated from tabular form schemas.
export { createWorkbook, DEFAULT_ROWS, type CreateWorkbookOptions, type CreatedWorkbook } from './generate.js';
export { buildColumns, type ColumnModel, type SheetColumn, type ColumnKind, type EnumOption } from './columns.js';
export { cellValueFor, rowValuesFor } from './cells.js';
export { parseMetaRows, META_SHEET, LISTS_SHEET, DATA_SHEET_NAMES, type WorkbookMeta, type MetaColumn } from './meta.js';
