// A byte-level tokenizer for worksheet XML, the one hot path: tags found without decoding, text decoded only where the
// reader wants it. No DTDs, no entities beyond XML's five and character references. Other parts use saxes.
import { IngestError } from './messages.js';

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const QMARK = 0x3f;
const BANG = 0x21;
const COLON = 0x3a;
const EMPTY = Buffer.alloc(0);
const COMMENT = Buffer.from('<!--');
const COMMENT_END = Buffer.from('-->');
const CDATA = Buffer.from('<![CDATA[');
const CDATA_END = Buffer.from(']]>');
const PI_END = Buffer.from('?>');
const DOCTYPE = Buffer.from('<!DOCTYPE');
/** A text node longer than this is handed over in pieces (the reader caps what it keeps). */
const MAX_TEXT_PIECE = 1 << 20;

/**
 * Bytes as a string. Short ASCII runs (cell references, style numbers, values) are built in JS: a Buffer.toString
 * call per attribute costs more than the string itself.
 */
function text(buf: Buffer, start: number, end: number): string {
  if (end - start <= 24) {
    let out = '';
    for (let i = start; i < end; i++) {
      const b = buf[i]!;
      if (b >= 0x80) return buf.toString('utf8', start, end);
      out += String.fromCharCode(b);
    }
    return out;
  }
  return buf.toString('utf8', start, end);
}

/**
 * An attribute's value. XML attribute-value normalisation: line ends and tabs become spaces (before references are
 * expanded). The usual value (a cell reference, a type, a style number) is short printable ASCII with no reference:
 * built straight from its bytes.
 */
function attrValue(buf: Buffer, start: number, end: number, part: string): string {
  if (end - start <= 24) {
    let out = '';
    let i = start;
    for (; i < end; i++) {
      const b = buf[i]!;
      if (b >= 0x80 || b < 0x20 || b === 0x26) break;
      out += String.fromCharCode(b);
    }
    if (i === end) return out;
  }
  const value = buf.toString('utf8', start, end);
  return decodeEntities(/[\t\n\r]/.test(value) ? value.replace(/\r\n?|[\t\n]/g, ' ') : value, part);
}

/** Element names of worksheets, interned so that the hot path compares bytes and allocates nothing. */
const KNOWN_NAMES = ['c', 'v', 'f', 't', 'r', 'is', 'row', 'rPh', 'rPr', 'mergeCell', 'mergeCells', 'sheetData', 'worksheet', 'dimension', 'col', 'cols', 'hyperlink'].map((name) => ({
  name,
  bytes: Buffer.from(name),
}));

/** The attributes of the current start tag, read on demand from its bytes (no object per tag). */
export class TagView {
  buf: Buffer = EMPTY;
  start = 0;
  end = 0;
  private readonly part: string;

  constructor(part: string) {
    this.part = part;
  }

  /**
   * Values of several attributes in one pass over the tag: `out[k]` gets the value of `names[k]` (or undefined).
   * The hot path (every cell) reads r, t and s this way.
   */
  attrs(names: readonly string[], out: Array<string | undefined>): void {
    for (let k = 0; k < names.length; k++) out[k] = undefined;
    const { buf } = this;
    let i = this.start + 1;
    while (i < this.end && !isSpace(buf[i]!) && buf[i] !== SLASH && buf[i] !== GT) i++;
    while (i < this.end) {
      while (i < this.end && isSpace(buf[i]!)) i++;
      const nameStart = i;
      while (i < this.end && buf[i] !== 0x3d && !isSpace(buf[i]!) && buf[i] !== SLASH && buf[i] !== GT) i++;
      const nameEnd = i;
      if (nameEnd === nameStart) return;
      while (i < this.end && isSpace(buf[i]!)) i++;
      if (buf[i] !== 0x3d) return;
      i++;
      while (i < this.end && isSpace(buf[i]!)) i++;
      const quote = buf[i];
      if (quote !== 0x22 && quote !== 0x27) throw new IngestError('xml-malformed', { part: this.part, detail: 'unquoted attribute value' });
      const valueStart = i + 1;
      const valueEnd = buf.indexOf(quote, valueStart);
      if (valueEnd < 0 || valueEnd > this.end) throw new IngestError('xml-malformed', { part: this.part, detail: 'unterminated attribute value' });
      i = valueEnd + 1;
      for (let k = 0; k < names.length; k++) {
        const name = names[k]!;
        if (nameEnd - nameStart === name.length && sameName(buf, nameStart, name)) {
          out[k] = attrValue(buf, valueStart, valueEnd, this.part);
          break;
        }
      }
    }
  }

