// Writes a sheet plan with exceljs: fonts, merges, borders, live values, print setup (A4, margins, title rows,
// profile's page number at the top, fit to page width) and document properties.
import ExcelJS from 'exceljs';
import type { DocumentModel } from '../../model/types.js';
import { SheetLayoutError, type SheetPlan, type PlannedCell } from './plan.js';
import type { XlsxLayout } from './profile.js';
import type { StyledRun } from './text.js';
import { POINTS_PER_WIDTH_UNIT, setDefaultFont } from './default-font.js';

export interface XlsxOptions {
  /** A footer on printed pages instead of the profile's page number at the top (&P page, &N pages). */
  footer?: string;
  /** Sheet name; the document title (shortened) when absent. */
  sheetName?: string;
  /** Sizes the layout is planned with (profile.ts); the defaults where absent. */
  layout?: Partial<XlsxLayout>;
}

const PAPER: Array<{ w: number; h: number; code: number }> = [
  { w: 595.28, h: 841.89, code: 9 }, // A4
  { w: 419.53, h: 595.28, code: 11 }, // A5
  { w: 612, h: 792, code: 1 }, // Letter
];

/** A sheet name Excel accepts: no []:*?/\, at most 31 characters, cut at a word. */
export function sheetName(title: string): string {
  const clean = title.replace(/[[\]:*?/\\]/g, ' ').replace(/\s+/g, ' ').trim() || 'Văn bản';
  if (clean.length <= 31) return clean;
  const cut = clean.slice(0, 31);
  const space = cut.lastIndexOf(' ');
  return (space > 15 ? cut.slice(0, space) : cut).trim();
}

function argb(rgb: string): string {
  return `FF${rgb.replace(/^#/, '').toUpperCase().padStart(6, '0')}`;
}

function fontOf(r: StyledRun): Partial<ExcelJS.Font> {
  return {
    name: r.font,
    size: r.size,
    ...(r.bold ? { bold: true } : {}),
    ...(r.italic ? { italic: true } : {}),
    ...(r.underline ? { underline: true } : {}),
    color: { argb: argb(r.color) },
  };
}

function sameFont(a: StyledRun, b: StyledRun): boolean {
  return a.font === b.font && a.size === b.size && a.bold === b.bold && a.italic === b.italic && a.underline === b.underline && a.color === b.color;
}

/** Size of the workbook's default font: column widths are counted in its digit width (see default-font.ts). */
const DEFAULT_FONT_SIZE = 12;

const THIN: ExcelJS.Border = { style: 'thin', color: { argb: 'FF000000' } };

function paper(doc: DocumentModel): { paperSize: number; orientation: 'portrait' | 'landscape' } {
  const { width, height } = doc.page;
  const landscape = width > height;
  const [w, h] = landscape ? [height, width] : [width, height];
  const match = PAPER.find((p) => Math.abs(p.w - w) < 3 && Math.abs(p.h - h) < 3);
  return { paperSize: match?.code ?? 9, orientation: landscape ? 'landscape' : 'portrait' };
}

function writeCell(ws: ExcelJS.Worksheet, c: PlannedCell, defaultFont: Partial<ExcelJS.Font>): void {
  const cell = ws.getCell(c.row + 1, c.col + 1);
  const runs = c.runs;
  const base = runs[0];
  if (c.value?.kind === 'number') {
    cell.value = c.value.value;
    if (c.value.numFmt) cell.numFmt = c.value.numFmt;
  } else if (c.value?.kind === 'formula') {
    cell.value = { formula: c.value.formula, result: c.value.result } as ExcelJS.CellFormulaValue;
    if (c.value.numFmt) cell.numFmt = c.value.numFmt;
  } else if (runs.length > 0 && runs.some((r) => !sameFont(r, base!))) {
    cell.value = { richText: runs.map((r) => ({ text: r.text, font: fontOf(r) })) };
  } else if (runs.length > 0) {
    cell.value = runs.map((r) => r.text).join('');
  }
  cell.font = base ? fontOf(base) : defaultFont;
  cell.alignment = {
    horizontal: c.align === 'justify' ? 'justify' : c.align,
    vertical: c.vertical === 'center' ? 'middle' : c.vertical,
    ...(c.shrink ? { shrinkToFit: true } : { wrapText: true }),
    ...(c.indent > 0 && (c.align === 'left' || c.align === 'justify') ? { indent: c.indent } : {}),
  };
  if (c.fill) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: argb(c.fill) } };
  if (c.border) {
    for (let r = c.row; r < c.row + c.rows; r++) {
      for (let k = c.col; k < c.col + c.cols; k++) {
        const part = ws.getCell(r + 1, k + 1);
        // A piece of a table row cut into several sheet rows has no border towards the other pieces.
        const top = !(c.openTop && r === c.row);
        const bottom = !(c.openBottom && r === c.row + c.rows - 1);
        part.border = { ...(top ? { top: THIN } : {}), ...(bottom ? { bottom: THIN } : {}), left: THIN, right: THIN };
        if (part !== cell && c.fill) part.fill = cell.fill;
      }
    }
  }
}

/**
 * Merges the plan's ranges. exceljs checks each new merge against every earlier one, which is quadratic (13 min
 * for the people table of a 45,000-person summary); the plan's ranges are checked here against a map of the cells
 * taken instead, and exceljs is given an empty table of merges while it makes each (its `_merges`, put back after).
 */
