// R1C1 formulas of the document model → A1 formulas on the sheet, resolved through the table's placement.
//
// References in the model are table coordinates: R[n]C[m] is n table rows and m table columns from the cell,
// RnCm is row n, column m of the table (1-based), R and C alone mean the cell's own row or column. Text inside
// double quotes is left alone. The caller maps table coordinates to sheet cells (table columns may span
// several sheet columns).
import { columnLetter } from '../../workbook/address.js';

/** Where a table coordinate lands on the sheet (both 0-based). */
export interface Placement {
  row(tableRow: number): number;
  col(tableCol: number): number;
}

export class FormulaError extends Error {}

const REF = /R(\[-?\d+\]|\d+)?C(\[-?\d+\]|\d+)?(?![A-Za-z0-9_(])/gy;

/** Column letters of a 0-based column index: 0 → A, 25 → Z, 26 → AA (the workbook module's addressing). */
export const columnLetters = columnLetter;

function part(spec: string | undefined, own: number): number {
  if (spec === undefined) return own;
  if (spec.startsWith('[')) return own + Number(spec.slice(1, -1));
  return Number(spec) - 1;
}

/**
 * Converts `formula` written for the table cell at (`row`, `col`) (0-based table coordinates). Throws a
 * FormulaError naming the reference when it points outside the table.
 */
export function r1c1ToA1(formula: string, row: number, col: number, place: Placement, size: { rows: number; cols: number }): string {
  let out = '';
  let i = 0;
  const body = formula.startsWith('=') ? formula.slice(1) : formula;
  while (i < body.length) {
    const ch = body[i]!;
    if (ch === '"') {
      const end = body.indexOf('"', i + 1);
      const stop = end < 0 ? body.length : end + 1;
      out += body.slice(i, stop);
      i = stop;
      continue;
    }
    // A reference starts with R, not in the middle of a name (SUM, ROUND, …).
    const prev = i > 0 ? body[i - 1]! : '';
    if ((ch === 'R' || ch === 'r') && !/[A-Za-z0-9_.]/.test(prev)) {
      REF.lastIndex = i;
      const m = REF.exec(body.toUpperCase());
      if (m) {
        const r = part(m[1], row);
        const c = part(m[2], col);
        if (r < 0 || r >= size.rows || c < 0 || c >= size.cols) {
          throw new FormulaError(`reference ${m[0]} in "${formula}" points outside the table (table row ${r + 1}, column ${c + 1})`);
        }
        out += `${columnLetters(place.col(c))}${place.row(r) + 1}`;
        i += m[0].length;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return out;
}
