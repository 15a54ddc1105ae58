// Vietnamese number display: decimal comma, thousands dot, declared rounding, exact on decimal input.

export type RoundingMode = 'half-up' | 'half-even' | 'truncate' | 'floor' | 'ceil';

export interface NumberDisplay {
  decimals: number;
  rounding: RoundingMode;
  /** Drop trailing zeros after the decimal separator ("16,50" → "16,5"). */
  trimZeros: boolean;
}

export interface NumberLocale {
  decimalSeparator: string;
  thousandsSeparator: string;
  /** Group thousands only from this many integer digits (Vietnamese reports write "1.262" but also "9999" rarely; default 4). */
  groupFrom?: number;
}

export const VI_NUMBERS: NumberLocale = { decimalSeparator: ',', thousandsSeparator: '.', groupFrom: 4 };
export const EN_NUMBERS: NumberLocale = { decimalSeparator: '.', thousandsSeparator: ',', groupFrom: 4 };

/** An exact decimal: value = units / 10^scale. */
interface Decimal {
  units: bigint;
  scale: number;
}

function toDecimal(x: number): Decimal {
  if (!Number.isFinite(x)) throw new RangeError(`cannot format ${x}`);
  // String(x) is the shortest text that reads back as x: it keeps what a person typed (1.005 stays 1.005).
  let text = String(x);
  if (/e/i.test(text)) text = x.toFixed(20).replace(/0+$/, '');
  const negative = text.startsWith('-');
  if (negative) text = text.slice(1);
  const [intPart, fracPart = ''] = text.split('.');
  const units = BigInt((intPart ?? '0') + fracPart) * (negative ? -1n : 1n);
  return { units, scale: fracPart.length };
}

/** Divides with the chosen rounding; exact on bigints. */
function divideRounded(n: bigint, d: bigint, mode: RoundingMode): bigint {
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const q = n / d; // truncates toward zero
  const r = n % d;
  if (r === 0n) return q;
  const negative = n < 0n;
  const twice = (r < 0n ? -r : r) * 2n;
  switch (mode) {
    case 'truncate':
      return q;
    case 'floor':
      return negative ? q - 1n : q;
    case 'ceil':
      return negative ? q : q + 1n;
    case 'half-up':
      return twice >= d ? (negative ? q - 1n : q + 1n) : q;
    case 'half-even': {
      if (twice > d || (twice === d && q % 2n !== 0n)) return negative ? q - 1n : q + 1n;
      return q;
    }
  }
}

function render(units: bigint, decimals: number, display: NumberDisplay, locale: NumberLocale): string {
  const negative = units < 0n;
  let digits = (negative ? -units : units).toString().padStart(decimals + 1, '0');
  let intPart = digits.slice(0, digits.length - decimals);
  let frac = decimals > 0 ? digits.slice(digits.length - decimals) : '';
  if (display.trimZeros) frac = frac.replace(/0+$/, '');
  const groupFrom = locale.groupFrom ?? 4;
  if (intPart.length >= groupFrom) intPart = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, locale.thousandsSeparator);
  const isZero = /^[0.,]*$/.test(intPart + frac) && !/[1-9]/.test(intPart + frac);
  digits = frac ? `${intPart}${locale.decimalSeparator}${frac}` : intPart;
  return negative && !isZero ? `-${digits}` : digits;
}

/** Formats a number: `formatNumber(1262, …)` → "1.262", `formatNumber(14.285, {decimals: 2, …})` → "14,29". */
export function formatNumber(x: number, display: NumberDisplay, locale: NumberLocale = VI_NUMBERS): string {
  const { units, scale } = toDecimal(x);
  const d = display.decimals;
  const scaled = d >= scale ? units * 10n ** BigInt(d - scale) : divideRounded(units, 10n ** BigInt(scale - d), display.rounding);
  return render(scaled, d, display, locale);
}

/**
 * Formats numerator/denominator as a percentage, computed exactly: 5/35 → "14,29" (half-up, 2 decimals)
 * or "14,28" (truncate). Returns undefined when the denominator is 0.
 */
export function formatPercent(numerator: number, denominator: number, display: NumberDisplay, locale: NumberLocale = VI_NUMBERS): string | undefined {
  if (denominator === 0) return undefined;
  const num = toDecimal(numerator);
  const den = toDecimal(denominator);
  // value×10^d = num×100×10^d / den, with both brought to a common scale.
  const scale = Math.max(num.scale, den.scale);
  const n = num.units * 10n ** BigInt(scale - num.scale) * 100n * 10n ** BigInt(display.decimals);
  const dd = den.units * 10n ** BigInt(scale - den.scale);
  return render(divideRounded(n, dd, display.rounding), display.decimals, display, locale);
}

/** Rounds a non-negative quantity to an integer with the chosen mode (quota ceilings: 4,6 → 4 floor, 5 half-up). */
export function roundCount(x: number, mode: RoundingMode): number {
  const { units, scale } = toDecimal(x);
  return Number(divideRounded(units, 10n ** BigInt(scale), mode));
}

/** The exact ceiling `count × pct / 100` rounded as asked (35 × 20 % → 7; 23 × 20 % → 4 floor, 5 half-up). */
export function quotaCeiling(count: number, pct: number, mode: RoundingMode): number {
  const r = toDecimal(pct);
  return Number(divideRounded(BigInt(count) * r.units, 100n * 10n ** BigInt(r.scale), mode));
}
