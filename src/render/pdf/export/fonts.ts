// Export: font programs → Type0 / CIDFontType2 objects (Identity-H, CIDToGIDMap, /W, ToUnicode) in a pdf-lib
// document. Streams are already deflated and shared across the batch; only small dictionaries are new each time.
import { PDFName, PDFNumber, PDFObject, PDFRawStream, PDFString, type PDFContext, type PDFRef } from '@cantoo/pdf-lib';
import type { FontProgram } from '../subset.js';

/** A PDF object whose serialised form is known in advance (the /W array, identical in every document). */
class SerializedObject extends PDFObject {
  private readonly bytes: Uint8Array;
  constructor(private readonly text: string) {
    super();
    this.bytes = Buffer.from(text, 'latin1');
  }
  override clone(): SerializedObject {
    return new SerializedObject(this.text);
  }
  override toString(): string {
    return this.text;
  }
  override sizeInBytes(): number {
    return this.bytes.length;
  }
  override copyBytesInto(buffer: Uint8Array, offset: number): number {
    buffer.set(this.bytes, offset);
    return this.bytes.length;
  }
}

function deflated(context: PDFContext, bytes: Uint8Array, extra: Record<string, number> = {}): PDFRef {
  const dict = context.obj({ Filter: 'FlateDecode', ...extra });
  return context.register(PDFRawStream.of(dict, bytes));
}

/** Embeds one font program and returns the reference of its Type0 font dictionary. */
export function embedFont(context: PDFContext, program: FontProgram): PDFRef {
  const { face } = program;
  const s = face.scale;
  const bbox = face.font.bbox;
  const descriptor = context.obj({
    Type: 'FontDescriptor',
    FontName: program.baseFontName,
    Flags: program.flags,
    FontBBox: [bbox.minX * s, bbox.minY * s, bbox.maxX * s, bbox.maxY * s].map(Math.round),
    ItalicAngle: face.font.italicAngle,
    Ascent: Math.round(face.ascent),
    Descent: -Math.round(face.descent),
    CapHeight: Math.round((face.font.capHeight || face.metrics.ascent) * s),
    XHeight: Math.round((face.font.xHeight || 0) * s),
    // Not stored in TrueType; the usual estimate from the weight.
    StemV: face.id === 'bold' || face.id === 'boldItalic' ? 120 : 80,
    FontFile2: deflated(context, program.fontFile, { Length1: program.fontFileLength }),
  });
  const cidFont = context.obj({
    Type: 'Font',
    Subtype: 'CIDFontType2',
    BaseFont: program.baseFontName,
    CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
    FontDescriptor: context.register(descriptor),
    CIDToGIDMap: deflated(context, program.cidToGid),
  });
  cidFont.set(PDFName.of('W'), context.register(new SerializedObject(program.widths)));
  cidFont.set(PDFName.of('DW'), PDFNumber.of(1000));
  const type0 = context.obj({
    Type: 'Font',
    Subtype: 'Type0',
    BaseFont: program.baseFontName,
    Encoding: 'Identity-H',
    DescendantFonts: [context.register(cidFont)],
    ToUnicode: deflated(context, program.toUnicode),
  });
  return context.register(type0);
}
