// Side-by-side blocks (the header halves, the signature block) as rows shared by their columns.
//
// Each column is stacked as the PDF stacks it (spacing collapses, the first space before and the last space
// after stay inside). The rows are cut where an item starts (a text's first line, a rule's line), so that
// every text sits at the top of its cell exactly as far down as in the PDF, and the first lines of the two
// columns share the first row. A text's cell runs down to where the next item of its column starts.
import type { Block } from '../../model/types.js';
import { splitSpan } from './grid.js';
import type { Content, PlanContext } from './plan.js';
import { fitLines, joinTexts, lineHeight, paragraphText, paragraphsOf, type CellText } from './text.js';

type Item =
  | { kind: 'text'; text: CellText; y: number; shrink: boolean; indent: number }
  // A rule has a row of its own, from `y` down to the line (its bottom edge): LibreOffice would draw a line on
  // the bottom edge of a merged text cell across the whole cell.
  | { kind: 'line'; y: number; at: number; from: number; to: number; thickness: number };

interface Stack {
  a: number;
  z: number;
  items: Item[];
  height: number;
}

export interface SideBySide extends Content {
  rows: number[];
  /** The last row may grow below its text (no rule drawn on its bottom edge). */
  stretches: boolean;
}

function stackItems(ctx: PlanContext, blocks: Block[], a: number, z: number): Stack {
  const items: Item[] = [];
  let y = 0;
  let after = 0;
  const text = (t: CellText) => {
    y += Math.max(after, t.spaceBefore);
    const indent = ctx.indentOf(t, t.align, false);
    const fit = fitLines(t.runs, ctx.textArea(a, z, indent), ctx.layout, ctx.pdfArea(a, z, t));
    if (t.runs.length > 0) items.push({ kind: 'text', text: t, y, shrink: fit.shrink, indent });
    y += fit.lines * lineHeight(t, ctx.layout);
    after = t.spaceAfter;
  };
  const walk = (list: Block[]) => {
    for (const b of list) {
      switch (b.kind) {
        case 'paragraph':
          text(paragraphText(ctx.doc, b));
          break;
        case 'rule': {
          const gap = Math.max(after, b.spaceBefore);
          y += gap;
          const [from, to] = ctx.ruleColumns(b.width, b.align, a, z);
          items.push({ kind: 'line', y: y - Math.max(gap, ctx.layout.rowStep), at: y, from, to, thickness: b.thickness });
          y += b.thickness;
          after = b.spaceAfter;
          break;
        }
        case 'spacer':
        case 'signature-space':
          y += after + b.height;
          after = 0;
          break;
        case 'columns':
          for (const col of b.columns) walk(col);
          break;
        case 'signature':
          walk([...b.left, ...b.right]);
          break;
        case 'table': {
          const t = joinTexts(paragraphsOf([b]).map((p) => paragraphText(ctx.doc, p)));
          if (t) text(t);
          break;
        }
        case 'page-break':
          break;
      }
    }
  };
  walk(blocks);
  return { a, z, items, height: y + after };
}

/** Where an item's edges are: a text's top; a rule's row top and its line. */
function itemEdges(it: Item): Array<{ y: number; kind: 'text' | 'line' | 'rule' }> {
  return it.kind === 'text' ? [{ y: it.y, kind: 'text' }] : [{ y: it.y, kind: 'rule' }, { y: it.at, kind: 'line' }];
}

/**
 * Row edges: every item's edges, merged when closer than the snap (but never two of one column, except that a
 * text may start on the line of a rule above it). `at[k]` gives, for item i of column k, the index of each of
 * its edges.
 */
function rowEdges(stacks: Stack[], end: number, snap: number): { edges: number[]; at: Array<Map<number, number[]>> } {
  const starts = stacks.flatMap((s, k) => s.items.flatMap((it, i) => itemEdges(it).map((e, slot) => ({ ...e, k, i, slot }))));
  starts.sort((p, q) => p.y - q.y || p.slot - q.slot);
  const edges = [0];
  // What each column has on each edge.
  const owners: Array<Map<number, string>> = [new Map()];
  const at = stacks.map(() => new Map<number, number[]>());
  const record = (k: number, i: number, edge: number) => {
    const list = at[k]!.get(i) ?? [];
    list.push(edge);
    at[k]!.set(i, list);
  };
  for (const s of starts) {
    const last = edges.length - 1;
    const mine = owners[last]!.get(s.k);
    const clash = mine !== undefined && !(mine === 'line' && s.kind === 'text');
    if (s.y - edges[last]! < snap && !clash && !(last === 0 && s.kind === 'line')) {
      owners[last]!.set(s.k, s.kind);
      record(s.k, s.i, last);
      continue;
    }
    edges.push(s.y);
    owners.push(new Map([[s.k, s.kind]]));
    record(s.k, s.i, edges.length - 1);
  }
  if (end - edges[edges.length - 1]! > 0.01) edges.push(end);
  return { edges, at };
}

export function sideBySide(ctx: PlanContext, widths: number[], columns: Block[][], c0: number, c1: number): SideBySide | undefined {
  const grid = ctx.grid;
  const spans = splitSpan(widths, [grid.edges[c0]!, grid.edges[c1]!]).map((f) => grid.at(f));
  const stacks = columns.map((blocks, i) => {
    const a = spans[i]!;
    return stackItems(ctx, blocks, a, Math.max(spans[i + 1]!, a + 1));
  });
  const end = Math.max(0, ...stacks.map((s) => s.height));
  if (end <= 0.01 || stacks.every((s) => s.items.length === 0)) return undefined;
  const { edges, at } = rowEdges(stacks, end, ctx.layout.snap);
  const rows: number[] = [];
  for (let i = 1; i < edges.length; i++) rows.push(edges[i]! - edges[i - 1]!);
  if (rows.length === 0) rows.push(end);
  const out: SideBySide = { rows, cells: [], lines: [], stretches: true };
  stacks.forEach((s, k) => {
    s.items.forEach((it, i) => {
      const [r0, line] = at[k]!.get(i)!;
      if (it.kind === 'line') {
        // The line is the bottom edge of the row that ends on it.
        const row = Math.max(line! - 1, 0);
        out.lines.push({ row, from: it.from, to: it.to, thickness: it.thickness });
        if (row === rows.length - 1) out.stretches = false;
        return;
      }
      const next = s.items[i + 1];
      const r1 = Math.max(next ? at[k]!.get(i + 1)![0]! : rows.length, r0! + 1);
      out.cells.push({
        row: Math.min(r0!, rows.length - 1),
        col: s.a,
        rows: r1 - r0!,
        cols: s.z - s.a,
        runs: it.text.runs,
        align: it.text.align,
        vertical: 'top',
        indent: it.indent,
        border: false,
        ...(it.shrink ? { shrink: true } : {}),
      });
    });
  });
  return out;
}