  /** The value of attribute `name` (its full qualified name, e.g. "r" or "r:id"), entity-decoded. */
  attr(name: string): string | undefined {
    const len = name.length;
    const { buf } = this;
    let i = this.start + 1;
    // Skip the element name.
    while (i < this.end && !isSpace(buf[i]!) && buf[i] !== SLASH && buf[i] !== GT) i++;
    while (i < this.end) {
      while (i < this.end && isSpace(buf[i]!)) i++;
      const nameStart = i;
      while (i < this.end && buf[i] !== 0x3d && !isSpace(buf[i]!) && buf[i] !== SLASH && buf[i] !== GT) i++;
      const nameEnd = i;
      if (nameEnd === nameStart) return undefined;
      while (i < this.end && isSpace(buf[i]!)) i++;
      if (buf[i] !== 0x3d) return undefined;
      i++;
      while (i < this.end && isSpace(buf[i]!)) i++;
      const quote = buf[i];
      if (quote !== 0x22 && quote !== 0x27) throw new IngestError('xml-malformed', { part: this.part, detail: 'unquoted attribute value' });
      const valueStart = i + 1;
      const valueEnd = buf.indexOf(quote, valueStart);
      if (valueEnd < 0 || valueEnd > this.end) throw new IngestError('xml-malformed', { part: this.part, detail: 'unterminated attribute value' });
      i = valueEnd + 1;
      if (nameEnd - nameStart === len && sameName(buf, nameStart, name)) {
        return attrValue(buf, valueStart, valueEnd, this.part);
      }
    }
    return undefined;
  }
}

function sameName(buf: Buffer, at: number, name: string): boolean {
  for (let k = 0; k < name.length; k++) if (buf[at + k] !== name.charCodeAt(k)) return false;
  return true;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

const ENTITY = /&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][\w.-]*);?/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decodes XML's five entities and character references; any other entity is an error (never expanded). */
export function decodeEntities(s: string, part: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(ENTITY, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new IngestError('xml-malformed', { part, detail: `bad entity reference ${whole}` });
    if (ref[0] === '#') {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (!(code > 0 && code <= 0x10ffff)) throw new IngestError('xml-malformed', { part, detail: `bad character reference ${whole}` });
      return String.fromCodePoint(code);
    }
    const named = NAMED[ref];
    if (named === undefined) throw new IngestError('xml-malformed', { part, detail: `undefined entity ${whole}` });
    return named;
  });
}

export interface ScanHandlers {
  /** `local` is the name without its prefix; attributes are read through `tag` during the call only. */
  open(local: string, tag: TagView, selfClosing: boolean): void;
  close(local: string): void;
  /** Whether the text at this point matters; other text is never decoded. */
  wantsText(): boolean;
  text(text: string): void;
}

function localOf(buf: Buffer, start: number, end: number): string {
  let from = start;
  for (let i = start; i < end; i++) if (buf[i] === COLON) from = i + 1;
  const len = end - from;
  for (const k of KNOWN_NAMES) {
    if (k.bytes.length !== len) continue;
    let same = true;
    for (let j = 0; j < len; j++) {
      if (buf[from + j] !== k.bytes[j]) {
        same = false;
        break;
      }
    }
    if (same) return k.name;
  }
  return buf.toString('utf8', from, end);
}

/** Feed chunks with `push`, then call `end`. Throws `IngestError` for DTDs, bad entities and unfinished markup. */
export class XmlScanner {
  private carry: Buffer = EMPTY;
  private depth = 0;
  private sawRoot = false;
  private readonly view: TagView;

  constructor(
    private readonly part: string,
    private readonly h: ScanHandlers,
  ) {
    this.view = new TagView(part);
  }

  private malformed(detail: string): IngestError {
    return new IngestError('xml-malformed', { part: this.part, detail });
  }

  private emitText(buf: Buffer, start: number, end: number, raw = false): void {
    if (end <= start || !this.h.wantsText()) return;
    let s = text(buf, start, end);
    // XML end-of-line handling: CR LF and lone CR are LF (a CR written as &#13; or _x000D_ survives).
    if (s.indexOf('\r') >= 0) s = s.replace(/\r\n?/g, '\n');
    this.h.text(raw ? s : decodeEntities(s, this.part));
  }

  /**
   * Feeds the next chunk. Markup cut by the chunk boundary is completed from the head of the new chunk, so chunks are
   * not copied whole.
   */
  push(chunk: Buffer): void {
    const carry = this.carry;
    if (carry.length === 0) return this.process(chunk);
    this.carry = EMPTY;
    if (carry[0] !== LT) {
      // Wanted text cut by the boundary: it ends at the next "<".
      const q = chunk.indexOf(LT);
      if (q < 0) return this.process(Buffer.concat([carry, chunk]));
      this.emitText(Buffer.concat([carry, chunk.subarray(0, q)]), 0, carry.length + q);
      return this.process(chunk.subarray(q));
    }
    if (carry.length > 1 && carry[1] !== BANG && carry[1] !== QMARK) {
      // A tag cut by the boundary: it ends at the first ">" outside quotes.
      let quote = 0;
      for (const b of carry) {
        if (quote !== 0) {
          if (b === quote) quote = 0;
        } else if (b === 0x22 || b === 0x27) quote = b;
      }
      for (let j = 0; j < chunk.length; j++) {
        const b = chunk[j]!;
        if (quote !== 0) {
          if (b === quote) quote = 0;
        } else if (b === 0x22 || b === 0x27) quote = b;
        else if (b === GT) {
          this.process(Buffer.concat([carry, chunk.subarray(0, j + 1)]));
          return this.process(chunk.subarray(j + 1));
        }
      }
    }
    this.process(Buffer.concat([carry, chunk]));
  }

