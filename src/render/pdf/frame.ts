// Positioned output of layout: frames of text, lines and boxes that the exporter only serialises.
// Coordinates are points from the frame's top-left corner, y growing downwards.
import type { FontResource } from './fonts.js';

/** Glyphs in one font, size and colour, starting at a baseline point. */
export interface TextItem {
  kind: 'text';
  x: number;
  /** Baseline. */
  y: number;
  font: FontResource;
  size: number;
  cids: number[];
  /** RGB hex. */
  color: string;
  /** Extra advance after each space glyph (justification), in points. */
  wordSpacing: number;
  /** Filled with the page number or count when pages are known. */
  field?: 'page' | 'pages';
}

/** A filled rectangle: rules, underlines, cell shading. */
export interface RectItem {
  kind: 'rect';
  x: number;
  y: number;
  width: number;
  height: number;
  color: string;
}

/** A stroked straight line: table borders. */
export interface LineItem {
  kind: 'line';
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  width: number;
  color: string;
}

/** Where a signature field goes (reported to the PDF finishers, draws nothing). */
export interface SignatureItem {
  kind: 'signature';
  field: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A frame placed inside another. */
export interface GroupItem {
  kind: 'group';
  x: number;
  y: number;
  frame: Frame;
}

export type Item = TextItem | RectItem | LineItem | SignatureItem | GroupItem;

export interface Frame {
  width: number;
  height: number;
  items: Item[];
  /**
   * Vertical spans that must not be cut across a page (text lines), as flat pairs [top, bottom, top, bottom …].
   * A frame may be split at any y outside them.
   */
  atoms: number[];
}

export function emptyFrame(width: number, height: number): Frame {
  return { width, height, items: [], atoms: [] };
}

/** Places `child` at (x, y) in `parent`, carrying its unbreakable spans along. */
export function place(parent: Frame, child: Frame, x: number, y: number): void {
  if (child.items.length === 0 && child.atoms.length === 0) return;
  parent.items.push({ kind: 'group', x, y, frame: child });
  for (let i = 0; i < child.atoms.length; i += 2) parent.atoms.push(child.atoms[i]! + y, child.atoms[i + 1]! + y);
}
