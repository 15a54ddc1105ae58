// R1C1 → A1 through a table's placement on the sheet.
import { describe, expect, it } from 'vitest';
import { columnLetters, r1c1ToA1 } from '../../../src/render/xlsx/formula.js';

// A table whose first row lands on sheet row 10 (0-based 9) and whose columns start at sheet columns 0, 2, 3, 7.
const place = { row: (r: number) => 9 + r, col: (c: number) => [0, 2, 3, 7][c]! };
const size = { rows: 6, cols: 4 };

describe('R1C1 formulas', () => {
  it('names columns A…Z, AA…', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnLetters)).toEqual(['A', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('resolves relative references through the table columns', () => {
    expect(r1c1ToA1('SUM(R[-3]C:R[-1]C)', 4, 1, place, size)).toBe('SUM(C11:C13)');
    expect(r1c1ToA1('RC[-1]/RC[2]', 2, 1, place, size)).toBe('A12/H12');
    expect(r1c1ToA1('=R1C1+RC', 5, 3, place, size)).toBe('A10+H15');
    expect(r1c1ToA1('IF(R[-1]C=0,"",ROUND(RC[-2]*100/R[-1]C,2))', 3, 2, place, size)).toBe('IF(D12=0,"",ROUND(A13*100/D12,2))');
  });

  it('leaves text in quotes and function names alone', () => {
    expect(r1c1ToA1('CONCATENATE("RC",R[0]C)', 1, 0, place, size)).toBe('CONCATENATE("RC",A11)');
    expect(r1c1ToA1('ROUNDDOWN(RC[1],0)+TRUNC(RC[1])', 0, 0, place, size)).toBe('ROUNDDOWN(C10,0)+TRUNC(C10)');
  });

  it('refuses a reference outside the table', () => {
    expect(() => r1c1ToA1('SUM(R[-5]C:R[-1]C)', 2, 0, place, size)).toThrow(/R\[-5\]C .*outside the table/);
    expect(() => r1c1ToA1('RC[4]', 0, 0, place, size)).toThrow(/outside the table/);
  });
});
