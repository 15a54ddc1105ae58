// The model's resolved styles as Word paragraph styles and run properties: fonts in every slot, vi-VN, units.
import { AlignmentType, LineRuleType, UnderlineType, type IParagraphStyleOptions, type IRunOptions } from 'docx';
import { tinos } from '../../fonts/metrics.js';
import { variantOf } from '../../fonts/families.js';
import type { RunFormat } from '../../model/effective.js';
import type { Align, LineSpacing, ResolvedStyle } from '../../model/types.js';

/** Font named for glyphs Times New Roman lacks (tick boxes ☐ ☒); the font table names fallbacks LibreOffice has. */
export const SYMBOL_FONT = 'Segoe UI Symbol';
export const SYMBOL_FALLBACK = 'DejaVu Sans';

/** Points → twentieths of a point (twips), Word's unit for indents, spacing and widths. */
export const twip = (pt: number): number => Math.round(pt * 20);
/** Points → half-points, Word's unit for font sizes. */
export const halfPoints = (pt: number): number => Math.round(pt * 2);
/** Points → eighths of a point, Word's unit for border widths (at least 2, Word's thinnest). */
export const eighths = (pt: number): number => Math.max(2, Math.round(pt * 8));

export const ALIGNMENT = {
  left: AlignmentType.LEFT,
  center: AlignmentType.CENTER,
  right: AlignmentType.RIGHT,
  justify: AlignmentType.JUSTIFIED,
} as const satisfies Record<Align, unknown>;

export function spacingLine(line: LineSpacing): { line: number; lineRule: (typeof LineRuleType)[keyof typeof LineRuleType] } {
  switch (line.kind) {
    case 'multiple':
      return { line: Math.round(line.value * 240), lineRule: LineRuleType.AUTO };
    case 'exact':
      return { line: twip(line.pt), lineRule: LineRuleType.EXACT };
    case 'atLeast':
      return { line: twip(line.pt), lineRule: LineRuleType.AT_LEAST };
  }
}

/** The same family in the ascii, hAnsi, complex-script and East Asian slots, so no script falls back elsewhere. */
export function fontSlots(family: string) {
  return { ascii: family, hAnsi: family, cs: family, eastAsia: family };
}

export function languageOf(lang: string) {
  return { value: lang, eastAsia: lang, bidirectional: lang };
}

export function indentOf(firstLine: number, left: number, right: number) {
  return {
    left: twip(left),
    right: twip(right),
    ...(firstLine >= 0 ? { firstLine: twip(firstLine) } : { hanging: twip(-firstLine) }),
  };
}

/** A paragraph style definition for styles.xml, so a clerk can restyle the document in Word by name. */
export function paragraphStyle(id: string, s: ResolvedStyle, lang: string): IParagraphStyleOptions {
  return {
    id,
    name: id,
    basedOn: 'Normal',
    next: id,
    quickFormat: true,
    run: {
      font: fontSlots(s.font),
      size: halfPoints(s.size),
      sizeComplexScript: halfPoints(s.size),
      bold: s.bold,
      boldComplexScript: s.bold,
      italics: s.italic,
      italicsComplexScript: s.italic,
      ...(s.underline ? { underline: { type: UnderlineType.SINGLE } } : {}),
      color: s.color,
      language: languageOf(lang),
    },
    paragraph: {
      alignment: ALIGNMENT[s.align],
      indent: indentOf(s.firstLineIndent, s.indentLeft, s.indentRight),
      spacing: { before: twip(s.spaceBefore), after: twip(s.spaceAfter), ...spacingLine(s.lineSpacing) },
      keepNext: s.keepWithNext,
      keepLines: s.keepTogether,
    },
  };
}

/**
 * Run properties written on every run: fonts in all slots, size, colour and language; bold, italic and underline
 * when on, or when off against a style that turns them on.
 */
export function runProperties(f: RunFormat, style: ResolvedStyle, lang: string, family = f.font): IRunOptions {
  return {
    font: fontSlots(family),
    size: halfPoints(f.size),
    sizeComplexScript: halfPoints(f.size),
    ...(f.bold || style.bold ? { bold: f.bold, boldComplexScript: f.bold } : {}),
    ...(f.italic || style.italic ? { italics: f.italic, italicsComplexScript: f.italic } : {}),
    ...(f.underline ? { underline: { type: UnderlineType.SINGLE } } : style.underline ? { underline: { type: UnderlineType.NONE } } : {}),
    color: f.color,
    language: languageOf(lang),
  };
}

/** Per face, whether the document font lacks a BMP code point (0 unknown, 1 has it, 2 lacks it); filled on use. */
const lacks = new Map<string, Uint8Array>();

function needsSymbolFont(cp: number, bold: boolean, italic: boolean): boolean {
  if (cp <= 0x7f || cp === 10) return false;
  const variant = variantOf(bold, italic);
  if (cp > 0xffff) return !tinos(variant).has(cp);
  let table = lacks.get(variant);
  if (!table) {
    table = new Uint8Array(0x10000);
    lacks.set(variant, table);
  }
  if (table[cp] === 0) table[cp] = tinos(variant).has(cp) ? 1 : 2;
  return table[cp] === 2;
}

/**
 * Splits text into pieces the document font has and pieces only a symbol font has (☐ ☒), so each piece can name
 * a font that draws it. Most text is one piece.
 */
export function splitBySymbol(text: string, bold: boolean, italic: boolean): Array<{ text: string; symbol: boolean }> {
  let any = false;
  for (let i = 0; i < text.length && !any; i++) {
    const c = text.charCodeAt(i);
    if (c > 0x7f) any = needsSymbolFont(text.codePointAt(i)!, bold, italic);
  }
  if (!any) return [{ text, symbol: false }];
  const out: Array<{ text: string; symbol: boolean }> = [];
  let current = '';
  let currentSymbol = false;
  for (const ch of text) {
    const symbol = needsSymbolFont(ch.codePointAt(0)!, bold, italic);
    if (symbol !== currentSymbol && current !== '') {
      out.push({ text: current, symbol: currentSymbol });
      current = '';
    }
    currentSymbol = symbol;
    current += ch;
  }
  if (current !== '') out.push({ text: current, symbol: currentSymbol });
  return out;
}
