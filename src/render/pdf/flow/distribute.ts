// Flow step 2: children → pages. Fills each page in order; when a child does not fit, the page ends at the last
// place a break is allowed (keep-with-next, widows and orphans, signature blocks, table headers), and only a
// child taller than a page (or a table row allowed to break) is cut.
import { EPSILON } from '../context.js';
import type { Frame } from '../frame.js';
import { repeatHeight } from '../grid/repeated.js';
import type { Child } from './collect.js';

export interface Placement {
  frame: Frame;
  /** Top of the frame within the page's text area. */
  y: number;
}

interface Entry extends Placement {
  /** Index of the child in the queue; -1 for a repeated header row. */
  index: number;
}

export interface Distribution {
  pages: Placement[][];
  /** Indexes of the pages that start a part numbered on its own (always 0; then each restarting break). */
  numberingStarts: number[];
}

export function distribute(children: Child[], areaHeight: number): Distribution {
  const queue = children.slice();
  const pages: Placement[][] = [];
  const numberingStarts = [0];
  let page: Entry[] = [];
  let count = 0; // children (not repeated headers) on the current page
  let y = 0;
  let after = 0;
  let natural = false; // the current page follows a natural page break

  const newPage = (isNatural: boolean) => {
    pages.push(page.map(({ frame, y }) => ({ frame, y })));
    page = [];
    count = 0;
    y = 0;
    after = 0;
    natural = isNatural;
  };
  const put = (c: Child, index: number, top: number, header: Frame[] | undefined) => {
    if (header) {
      let hy = top - repeatHeight(header);
      for (const f of header) {
        page.push({ frame: f, y: hy, index: -1 });
        hy += f.height;
      }
    }
    page.push({ frame: c.frame, y: top, index });
    count++;
    y = top + c.height;
    after = c.spaceAfter;
  };

  for (let i = 0; i < queue.length; ) {
    const c = queue[i]!;
    if (c.forcedBreak) {
      // Like Word's "page break before": a page that has nothing on it yet is not left blank.
      if (count > 0) newPage(false);
      if (c.restartNumbering && numberingStarts[numberingStarts.length - 1] !== pages.length) numberingStarts.push(pages.length);
      i++;
      continue;
    }
    const atTop = count === 0;
    const header = atTop ? c.repeat : undefined;
    const before = atTop && natural ? 0 : c.spaceBefore;
    // Space after one paragraph and before the next collapse to the larger, as Word (compatibility mode 15)
    // and LibreOffice do.
    const top = (atTop ? before : y + Math.max(after, before)) + repeatHeight(header);
    if (top + c.height <= areaHeight + EPSILON) {
      put(c, i, top, header);
      i++;
      continue;
    }
    // It does not fit. A child taller than any page, or a row that may break, is cut where it stands.
    const room = areaHeight - top;
    const fullRoom = areaHeight - repeatHeight(c.repeat);
    if (c.split && room > EPSILON && (atTop || c.splitEagerly || c.height > fullRoom + EPSILON)) {
      const parts = c.split(room);
      if (parts) {
        put(parts[0], i, top, header);
        queue[i] = parts[1];
        newPage(true);
        continue;
      }
    }
    if (atTop) {
      // Taller than a page and cannot be cut: it runs into the bottom margin rather than being lost.
      put(c, i, top, header);
      i++;
      continue;
    }
    // End the page at the last allowed break: before this child, or before an earlier one it is tied to.
    let j = -1;
    if (c.breakBefore) j = i;
    else {
      for (let k = i - 1; k >= 0; k--) {
        if (queue[k]!.breakBefore) {
          j = k;
          break;
        }
      }
      const first = page.find((e) => e.index >= 0)!.index;
      if (j <= first) j = -1;
    }
    // Repeated headers sit above the page's first child, which stays: drop only the children from j on.
    if (j >= 0 && j < i) page = page.filter((e) => e.index < j);
    if (j < 0) j = i; // nothing allows a break: break here anyway
    newPage(true);
    i = j;
  }
  if (page.length > 0 || pages.length === 0) pages.push(page.map(({ frame, y }) => ({ frame, y })));
  // A restart after the last page (a break at the very end) starts nothing.
  return { pages, numberingStarts: numberingStarts.filter((s) => s < pages.length) };
}

