// Cutting a font program to embed: a subset of the given glyphs (@cantoo/fontkit; @pdf-lib/fontkit 1.1.1 writes
// broken glyph outlines when subsetting), its CID → glyph map, widths and ToUnicode CMap, all ready to serialise.
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import type { Face } from './fonts.js';
import { num } from './export/number.js';

/** A font program ready to embed: deflated bytes and the dictionaries' contents, shared by every document using it. */
export interface FontProgram {
  face: Face;
  /** Subset tag + PostScript name, e.g. "QXKZRB+Tinos-Regular". */
  baseFontName: string;
  fontFile: Uint8Array;
  fontFileLength: number;
  toUnicode: Uint8Array;
  cidToGid: Uint8Array;
  /** The /W array, serialised. */
  widths: string;
  flags: number;
}

/** Subsets `face` to CIDs 1…n: code points `cps`, their glyphs `gids` and advances `widths` (1/1000 em). */
export async function buildProgram(face: Face, cps: number[], gids: number[], widths: number[]): Promise<FontProgram> {
  const subset = face.forSubsetting().createSubset();
  const newGids = gids.map((g) => subset.includeGlyph(g));
  const bytes = subset.encode();
  const cidToGid = new Uint8Array((cps.length + 1) * 2);
  newGids.forEach((g, i) => {
    cidToGid[(i + 1) * 2] = g >> 8;
    cidToGid[(i + 1) * 2 + 1] = g & 0xff;
  });
  const tag = subsetTag(`${face.id}|${cps.join(',')}|${gids.join(',')}`);
  return {
    face,
    baseFontName: `${tag}+${face.font.postscriptName ?? face.id}`,
    fontFile: zlib.deflateSync(bytes),
    fontFileLength: bytes.length,
    toUnicode: zlib.deflateSync(Buffer.from(toUnicodeCMap(cps), 'latin1')),
    cidToGid: zlib.deflateSync(cidToGid),
    widths: `[1 [${widths.map(num).join(' ')}]]`,
    flags: (face.id === 'symbol' ? 0 : 2) | 4 | (face.font.italicAngle !== 0 ? 64 : 0),
  };
}

/** Six capital letters derived from the subset's content, as PDF subset fonts are named. */
function subsetTag(key: string): string {
  const h = createHash('sha256').update(key).digest();
  let tag = '';
  for (let i = 0; i < 6; i++) tag += String.fromCharCode(65 + (h[i]! % 26));
  return tag;
}

function hex4(n: number): string {
  return n.toString(16).toUpperCase().padStart(4, '0');
}

function utf16Hex(cp: number): string {
  if (cp < 0x10000) return hex4(cp);
  const v = cp - 0x10000;
  return hex4(0xd800 + (v >> 10)) + hex4(0xdc00 + (v & 0x3ff));
}

/** ToUnicode CMap: CID i → cps[i-1], in blocks of at most 100 entries as the CMap format requires. */
function toUnicodeCMap(cps: number[]): string {
  const lines: string[] = [];
  for (let start = 0; start < cps.length; start += 100) {
    const block = cps.slice(start, start + 100);
    lines.push(`${block.length} beginbfchar`);
    block.forEach((cp, i) => lines.push(`<${hex4(start + i + 1)}> <${utf16Hex(cp)}>`));
    lines.push('endbfchar');
  }
  return [
    '/CIDInit /ProcSet findresource begin',
    '12 dict begin',
    'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def',
    '/CMapName /Adobe-Identity-UCS def',
    '/CMapType 2 def',
    '1 begincodespacerange',
    '<0000> <FFFF>',
    'endcodespacerange',
    ...lines,
    'endcmap',
    'CMapName currentdict /CMap defineresource pop',
    'end',
    'end',
  ].join('\n');
}
