// String clean-up applied at every boundary: NFC, line ends, invisible characters, spacing.

// Zero-width and format characters a user cannot see but that break comparisons: ZWSP, ZWNJ, ZWJ, word
// joiner, BOM, soft hyphen, and the C0/C1 controls other than line feed.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g;
// Spaces that look like a space: NBSP, narrow NBSP, figure space, the Unicode space range, ideographic space.
const ODD_SPACES = /[\u00A0\u202F\u2007\u2000-\u200A\u205F\u3000]/g;

/** Below U+0250, what a character is to `isCleanText`: 0 kept as it is, 1 a space or line feed, 2 needs clean-up. */
const LOW_CLASS = new Uint8Array(0x250).map((_, c) => ((c > 0x20 && c < 0x7f) || (c >= 0xa1 && c !== 0xad) ? 0 : c === 0x20 || c === 0x0a ? 1 : 2));

/**
 * Whether a string is already what `normalizeText` would make of it, judged in one pass without allocating: only
 * printable ASCII, Vietnamese precomposed letters (Latin-1, Extended-A/B, Extended Additional) and common
 * punctuation, which are their own NFC form and hold nothing to remove; single spaces, none at either end or beside
 * a line feed; line feeds only inside the text. Most data takes this path (it runs for every string of a record).
 */
export function isCleanText(s: string): boolean {
  const n = s.length;
  // A space or line feed first is removed: start as if after a space.
  let prev = 0x20;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x250) {
      const kind = LOW_CLASS[c];
      if (kind === 0) {
        prev = c;
        continue;
      }
      // A space or line feed after a space, or a space after a line feed, would be removed.
      if (kind === 2 || prev === 0x20 || (c === 0x20 && prev === 0x0a)) return false;
    } else if (!((c >= 0x1e00 && c <= 0x1eff) || (c >= 0x2010 && c <= 0x2027) || (c >= 0x2030 && c <= 0x205e))) {
      return false;
    }
    prev = c;
  }
  // Nor may one be last.
  return n === 0 || (prev !== 0x20 && prev !== 0x0a);
}

/**
 * Normalises one string: NFC, CRLF/CR → LF, tabs and odd spaces → space, invisible characters removed,
 * runs of spaces collapsed, each line trimmed, blank lines at the ends dropped.
 */
export function normalizeText(input: string): string {
  return isCleanText(input) ? input : normalizeUncleanText(input);
}

/**
 * `normalizeText` of a string `isCleanText` refused. Text that only needed composing (letters and their marks
 * written apart, as some systems save them) is its NFC form: NFC keeps, or maps to characters the fast path
 * refuses, everything else the full clean-up would change, so a clean NFC form means nothing else was to do.
 */
export function normalizeUncleanText(input: string): string {
  const composed = input.normalize('NFC');
  return composed !== input && isCleanText(composed) ? composed : normalizeTextFully(input);
}

/** `normalizeText` without the fast path (what the fast path must agree with). */
export function normalizeTextFully(input: string): string {
  let s = input;
  if (s.includes('\r')) s = s.replace(/\r\n?/g, '\n');
  s = s.replace(/\t/g, ' ').replace(ODD_SPACES, ' ').replace(INVISIBLE, '');
  // Normalise after removing characters: a zero-width joiner between a letter and a combining mark
  // would otherwise keep them from composing.
  s = s.normalize('NFC');
  if (s.includes('\n')) {
    s = s
      .split('\n')
      .map((line) => line.replace(/ {2,}/g, ' ').trim())
      .join('\n')
      .replace(/^\n+|\n+$/g, '');
  } else {
    s = s.replace(/ {2,}/g, ' ').trim();
  }
  return s;
}

/** Removes Vietnamese diacritics and folds case, for accent-insensitive matching only (never for storage). */
export function foldForMatch(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

// A tone mark written on the first vowel of "oa", "oe", "uy" (hòa, khỏe, thủy) or on the second (hoà, khoẻ, thuỷ):
// both spellings are in use for the same word.
const TONE_BEFORE_VOWEL = /([oOuU])([\u0300\u0301\u0303\u0309\u0323])([aAeEyY])/g;

/**
 * The same name however it is written: case, spacing and where the tone mark sits ("Ủy ban" / "UỶ BAN") do not
 * matter; letters and diacritics do. For grouping only (never for storage or display).
 */
export function spellingKey(input: string): string {
  return normalizeText(input).normalize('NFD').replace(TONE_BEFORE_VOWEL, '$1$3$2').normalize('NFC').toLocaleLowerCase('vi');
}

/** An ASCII file-name slug: "Nguyễn Văn Đức" → "nguyen-van-duc". */
export function slugify(input: string, maxLength = 60): string {
  const slug = foldForMatch(input)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, maxLength).replace(/-+$/, '');
}
