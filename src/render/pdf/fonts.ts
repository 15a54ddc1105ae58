// Fonts for the PDF writer: code point → glyph with per-glyph fallback, cached advances, embeddable subsets.
//
// Every font is embedded as Type0 / CIDFontType2 with Identity-H. A CID stands for one code point (not one
// glyph): CIDToGIDMap maps it to the glyph and ToUnicode back to the code point, so text extracts exactly even
// where a font shares one glyph between code points. Each Tinos face has a fixed "base" subset covering Latin and
// every Vietnamese letter, built once per writer and embedded as the same bytes in every document of a batch;
// code points outside it, the symbol fallback (☐ ☒) and glyphs no font has go to a small per-document subset.
import subsetter from '@cantoo/fontkit';
import { SYMBOL_FILE, TINOS_FILES, type FontVariant } from '../../fonts/families.js';
import { loadMetrics, type FontkitFont, type FontMetrics } from '../../fonts/metrics.js';
import { buildProgram, type FontProgram } from './subset.js';

export type FaceId = FontVariant | 'symbol';
export const VARIANTS: readonly FontVariant[] = ['regular', 'bold', 'italic', 'boldItalic'];

/** The parts of a fontkit font the embedder reads beyond what metrics use. */
export interface EmbeddableFont extends FontkitFont {
  postscriptName: string | null;
  italicAngle: number;
  capHeight: number;
  xHeight: number;
  bbox: { minX: number; minY: number; maxX: number; maxY: number };
  post: { underlinePosition: number; underlineThickness: number };
}

export interface SubsettableFont {
  createSubset(): { includeGlyph(glyph: number): number; encode(): Uint8Array };
}

/** Code points every Tinos face embeds in every document: Latin, Latin-1, all Vietnamese letters, punctuation. */
function baseRepertoire(): number[] {
  const cps: number[] = [];
  const range = (a: number, b: number) => {
    for (let c = a; c <= b; c++) cps.push(c);
  };
  range(0x20, 0x7e);
  range(0xa0, 0xff);
  // Ă ă Đ đ Ĩ ĩ Ũ ũ Ơ ơ Ư ư, then the Latin Extended Additional block with every toned Vietnamese vowel.
  cps.push(0x102, 0x103, 0x110, 0x111, 0x128, 0x129, 0x168, 0x169, 0x1a0, 0x1a1, 0x1af, 0x1b0);
  range(0x1ea0, 0x1ef9);
  // Combining tone marks, for text that arrives decomposed and has no precomposed form.
  cps.push(0x300, 0x301, 0x303, 0x309, 0x323);
  range(0x2010, 0x2022);
  cps.push(0x2026, 0x2030, 0x2039, 0x203a, 0x20ab, 0x20ac, 0x2116, 0x2122, 0x2212, 0x2260, 0x2264, 0x2265);
  return cps;
}
const BASE_REPERTOIRE = baseRepertoire();

/** One font file: glyph ids and advances (in 1/1000 em) by code point, read once and kept. */
export class Face {
  readonly font: EmbeddableFont;
  readonly scale: number;
  /** Line metrics in 1/1000 em; descent is positive (below the baseline). */
  readonly ascent: number;
  readonly descent: number;
  readonly lineGap: number;
  readonly underlinePosition: number;
  readonly underlineThickness: number;
  /** Glyph shown for a code point no font has (U+FFFD or "?"); its ToUnicode entry stays the original code point. */
  readonly replacementGid: number;
  private readonly gids = new Int32Array(0x10000).fill(-2);
  private readonly advances = new Float64Array(0x10000);
  private readonly astral = new Map<number, { gid: number; advance: number }>();
  private subsettable?: SubsettableFont;

  constructor(
    readonly id: FaceId,
    readonly metrics: FontMetrics,
  ) {
    this.font = metrics.font as EmbeddableFont;
    this.scale = 1000 / metrics.unitsPerEm;
    this.ascent = metrics.ascent * this.scale;
    this.descent = -metrics.descent * this.scale;
    this.lineGap = metrics.lineGap * this.scale;
    this.underlinePosition = this.font.post.underlinePosition * this.scale;
    this.underlineThickness = this.font.post.underlineThickness * this.scale;
    const repl = this.gid(0xfffd);
    this.replacementGid = repl >= 0 ? repl : Math.max(0, this.gid(0x3f));
  }

  /** Glyph id of a code point, -1 when the font has none. */
  gid(cp: number): number {
    if (cp < 0x10000) {
      let g = this.gids[cp]!;
      if (g === -2) {
        g = this.metrics.has(cp) ? this.font.glyphForCodePoint(cp).id : -1;
        this.gids[cp] = g;
        this.advances[cp] = g >= 0 ? this.metrics.advance(cp) * this.scale : 0;
      }
      return g;
    }
    return this.astralEntry(cp).gid;
  }