function mergeRanges(ws: ExcelJS.Worksheet, cells: PlannedCell[]): void {
  const taken = new Map<number, Set<number>>();
  const sheet = ws as unknown as { _merges: Record<string, unknown> };
  const merges = sheet._merges;
  try {
    for (const c of cells) {
      if (c.rows === 1 && c.cols === 1) continue;
      for (let r = c.row; r < c.row + c.rows; r++) {
        let row = taken.get(r);
        if (!row) taken.set(r, (row = new Set()));
        for (let k = c.col; k < c.col + c.cols; k++) {
          if (row.has(k)) throw new SheetLayoutError(`merged ranges overlap at row ${r + 1}, column ${k + 1}`);
          row.add(k);
        }
      }
      sheet._merges = {};
      ws.mergeCells(c.row + 1, c.col + 1, c.row + c.rows, c.col + c.cols);
      Object.assign(merges, sheet._merges);
    }
  } finally {
    sheet._merges = merges;
  }
}

export async function writeWorkbook(doc: DocumentModel, plan: SheetPlan, options: XlsxOptions = {}): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = doc.meta.author ?? 'bieumau';
  wb.title = doc.meta.title;
  if (doc.meta.subject) wb.subject = doc.meta.subject;
  if (doc.meta.keywords?.length) wb.keywords = doc.meta.keywords.join(', ');
  (wb as unknown as { language: string }).language = doc.meta.language;
  // Excel recalculates on opening; the cached results serve every reader that does not.
  wb.calcProperties = { fullCalcOnLoad: true };

  const font = doc.styles.body?.font ?? 'Times New Roman';
  const defaultFont: Partial<ExcelJS.Font> = { name: font, size: doc.styles.body?.size ?? 13 };
  const inch = (pt: number) => Math.round((pt / 72) * 1000) / 1000;
  const m = doc.page.margins;
  // The page number as the profile sets it: in the top margin at its offset, in its style's alignment and size,
  // its format's {page} and {pages} as Excel's &P and &N (a caller's footer replaces it).
  const pn = doc.pageNumbering;
  const numberStyle = doc.styles[pn.style];
  const side = numberStyle?.align === 'right' ? '&R' : numberStyle?.align === 'left' ? '&L' : '&C';
  const inFooter = options.footer !== undefined;
  const numberText = options.footer ?? pn.format.replace(/&/g, '&&').replace(/\{page\}/g, '&P').replace(/\{pages\}/g, '&N');
  const numberCode = `${inFooter ? '&C' : side}&"${font},Regular"&${Math.round(numberStyle?.size ?? 12)}${numberText}`;
  const numbered = pn.show !== false;
  const ws = wb.addWorksheet(options.sheetName ?? sheetName(doc.meta.title), {
    views: [{ showGridLines: false }],
    pageSetup: {
      ...paper(doc),
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: {
        top: inch(m.top),
        bottom: inch(m.bottom),
        left: inch(m.left),
        right: inch(m.right),
        header: inch(inFooter ? Math.min(m.top / 2, 28) : Math.min(pn.offsetTop, m.top - (numberStyle?.size ?? 12))),
        footer: inch(Math.min(m.bottom / 2, 28)),
      },
    },
    headerFooter: numbered
      ? {
          // The first page carries no number when the profile numbers pages from page 2 (NĐ 30/2020, HD 36).
          differentFirst: pn.fromPage > 1,
          ...(inFooter ? { oddFooter: numberCode } : { oddHeader: numberCode }),
          ...(pn.fromPage > 1 ? (inFooter ? { firstFooter: '' } : { firstHeader: '' }) : {}),
        }
      : {},
  });

  plan.columns.forEach((pt, i) => {
    const col = ws.getColumn(i + 1);
    // Exact (a whole number of pixels is a multiple of 1/8 unit): rounding could widen the sheet past the page.
    col.width = Math.max(0.125, Math.round((pt / POINTS_PER_WIDTH_UNIT) * 1000) / 1000);
    // Text typed later into an empty cell of the column takes the document font.
    col.font = defaultFont;
  });
  plan.rows.forEach((pt, i) => {
    ws.getRow(i + 1).height = Math.min(409, Math.round(pt * 100) / 100);
  });
  for (const c of plan.cells) writeCell(ws, c, defaultFont);
  mergeRanges(ws, plan.cells);
  for (const line of plan.lines) {
    const style: ExcelJS.BorderStyle = line.thickness >= 1.25 ? 'medium' : 'thin';
    for (let k = line.from; k < line.to; k++) {
      const cell = ws.getCell(line.row + 1, k + 1);
      cell.border = { ...(cell.border ?? {}), bottom: { style, color: { argb: 'FF000000' } } };
    }
  }
  for (const r of plan.breaks) ws.getRow(r + 1).addPageBreak();
  const lastCol = ws.getColumn(Math.max(plan.columns.length, 1)).letter;
  // Absolute, as Excel writes it (exceljs puts the "$" before each column itself; the rows need their own).
  if (plan.rows.length > 0) ws.pageSetup.printArea = `A$1:${lastCol}$${plan.rows.length}`;
  if (plan.titleRows) ws.pageSetup.printTitlesRow = `${plan.titleRows[0] + 1}:${plan.titleRows[1] + 1}`;
  const buffer = await wb.xlsx.writeBuffer();
  return setDefaultFont(new Uint8Array(buffer as ArrayBuffer), font, DEFAULT_FONT_SIZE);
}
