// Flow step 1: blocks → a vertical list of children (paragraph lines, rules, table rows, atomic groups) with the
// keep rules turned into "a page may end before this child" flags.
import type { Block, Rule } from '../../../model/types.js';
import type { LayoutContext } from '../context.js';
import { emptyFrame, place, type Frame } from '../frame.js';
import { layoutTable } from '../grid/layout.js';
import { layoutParagraph } from '../inline/paragraph.js';
import { findCut, splitFrame } from './split.js';
import { stack } from './stack.js';

export interface Child {
  height: number;
  /** Dropped at the top of a page that follows a natural page break; collapses with the space after above. */
  spaceBefore: number;
  /** Dropped at the bottom of a page. */
  spaceAfter: number;
  /** A page may end just before this child. */
  breakBefore: boolean;
  /** Content, as wide as the container. */
  frame: Frame;
  /** A page break: the next child starts a new page. */
  forcedBreak?: boolean;
  /** With `forcedBreak`: the pages from the next one on are numbered on their own (an appendix). */
  restartNumbering?: boolean;
  /** Table header rows drawn above this child whenever it starts a page. */
  repeat?: Frame[];
  /** Cuts this child so that the first part is at most `limit` tall; null when nothing fits. */
  split?: (limit: number) => [Child, Child] | null;
  /** May be split where it stands even if it would fit on the next page (a table row allowed to break). */
  splitEagerly?: boolean;
}

export function collect(blocks: Block[], width: number, ctx: LayoutContext): Child[] {
  const out: Child[] = [];
  // Set by a keep-with-next paragraph: the next child may not start a page.
  let tie = false;
  const push = (c: Child) => {
    if (tie) c.breakBefore = false;
    tie = false;
    out.push(c);
  };

  for (const block of blocks) {
    switch (block.kind) {
      case 'paragraph': {
        const { para, lines } = layoutParagraph(block, width, ctx);
        const n = lines.length;
        lines.forEach((frame, i) => {
          // Widow and orphan control (Word's default): never one line of a paragraph alone on a page.
          const allowed = !para.keepTogether && i >= 2 && i <= n - 2;
          push({
            height: frame.height,
            spaceBefore: i === 0 ? para.spaceBefore : 0,
            spaceAfter: i === n - 1 ? para.spaceAfter : 0,
            breakBefore: i === 0 ? true : allowed,
            frame,
          });
        });
        tie = para.keepWithNext;
        break;
      }
      case 'rule':
        // A rule underlines what precedes it: it never starts a page.
        push({ ...ruleChild(block, width), breakBefore: false });
        break;
      case 'spacer':
        push({ height: block.height, spaceBefore: 0, spaceAfter: 0, breakBefore: true, frame: emptyFrame(width, block.height) });
        break;
      case 'page-break':
        tie = false;
        out.push({
          height: 0,
          spaceBefore: 0,
          spaceAfter: 0,
          breakBefore: true,
          frame: emptyFrame(width, 0),
          forcedBreak: true,
          ...(block.restartNumbering ? { restartNumbering: true } : {}),
        });
        break;
      case 'signature-space': {
        const frame = emptyFrame(width, block.height);
        if (block.field) frame.items.push({ kind: 'signature', field: block.field, x: 0, y: 0, width, height: block.height });
        // The space belongs to the title above it (the signer's lines), so it never starts a page.
        push({ height: block.height, spaceBefore: 0, spaceAfter: 0, breakBefore: false, frame });
        break;
      }
      case 'table':
        layoutTable(block, width, ctx).forEach((c) => push(c));
        break;
      case 'columns':
        push(atomic(sideBySide(block.columns, block.widths, width, ctx), true));
        break;
      case 'signature':
        // Kept whole and with the paragraph before it: never the first thing on a page.
        push(atomic(sideBySide([block.left, block.right], block.widths, width, ctx), false));
        break;
    }
  }
  return out;
}

function ruleChild(rule: Rule, width: number): Child {
  const w = Math.min(rule.width, width);
  const x = rule.align === 'center' ? (width - w) / 2 : rule.align === 'right' ? width - w : 0;
  const frame = emptyFrame(width, rule.thickness);
  frame.items.push({ kind: 'rect', x, y: 0, width: w, height: rule.thickness, color: '000000' });
  return { height: rule.thickness, spaceBefore: rule.spaceBefore, spaceAfter: rule.spaceAfter, breakBefore: true, frame };
}

/** Borderless columns side by side; widths are relative and share the container width. */
export function sideBySide(columns: Block[][], widths: number[], width: number, ctx: LayoutContext): Frame {
  const total = widths.reduce((a, b) => a + b, 0) || 1;
  const frame = emptyFrame(width, 0);
  let x = 0;
  columns.forEach((blocks, i) => {
    const w = ((widths[i] ?? 0) / total) * width;
    const col = stack(collect(blocks, w, ctx), w);
    place(frame, col, x, 0);
    frame.height = Math.max(frame.height, col.height);
    x += w;
  });
  return frame;
}

/** A child kept whole; only a frame taller than a page is cut (between lines). */
export function atomic(frame: Frame, breakBefore: boolean): Child {
  const child: Child = { height: frame.height, spaceBefore: 0, spaceAfter: 0, breakBefore, frame };
  child.split = (limit) => {
    const y = findCut(frame, limit);
    if (y <= 0) return null;
    const [a, b] = splitFrame(frame, y);
    return [
      { ...child, height: a.height, frame: a, split: undefined },
      { ...atomic(b, true), height: b.height },
    ];
  };
  return child;
}
