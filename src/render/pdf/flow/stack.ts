// Children stacked top to bottom into one frame, without pages: the content of a table cell or a column.
import { emptyFrame, place, type Frame } from '../frame.js';
import type { Child } from './collect.js';

export function stack(children: Child[], width: number): Frame {
  const frame = emptyFrame(width, 0);
  let y = 0;
  let after = 0;
  for (const c of children) {
    if (c.forcedBreak) continue;
    // Adjacent spacing collapses to the larger value (see distribute.ts).
    y += Math.max(after, c.spaceBefore);
    place(frame, c.frame, 0, y);
    y += c.height;
    after = c.spaceAfter;
  }
  // Word keeps the last paragraph's space after inside a cell.
  frame.height = y + after;
  return frame;
}
