// Export: a page frame → a PDF content stream. Text is written as CID hex strings directly (nothing is measured
// or shaped again); justification widens spaces with TJ offsets; boxes and borders are filled and stroked paths.
import type { DocumentFonts, FontResource } from '../fonts.js';
import { num } from './number.js';
import type { Frame, TextItem } from '../frame.js';
import type { PageLayout } from '../pages/compose.js';

const HEX: string[] = [];
function hex4(n: number): string {
  let h = HEX[n];
  if (h === undefined) {
    h = n.toString(16).toUpperCase().padStart(4, '0');
    HEX[n] = h;
  }
  return h;
}

const COLORS = new Map<string, string>();
function rgb(hex: string): string {
  let c = COLORS.get(hex);
  if (c === undefined) {
    const v = /^[0-9a-fA-F]{6}$/.test(hex) ? hex : '000000';
    c = [0, 2, 4].map((i) => num(parseInt(v.slice(i, i + 2), 16) / 255)).join(' ');
    COLORS.set(hex, c);
  }
  return c;
}

export function pageContent(page: PageLayout, fonts: DocumentFonts): string {
  const height = page.frame.height;
  const graphics: string[] = [];
  const text: string[] = [];
  let font: FontResource | undefined;
  let size = 0;
  let fill = '';
  let stroke = '';
  let lineWidth = -1;
  let textFill = '';

  const walk = (frame: Frame, ox: number, oy: number) => {
    for (const it of frame.items) {
      switch (it.kind) {
        case 'group':
          walk(it.frame, ox + it.x, oy + it.y);
          break;
        case 'rect': {
          const c = rgb(it.color);
          if (c !== fill) {
            graphics.push(`${c} rg`);
            fill = c;
          }
          graphics.push(`${num(ox + it.x)} ${num(height - oy - it.y - it.height)} ${num(it.width)} ${num(it.height)} re f`);
          break;
        }
        case 'line': {
          const c = rgb(it.color);
          if (c !== stroke) {
            graphics.push(`${c} RG`);
            stroke = c;
          }
          if (it.width !== lineWidth) {
            graphics.push(`${num(it.width)} w`);
            lineWidth = it.width;
          }
          graphics.push(`${num(ox + it.x1)} ${num(height - oy - it.y1)} m ${num(ox + it.x2)} ${num(height - oy - it.y2)} l S`);
          break;
        }
        case 'text': {
          if (it.font !== font || it.size !== size) {
            text.push(`/${it.font.name} ${num(it.size)} Tf`);
            font = it.font;
            size = it.size;
          }
          const c = rgb(it.color);
          if (c !== textFill) {
            text.push(`${c} rg`);
            textFill = c;
          }
          text.push(`1 0 0 1 ${num(ox + it.x)} ${num(height - oy - it.y)} Tm`);
          text.push(glyphs(it, it.field ? fieldCids(it, it.field === 'page' ? page.number : page.count, fonts) : it.cids));
          break;
        }
        case 'signature':
          break;
      }
    }
  };
  walk(page.frame, 0, 0);
  // Projecting caps close the corners where border lines meet.
  let out = graphics.length ? `q 2 J\n${graphics.join('\n')}\nQ\n` : '';
  if (text.length) out += `BT\n${text.join('\n')}\nET\n`;
  return out;
}

/** `<…> Tj`, or a TJ array that adds the justification gap after every space. */
function glyphs(it: TextItem, cids: number[]): string {
  const space = it.font.spaceCid;
  if (it.wordSpacing === 0 || space < 0 || !cids.includes(space)) {
    let s = '<';
    for (const c of cids) s += hex4(c);
    return `${s}> Tj`;
  }
  const adjust = num((-it.wordSpacing * 1000) / it.size);
  let s = '[<';
  for (let i = 0; i < cids.length; i++) {
    s += hex4(cids[i]!);
    if (cids[i] === space && i < cids.length - 1) s += `> ${adjust} <`;
  }
  return `${s}>] TJ`;
}

/** CIDs of a page number or count in the field's own font (digits are in every base subset). */
function fieldCids(it: TextItem, value: number, fonts: DocumentFonts): number[] {
  const variant = it.font.variant ?? 'regular';
  const out: number[] = [];
  for (const ch of String(value)) {
    const packed = fonts.lookup(ch.codePointAt(0)!, variant);
    if (fonts.resources[Math.floor(packed / 65536)] === it.font) out.push(packed & 0xffff);
  }
  return out.length ? out : it.cids;
}