  private process(buf: Buffer): void {
    const n = buf.length;
    let i = 0;
    while (i < n) {
      const lt = buf.indexOf(LT, i);
      if (lt < 0) {
        // Text running past the chunk: keep it (wanted text only, in pieces when it is very long).
        if (this.h.wantsText()) {
          if (n - i > MAX_TEXT_PIECE) {
            let cut = n;
            while (cut > i && (buf[cut - 1]! & 0xc0) === 0x80) cut--; // not inside a UTF-8 character
            if (cut > i) cut--;
            const amp = buf.lastIndexOf(0x26, cut);
            if (amp >= i && buf.indexOf(0x3b, amp) < 0) cut = amp; // not inside an entity
            this.emitText(buf, i, cut);
            this.carry = Buffer.from(buf.subarray(cut));
          } else this.carry = Buffer.from(buf.subarray(i));
        }
        return;
      }
      this.emitText(buf, i, lt);
      if (lt + 1 >= n) {
        this.carry = Buffer.from(buf.subarray(lt));
        return;
      }
      const c1 = buf[lt + 1]!;
      if (c1 === SLASH) {
        const gt = buf.indexOf(GT, lt + 2);
        if (gt < 0) {
          this.carry = Buffer.from(buf.subarray(lt));
          return;
        }
        let e = gt;
        while (e > lt + 2 && isSpace(buf[e - 1]!)) e--;
        this.depth--;
        if (this.depth < 0) throw this.malformed('closing tag without an opening one');
        this.h.close(localOf(buf, lt + 2, e));
        i = gt + 1;
        continue;
      }
      if (c1 === QMARK) {
        const end = buf.indexOf(PI_END, lt + 2);
        if (end < 0) {
          this.carry = Buffer.from(buf.subarray(lt));
          return;
        }
        i = end + 2;
        continue;
      }
      if (c1 === BANG) {
        if (n - lt < 9) {
          this.carry = Buffer.from(buf.subarray(lt));
          return;
        }
        if (buf.subarray(lt, lt + 4).equals(COMMENT)) {
          const end = buf.indexOf(COMMENT_END, lt + 4);
          if (end < 0) {
            this.carry = Buffer.from(buf.subarray(lt));
            return;
          }
          i = end + 3;
          continue;
        }
        if (buf.subarray(lt, lt + 9).equals(CDATA)) {
          const end = buf.indexOf(CDATA_END, lt + 9);
          if (end < 0) {
            this.carry = Buffer.from(buf.subarray(lt));
            return;
          }
          this.emitText(buf, lt + 9, end, true);
          i = end + 3;
          continue;
        }
        if (buf.subarray(lt, lt + 9).equals(DOCTYPE)) throw new IngestError('xml-dtd', { part: this.part });
        throw this.malformed('unexpected "<!"');
      }
      // A start tag: its end is the first ">" outside quotes.
      let gt = -1;
      let quote = 0;
      for (let j = lt + 1; j < n; j++) {
        const b = buf[j]!;
        if (quote !== 0) {
          if (b === quote) quote = 0;
        } else if (b === 0x22 || b === 0x27) quote = b;
        else if (b === GT) {
          gt = j;
          break;
        }
      }
      if (gt < 0) {
        this.carry = Buffer.from(buf.subarray(lt));
        return;
      }
      let nameEnd = lt + 1;
      while (nameEnd < gt && !isSpace(buf[nameEnd]!) && buf[nameEnd] !== SLASH) nameEnd++;
      const selfClosing = buf[gt - 1] === SLASH;
      const local = localOf(buf, lt + 1, nameEnd);
      if (local === '') throw this.malformed('empty element name');
      this.view.buf = buf;
      this.view.start = lt;
      this.view.end = gt;
      this.sawRoot = true;
      if (!selfClosing) this.depth++;
      this.h.open(local, this.view, selfClosing);
      if (selfClosing) this.h.close(local);
      i = gt + 1;
    }
  }

  end(): void {
    const rest = this.carry;
    this.carry = EMPTY;
    for (const b of rest) if (!isSpace(b)) throw this.malformed('the part ends inside markup');
    if (!this.sawRoot || this.depth !== 0) throw this.malformed('the part ends before its last element closes');
  }
}
