// Glyph metrics read once per font file and cached: text width without shaping, for layout and rule lengths.
import fs from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { SYMBOL_FILE, TINOS_FILES, variantOf, type FontVariant } from './families.js';

/** The parts of a fontkit font we rely on. */
export interface FontkitFont {
  unitsPerEm: number;
  ascent: number;
  descent: number;
  lineGap: number;
  hasGlyphForCodePoint(cp: number): boolean;
  glyphForCodePoint(cp: number): { advanceWidth: number; id: number };
}

export class FontMetrics {
  readonly unitsPerEm: number;
  readonly ascent: number;
  readonly descent: number;
  readonly lineGap: number;
  /** Advance widths in font units by code point; filled on first use of each code point. */
  private readonly advances = new Map<number, number>();

  constructor(
    readonly file: string,
    readonly bytes: Uint8Array,
    readonly font: FontkitFont,
  ) {
    this.unitsPerEm = font.unitsPerEm;
    this.ascent = font.ascent;
    this.descent = font.descent;
    this.lineGap = font.lineGap;
  }

  has(cp: number): boolean {
    return this.font.hasGlyphForCodePoint(cp);
  }

  /** Advance of one code point in font units (0 for a glyph the font lacks). */
  advance(cp: number): number {
    let a = this.advances.get(cp);
    if (a === undefined) {
      a = this.font.hasGlyphForCodePoint(cp) ? this.font.glyphForCodePoint(cp).advanceWidth : 0;
      this.advances.set(cp, a);
    }
    return a;
  }

  /** Width in points of `text` at `size`, summing advances (no kerning, as Word lays out Times New Roman). */
  width(text: string, size: number): number {
    let units = 0;
    for (let i = 0; i < text.length; i++) {
      let cp = text.charCodeAt(i);
      if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < text.length) {
        cp = text.codePointAt(i)!;
        i++;
      }
      units += this.advance(cp);
    }
    return (units * size) / this.unitsPerEm;
  }

  /** Word's "single" line height: ascent + descent + line gap (1.15 em for Times New Roman and Tinos). */
  lineHeight(size: number): number {
    return ((this.ascent - this.descent + this.lineGap) * size) / this.unitsPerEm;
  }
}

const cache = new Map<string, FontMetrics>();

export function loadMetrics(file: string): FontMetrics {
  let m = cache.get(file);
  if (!m) {
    const bytes = new Uint8Array(fs.readFileSync(file));
    m = new FontMetrics(file, bytes, (fontkit as unknown as { create(b: Uint8Array): FontkitFont }).create(bytes));
    cache.set(file, m);
  }
  return m;
}

export function tinos(variant: FontVariant): FontMetrics {
  return loadMetrics(TINOS_FILES[variant]);
}

export function symbolFont(): FontMetrics {
  return loadMetrics(SYMBOL_FILE);
}

/** Text width in points with the document font, falling back per glyph to the symbol font. */
export function measureText(text: string, size: number, bold = false, italic = false): number {
  const main = tinos(variantOf(bold, italic));
  let width = 0;
  let plain = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (main.has(cp)) plain += ch;
    else width += symbolFont().width(ch, size);
  }
  return width + main.width(plain, size);
}
