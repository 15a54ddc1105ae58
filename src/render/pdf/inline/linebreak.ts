// Inline step 2: tokens → lines, first fit as Word breaks them: a word goes on the line if it fits, spaces hang
// past the right edge, a word longer than a whole line is cut between glyphs.
import { EPSILON } from '../context.js';
import { TokenKind, type Piece, type Token } from './prepare.js';

export interface LineBox {
  /** Content tokens, without the spaces hanging at the end. */
  tokens: Token[];
  /** Width of the content in points. */
  width: number;
  /** Space glyphs between words, which justification widens. */
  spaces: number;
  /**
   * The paragraph's last line, or a line ended by a written line break ("\n"): never stretched. The DOCX says the
   * same to Word and LibreOffice (doNotExpandShiftReturn), whose default is to stretch the latter edge to edge.
   */
  last: boolean;
}

/** `available(i)` is the width for line i (the first line differs by the first-line indent). */
export function breakLines(input: Token[], available: (line: number) => number): LineBox[] {
  const tokens = input.slice();
  const lines: LineBox[] = [];
  let cur: Token[] = [];
  let width = 0;
  let spaces = 0;
  let hasWord = false;
  // Spaces and opportunities after the last word, not yet known to be interior.
  let pending: Token[] = [];
  let pendingWidth = 0;
  let pendingSpaces = 0;

  const finish = (last: boolean) => {
    lines.push({ tokens: cur, width, spaces, last });
    cur = [];
    width = 0;
    spaces = 0;
    hasWord = false;
    pending = [];
    pendingWidth = 0;
    pendingSpaces = 0;
  };

  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.kind === TokenKind.Newline) {
      finish(true);
      continue;
    }
    if (t.kind !== TokenKind.Word) {
      if (!hasWord && t.kind === TokenKind.Space) {
        // Leading spaces of a paragraph or after "\n" are content, as in Word (never stretched).
        cur.push(t);
        width += t.width;
      } else {
        pending.push(t);
        pendingWidth += t.width;
        pendingSpaces += t.spaces;
      }
      continue;
    }
    const avail = available(lines.length);
    if (hasWord && width + pendingWidth + t.width > avail + EPSILON) {
      // Does not fit: the pending spaces hang at the end of this line, the word starts the next one.
      finish(false);
      k--;
      continue;
    }
    cur.push(...pending);
    width += pendingWidth;
    spaces += pendingSpaces;
    pending = [];
    pendingWidth = 0;
    pendingSpaces = 0;
    if (!hasWord && width + t.width > avail + EPSILON) {
      // A word longer than the line: cut it between glyphs, the rest starts the next line.
      const [head, tail] = cutWord(t, Math.max(avail - width, 0));
      cur.push(head);
      width += head.width;
      finish(false);
      tokens.splice(k + 1, 0, tail);
      continue;
    }
    cur.push(t);
    width += t.width;
    hasWord = true;
  }
  finish(true);
  return lines;
}

/** Splits a word so that the head fits in `avail` (at least one glyph). */
function cutWord(t: Token, avail: number): [Token, Token] {
  const head: Token = { kind: TokenKind.Word, pieces: [], width: 0, spaces: 0 };
  const tail: Token = { kind: TokenKind.Word, pieces: [], width: 0, spaces: 0 };
  let full = false;
  let glyphs = 0;
  for (const p of t.pieces) {
    if (full) {
      tail.pieces.push(p);
      tail.width += p.width;
      continue;
    }
    const scale = p.size / 1000;
    let w = 0;
    let i = 0;
    for (; i < p.cids.length; i++) {
      const g = p.font.widths[p.cids[i]!]! * scale;
      if (glyphs > 0 && head.width + w + g > avail + EPSILON) break;
      w += g;
      glyphs++;
    }
    if (i === p.cids.length) {
      head.pieces.push(p);
      head.width += p.width;
      continue;
    }
    full = true;
    if (i > 0) head.pieces.push({ ...p, cids: p.cids.slice(0, i), width: w, spaces: 0 });
    head.width += w;
    const b: Piece = { ...p, cids: p.cids.slice(i), width: p.width - w, spaces: 0 };
    tail.pieces.push(b);
    tail.width += b.width;
  }
  return [head, tail];
}
