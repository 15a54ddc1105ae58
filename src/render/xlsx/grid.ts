// One column grid for the whole sheet: the union of every table's, side-by-side block's and rule's edges.
//
// A sheet has one set of columns, so each table column, header half and rule becomes a run of grid columns
// merged together. Edges closer than MIN_GAP are snapped together (no sliver columns), except that a table
// never loses a column to snapping.
import type { Block } from '../../model/types.js';

/** Narrowest grid column, as a fraction of the text width (about 2 mm on A4 portrait). */
const MIN_GAP = 0.012;

export interface Grid {
  /** Column edges as fractions of the text width, from 0 to 1. */
  edges: number[];
  /** Index of the grid edge nearest to a fraction. */
  at(fraction: number): number;
}

type Span = [number, number];

/** Edges a block asks for, in the order they should win: tables first, then columns, then rules. */
interface Wish {
  priority: number;
  edges: number[];
}

/** Span of a rule of `width` points inside `span`, by its alignment. */
export function ruleSpan(width: number, align: 'left' | 'center' | 'right', span: Span, textWidth: number): Span {
  const w = Math.min(Math.max(width / textWidth, 0), span[1] - span[0]);
  if (align === 'left') return [span[0], span[0] + w];
  if (align === 'right') return [span[1] - w, span[1]];
  const mid = (span[0] + span[1]) / 2;
  return [mid - w / 2, mid + w / 2];
}

/** Edges of relative widths laid across a span. */
export function splitSpan(widths: number[], span: Span): number[] {
  const total = widths.reduce((a, b) => a + b, 0) || widths.length || 1;
  const edges = [span[0]];
  let acc = 0;
  for (const w of widths.length ? widths : [1]) {
    acc += w;
    edges.push(span[0] + ((span[1] - span[0]) * acc) / total);
  }
  return edges;
}

function collect(blocks: Block[], span: Span, textWidth: number, wishes: Wish[]): void {
  for (const b of blocks) {
    switch (b.kind) {
      case 'table': {
        const width = (b.width ?? 1) * (span[1] - span[0]);
        // Longer tables win ties with shorter ones: their columns matter most to the reader.
        wishes.push({ priority: 0 - b.rows.length / 1e6, edges: splitSpan(b.columns, [span[0], span[0] + width]) });
        break;
      }
      case 'columns':
      case 'signature': {
        const edges = splitSpan(b.widths, span);
        wishes.push({ priority: 1, edges });
        const parts = b.kind === 'columns' ? b.columns : [b.left, b.right];
        parts.forEach((blocks, i) => collect(blocks, [edges[i]!, edges[i + 1]!], textWidth, wishes));
        break;
      }
      case 'rule': {
        const [a, z] = ruleSpan(b.width, b.align, span, textWidth);
        wishes.push({ priority: 2, edges: [a, z] });
        break;
      }
      default:
        break;
    }
  }
}

function nearest(edges: number[], f: number): number {
  let best = 0;
  for (let i = 1; i < edges.length; i++) if (Math.abs(edges[i]! - f) < Math.abs(edges[best]! - f)) best = i;
  return best;
}

export function buildGrid(body: Block[], textWidth: number): Grid {
  const wishes: Wish[] = [];
  collect(body, [0, 1], textWidth, wishes);
  wishes.sort((a, b) => a.priority - b.priority);
  const accepted: number[] = [0, 1];
  for (const wish of wishes) {
    const snappedTo = new Set<number>();
    for (const f of wish.edges) {
      const i = nearest(accepted, f);
      const close = Math.abs(accepted[i]! - f) < MIN_GAP;
      // A table keeps every column: two of its edges may not snap onto the same grid edge.
      if (close && !(wish.priority <= 0 && snappedTo.has(accepted[i]!))) {
        snappedTo.add(accepted[i]!);
        continue;
      }
      accepted.push(f);
      accepted.sort((a, b) => a - b);
      snappedTo.add(f);
    }
  }
  const edges = accepted.filter((f, i) => i === 0 || f - accepted[i - 1]! > 1e-9);
  return { edges, at: (f) => nearest(edges, f) };
}
