// Paragraph text for cells: styled runs, and how many lines they wrap to in a given width (merged cells do not
// grow by themselves, so row heights are computed here from the document font's metrics).
import { effectiveParagraph, effectiveRun, type RunFormat } from '../../model/effective.js';
import type { Align, Block, DocumentModel, Paragraph } from '../../model/types.js';
import { measureText } from '../../fonts/metrics.js';

export interface StyledRun extends RunFormat {
  text: string;
}

/** Cell text: its runs, the paragraph properties of the first paragraph, and the spacing around it. */
export interface CellText {
  runs: StyledRun[];
  align: Align;
  indentLeft: number;
  spaceBefore: number;
  spaceAfter: number;
}

/** Height of one line of text in a spreadsheet row, in em: Excel lays Times New Roman out at about 1.2 em. */
export const LINE_EM = 1.22;
/** Room above and below the text inside a cell, in points. */
export const CELL_PAD_Y = 1.5;
/** Inner cell margin left and right (Excel and LibreOffice keep about 2 px), in points. */
export const CELL_PAD_X = 2.5;
/** Share of the width text is wrapped to: programs round column widths to pixels and fonts differ slightly. */
const WRAP_SAFETY = 0.95;

export function paragraphText(doc: DocumentModel, p: Paragraph): CellText {
  const eff = effectiveParagraph(doc, p);
  const runs: StyledRun[] = [];
  for (const run of p.runs) {
    const r = effectiveRun(eff.style, run);
    // Page fields have no meaning inside a cell; page numbers go in the sheet's footer.
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
  return { runs, align: eff.align, indentLeft: eff.indentLeft, spaceBefore: eff.spaceBefore, spaceAfter: eff.spaceAfter };
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
export function cellText(doc: DocumentModel, paragraphs: Paragraph[]): CellText {
  if (paragraphs.length === 0) return { runs: [], align: 'left', indentLeft: 0, spaceBefore: 0, spaceAfter: 0 };
  const texts = paragraphs.map((p) => paragraphText(doc, p));
  const first = texts[0]!;
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

export function plainText(runs: StyledRun[]): string {
  return runs.map((r) => r.text).join('');
}

export function largestSize(runs: StyledRun[], fallback: number): number {
  return runs.reduce((m, r) => Math.max(m, r.size), runs.length ? 0 : fallback);
}

/**
 * Offsets (in the joined text) where each wrapped line starts, breaking at spaces as Excel does; "\n" forces
 * a break. A word wider than the line takes as many lines as it needs.
 */
export function wrapLines(runs: StyledRun[], width: number): number[] {
  const avail = Math.max(width * WRAP_SAFETY, 1);
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
 * Lines a cell needs, and whether to shrink rather than wrap: text that fits the width exactly but not the
 * safety margin stays on one line and may be shrunk a little by the program, instead of wrapping in one
 * program and not in another.
 */
export function fitLines(runs: StyledRun[], width: number): { lines: number; shrink: boolean; starts: number[] } {
  const starts = wrapLines(runs, width);
  if (starts.length === 2) {
    const w = oneLineWidth(runs);
    if (w !== undefined && w <= width) return { lines: 1, shrink: true, starts: [0] };
  }
  return { lines: starts.length, shrink: false, starts };
}

/** Height in points of `lines` lines of text whose largest font is `size`. */
export function textHeight(lines: number, size: number): number {
  return lines * size * LINE_EM + 2 * CELL_PAD_Y;
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
