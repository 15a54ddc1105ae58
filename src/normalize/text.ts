// String clean-up applied at every boundary: NFC, line ends, invisible characters, spacing.

// Zero-width and format characters a user cannot see but that break comparisons: ZWSP, ZWNJ, ZWJ, word
// joiner, BOM, soft hyphen, and the C0/C1 controls other than line feed.
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u00AD\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g;
// Spaces that look like a space: NBSP, narrow NBSP, figure space, the Unicode space range, ideographic space.
const ODD_SPACES = /[\u00A0\u202F\u2007\u2000-\u200A\u205F\u3000]/g;

// Strings made only of printable ASCII, Vietnamese precomposed letters (Latin-1, Extended-A/B, Extended
// Additional) and common punctuation are already NFC and hold nothing to remove; with single inner spaces and
// no space at either end they are returned as they are. Most data takes this path.
const ALREADY_CLEAN = /^(?! )(?:[\u0021-\u007E\u00A1-\u00AC\u00AE-\u024F\u1E00-\u1EFF\u2010-\u2027\u2030-\u205E]| (?! ))*$/;

/**
 * Normalises one string: NFC, CRLF/CR → LF, tabs and odd spaces → space, invisible characters removed,
 * runs of spaces collapsed, each line trimmed, blank lines at the ends dropped.
 */
export function normalizeText(input: string): string {
  // (The pattern lets one final space through: that is checked apart, cheaper than a lookbehind.)
  if (ALREADY_CLEAN.test(input) && input.charCodeAt(input.length - 1) !== 32) return input;
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

/** An ASCII file-name slug: "Nguyễn Văn Đức" → "nguyen-van-duc". */
export function slugify(input: string, maxLength = 60): string {
  const slug = foldForMatch(input)
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, maxLength).replace(/-+$/, '');
}
