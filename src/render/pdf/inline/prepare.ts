// Inline step 1: a paragraph's runs → tokens (words, spaces, break opportunities, forced breaks) of measured
// glyph pieces. Each code point is looked up once in cached tables; nothing is shaped (Word does not kern or
// shape Times New Roman, and NFC text needs no composition).
import { variantOf } from '../../../fonts/families.js';
import { effectiveRun } from '../../../model/effective.js';
import type { ResolvedStyle, Run } from '../../../model/types.js';
import type { LayoutContext } from '../context.js';
import type { Face, FontResource } from '../fonts.js';

/** Glyphs of one font resource at one size and formatting. */
export interface Piece {
  font: FontResource;
  /** The Tinos face of the run, whose metrics set the line height even where a glyph falls back. */
  face: Face;
  size: number;
  cids: number[];
  /** Advance in points. */
  width: number;
  /** Number of U+0020 glyphs, which justification widens. */
  spaces: number;
  underline: boolean;
  color: string;
  field?: 'page' | 'pages';
}

export const enum TokenKind {
  /** Text that may not be broken (a word, or the part of one up to a hyphen). */
  Word,
  /** One or more spaces: a line may break after them; they hang at the end of a line. */
  Space,
  /** A break opportunity of no width (after a hyphen, at U+200B). */
  Opportunity,
  /** "\n": the line ends here. */
  Newline,
}

export interface Token {
  kind: TokenKind;
  pieces: Piece[];
  width: number;
  spaces: number;
}

const HYPHENS = new Set([0x2d, 0x2010]);

/** Text shown for a page field until pages are counted (same digits width as most page numbers). */
export const FIELD_PLACEHOLDER = '0';

export function prepareRuns(runs: Run[], style: ResolvedStyle, ctx: LayoutContext): Token[] {
  const fonts = ctx.fonts;
  const tokens: Token[] = [];
  let tok: Token | undefined;
  let piece: Piece | undefined;

  const open = (kind: TokenKind): Token => {
    const t: Token = { kind, pieces: [], width: 0, spaces: 0 };
    tokens.push(t);
    piece = undefined;
    return t;
  };

  for (const run of runs) {
    const r = effectiveRun(style, run);
    const variant = variantOf(r.bold, r.italic);
    const face = fonts.library.faces[variant];
    const size = r.size;
    const text = (r.field ? run.text || FIELD_PLACEHOLDER : r.text).normalize('NFC');
    // A new run always starts a new piece, even inside a word.
    piece = undefined;
    for (let i = 0; i < text.length; i++) {
      let cp = text.charCodeAt(i);
      if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < text.length) {
        cp = text.codePointAt(i)!;
        i++;
      }
      if (cp === 0x0a) {
        open(TokenKind.Newline);
        tok = undefined;
        continue;
      }
      if (cp === 0x200b) {
        open(TokenKind.Opportunity);
        tok = undefined;
        continue;
      }
      if (cp === 0x09 || cp === 0x0d) cp = 0x20;
      // Controls and invisible characters draw nothing.
      if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || cp === 0xad || cp === 0xfeff || (cp >= 0x200c && cp <= 0x200f) || cp === 0x2060) continue;
      const isSpace = cp === 0x20;
      const kind = isSpace ? TokenKind.Space : TokenKind.Word;
      if (!tok || tok.kind !== kind) tok = open(kind);
      const packed = fonts.lookup(cp, variant);
      const font = fonts.resources[Math.floor(packed / 65536)]!;
      const cid = packed & 0xffff;
      const advance = (fonts.lastAdvance * size) / 1000;
      if (!piece || piece.font !== font) {
        piece = { font, face, size, cids: [], width: 0, spaces: 0, underline: r.underline, color: r.color, field: r.field };
        tok.pieces.push(piece);
      }
      piece.cids.push(cid);
      piece.width += advance;
      tok.width += advance;
      if (isSpace) {
        piece.spaces++;
        tok.spaces++;
      } else if (HYPHENS.has(cp) && tok.pieces.length > 0 && (tok.pieces.length > 1 || piece.cids.length > 1) && !r.field) {
        // "kinh tế-xã hội" may break after the hyphen, as Word does; a leading "-" may not.
        open(TokenKind.Opportunity);
        tok = undefined;
      }
    }
  }
  return tokens;
}
