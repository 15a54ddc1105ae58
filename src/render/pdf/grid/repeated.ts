// Repeated table headers: header rows stay with the first body row and are drawn again above the body row
// that starts each following page.
import type { Child } from '../flow/collect.js';
import type { Frame } from '../frame.js';

/** Marks a table's children (header row groups first) for header repetition and keeps the header with the body. */
export function markRepeats(children: Child[], headerFrames: Frame[]): Child[] {
  const headers = headerFrames.length;
  children.forEach((c, i) => {
    if (i > 0 && i <= headers) c.breakBefore = false;
    if (i >= headers && headers > 0) c.repeat = headerFrames;
  });
  return children;
}

/** Total height of repeated header rows. */
export function repeatHeight(frames: Frame[] | undefined): number {
  let h = 0;
  if (frames) for (const f of frames) h += f.height;
  return h;
}