  /** Advance of a code point in 1/1000 em (0 when the font lacks it). */
  advance(cp: number): number {
    if (cp < 0x10000) {
      if (this.gids[cp] === -2) this.gid(cp);
      return this.advances[cp]!;
    }
    return this.astralEntry(cp).advance;
  }

  /** Advance of a glyph by id, in 1/1000 em. */
  glyphAdvance(gid: number): number {
    return (this.font as unknown as { getGlyph(id: number): { advanceWidth: number } }).getGlyph(gid).advanceWidth * this.scale;
  }

  /** The same font file opened by the subsetter (same glyph ids). */
  forSubsetting(): SubsettableFont {
    this.subsettable ??= subsetter.create(this.metrics.bytes) as unknown as SubsettableFont;
    return this.subsettable;
  }

  /** Word's single line height in points: ascent + descent + line gap. */
  lineHeight(size: number): number {
    return ((this.ascent + this.descent + this.lineGap) * size) / 1000;
  }

  private astralEntry(cp: number): { gid: number; advance: number } {
    let e = this.astral.get(cp);
    if (!e) {
      const has = this.metrics.has(cp);
      e = { gid: has ? this.font.glyphForCodePoint(cp).id : -1, advance: has ? this.metrics.advance(cp) * this.scale : 0 };
      this.astral.set(cp, e);
    }
    return e;
  }
}

export type SubsetMode = 'batch' | 'document';

/** The fixed subset of one Tinos face: CID i (from 1) is `cps[i-1]`. */
export interface BaseSet {
  face: Face;
  cps: number[];
  gids: number[];
  /** CID by code point (BMP), 0 when the code point is not in the set. */
  cidOf: Uint16Array;
  widths: number[];
}

/** How a code point is drawn in a given Tinos variant. */
const UNKNOWN = -4;
const EXTRA = -1; // the Tinos face has it, outside the base set
const SYMBOL = -2; // only the symbol font has it
const MISSING = -3; // no font has it: replacement glyph, original code point in ToUnicode

/** Parsed faces, base subsets and built font programs, kept for a writer's whole batch. */
export class FontLibrary {
  readonly faces: Record<FaceId, Face>;
  private readonly bases = new Map<FontVariant, BaseSet>();
  private readonly classes = new Map<FontVariant, Int32Array>();
  private readonly astralClasses = new Map<string, number>();
  private readonly basePrograms = new Map<FontVariant, Promise<FontProgram>>();
  /** Per-document subsets by content; bounded so memory stays flat over a batch. */
  private readonly extraPrograms = new Map<string, Promise<FontProgram>>();
  private static readonly EXTRA_CACHE = 64;

  constructor() {
    this.faces = {
      regular: new Face('regular', loadMetrics(TINOS_FILES.regular)),
      bold: new Face('bold', loadMetrics(TINOS_FILES.bold)),
      italic: new Face('italic', loadMetrics(TINOS_FILES.italic)),
      boldItalic: new Face('boldItalic', loadMetrics(TINOS_FILES.boldItalic)),
      symbol: new Face('symbol', loadMetrics(SYMBOL_FILE)),
    };
  }

  base(variant: FontVariant): BaseSet {
    let set = this.bases.get(variant);
    if (!set) {
      const face = this.faces[variant];
      const cps: number[] = [];
      const gids: number[] = [];
      const widths: number[] = [];
      const cidOf = new Uint16Array(0x10000);
      for (const cp of BASE_REPERTOIRE) {
        const gid = face.gid(cp);
        if (gid < 0) continue;
        cps.push(cp);
        gids.push(gid);
        widths.push(face.advance(cp));
        cidOf[cp] = cps.length;
      }
      set = { face, cps, gids, cidOf, widths };
      this.bases.set(variant, set);
    }
    return set;
  }

  /** Base CID (> 0) or one of EXTRA, SYMBOL, MISSING. */
  classify(variant: FontVariant, cp: number): number {
    if (cp < 0x10000) {
      let table = this.classes.get(variant);
      if (!table) {
        table = new Int32Array(0x10000).fill(UNKNOWN);
        this.classes.set(variant, table);
      }
      let k = table[cp]!;
      if (k === UNKNOWN) {
        k = this.computeClass(variant, cp);
        table[cp] = k;
      }
      return k;
    }
    const key = `${variant}:${cp}`;
    let k = this.astralClasses.get(key);
    if (k === undefined) {
      k = this.computeClass(variant, cp);
      this.astralClasses.set(key, k);
    }
    return k;
  }

  private computeClass(variant: FontVariant, cp: number): number {
    const cid = cp < 0x10000 ? this.base(variant).cidOf[cp]! : 0;
    if (cid > 0) return cid;
    if (this.faces[variant].gid(cp) >= 0) return EXTRA;
    if (this.faces.symbol.gid(cp) >= 0) return SYMBOL;
    return MISSING;
  }

