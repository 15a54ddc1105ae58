// Paragraph text for cells: styled runs, how many lines they wrap to in a cell and how tall those lines are
// (merged cells do not grow by themselves, so row heights are computed here from the document font's metrics).
import { effectiveParagraph, effectiveRun, type RunFormat } from '../../model/effective.js';
import type { Align, Block, DocumentModel, LineSpacing, Paragraph } from '../../model/types.js';
import { variantOf } from '../../fonts/families.js';
import { measureText, tinos } from '../../fonts/metrics.js';
import type { XlsxLayout } from './profile.js';

export interface StyledRun extends RunFormat {
  text: string;
}

/** Cell text: its runs, the paragraph properties of the first paragraph, and the spacing around it. */
export interface CellText {
  runs: StyledRun[];
  align: Align;
  indentLeft: number;
  indentRight: number;
  spaceBefore: number;
  spaceAfter: number;
  lineSpacing: LineSpacing;
  /** The paragraph style's font: an empty paragraph is one line of it, as in Word. */
  size: number;
  bold: boolean;
  italic: boolean;
}

export function paragraphText(doc: DocumentModel, p: Paragraph): CellText {
  const eff = effectiveParagraph(doc, p);
  const runs: StyledRun[] = [];
  for (const run of p.runs) {
    const r = effectiveRun(eff.style, run);
    // Page fields have no meaning inside a cell; page numbers go in the sheet's header.
    const text = r.field ? '' : run.text;
    if (text === '') continue;
    runs.push({ text, font: r.font, size: r.size, bold: r.bold, italic: r.italic, underline: r.underline, color: r.color });
  }
  // A cell has no first-line indent: the indent is written as leading no-break spaces of about its width.
  if (eff.firstLineIndent > 0 && runs.length > 0 && (eff.align === 'justify' || eff.align === 'left')) {
    const first = runs[0]!;
    const space = measureText('\u00a0', first.size, first.bold, first.italic) || first.size / 4;
    runs[0] = { ...first, text: '\u00a0'.repeat(Math.max(1, Math.round(eff.firstLineIndent / space))) + first.text };
  }
  const st = eff.style;
  return {
    runs,
    align: eff.align,
    indentLeft: eff.indentLeft,
    indentRight: eff.indentRight,
    spaceBefore: eff.spaceBefore,
    spaceAfter: eff.spaceAfter,
    lineSpacing: eff.lineSpacing,
    size: st.size,
    bold: st.bold,
    italic: st.italic,
  };
}

/** Flattens blocks (a table cell, a nested table) to paragraphs in reading order. */
export function paragraphsOf(blocks: Block[]): Paragraph[] {
  const out: Paragraph[] = [];
  for (const b of blocks) {
    if (b.kind === 'paragraph') out.push(b);
    else if (b.kind === 'table') for (const row of b.rows) for (const cell of row.cells) out.push(...paragraphsOf(cell.blocks));
    else if (b.kind === 'columns') for (const col of b.columns) out.push(...paragraphsOf(col));
    else if (b.kind === 'signature') out.push(...paragraphsOf(b.left), ...paragraphsOf(b.right));
  }
  return out;
}

/** Several paragraphs in one cell: their runs joined with line breaks; layout from the first. */
export function joinTexts(texts: CellText[]): CellText | undefined {
  const first = texts[0];
  if (!first) return undefined;
  const runs: StyledRun[] = [];
  texts.forEach((t, i) => {
    if (i > 0) {
      const prev = runs[runs.length - 1] ?? t.runs[0];
      if (prev) runs.push({ ...prev, text: '\n', underline: false });
    }
    runs.push(...t.runs);
  });
  return { ...first, runs };
}

/**
 * Offsets (in the joined text) where each wrapped line starts, breaking at spaces as Excel does; "\n" forces
 * a break. A word wider than the line takes as many lines as it needs.
 */
export function wrapLines(runs: StyledRun[], width: number): number[] {
  const avail = Math.max(width, 1);
  const starts = [0];
  let offset = 0;
  let lineWidth = 0;
  let space = 0;
  let wordStart = -1;
  let wordWidth = 0;
  const flushWord = () => {
    if (wordStart < 0) return;
    if (lineWidth > 0 && lineWidth + space + wordWidth > avail) {
      starts.push(wordStart);
      lineWidth = 0;
    } else {
      lineWidth += space;
    }
    // A word longer than the line is cut across lines.
    let w = wordWidth;
    while (lineWidth + w > avail && w > avail) {
      starts.push(wordStart);
      w -= avail;
    }
    lineWidth += w;
    space = 0;
    wordStart = -1;
    wordWidth = 0;
  };
  for (const run of runs) {
    for (const piece of run.text.split(/(\n|[ \t]+)/)) {
      if (piece === '') continue;
      if (piece === '\n') {
        flushWord();
        starts.push(offset + 1);
        lineWidth = 0;
        space = 0;
      } else if (/^[ \t]+$/.test(piece)) {
        flushWord();
        space += measureText(piece, run.size, run.bold, run.italic);
      } else {
        if (wordStart < 0) wordStart = offset;
        wordWidth += measureText(piece, run.size, run.bold, run.italic);
      }
      offset += piece.length;
    }
  }
  flushWord();
  return starts;
}

