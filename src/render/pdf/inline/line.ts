// Inline step 3: a broken line → a positioned frame: height from the line spacing, alignment, justification by
// widening spaces, underlines.
import type { EffectiveParagraph } from '../../../model/effective.js';
import type { Face } from '../fonts.js';
import type { Frame, TextItem } from '../frame.js';
import type { LineBox } from './linebreak.js';

export interface LineGeometry {
  /** Left edge of the line's content area within the paragraph's container. */
  x: number;
  /** Width available to the line. */
  width: number;
}

/** Height and baseline of a line from its tallest run (and the paragraph's own font, like Word's paragraph mark). */
export function lineMetrics(line: LineBox, para: EffectiveParagraph, baseFace: Face): { height: number; baseline: number } {
  const size0 = para.style.size;
  let single = baseFace.lineHeight(size0);
  let descent = (baseFace.descent * size0) / 1000;
  let ascent = (baseFace.ascent * size0) / 1000;
  for (const t of line.tokens) {
    for (const p of t.pieces) {
      const lh = p.face.lineHeight(p.size);
      if (lh > single) single = lh;
      const d = (p.face.descent * p.size) / 1000;
      if (d > descent) descent = d;
      const a = (p.face.ascent * p.size) / 1000;
      if (a > ascent) ascent = a;
    }
  }
  // Where the baseline sits follows LibreOffice (measured on its DOCX import): multiples of at least one line add
  // the space below the text; "at least" adds it above; exact heights and smaller multiples scale ascent and
  // descent alike.
  const ls = para.lineSpacing;
  const singleBaseline = single - descent;
  if (ls.kind === 'atLeast') {
    const height = Math.max(single, ls.pt);
    return { height, baseline: height - descent };
  }
  const height = ls.kind === 'multiple' ? single * ls.value : ls.pt;
  if (ls.kind === 'multiple' && ls.value >= 1) return { height, baseline: singleBaseline };
  return { height, baseline: (height * ascent) / (ascent + descent) };
}

export function layoutLine(line: LineBox, para: EffectiveParagraph, geom: LineGeometry, baseFace: Face): Frame {
  const { height, baseline } = lineMetrics(line, para, baseFace);
  const frame: Frame = { width: geom.x + geom.width, height, items: [], atoms: [0, height] };
  const slack = geom.width - line.width;
  let x = geom.x;
  let stretch = 0;
  switch (para.align) {
    case 'center':
      x += slack / 2;
      break;
    case 'right':
      x += slack;
      break;
    case 'justify':
      if (!line.last && line.spaces > 0 && slack > 0) stretch = slack / line.spaces;
      break;
    default:
      break;
  }

  let item: TextItem | undefined;
  let ulStart = 0;
  let ulEnd = -1;
  let ulSize = 0;
  let ulFace: Face | undefined;
  let ulColor = '000000';
  const flushUnderline = () => {
    if (ulFace && ulEnd > ulStart) {
      const thick = (ulFace.underlineThickness * ulSize) / 1000;
      const pos = (-ulFace.underlinePosition * ulSize) / 1000;
      frame.items.push({ kind: 'rect', x: ulStart, y: baseline + pos - thick / 2, width: ulEnd - ulStart, height: thick, color: ulColor });
    }
    ulFace = undefined;
    ulSize = 0;
  };

  for (const t of line.tokens) {
    for (const p of t.pieces) {
      if (p.cids.length === 0) continue;
      const advance = p.width + p.spaces * stretch;
      if (item && item.font === p.font && item.size === p.size && item.color === p.color && !item.field && !p.field) {
        for (const c of p.cids) item.cids.push(c);
      } else {
        item = { kind: 'text', x, y: baseline, font: p.font, size: p.size, cids: p.cids.slice(), color: p.color, wordSpacing: stretch, field: p.field };
        frame.items.push(item);
      }
      if (p.underline) {
        if (!ulFace || Math.abs(ulEnd - x) > 0.001) {
          flushUnderline();
          ulStart = x;
        }
        ulFace = p.face;
        ulColor = p.color;
        ulSize = Math.max(ulSize, p.size);
        ulEnd = x + advance;
      } else if (ulFace) {
        flushUnderline();
      }
      x += advance;
    }
  }
  flushUnderline();
  return frame;
}