  baseProgram(variant: FontVariant): Promise<FontProgram> {
    let p = this.basePrograms.get(variant);
    if (!p) {
      const set = this.base(variant);
      p = buildProgram(set.face, set.cps, set.gids, set.widths);
      this.basePrograms.set(variant, p);
    }
    return p;
  }

  extraProgram(face: Face, cps: number[], gids: number[], widths: number[]): Promise<FontProgram> {
    const key = `${face.id}:${cps.join(',')}:${gids.join(',')}`;
    let p = this.extraPrograms.get(key);
    if (p) {
      // Refresh its place in the LRU order.
      this.extraPrograms.delete(key);
    } else {
      p = buildProgram(face, cps.slice(), gids.slice(), widths.slice());
      if (this.extraPrograms.size >= FontLibrary.EXTRA_CACHE) {
        this.extraPrograms.delete(this.extraPrograms.keys().next().value!);
      }
    }
    this.extraPrograms.set(key, p);
    return p;
  }
}

/** A font as one document uses it: the resource name on its pages and how CIDs map to code points. */
export class FontResource {
  /** Code point, glyph and advance (1/1000 em) of each CID from 1 (index 0 unused). */
  readonly cps: number[];
  readonly gids: number[];
  readonly widths: number[];
  /** CID of U+0020, which justification widens; -1 if none. */
  spaceCid: number;
  private readonly extraCids?: Map<number, number>;

  constructor(
    readonly name: string,
    readonly face: Face,
    readonly variant: FontVariant | undefined,
    base: BaseSet | undefined,
  ) {
    if (base) {
      this.cps = [0, ...base.cps];
      this.gids = [0, ...base.gids];
      this.widths = [0, ...base.widths];
      this.spaceCid = base.cidOf[0x20] || -1;
    } else {
      this.cps = [0];
      this.gids = [0];
      this.widths = [0];
      this.spaceCid = -1;
      this.extraCids = new Map();
    }
  }

  get isBase(): boolean {
    return this.extraCids === undefined;
  }

  /** CID for a code point in a per-document subset, assigned on first use. */
  extraCid(cp: number, gid: number, advance: number): number {
    let cid = this.extraCids!.get(cp);
    if (cid === undefined) {
      cid = this.cps.length;
      this.cps.push(cp);
      this.gids.push(gid);
      this.widths.push(advance);
      this.extraCids!.set(cp, cid);
      if (cp === 0x20) this.spaceCid = cid;
    }
    return cid;
  }
}

/**
 * The fonts one document uses. `lookup` is the hot path: it returns resource index × 65536 + CID, with no
 * allocation, and the advance of the last lookup in `lastAdvance` (1/1000 em).
 */
export class DocumentFonts {
  readonly resources: FontResource[] = [];
  lastAdvance = 0;
  private readonly baseIndex: Partial<Record<FontVariant, number>> = {};
  private readonly extraIndex: Partial<Record<FaceId, number>> = {};

  /**
   * `batch`: the shared base subsets (fast, ~25 KB per face). `document`: a subset of exactly the glyphs this
   * document uses (smallest files, but every document pays for cutting its own subsets).
   */
  constructor(
    readonly library: FontLibrary,
    readonly subsets: SubsetMode = 'batch',
  ) {}

  lookup(cp: number, variant: FontVariant): number {
    const lib = this.library;
    let k = lib.classify(variant, cp);
    if (k > 0 && this.subsets === 'document') k = EXTRA;
    if (k > 0) {
      let idx = this.baseIndex[variant];
      if (idx === undefined) {
        idx = this.add(new FontResource(`F${this.resources.length + 1}`, lib.faces[variant], variant, lib.base(variant)));
        this.baseIndex[variant] = idx;
      }
      this.lastAdvance = this.resources[idx]!.widths[k]!;
      return idx * 65536 + k;
    }
    const faceId: FaceId = k === SYMBOL ? 'symbol' : variant;
    const face = lib.faces[faceId];
    let idx = this.extraIndex[faceId];
    if (idx === undefined) {
      idx = this.add(new FontResource(`F${this.resources.length + 1}`, face, k === SYMBOL ? undefined : variant, undefined));
      this.extraIndex[faceId] = idx;
    }
    const gid = k === MISSING ? face.replacementGid : face.gid(cp);
    const advance = k === MISSING ? face.glyphAdvance(gid) : face.advance(cp);
    const cid = this.resources[idx]!.extraCid(cp, gid, advance);
    this.lastAdvance = advance;
    return idx * 65536 + cid;
  }

  /** The font program of each resource, in resource order. */
  programs(): Promise<FontProgram[]> {
    return Promise.all(
      this.resources.map((r) =>
        r.isBase ? this.library.baseProgram(r.variant!) : this.library.extraProgram(r.face, r.cps.slice(1), r.gids.slice(1), r.widths.slice(1)),
      ),
    );
  }

  private add(r: FontResource): number {
    this.resources.push(r);
    return this.resources.length - 1;
  }
}
