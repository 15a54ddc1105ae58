import { describe, expect, it } from 'vitest';
import { formatNumber, formatPercent, quotaCeiling, roundCount, EN_NUMBERS } from '../../src/rules/format.js';
import { loadRules } from '../../src/rules/registry.js';

const pct2 = { decimals: 2, rounding: 'half-up', trimZeros: true } as const;

describe('Vietnamese number display', () => {
  it('writes thousands with a dot and decimals with a comma', () => {
    expect(formatNumber(1262, { decimals: 0, rounding: 'half-up', trimZeros: true })).toBe('1.262');
    expect(formatNumber(39920, pct2)).toBe('39.920');
    expect(formatNumber(1234567.5, pct2)).toBe('1.234.567,5');
    expect(formatNumber(69.98, pct2)).toBe('69,98');
    expect(formatNumber(16.5, pct2)).toBe('16,5');
    expect(formatNumber(16.5, { ...pct2, trimZeros: false })).toBe('16,50');
    expect(formatNumber(-0.001, pct2)).toBe('0');
  });

  it('gives the seeds figures: 5 of 35 is 14,29% and 30 of 35 is 85,71%', () => {
    expect(formatPercent(5, 35, pct2)).toBe('14,29');
    expect(formatPercent(30, 35, pct2)).toBe('85,71');
  });

  it('truncates when an office asks for it, never rounding 14,2857 up', () => {
    expect(formatPercent(5, 35, { decimals: 1, rounding: 'truncate', trimZeros: true })).toBe('14,2');
    expect(formatPercent(5, 35, { decimals: 2, rounding: 'truncate', trimZeros: true })).toBe('14,28');
    expect(formatPercent(5, 35, { decimals: 1, rounding: 'half-up', trimZeros: true })).toBe('14,3');
  });

  it('rounds what was typed, not its binary approximation (1,005 → 1,01)', () => {
    expect(formatNumber(1.005, pct2)).toBe('1,01');
    expect(formatNumber(89.996, pct2)).toBe('90');
    expect(formatNumber(89.996, { decimals: 2, rounding: 'truncate', trimZeros: false })).toBe('89,99');
    expect(formatNumber(2.5, { decimals: 0, rounding: 'half-even', trimZeros: true })).toBe('2');
    expect(formatNumber(3.5, { decimals: 0, rounding: 'half-even', trimZeros: true })).toBe('4');
  });

  it('formats in English style on request', () => {
    expect(formatNumber(1262.5, pct2, EN_NUMBERS)).toBe('1,262.5');
  });

  it('returns no percentage for an empty base', () => {
    expect(formatPercent(0, 0, pct2)).toBeUndefined();
  });
});

describe('quota ceilings', () => {
  it('computes the reference examples exactly: 35 good → 7 at 20 %, 8 at 25 % (floor of 8,75)', () => {
    expect(quotaCeiling(35, 20, 'floor')).toBe(7);
    expect(quotaCeiling(35, 25, 'floor')).toBe(8);
  });

  it('23 good → 4 with floor, 5 with half-up (4,6)', () => {
    expect(quotaCeiling(23, 20, 'floor')).toBe(4);
    expect(quotaCeiling(23, 20, 'half-up')).toBe(5);
    expect(quotaCeiling(23, 20, 'ceil')).toBe(5);
    expect(roundCount(4.6, 'truncate')).toBe(4);
  });

  it('uses the rule set’s own quota parameters', () => {
    const q = loadRules().get('qd366-2025').quota!;
    expect(quotaCeiling(35, q.ceilingPct, q.rounding)).toBe(7);
    expect(quotaCeiling(35, q.exceptionCeilingPct, q.rounding)).toBe(8);
  });
});
