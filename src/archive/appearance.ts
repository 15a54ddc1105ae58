// The visible appearance of a signature: the signer's (or seal's) image, or name, post and time in Tinos.
import fs from 'node:fs';
import * as fontkit from '@cantoo/fontkit';
import { degrees, drawImage, drawText, rgb, type PDFDocument, type PDFFont, type PDFImage, type PDFOperator, type PDFRef } from '@cantoo/pdf-lib';
import { TINOS_FILES } from '../fonts/families.js';
import { InputError } from '../errors.js';
import { checkImage } from './image-check.js';
import { DEFAULT_LOOK, mm, type Rect, type SignatureLook } from './look.js';

export interface AppearanceContent {
  /** PNG or JPEG bytes: the blue signature, or the red seal (transparent PNGs keep their alpha as /SMask). */
  image?: Uint8Array;
  /** Lines of text, drawn when there is no image (name, post, time). */
  lines?: string[];
}

async function embedImage(pdf: PDFDocument, bytes: Uint8Array): Promise<PDFImage> {
  // Decoded in full first: pdf-lib would embed damaged PNG data as it is.
  const kind = checkImage(bytes);
  if (kind === 'png') return pdf.embedPng(bytes);
  if (kind === 'jpeg') return pdf.embedJpg(bytes);
  throw new InputError('signature-image-format', {
    vi: 'Ảnh chữ ký phải là PNG (nền trong suốt) hoặc JPEG.',
    en: 'The signature image must be a PNG (transparent background) or a JPEG.',
  });
}

const fontCache = new Map<string, Uint8Array>();
function fontBytes(file: string): Uint8Array {
  let bytes = fontCache.get(file);
  if (!bytes) {
    bytes = fs.readFileSync(file);
    fontCache.set(file, bytes);
  }
  return bytes;
}

/**
 * fontkit with parsed fonts kept per file: pdf-lib parses the whole TTF on every embed (tens of ms for
 * Tinos), and a batch signs many documents with the same two faces. Subsets are still made per document.
 */
const parsed = new Map<Uint8Array, unknown>();
const cachingFontkit = {
  ...fontkit,
  create(buffer: Uint8Array, postscriptName?: string) {
    let font = parsed.get(buffer);
    if (!font) {
      font = fontkit.create(buffer as Buffer, postscriptName as string);
      parsed.set(buffer, font);
    }
    return font;
  },
} as unknown as Parameters<PDFDocument['registerFontkit']>[0];

async function embedTinos(pdf: PDFDocument, bold: boolean): Promise<PDFFont> {
  pdf.registerFontkit(cachingFontkit);
  return pdf.embedFont(fontBytes(bold ? TINOS_FILES.bold : TINOS_FILES.regular), { subset: true });
}

/** Largest box of the image's proportions inside `box`, centred. */
function fit(image: PDFImage, box: Rect): Rect {
  const scale = Math.min(box.width / image.width, box.height / image.height);
  const width = image.width * scale;
  const height = image.height * scale;
  return { x: box.x + (box.width - width) / 2, y: box.y + (box.height - height) / 2, width, height };
}

/**
 * Builds the widget's normal appearance (a Form XObject the size of `rect`, drawn from its own origin).
 * An image is fitted into a box at most `signatureImageWidthMm` wide, centred; text is centred line by
 * line, shrunk until it fits. Only embedded fonts are used (PDF/A).
 */
export async function buildAppearance(pdf: PDFDocument, rect: Rect, content: AppearanceContent, look: SignatureLook = DEFAULT_LOOK): Promise<PDFRef> {
  const ops: PDFOperator[] = [];
  const xobjects: Record<string, PDFRef> = {};
  const fonts: Record<string, PDFRef> = {};
  if (content.image) {
    const image = await embedImage(pdf, content.image);
    const boxWidth = Math.min(rect.width, mm(look.signatureImageWidthMm));
    const box = fit(image, { x: (rect.width - boxWidth) / 2, y: 0, width: boxWidth, height: rect.height });
    xobjects.Im0 = image.ref;
    ops.push(...drawImage('Im0', { x: box.x, y: box.y, width: box.width, height: box.height, rotate: degrees(0), xSkew: degrees(0), ySkew: degrees(0) }));
  } else {
    const lines = (content.lines ?? []).filter((l) => l.trim() !== '');
    const bold = await embedTinos(pdf, true);
    const regular = await embedTinos(pdf, false);
    fonts.F0 = bold.ref;
    fonts.F1 = regular.ref;
    const fontOf = (i: number) => (i === 0 ? bold : regular);
    let size = look.textSize;
    const widest = () => Math.max(0, ...lines.map((l, i) => fontOf(i).widthOfTextAtSize(l, size)));
    while (size > 4 && (widest() > rect.width - 4 || lines.length * size * 1.2 > rect.height)) size -= 0.5;
    const lineHeight = size * 1.2;
    const top = (rect.height + lines.length * lineHeight) / 2 - size;
    lines.forEach((line, i) => {
      const font = fontOf(i);
      const width = font.widthOfTextAtSize(line, size);
      ops.push(
        ...drawText(font.encodeText(line), {
          color: rgb(0, 0, 0),
          font: i === 0 ? 'F0' : 'F1',
          size,
          x: (rect.width - width) / 2,
          y: top - i * lineHeight,
          rotate: degrees(0),
          xSkew: degrees(0),
          ySkew: degrees(0),
        }),
      );
    });
  }
  const stream = pdf.context.formXObject(ops, {
    BBox: [0, 0, rect.width, rect.height],
    Resources: { ...(Object.keys(xobjects).length ? { XObject: xobjects } : {}), ...(Object.keys(fonts).length ? { Font: fonts } : {}) },
  });
  return pdf.context.register(stream);
}