/** Width of the text on one line (no wrapping), or undefined when it holds a line break. */
export function oneLineWidth(runs: StyledRun[]): number | undefined {
  let w = 0;
  for (const r of runs) {
    if (r.text.includes('\n')) return undefined;
    w += measureText(r.text, r.size, r.bold, r.italic);
  }
  return w;
}

/**
 * Lines a cell whose text area is `width` wide needs, and whether to shrink rather than wrap. Text is wrapped
 * to the width less the safety margin. A text that would wrap once but fits on one line in the PDF (`limit`,
 * its width there) or in the cell itself stays on one line, shrunk a little by the program if need be: the
 * line then wraps in no program, and the rows stay as tall as the PDF's lines.
 */
export function fitLines(runs: StyledRun[], width: number, layout: XlsxLayout, limit = width): { lines: number; shrink: boolean; starts: number[] } {
  if (runs.length === 0) return { lines: 1, shrink: false, starts: [0] };
  const starts = wrapLines(runs, width * layout.wrapSafety);
  if (starts.length === 2) {
    const w = oneLineWidth(runs);
    if (w !== undefined && w <= Math.max(width, limit) && w * layout.shrinkFloor <= width) return { lines: 1, shrink: true, starts: [0] };
  }
  return { lines: starts.length, shrink: false, starts };
}

/**
 * Height of one line as the PDF writer sets it (Word's rules: the single line of the tallest run times a
 * multiple, or an exact or least height), never less than the programs draw a line of cell text.
 */
export function lineHeight(text: CellText, layout: XlsxLayout): number {
  let single = tinos(variantOf(text.bold, text.italic)).lineHeight(text.size);
  let size = text.size;
  for (const r of text.runs) {
    single = Math.max(single, tinos(variantOf(r.bold, r.italic)).lineHeight(r.size));
    size = Math.max(size, r.size);
  }
  const ls = text.lineSpacing;
  const set = ls.kind === 'multiple' ? single * ls.value : ls.kind === 'exact' ? ls.pt : Math.max(single, ls.pt);
  return Math.max(set, size * layout.drawnLineEm);
}

/**
 * Height of paragraphs stacked in one cell whose text area is `width` wide, as the PDF stacks them: adjacent
 * spacing collapses to the larger; the first one's space before and the last one's space after stay inside.
 */
export function stackHeight(texts: CellText[], width: number, layout: XlsxLayout, limit = width): number {
  let y = 0;
  let after = 0;
  for (const t of texts) {
    y += Math.max(after, t.spaceBefore);
    // Only a cell of one paragraph can be shrunk onto one line.
    const lines = fitLines(t.runs, width, layout, texts.length === 1 ? limit : width).lines;
    y += lines * lineHeight(t, layout);
    after = t.spaceAfter;
  }
  return y + after;
}

/** The runs between two offsets of the joined text (for cutting a long paragraph into several rows). */
export function sliceRuns(runs: StyledRun[], from: number, to: number): StyledRun[] {
  const out: StyledRun[] = [];
  let offset = 0;
  for (const r of runs) {
    const a = Math.max(from, offset);
    const b = Math.min(to, offset + r.text.length);
    if (a < b) out.push({ ...r, text: r.text.slice(a - offset, b - offset) });
    offset += r.text.length;
  }
  // Lines cut at a space or a break start cleanly.
  if (out.length > 0) out[0] = { ...out[0]!, text: out[0]!.text.replace(/^[ \n]+/, '') };
  return out.filter((r) => r.text !== '');
}

/** One wrapped line of a cell's stacked paragraphs: where it starts in the joined text and where it sits. */
export interface StackLine {
  /** Offset in the text joinTexts makes of the paragraphs. */
  start: number;
  /** Top and bottom in points from the top of the stack (the first paragraph's space before included). */
  top: number;
  bottom: number;
  /** The line starts a paragraph or follows a line break: text cut here is cut between paragraphs. */
  paragraphStart: boolean;
}

/**
 * The lines of paragraphs stacked in one cell, as stackHeight sets them (same wrapping, same spacing), with
 * their offsets in the joined text: for cutting a cell too tall for one row into rows of whole lines.
 */
export function stackLines(texts: CellText[], width: number, layout: XlsxLayout, limit = width): { lines: StackLine[]; height: number; length: number } {
  const lines: StackLine[] = [];
  let y = 0;
  let after = 0;
  let offset = 0;
  let joined = 0;
  texts.forEach((t, i) => {
    // joinTexts puts a "\n" between paragraphs once there is a run to copy its format from.
    if (i > 0 && (joined > 0 || t.runs.length > 0)) offset += 1;
    y += Math.max(after, t.spaceBefore);
    const { starts } = fitLines(t.runs, width, layout, texts.length === 1 ? limit : width);
    const h = lineHeight(t, layout);
    const text = t.runs.map((r) => r.text).join('');
    for (const [k, s] of starts.entries()) {
      lines.push({ start: offset + s, top: y, bottom: y + h, paragraphStart: k === 0 || text[s - 1] === '\n' });
      y += h;
    }
    offset += text.length;
    joined += t.runs.length;
    after = t.spaceAfter;
  });
  return { lines, height: y + after, length: offset };
}
