// Counts and shares printed the rule set's way: "1.262", "5/35 (14,29%)", with the declared rounding.
import { formatNumber, formatPercent, quotaCeiling } from '../rules/format.js';
import type { RuleSet } from '../rules/types.js';
import type { Share } from './types.js';

const INTEGER = { decimals: 0, rounding: 'half-up', trimZeros: true } as const;
/** Plain machine text ("14.29") to read the printed percentage back as a number. */
const MACHINE = { decimalSeparator: '.', thousandsSeparator: '', groupFrom: 99 };

export interface Display {
  count(n: number): string;
  share(count: number, of: number): Share;
  /** base × pct / 100 exactly, printed with up to 2 decimals ("6,8"). */
  exactCeiling(base: number, pct: number): string;
}

export function createDisplay(rules: RuleSet): Display {
  const locale = rules.display.locale;
  const percent = rules.display.percent;
  const count = (n: number) => formatNumber(n, INTEGER, locale);
  return {
    count,
    share(c, of) {
      const p = formatPercent(c, of, percent, locale);
      if (p === undefined) return { count: c, of, text: `${count(c)}/${count(of)} (—)` };
      const value = Number(formatPercent(c, of, percent, MACHINE));
      return { count: c, of, percent: p, value, text: `${count(c)}/${count(of)} (${p}%)` };
    },
    exactCeiling(base, pct) {
      // Hundredths of the exact product, truncated only when it has more than 2 decimals (never for whole pct).
      const hundredths = quotaCeiling(base * 100, pct, 'truncate');
      return formatNumber(hundredths / 100, { decimals: 2, rounding: 'truncate', trimZeros: true }, locale);
    },
  };
}
