// A1-style addresses: column letters ↔ 0-based indices, and cell references.

/** 0 → "A", 25 → "Z", 26 → "AA". */
export function columnLetter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** "A" → 0, "AA" → 26; -1 for anything that is not column letters. */
export function columnIndex(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) {
    const c = letters.charCodeAt(i) & ~32; // upper-case
    if (c < 65 || c > 90) return -1;
    n = n * 26 + (c - 64);
  }
  return letters.length === 0 ? -1 : n - 1;
}

export function cellAddress(columnIndex0: number, row: number): string {
  return `${columnLetter(columnIndex0)}${row}`;
}

/** Parses "D7" (also "$D$7") into a 0-based column and a 1-based row; undefined when malformed. */
export function parseAddress(ref: string): { column: number; row: number } | undefined {
  const m = /^\$?([A-Za-z]{1,4})\$?([0-9]{1,8})$/.exec(ref);
  if (!m) return undefined;
  return { column: columnIndex(m[1]!), row: Number(m[2]) };
}

/** Parses "A1:C3" (or a single cell) into inclusive bounds. */
export function parseRange(ref: string): { c1: number; r1: number; c2: number; r2: number } | undefined {
  const [a, b] = ref.split(':');
  const start = parseAddress(a ?? '');
  const end = b === undefined ? start : parseAddress(b);
  if (!start || !end) return undefined;
  return { c1: Math.min(start.column, end.column), r1: Math.min(start.row, end.row), c2: Math.max(start.column, end.column), r2: Math.max(start.row, end.row) };
}
