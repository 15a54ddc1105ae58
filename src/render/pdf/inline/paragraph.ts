// Inline layout of one paragraph: prepare → break → lay out each line, given the container width.
import { variantOf } from '../../../fonts/families.js';
import { effectiveParagraph, type EffectiveParagraph } from '../../../model/effective.js';
import type { Paragraph } from '../../../model/types.js';
import type { LayoutContext } from '../context.js';
import type { Frame } from '../frame.js';
import { layoutLine } from './line.js';
import { breakLines } from './linebreak.js';
import { prepareRuns } from './prepare.js';

export interface ParagraphLayout {
  para: EffectiveParagraph;
  /** One frame per line, as wide as the container. */
  lines: Frame[];
}

export function layoutParagraph(p: Paragraph, width: number, ctx: LayoutContext): ParagraphLayout {
  const para = effectiveParagraph(ctx.doc, p);
  if (!p.align && ctx.cellAlign) para.align = ctx.cellAlign;
  const baseFace = ctx.fonts.library.faces[variantOf(para.style.bold, para.style.italic)];
  const tokens = prepareRuns(p.runs, para.style, ctx);
  const inner = width - para.indentLeft - para.indentRight;
  const geometry = (i: number) =>
    i === 0 ? { x: para.indentLeft + para.firstLineIndent, width: inner - para.firstLineIndent } : { x: para.indentLeft, width: inner };
  const boxes = breakLines(tokens, (i) => geometry(i).width);
  const lines = boxes.map((box, i) => {
    const f = layoutLine(box, para, geometry(i), baseFace);
    f.width = width;
    return f;
  });
  return { para, lines };
}
