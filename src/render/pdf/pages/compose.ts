// Pages: run the flow on the text area, then, with the page count known, place the page numbers in the top
// margin and find where the signature spaces ended up.
import type { DocumentModel } from '../../../model/types.js';
import type { PdfSignatureArea } from '../../writers.js';
import type { LayoutContext } from '../context.js';
import { collect } from '../flow/collect.js';
import { distribute } from '../flow/distribute.js';
import { emptyFrame, place, type Frame } from '../frame.js';
import { layoutParagraph } from '../inline/paragraph.js';

export interface PageLayout {
  /** The whole page, origin at its top-left corner. */
  frame: Frame;
  /**
   * 1-based number and page count for {page}/{pages} fields, within the page's part: the whole document, or an
   * appendix numbered on its own.
   */
  number: number;
  count: number;
}

export interface DocumentLayout {
  pages: PageLayout[];
  signatureAreas: PdfSignatureArea[];
}

export function layoutDocument(doc: DocumentModel, ctx: LayoutContext): DocumentLayout {
  const { width, height, margins } = doc.page;
  const textWidth = width - margins.left - margins.right;
  const { pages: placements, numberingStarts } = distribute(collect(doc.body, textWidth, ctx), height - margins.top - margins.bottom);
  const pages = placements.map((placed, i) => {
    const part = numberingStarts.findLastIndex((s) => s <= i);
    const start = numberingStarts[part]!;
    const count = (numberingStarts[part + 1] ?? placements.length) - start;
    const number = i - start + 1;
    const frame = emptyFrame(width, height);
    // The number first, so that text extraction reads it before the page's body.
    addPageNumber(frame, number, count, doc, textWidth, ctx);
    for (const p of placed) place(frame, p.frame, margins.left, margins.top + p.y);
    return { frame, number, count };
  });
  const signatureAreas: PdfSignatureArea[] = [];
  pages.forEach((p, i) => findSignatures(p.frame, 0, 0, (field, x, y, w, h) => {
    signatureAreas.push({ field, page: i, rect: { x, y: height - y - h, width: w, height: h } });
  }));
  return { pages, signatureAreas };
}

/** "Trang {page}/{pages}" or a bare number, centred (per its style) in the top margin from `fromPage` on. */
function addPageNumber(frame: Frame, page: number, count: number, doc: DocumentModel, textWidth: number, ctx: LayoutContext): void {
  const pn = doc.pageNumbering;
  if (!pn.show || page < pn.fromPage) return;
  const text = pn.format.replace(/\{page\}/g, String(page)).replace(/\{pages\}/g, String(count));
  const { lines } = layoutParagraph({ kind: 'paragraph', style: pn.style, runs: [{ text }], spacing: { before: 0, after: 0 } }, textWidth, ctx);
  let y = pn.offsetTop;
  for (const line of lines) {
    place(frame, line, doc.page.margins.left, y);
    y += line.height;
  }
}

function findSignatures(frame: Frame, ox: number, oy: number, found: (field: string, x: number, y: number, w: number, h: number) => void): void {
  for (const it of frame.items) {
    if (it.kind === 'group') findSignatures(it.frame, ox + it.x, oy + it.y, found);
    else if (it.kind === 'signature') found(it.field, ox + it.x, oy + it.y, it.width, it.height);
  }
}
