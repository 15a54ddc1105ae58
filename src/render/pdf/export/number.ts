// Numbers as PDF syntax writes them.

/** A number as PDF content expects it: at most 3 decimals, no exponent, no trailing zeros. */
export function num(n: number): string {
  const r = Math.round(n * 1000) / 1000;
  if (Number.isInteger(r)) return String(r);
  return r.toFixed(3).replace(/0+$/, '');
}
