// The XLSX writer: any document model as one official-looking sheet (layout.ts plans it, write.ts writes it).
import type { DocumentModel } from '../../model/types.js';
import type { DocumentWriter, WriteContext } from '../writers.js';
import { planSheet } from './layout.js';
import { DEFAULT_XLSX_LAYOUT } from './profile.js';
import { writeWorkbook, type XlsxOptions } from './write.js';

export { planSheet, type SheetPlan, type PlannedCell } from './layout.js';
export { r1c1ToA1, columnLetters } from './formula.js';
export type { XlsxOptions } from './write.js';
export { DEFAULT_XLSX_LAYOUT, type XlsxLayout } from './profile.js';

export function createXlsxWriter(options: XlsxOptions = {}): DocumentWriter {
  const layout = { ...DEFAULT_XLSX_LAYOUT, ...options.layout };
  return {
    format: 'xlsx',
    extension: '.xlsx',
    async write(doc: DocumentModel, _ctx?: WriteContext): Promise<Uint8Array> {
      return writeWorkbook(doc, planSheet(doc, layout), options);
    },
  };
}
