// Cutting a frame in two at a height that crosses no text line: for blocks and table rows taller than a page.
import { EPSILON } from '../context.js';
import type { Frame, Item } from '../frame.js';

/** The largest y in (0, limit] that lies inside no unbreakable span, or -1. */
export function findCut(frame: Frame, limit: number): number {
  const atoms = frame.atoms;
  const candidates = [limit];
  for (let i = 0; i < atoms.length; i++) if (atoms[i]! <= limit + EPSILON) candidates.push(atoms[i]!);
  candidates.sort((a, b) => b - a);
  for (const y of candidates) {
    if (y <= EPSILON) break;
    if (y > limit + EPSILON) continue;
    let ok = true;
    for (let i = 0; i < atoms.length; i += 2) {
      if (atoms[i]! < y - EPSILON && y + EPSILON < atoms[i + 1]!) {
        ok = false;
        break;
      }
    }
    if (ok) return Math.min(y, limit);
  }
  return -1;
}

/** Splits at `y`: the top part is `y` tall, the bottom part starts at 0. Lines and boxes crossing `y` are clipped. */
export function splitFrame(frame: Frame, y: number): [Frame, Frame] {
  const top: Frame = { width: frame.width, height: y, items: [], atoms: [] };
  const bottom: Frame = { width: frame.width, height: Math.max(frame.height - y, 0), items: [], atoms: [] };
  for (const it of frame.items) splitItem(it, y, top.items, bottom.items);
  for (let i = 0; i < frame.atoms.length; i += 2) {
    const a = frame.atoms[i]!;
    const b = frame.atoms[i + 1]!;
    if (b <= y + EPSILON) top.atoms.push(a, b);
    else bottom.atoms.push(Math.max(a - y, 0), b - y);
  }
  return [top, bottom];
}

function splitItem(it: Item, y: number, top: Item[], bottom: Item[]): void {
  switch (it.kind) {
    case 'text':
      if (it.y <= y + EPSILON) top.push(it);
      else bottom.push({ ...it, y: it.y - y });
      return;
    case 'signature':
      if (it.y < y - EPSILON) top.push(it);
      else bottom.push({ ...it, y: it.y - y });
      return;
    case 'rect': {
      const end = it.y + it.height;
      if (end <= y + EPSILON) top.push(it);
      else if (it.y >= y - EPSILON) bottom.push({ ...it, y: it.y - y });
      else {
        top.push({ ...it, height: y - it.y });
        bottom.push({ ...it, y: 0, height: end - y });
      }
      return;
    }
    case 'line': {
      const lo = Math.min(it.y1, it.y2);
      const hi = Math.max(it.y1, it.y2);
      if (hi <= y + EPSILON) top.push(it);
      if (lo >= y - EPSILON) bottom.push({ ...it, y1: it.y1 - y, y2: it.y2 - y });
      if (lo < y - EPSILON && hi > y + EPSILON) {
        // Only vertical lines cross a cut (borders); clip them to each part.
        top.push({ ...it, y1: lo, y2: y });
        bottom.push({ ...it, y1: 0, y2: hi - y });
      }
      return;
    }
    case 'group': {
      const h = it.frame.height;
      if (it.y + h <= y + EPSILON) top.push(it);
      else if (it.y >= y - EPSILON) bottom.push({ ...it, y: it.y - y });
      else {
        const [a, b] = splitFrame(it.frame, y - it.y);
        top.push({ ...it, frame: a });
        bottom.push({ ...it, y: 0, frame: b });
      }
      return;
    }
  }
}
