// The annotated copy: the unit's own workbook with bad cells filled and noted, plus an errors sheet — everything else untouched.
import fs from 'node:fs';
import path from 'node:path/posix';
import { PassThrough, Readable } from 'node:stream';
import yazl from 'yazl';
import ExcelJS from 'exceljs';
import type { Lang } from '../i18n.js';
import { cellAddress, columnLetter, parseAddress } from '../workbook/address.js';
import type { IngestSession } from './ingest.js';
import { readRelationships, relsPartOf, resolveTarget, type SheetInfo, type WorkbookPackage } from './package.js';
import { REPORT_HEADERS, reportRow } from './report.js';
import { TagView } from './scan.js';
import type { IngestIssue } from './types.js';
import { childElements, escapeXmlAttr, escapeXmlText, firstChild, parseXmlTree, serializeXml, textContent, type XmlElement } from './xml.js';
import type { ZipReplacement } from './zip.js';

export type IssueSource = () => Iterable<IngestIssue> | AsyncIterable<IngestIssue>;

type Severity = 'error' | 'warning';

interface Note {
  severity: Severity;
  lines: string[];
}

const ERRORS_SHEET = { vi: 'Lỗi', en: 'Errors' } as const;
const FILL = { error: 'FFFFC7CE', warning: 'FFFFEB9C' } as const;
const NOTE_AUTHOR = 'bieumau';
/** The errors sheet shows the report columns in the order a clerk reads them: where, what, then the details. */
const SHEET_ORDER = [1, 2, 3, 6, 7, 8, 4, 5, 0];
const SHEET_WIDTHS = [7, 6, 22, 56, 18, 9, 26, 18, 10];
const sheetRow = (cells: string[]) => SHEET_ORDER.map((i) => cells[i]!);
const MAX_NOTE_LINES = 6;
const MAX_HYPERLINKS = 20_000;
const MAX_CLONED_STYLES = 4000;

function noteLine(issue: IngestIssue): string {
  const mark = issue.severity === 'error' ? '✗' : '⚠';
  return `${mark} ${issue.message}`;
}

async function* iterate(source: IssueSource): AsyncGenerator<IngestIssue> {
  for await (const issue of source() as AsyncIterable<IngestIssue>) yield issue;
}

/** One note per cell of the data sheet, the worst severity winning the colour. */
async function collectNotes(source: IssueSource, sheet: string): Promise<Map<string, Note>> {
  const notes = new Map<string, Note>();
  for await (const issue of iterate(source)) {
    if (!issue.cell || issue.cell.sheet !== sheet) continue;
    const key = issue.cell.address;
    const note = notes.get(key);
    if (!note) notes.set(key, { severity: issue.severity, lines: [noteLine(issue)] });
    else {
      if (issue.severity === 'error') note.severity = 'error';
      if (note.lines.length < MAX_NOTE_LINES) note.lines.push(noteLine(issue));
      else if (note.lines.length === MAX_NOTE_LINES) note.lines.push('…');
    }
  }
  return notes;
}

// ---------------------------------------------------------------------------------------------------------------
// Styles: fills for the marks, cloned cell formats so each marked cell keeps its number format and font.

interface StylePlan {
  xml: string;
  /** (original style index, severity) → new style index. */
  marked: Map<string, number>;
  /** Style index of a cell marked by an earlier run → the same style without the mark's fill. */
  unmarked: Map<number, number>;
  header: number;
  body: number;
}

function countAttr(el: XmlElement): void {
  el.attrs.count = String(childElements(el).length);
}

function ensureChild(parent: XmlElement, local: string, prefix: string, before: string[]): XmlElement {
  const found = firstChild(parent, local);
  if (found) return found;
  const el: XmlElement = { name: prefix + local, local, attrs: {}, children: [] };
  const at = parent.children.findIndex((c) => typeof c !== 'string' && before.includes(c.local));
  if (at < 0) parent.children.push(el);
  else parent.children.splice(at, 0, el);
  return el;
}

const STYLE_ORDER = ['numFmts', 'fonts', 'fills', 'borders', 'cellStyleXfs', 'cellXfs', 'cellStyles', 'dxfs', 'tableStyles', 'colors', 'extLst'];

function minimalStyles(ns: string): XmlElement {
  const xml = `<styleSheet xmlns="${ns}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs></styleSheet>`;
  return parseXmlTree(Buffer.from(xml), 'styles');
}

function planStyles(tree: XmlElement, used: Map<string, Severity>): StylePlan {
  const prefix = tree.name.includes(':') ? `${tree.name.split(':')[0]}:` : '';
  const el = (local: string, attrs: Record<string, string>, children: XmlElement[] = []): XmlElement => ({ name: prefix + local, local, attrs, children });
  const fills = ensureChild(tree, 'fills', prefix, STYLE_ORDER.slice(STYLE_ORDER.indexOf('fills') + 1));
  const fonts = ensureChild(tree, 'fonts', prefix, STYLE_ORDER.slice(STYLE_ORDER.indexOf('fonts') + 1));
  const cellXfs = ensureChild(tree, 'cellXfs', prefix, STYLE_ORDER.slice(STYLE_ORDER.indexOf('cellXfs') + 1));
  const addFill = (rgb: string) => {
    fills.children.push(el('fill', {}, [el('patternFill', { patternType: 'solid' }, [el('fgColor', { rgb }), el('bgColor', { indexed: '64' })])]));
    return childElements(fills).length - 1;
  };
  const fillId = { error: addFill(FILL.error), warning: addFill(FILL.warning) };
  const grayFill = addFill('FFD9D9D9');
  fonts.children.push(el('font', {}, [el('b', {}), el('sz', { val: '11' }), el('name', { val: 'Calibri' })]));
  const boldFont = childElements(fonts).length - 1;
  const xfs = childElements(cellXfs);
  // Styles an earlier run made for its marks: solid fills of the mark colours (looked at only on cells that carry an
  // earlier run's note, since the colours are also Excel's "Bad" and "Neutral").
  const fillEls = childElements(fills);
  const markFills = new Set<number>();
  for (let i = 0; i < fillEls.length - 3; i++) {
    const pattern = firstChild(fillEls[i]!, 'patternFill');
    const rgb = pattern && firstChild(pattern, 'fgColor')?.attrs.rgb?.toUpperCase();
    if (pattern?.attrs.patternType === 'solid' && (rgb === FILL.error || rgb === FILL.warning)) markFills.add(i);
  }
  const unmarked = new Map<number, number>();
  xfs.forEach((xf, i) => {
    if (!markFills.has(Number(xf.attrs.fillId ?? 0))) return;
    const plain: XmlElement = JSON.parse(JSON.stringify(xf)) as XmlElement;
    plain.attrs.fillId = '0';
    delete plain.attrs.applyFill;
    cellXfs.children.push(plain);
    unmarked.set(i, childElements(cellXfs).length - 1);
  });
  const marked = new Map<string, number>();
  for (const [key, severity] of used) {
    const original = Number(key.split(':')[0]);
    const base = xfs[original] ?? xfs[0] ?? el('xf', { numFmtId: '0', fontId: '0', fillId: '0', borderId: '0', xfId: '0' });
    const clone: XmlElement = JSON.parse(JSON.stringify(base)) as XmlElement;
    clone.attrs.fillId = String(fillId[severity]);
    clone.attrs.applyFill = '1';
    cellXfs.children.push(clone);
    marked.set(key, childElements(cellXfs).length - 1);
  }
  const wrap = () => el('alignment', { wrapText: '1', vertical: 'top' });
  cellXfs.children.push(el('xf', { numFmtId: '0', fontId: String(boldFont), fillId: String(grayFill), borderId: '0', xfId: '0', applyFont: '1', applyFill: '1', applyAlignment: '1' }, [wrap()]));
  const header = childElements(cellXfs).length - 1;
  cellXfs.children.push(el('xf', { numFmtId: '49', fontId: '0', fillId: '0', borderId: '0', xfId: '0', applyNumberFormat: '1', applyAlignment: '1' }, [wrap()]));
  const body = childElements(cellXfs).length - 1;
  countAttr(fills);
  countAttr(fonts);
  countAttr(cellXfs);
  return { xml: serializeXml(tree), marked, unmarked, header, body };
}

// ---------------------------------------------------------------------------------------------------------------
// The data sheet, rewritten as a stream of tags: marked cells get their new style; missing ones are inserted.

const AFTER_LEGACY_DRAWING = new Set(['legacyDrawingHF', 'drawingHF', 'picture', 'oleObjects', 'controls', 'webPublishItems', 'tableParts', 'extLst']);

const ATTR_RE = new Map<string, RegExp>();

function attrValue(tag: string, name: string): string | undefined {
  let re = ATTR_RE.get(name);
  if (!re) {
    re = new RegExp(`\\s${name.replace(':', '\\:')}\\s*=\\s*("([^"]*)"|'([^']*)')`);
    ATTR_RE.set(name, re);
  }
  const m = re.exec(tag);
  return m ? (m[2] ?? m[3]) : undefined;
}

function setAttr(tag: string, name: string, value: string): string {
  const re = new RegExp(`(\\s${name}\\s*=\\s*)("[^"]*"|'[^']*')`);
  if (re.test(tag)) return tag.replace(re, `$1"${value}"`);
  const selfClosing = tag.endsWith('/>');
  const cut = selfClosing ? tag.length - 2 : tag.length - 1;
  return `${tag.slice(0, cut)} ${name}="${value}"${tag.slice(cut)}`;
}

const EMPTY = Buffer.alloc(0);
const LT = 0x3c;
const GT = 0x3e;
const BANG = 0x21;
const COMMENT_OPEN = Buffer.from('<!--');
const COMMENT_CLOSE = Buffer.from('-->');
const CDATA_OPEN = Buffer.from('<![CDATA[');
const CDATA_CLOSE = Buffer.from(']]>');

/** Streaming rewrite of a worksheet part; `push` returns the bytes to emit so far. */
class SheetPatcher {
  private carry: Buffer = EMPTY;
  private depth = 0;
  private prefix = '';
  private row = 0;
  private rowOpen = false;
  private nextCol = 0;
  /** Marked cells not yet seen, by row, sorted by column. */
  private readonly pendingByRow = new Map<number, number[]>();
  private pending: number[] = [];
  /** Rows with marks, ascending; `nextPending` is the first not yet handled. */
  private readonly pendingRows: number[];
  private nextPending = 0;
  /** Inside a row without marks: its content is copied up to its end tag without looking at it. */
  private skipRow = false;
  private drawingPlaced = false;
  private readonly view = new TagView('sheet');
  legacyDrawingId?: string;

  constructor(
    private readonly styleOf: (address: string, original: number) => number | undefined,
    /** The relationship id of the notes drawing, asked for when the sheet's tail is written (undefined: no notes). */
    private readonly newDrawingId: () => string | undefined,
    private readonly rNamespace: string,
  ) {
    this.pendingRows = [];
  }

  /** The last row element started so far: marks for rows up to it come too late for this pass. */
  get currentRow(): number {
    return this.row;
  }

  /** Adds a marked cell (before its row is reached). */
  mark(address: string): void {
    const a = parseAddress(address);
    if (!a) return;
    const list = this.pendingByRow.get(a.row);
    if (list) {
      if (list.includes(a.column)) return;
      let i = list.length;
      while (i > 0 && list[i - 1]! > a.column) i--;
      list.splice(i, 0, a.column);
      return;
    }
    this.pendingByRow.set(a.row, [a.column]);
    let i = this.pendingRows.length;
    while (i > this.nextPending && this.pendingRows[i - 1]! > a.row) i--;
    this.pendingRows.splice(i, 0, a.row);
  }

  private newCell(col: number, row: number): string {
    const address = cellAddress(col, row);
    const s = this.styleOf(address, 0);
    return `<${this.prefix}c r="${address}"${s !== undefined ? ` s="${s}"` : ''}/>`;
  }

  private flushCellsBefore(col: number): string {
    let out = '';
    while (this.pending.length > 0 && this.pending[0]! < col) out += this.newCell(this.pending.shift()!, this.row);
    if (this.pending[0] === col) this.pending.shift();
    return out;
  }

  /** Rows that hold marks but have no row element, emitted before row `before`. */
  private missingRowsBefore(before: number): string {
    let out = '';
    while (this.nextPending < this.pendingRows.length && this.pendingRows[this.nextPending]! < before) {
      const r = this.pendingRows[this.nextPending++]!;
      const cols = this.pendingByRow.get(r);
      if (!cols) continue;
      this.pendingByRow.delete(r);
      out += `<${this.prefix}row r="${r}">${cols.map((c) => this.newCell(c, r)).join('')}</${this.prefix}row>`;
    }
    return out;
  }

  private drawingTag(): string {
    if (this.drawingPlaced || this.legacyDrawingId) return '';
    const id = this.newDrawingId();
    if (!id) return '';
    this.drawingPlaced = true;
    return `<${this.prefix}legacyDrawing r:id="${id}"/>`;
  }

  private tag(tag: string): string {
    if (tag.startsWith('<?') || tag.startsWith('<!')) return tag;
    const closing = tag.startsWith('</');
    const selfClosing = tag.endsWith('/>');
    const nameMatch = /^<\/?([A-Za-z_][\w.:-]*)/.exec(tag);
    const qname = nameMatch?.[1] ?? '';
    const local = qname.includes(':') ? qname.slice(qname.indexOf(':') + 1) : qname;
    let out = '';
    if (closing) {
      this.depth--;
      if (local === 'row') {
        out = this.flushCellsBefore(Infinity) + tag;
        this.rowOpen = false;
        return out;
      }
      if (local === 'sheetData') return this.missingRowsBefore(Infinity) + tag;
      if (local === 'worksheet' && this.depth === 0) return this.drawingTag() + tag;
      return tag;
    }
    const depth = this.depth;
    if (!selfClosing) this.depth++;
    if (local === 'worksheet' && depth === 0) {
      this.prefix = qname.includes(':') ? `${qname.slice(0, qname.indexOf(':'))}:` : '';
      return /\sxmlns:r\s*=/.test(tag) ? tag : setAttr(tag, 'xmlns:r', this.rNamespace);
    }
    if (depth === 1 && local === 'legacyDrawing') this.legacyDrawingId = attrValue(tag, 'r:id');
    if (depth === 1 && AFTER_LEGACY_DRAWING.has(local)) out += this.drawingTag();
    if (local === 'sheetData' && selfClosing) {
      return `${out}<${this.prefix}sheetData>${this.missingRowsBefore(Infinity)}</${this.prefix}sheetData>`;
    }
    if (local === 'row') {
      const r = attrValue(tag, 'r');
      this.row = r !== undefined ? Number(r) : this.row + 1;
      out += this.missingRowsBefore(this.row);
      this.pending = this.pendingByRow.get(this.row) ?? [];
      this.pendingByRow.delete(this.row);
      this.nextCol = 0;
      if (selfClosing) {
        if (this.pending.length === 0) return out + tag;
        const open = tag.slice(0, -2) + '>';
        const cells = this.flushCellsBefore(Infinity);
        return `${out}${open}${cells}</${qname}>`;
      }
      this.rowOpen = true;
      this.skipRow = this.pending.length === 0;
      return out + tag;
    }
    if (local === 'c' && this.rowOpen) {
      const r = attrValue(tag, 'r');
      const a = r ? parseAddress(r) : undefined;
      const col = a ? a.column : this.nextCol;
      this.nextCol = col + 1;
      out += this.flushCellsBefore(col);
      let t = r ? tag : setAttr(tag, 'r', cellAddress(col, this.row));
      const address = cellAddress(col, this.row);
      const s = this.styleOf(address, Number(attrValue(tag, 's') ?? 0));
      if (s !== undefined) t = setAttr(t, 's', String(s));
      return out + t;
    }
    return out + tag;
  }

  /**
   * Inside a row with marks, most tags stay as they are: everything but cell starts and the row's end, and cell starts
   * before the next marked column. Decides that from the bytes (no decoding); true means "copy it as is".
   */
  private passThrough(buf: Buffer, lt: number, end: number): boolean {
    const closing = buf[lt + 1] === 0x2f;
    let nameStart = closing ? lt + 2 : lt + 1;
    let nameEnd = nameStart;
    while (nameEnd < end && buf[nameEnd] !== 0x20 && buf[nameEnd] !== 0x2f && buf[nameEnd] !== GT && buf[nameEnd] !== 0x09 && buf[nameEnd] !== 0x0a && buf[nameEnd] !== 0x0d) {
      if (buf[nameEnd] === 0x3a) nameStart = nameEnd + 1;
      nameEnd++;
    }
    const len = nameEnd - nameStart;
    const isC = len === 1 && buf[nameStart] === 0x63;
    const isRow = len === 3 && buf[nameStart] === 0x72 && buf[nameStart + 1] === 0x6f && buf[nameStart + 2] === 0x77;
    if (closing) return !isRow;
    if (!isC) return !isRow;
    this.view.buf = buf;
    this.view.start = lt;
    this.view.end = end - 1;
    const r = this.view.attr('r');
    const a = r ? parseAddress(r) : undefined;
    if (!a) return false;
    const next = this.pending[0];
    if (next !== undefined && a.column >= next) return false;
    this.nextCol = a.column + 1;
    return true;
  }

  /**
   * Feeds bytes, returns bytes. Works on the UTF-8 bytes directly: "<", ">" and quotes never occur inside a multi-byte
   * character, so tags are found without decoding; only tags that may change are decoded, and rows without marks are
   * copied through to their end tag untouched.
   */
  push(chunk: Buffer): Buffer[] {
    const buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = EMPTY;
    const out: Buffer[] = [];
    // Unchanged bytes are passed on as ranges of `buf`, adjacent ranges merged: few, large pieces for zlib.
    let rawStart = -1;
    let rawEnd = -1;
    const raw = (a: number, b: number) => {
      if (b <= a) return;
      if (rawEnd === a) rawEnd = b;
      else {
        if (rawEnd > rawStart) out.push(buf.subarray(rawStart, rawEnd));
        rawStart = a;
        rawEnd = b;
      }
    };
    const put = (piece: Buffer) => {
      if (rawEnd > rawStart) out.push(buf.subarray(rawStart, rawEnd));
      rawStart = rawEnd = -1;
      out.push(piece);
    };
    const done = () => {
      if (rawEnd > rawStart) out.push(buf.subarray(rawStart, rawEnd));
      return out;
    };
    let i = 0;
    for (;;) {
      if (this.skipRow) {
        const close = Buffer.from(`</${this.prefix}row>`);
        const end = buf.indexOf(close, i);
        if (end < 0) {
          // Keep back only a tail that could be the start of the closing tag.
          let keep = buf.length;
          for (let k = Math.max(i, buf.length - close.length + 1); k < buf.length; k++) {
            if (buf.subarray(k).equals(close.subarray(0, buf.length - k))) {
              keep = k;
              break;
            }
          }
          raw(i, keep);
          this.carry = keep < buf.length ? Buffer.from(buf.subarray(keep)) : EMPTY;
          return done();
        }
        raw(i, end);
        i = end;
        this.skipRow = false;
      }
      const lt = buf.indexOf(LT, i);
      if (lt < 0) {
        raw(i, buf.length);
        return done();
      }
      raw(i, lt);
      let end = -1;
      if (buf[lt + 1] === BANG && buf.subarray(lt, lt + 4).equals(COMMENT_OPEN)) {
        const e = buf.indexOf(COMMENT_CLOSE, lt + 4);
        end = e < 0 ? -1 : e + 3;
      } else if (buf[lt + 1] === BANG && buf.subarray(lt, lt + 9).equals(CDATA_OPEN)) {
        const e = buf.indexOf(CDATA_CLOSE, lt + 9);
        end = e < 0 ? -1 : e + 3;
      } else {
        // The end of a tag is the first ">" outside a quoted attribute value.
        let quote = 0;
        for (let j = lt + 1; j < buf.length; j++) {
          const ch = buf[j]!;
          if (quote) {
            if (ch === quote) quote = 0;
          } else if (ch === 0x22 || ch === 0x27) quote = ch;
          else if (ch === GT) {
            end = j + 1;
            break;
          }
        }
      }
      if (end < 0 || (buf[lt + 1] === BANG && buf.length - lt < 9)) {
        this.carry = Buffer.from(buf.subarray(lt));
        return done();
      }
      if (this.rowOpen && this.passThrough(buf, lt, end)) {
        raw(lt, end);
        i = end;
        continue;
      }
      const tag = buf.toString('utf8', lt, end);
      const replaced = this.tag(tag);
      if (replaced === tag) raw(lt, end);
      else put(Buffer.from(replaced, 'utf8'));
      i = end;
    }
  }

  end(): Buffer {
    const rest = this.carry;
    this.carry = EMPTY;
    return rest;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Notes: a comments part and its legacy VML drawing (what Excel and LibreOffice show as cell notes).

interface ExistingComments {
  part: string;
  authors: string[];
  comments: Map<string, { author: number; text: string }>;
}

function commentsXml(ns: string, authors: string[], comments: Array<{ ref: string; author: number; text: string }>): string {
  const parts = [`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<comments xmlns="${ns}"><authors>`];
  for (const a of authors) parts.push(`<author>${escapeXmlText(a)}</author>`);
  parts.push('</authors><commentList>');
  // Runs as Excel writes them (the author line bold): some readers only take a note's text from its runs.
  const font = (bold: boolean) => `<rPr>${bold ? '<b/>' : ''}<sz val="9"/><color indexed="81"/><rFont val="Tahoma"/><family val="2"/></rPr>`;
  for (const c of comments) {
    const nl = c.text.indexOf('\n');
    const head = nl < 0 ? c.text : c.text.slice(0, nl);
    const rest = nl < 0 ? '' : c.text.slice(nl);
    const runs = `<r>${font(true)}<t xml:space="preserve">${escapeXmlText(head)}</t></r>${rest ? `<r>${font(false)}<t xml:space="preserve">${escapeXmlText(rest)}</t></r>` : ''}`;
    parts.push(`<comment ref="${c.ref}" authorId="${c.author}"><text>${runs}</text></comment>`);
  }
  parts.push('</commentList></comments>');
  return parts.join('');
}

const VML_BLOCK = 200;

function vmlXml(comments: Array<{ ref: string; text: string }>): string {
  const blocks = Math.max(1, Math.ceil(comments.length / 1024));
  const parts = [
    '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel">',
    `<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="${Array.from({ length: blocks }, (_, i) => VML_BLOCK + i).join(',')}"/></o:shapelayout>`,
    '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>',
  ];
  comments.forEach((c, i) => {
    const a = parseAddress(c.ref)!;
    const row0 = a.row - 1;
    const lines = Math.min(12, c.text.split('\n').reduce((n, l) => n + Math.max(1, Math.ceil(l.length / 40)), 0));
    parts.push(
      `<v:shape id="_x0000_s${VML_BLOCK * 1024 + 1 + i}" type="#_x0000_t202" style="position:absolute;margin-left:80pt;margin-top:2pt;width:240pt;height:${12 * lines + 8}pt;z-index:${i + 1};visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto">`,
      '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>',
      `<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>${a.column + 1}, 15, ${Math.max(0, row0 - 1)}, 10, ${a.column + 5}, 15, ${row0 + lines}, 4</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>${row0}</x:Row><x:Column>${a.column}</x:Column></x:ClientData></v:shape>`,
    );
  });
  parts.push('</xml>');
  return parts.join('');
}

async function readExistingComments(pkg: WorkbookPackage, part: string): Promise<ExistingComments> {
  const tree = parseXmlTree(await pkg.zip.read(part), part);
  const authorsEl = firstChild(tree, 'authors');
  const authors = authorsEl ? childElements(authorsEl, 'author').map(textContent) : [];
  const comments = new Map<string, { author: number; text: string }>();
  const list = firstChild(tree, 'commentList');
  for (const c of list ? childElements(list, 'comment') : []) {
    const textEl = firstChild(c, 'text');
    // Phonetic runs are not part of the note's text.
    const text = textEl ? childElements(textEl).filter((e) => e.local !== 'rPh').map(textContent).join('') : '';
    comments.set(c.attrs.ref ?? '', { author: Number(c.attrs.authorId ?? 0), text });
  }
  return { part, authors, comments };
}

/** A note's text without the blocks earlier runs added ("bieumau:" and its lines); what the unit wrote stays. */
function withoutOurBlocks(text: string): string {
  return text
    .split('\n\n')
    .filter((block) => block !== `${NOTE_AUTHOR}:` && !block.startsWith(`${NOTE_AUTHOR}:\n`))
    .join('\n\n');
}

/** Whether a sheet is the errors sheet of an earlier run (its name, and the tab colour it was given). */
async function isOurErrorsSheet(pkg: WorkbookPackage, name: string, part: string): Promise<boolean> {
  const base = name.replace(/ \(\d+\)$/, '');
  if (base !== ERRORS_SHEET.vi && base !== ERRORS_SHEET.en) return false;
  if (!pkg.zip.has(part)) return false;
  // Its start is enough (the tab colour is in sheetPr, first): an earlier report may be large.
  const stream = await pkg.zip.stream(part);
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= 4096) break;
    }
  } finally {
    stream.destroy();
  }
  return /<(\w+:)?tabColor\s[^>]*rgb="FFC00000"/i.test(Buffer.concat(chunks).subarray(0, 4096).toString('utf8'));
}

// ---------------------------------------------------------------------------------------------------------------

function uniqueName(existing: Set<string>, stem: string, ext: string): string {
  for (let i = 1; ; i++) {
    const name = `${stem}${i}${ext}`;
    if (!existing.has(name.toLowerCase())) return name;
  }
}

function nextRid(rels: XmlElement): string {
  const ids = new Set(childElements(rels, 'Relationship').map((r) => r.attrs.Id));
  for (let i = 1; ; i++) if (!ids.has(`rId${i}`)) return `rId${i}`;
}

function relsTree(data: Buffer | undefined, part: string): XmlElement {
  if (data) return parseXmlTree(data, part);
  return parseXmlTree(Buffer.from('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>'), part);
}

function addRel(rels: XmlElement, type: string, target: string, id = nextRid(rels)): string {
  rels.children.push({ name: 'Relationship', local: 'Relationship', attrs: { Id: id, Type: type, Target: target }, children: [] });
  return id;
}

function relTarget(fromPart: string, toPart: string): string {
  return path.relative(path.dirname(fromPart), toPart);
}

function errorsSheetXml(ns: string, rNs: string, lang: Lang, source: IssueSource, style: { header: number; body: number }): () => Readable {
  return () =>
    Readable.from(
      (async function* () {
        const widths = SHEET_WIDTHS;
        yield `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${ns}" xmlns:r="${rNs}"><sheetPr><tabColor rgb="FFC00000"/><pageSetUpPr fitToPage="1"/></sheetPr>`;
        yield '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>';
        yield widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('');
        yield '</cols><sheetData>';
        const cell = (col: number, row: number, text: string, s: number) =>
          text === '' ? '' : `<c r="${columnLetter(col)}${row}" t="inlineStr" s="${s}"><is><t xml:space="preserve">${escapeXmlText(text)}</t></is></c>`;
        yield `<row r="1">${sheetRow(REPORT_HEADERS[lang]).map((h, i) => cell(i, 1, h, style.header)).join('')}</row>`;
        let r = 1;
        const links: string[] = [];
        let batch = '';
        for await (const issue of iterate(source)) {
          r++;
          const cells = sheetRow(reportRow(issue, lang));
          // Spreadsheet programs keep stored row heights, so wrapped messages get their height here.
          const lines = Math.max(1, ...cells.map((t, i) => Math.ceil(t.length / (SHEET_WIDTHS[i]! * 1.1))));
          batch += `<row r="${r}"${lines > 1 ? ` ht="${Math.min(409, lines * 15)}" customHeight="1"` : ''}>${cells
            .map((t, i) => cell(i, r, t, style.body))
            .join('')}</row>`;
          if (issue.cell && links.length < MAX_HYPERLINKS) {
            links.push(`<hyperlink ref="A${r}" location="${escapeXmlAttr(`'${issue.cell.sheet.replace(/'/g, "''")}'!${issue.cell.address}`)}" display="${escapeXmlAttr(issue.cell.address)}"/>`);
          }
          if (batch.length > 256 * 1024) {
            yield batch;
            batch = '';
          }
        }
        if (r === 1) batch += `<row r="2">${cell(3, 2, lang === 'vi' ? 'Không có lỗi.' : 'No problems found.', style.body)}</row>`;
        yield `${batch}</sheetData>`;
        if (links.length > 0) yield `<hyperlinks>${links.join('')}</hyperlinks>`;
        yield '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/></worksheet>';
      })(),
    );
}

const STRICT_MAIN = 'http://purl.oclc.org/ooxml/spreadsheetml/main';
const TRANSITIONAL = {
  main: 'http://schemas.openxmlformats.org/spreadsheetml/2006/main',
  r: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
  rel: 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/',
};
const STRICT = {
  main: STRICT_MAIN,
  r: 'http://purl.oclc.org/ooxml/officeDocument/relationships',
  rel: 'http://purl.oclc.org/ooxml/officeDocument/relationships/',
};

function addNote(notes: Map<string, Note>, issue: IngestIssue): Note {
  const key = issue.cell!.address;
  let note = notes.get(key);
  if (!note) {
    note = { severity: issue.severity, lines: [noteLine(issue)] };
    notes.set(key, note);
  } else {
    if (issue.severity === 'error') note.severity = 'error';
    if (note.lines.length < MAX_NOTE_LINES) note.lines.push(noteLine(issue));
    else if (note.lines.length === MAX_NOTE_LINES) note.lines.push('…');
  }
  return note;
}

/**
 * Writes the annotated copy of a workbook. The data sheet goes first and can be fed chunk by chunk while the file is
 * being read (its deflating then overlaps the reading); everything that depends on all the issues — notes, the errors
 * sheet — is written by `finish`. Marks must arrive before their row is fed: `staleFor` tells when they did not.
 */
export class XlsxAnnotator {
  private readonly notes = new Map<string, Note>();
  private readonly out = new yazl.ZipFile();
  private readonly sheetStream = new PassThrough({ highWaterMark: 4 << 20 });
  private readonly result: Promise<Buffer>;
  private readonly patcher: SheetPatcher;
  private lagging?: Buffer;
  private fed = false;

  private constructor(
    private readonly pkg: WorkbookPackage,
    private readonly sheet: SheetInfo,
    private readonly lang: Lang,
    private readonly prep: Awaited<ReturnType<typeof prepare>>,
    dest: string | undefined,
  ) {
    const { styles, xfCount, drawingRid } = prep;
    const styleOf = (address: string, original: number): number | undefined => {
      const note = this.notes.get(address);
      if (!note) return prep.earlierNotes.has(address) ? styles.unmarked.get(original) : undefined;
      return styles.marked.get(`${original < xfCount ? original : 0}:${note.severity}`);
    };
    const hasNotes = () => this.notes.size > 0 || (prep.existing?.comments.size ?? 0) > 0;
    this.patcher = new SheetPatcher(styleOf, () => (hasNotes() ? drawingRid : undefined), prep.ns.r);
    for (const address of prep.earlierNotes) this.patcher.mark(address);
    this.result = new Promise<Buffer>((resolve, reject) => {
      this.out.on('error', reject);
      const stream = this.out.outputStream as unknown as Readable;
      if (dest) {
        const file = fs.createWriteStream(dest);
        file.on('error', reject);
        file.on('finish', () => resolve(Buffer.alloc(0)));
        stream.pipe(file);
      } else {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => resolve(Buffer.concat(chunks)));
        stream.on('error', reject);
      }
    });
    // The data sheet is the first entry: it is streamed while the rest waits for all the issues.
    this.out.addReadStreamLazy(sheet.part, { mtime: new Date(), compressionLevel: 1 }, (cb) => cb(null, this.sheetStream));
  }

  static async start(pkg: WorkbookPackage, sheet: SheetInfo, lang: Lang, dest?: string): Promise<XlsxAnnotator> {
    return new XlsxAnnotator(pkg, sheet, lang, await prepare(pkg, sheet), dest);
  }

  /** Records an issue; only those with a cell on the data sheet mark it. */
  note(issue: IngestIssue): void {
    if (!issue.cell || issue.cell.sheet !== this.sheet.name) return;
    addNote(this.notes, issue);
    this.patcher.mark(issue.cell.address);
  }

  /** Whether an issue would mark a row already written (it then needs a fresh pass). */
  staleFor(issue: IngestIssue): boolean {
    return issue.cell !== undefined && issue.cell.sheet === this.sheet.name && this.fed && issue.cell.row <= this.patcher.currentRow;
  }

  /** Feeds the next chunk of the data sheet's XML; the chunk is written one step later, once its rows were read. */
  feed(chunk: Buffer): void {
    this.fed = true;
    if (this.lagging) this.write(this.lagging);
    this.lagging = chunk;
  }

  /** Resolves when the written sheet is not piling up (lets the reader wait for the deflater). */
  drained(): Promise<void> | undefined {
    if (!this.sheetStream.writableNeedDrain) return undefined;
    return new Promise((resolve) => this.sheetStream.once('drain', () => resolve()));
  }

  private write(chunk: Buffer): void {
    const out = this.patcher.push(chunk);
    // Pieces are few and large (unchanged ranges are merged); small ones are joined, tiny writes cost zlib dearly.
    if (out.length <= 4) for (const piece of out) this.sheetStream.write(piece);
    else this.sheetStream.write(Buffer.concat(out));
  }

  /** Writes the rest of the workbook: notes, styles, the errors sheet (from `source`, read once more). */
  async finish(source: IssueSource): Promise<Buffer> {
    if (this.lagging) this.write(this.lagging);
    this.lagging = undefined;
    const rest = this.patcher.end();
    if (rest.length > 0) this.sheetStream.write(rest);
    this.sheetStream.end();
    const { changes, added } = await finishParts(this.pkg, this.sheet, this.lang, this.prep, this.notes, source);
    for (const info of this.pkg.zip.entries) {
      if (info.name.toLowerCase() === this.sheet.part.toLowerCase()) continue;
      const change = changes.get(info.name.toLowerCase());
      if (change === null) continue;
      if (change === undefined) this.out.addReadStreamLazy(info.name, { mtime: new Date() }, (cb) => void this.pkg.zip.stream(info.name).then((s) => cb(null, s), (e: Error) => cb(e, undefined as unknown as Readable)));
      else this.addContent(info.name, change);
    }
    for (const [name, content] of added) this.addContent(name, content);
    this.out.end();
    return this.result;
  }

  private addContent(name: string, content: ZipReplacement): void {
    if (content === null) return;
    if (typeof content === 'string' || Buffer.isBuffer(content)) this.out.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), name, { mtime: new Date() });
    else {
      this.out.addReadStreamLazy(name, { mtime: new Date(), compressionLevel: 1 }, (cb) => {
        Promise.resolve(content()).then(
          (stream) => cb(null, stream),
          (e: Error) => cb(e, undefined as unknown as Readable),
        );
      });
    }
  }
}

/** What does not depend on the issues: namespaces, the style clones, the notes drawing's relationship id. */
async function prepare(pkg: WorkbookPackage, sheet: SheetInfo) {
  const zip = pkg.zip;
  const workbook = parseXmlTree(await zip.read(pkg.workbookPart), pkg.workbookPart);
  const ns = workbook.attrs.xmlns === STRICT_MAIN || Object.values(workbook.attrs).includes(STRICT_MAIN) ? STRICT : TRANSITIONAL;
  // Each marked cell keeps its own format through a clone of its style, made up front for both severities
  // (capped: past the cap a marked cell takes the plain mark and loses its own format).
  const stylesTree = pkg.stylesPart && zip.has(pkg.stylesPart) ? parseXmlTree(await zip.read(pkg.stylesPart), pkg.stylesPart) : minimalStyles(ns.main);
  const xfCount = Math.min(MAX_CLONED_STYLES, Math.max(1, childElements(firstChild(stylesTree, 'cellXfs') ?? stylesTree, 'xf').length));
  const used = new Map<string, Severity>();
  for (let i = 0; i < xfCount; i++) {
    used.set(`${i}:error`, 'error');
    used.set(`${i}:warning`, 'warning');
  }
  const styles = planStyles(stylesTree, used);
  const sheetRelsPart = relsPartOf(sheet.part);
  const sheetRels = relsTree(zip.has(sheetRelsPart) ? await zip.read(sheetRelsPart) : undefined, sheetRelsPart);
  const rels = await readRelationships(zip, sheet.part);
  const commentsRel = rels.find((r) => /\/comments$/.test(r.type));
  const vmlRel = rels.find((r) => /\/vmlDrawing$/.test(r.type));
  const drawingRid = vmlRel?.id ?? nextRid(sheetRels);
  // The unit may send back an annotated copy: the notes an earlier run left go, and so do their marks where the
  // cell has nothing to say now.
  const existing = commentsRel && zip.has(resolveTarget(sheet.part, commentsRel.target)) ? await readExistingComments(pkg, resolveTarget(sheet.part, commentsRel.target)) : undefined;
  const earlierNotes = new Set<string>();
  for (const [ref, c] of existing?.comments ?? []) {
    const mine = withoutOurBlocks(c.text);
    if (mine === c.text) continue;
    earlierNotes.add(ref);
    if (mine === '') existing!.comments.delete(ref);
    else existing!.comments.set(ref, { ...c, text: mine });
  }
  return { workbook, ns, styles, xfCount, sheetRelsPart, sheetRels, commentsRel, vmlRel, drawingRid, existing, earlierNotes };
}

/** Everything besides the data sheet: comments, drawing, relationships, content types, workbook, errors sheet. */
async function finishParts(pkg: WorkbookPackage, sheet: SheetInfo, lang: Lang, prep: Awaited<ReturnType<typeof prepare>>, notes: Map<string, Note>, source: IssueSource) {
  const zip = pkg.zip;
  const { workbook, ns, styles, sheetRelsPart, sheetRels, commentsRel, vmlRel, drawingRid, existing } = prep;
  const names = new Set(zip.entries.map((e) => e.name.toLowerCase()));
  const changes = new Map<string, ZipReplacement>();
  const added: Array<[string, ZipReplacement]> = [];
  const change = (name: string, content: ZipReplacement) => changes.set(name.toLowerCase(), content);

  const ctPart = '[Content_Types].xml';
  const types = zip.has(ctPart) ? parseXmlTree(await zip.read(ctPart), ctPart) : parseXmlTree(Buffer.from('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"></Types>'), ctPart);
  const addOverride = (part: string, type: string) => types.children.push({ name: 'Override', local: 'Override', attrs: { PartName: `/${part}`, ContentType: type }, children: [] });
  const hasDefault = (ext: string) => childElements(types, 'Default').some((d) => (d.attrs.Extension ?? '').toLowerCase() === ext);

  const stylesPart = pkg.stylesPart ?? 'xl/styles.xml';
  const hadStyles = pkg.stylesPart !== undefined && zip.has(pkg.stylesPart);
  if (hadStyles) change(stylesPart, styles.xml);
  else {
    added.push([stylesPart, styles.xml]);
    addOverride(stylesPart, 'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml');
  }

  // Workbook relationships: the errors sheet (and styles, when the workbook had none).
  const wbRelsPart = relsPartOf(pkg.workbookPart);
  const wbRels = relsTree(zip.has(wbRelsPart) ? await zip.read(wbRelsPart) : undefined, wbRelsPart);
  if (!hadStyles) addRel(wbRels, `${ns.rel}styles`, relTarget(pkg.workbookPart, stylesPart));
  // An earlier run's errors sheet is written over (its place and name kept), not stacked with a new one.
  let earlierErrors: SheetInfo | undefined;
  for (const other of pkg.sheets) {
    if (other.part.toLowerCase() === sheet.part.toLowerCase()) continue;
    if (await isOurErrorsSheet(pkg, other.name, other.part)) {
      earlierErrors = other;
      break;
    }
  }
  if (earlierErrors) {
    change(earlierErrors.part, errorsSheetXml(ns.main, ns.r, lang, source, styles));
    if (!hadStyles && zip.has(wbRelsPart)) change(wbRelsPart, serializeXml(wbRels));
    else if (!hadStyles) added.push([wbRelsPart, serializeXml(wbRels)]);
  } else {
    const errorsPart = uniqueName(names, 'xl/worksheets/sheet', '.xml');
    names.add(errorsPart.toLowerCase());
    const errorsRid = addRel(wbRels, `${ns.rel}worksheet`, relTarget(pkg.workbookPart, errorsPart));
    if (zip.has(wbRelsPart)) change(wbRelsPart, serializeXml(wbRels));
    else added.push([wbRelsPart, serializeXml(wbRels)]);
    addOverride(errorsPart, 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml');
    const sheetsEl = firstChild(workbook, 'sheets')!;
    const sheetNames = new Set(childElements(sheetsEl, 'sheet').map((s) => (s.attrs.name ?? '').toLowerCase()));
    let errorsName: string = ERRORS_SHEET[lang];
    for (let i = 2; sheetNames.has(errorsName.toLowerCase()); i++) errorsName = `${ERRORS_SHEET[lang]} (${i})`;
    const maxId = Math.max(0, ...childElements(sheetsEl, 'sheet').map((s) => Number(s.attrs.sheetId) || 0));
    const prefix = sheetsEl.name.includes(':') ? `${sheetsEl.name.split(':')[0]}:` : '';
    const rPrefix = Object.keys(workbook.attrs).find((k) => k.startsWith('xmlns:') && workbook.attrs[k] === ns.r)?.slice(6) ?? 'r';
    if (!workbook.attrs[`xmlns:${rPrefix}`]) workbook.attrs[`xmlns:${rPrefix}`] = ns.r;
    sheetsEl.children.push({ name: `${prefix}sheet`, local: 'sheet', attrs: { name: errorsName, sheetId: String(maxId + 1), [`${rPrefix}:id`]: errorsRid }, children: [] });
    change(pkg.workbookPart, serializeXml(workbook));
    added.push([errorsPart, errorsSheetXml(ns.main, ns.r, lang, source, styles)]);
  }

  // The notes: the unit's own (without what earlier runs added) and this run's.
  if (notes.size > 0 || prep.earlierNotes.size > 0) {
    const authors = existing?.authors ?? [];
    let author = authors.indexOf(NOTE_AUTHOR);
    if (author < 0) {
      authors.push(NOTE_AUTHOR);
      author = authors.length - 1;
    }
    const merged = new Map(existing?.comments ?? []);
    for (const [ref, note] of notes) {
      const before = merged.get(ref);
      const text = `${NOTE_AUTHOR}:\n${note.lines.join('\n')}`;
      merged.set(ref, before ? { author: before.author, text: `${before.text}\n\n${text}` } : { author, text });
    }
    const list = [...merged].map(([ref, c]) => ({ ref, ...c })).filter((c) => parseAddress(c.ref));
    const commentsPart = existing?.part ?? uniqueName(names, 'xl/comments', '.xml');
    names.add(commentsPart.toLowerCase());
    const xml = commentsXml(ns.main, authors, list);
    if (existing) change(commentsPart, xml);
    else {
      added.push([commentsPart, xml]);
      addOverride(commentsPart, 'application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml');
      addRel(sheetRels, `${ns.rel}comments`, relTarget(sheet.part, commentsPart));
    }
    const vmlPart = vmlRel ? resolveTarget(sheet.part, vmlRel.target) : uniqueName(names, 'xl/drawings/vmlDrawing', '.vml');
    const vml = vmlXml(list);
    if (vmlRel && zip.has(vmlPart)) change(vmlPart, vml);
    else {
      added.push([vmlPart, vml]);
      if (!vmlRel) addRel(sheetRels, `${ns.rel}vmlDrawing`, relTarget(sheet.part, vmlPart), drawingRid);
    }
    if (!hasDefault('vml')) types.children.push({ name: 'Default', local: 'Default', attrs: { Extension: 'vml', ContentType: 'application/vnd.openxmlformats-officedocument.vmlDrawing' }, children: [] });
    if (zip.has(sheetRelsPart)) change(sheetRelsPart, serializeXml(sheetRels));
    else added.push([sheetRelsPart, serializeXml(sheetRels)]);
  }
  change(ctPart, serializeXml(types));
  return { changes, added };
}

async function annotateXlsx(session: IngestSession, pkg: WorkbookPackage, source: IssueSource, dest?: string): Promise<Buffer> {
  const sheet = session.source.kind === 'xlsx' ? session.source.sheet : undefined;
  if (!sheet) throw new Error('annotateXlsx needs a workbook source');
  const annotator = await XlsxAnnotator.start(pkg, sheet, session.lang, dest);
  for await (const issue of iterate(source)) annotator.note(issue);
  for await (const chunk of await pkg.zip.stream(sheet.part)) {
    annotator.feed(chunk as Buffer);
    const wait = annotator.drained();
    if (wait) await wait;
  }
  return annotator.finish(source);
}

/** A CSV has no workbook to annotate: the copy is a new workbook with the same cells, marked the same way. */
async function annotateCsv(session: IngestSession, rows: Extract<IngestSession['source'], { kind: 'csv' }>['rows'], source: IssueSource): Promise<Buffer> {
  const { lang } = session;
  const sheetName = session.sheet;
  const notes = await collectNotes(source, sheetName);
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet(sheetName);
  for (const row of rows) {
    for (const c of row.cells) {
      const cell = ws.getCell(row.row, c.col + 1);
      cell.value = c.value?.t === 'string' ? c.value.text : null;
      cell.numFmt = '@';
    }
  }
  for (const [address, note] of notes) {
    const cell = ws.getCell(address);
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: FILL[note.severity] } };
    cell.note = `${NOTE_AUTHOR}:\n${note.lines.join('\n')}`;
  }
  ws.views = [{ state: 'frozen', ySplit: session.headerRow }];
  const errors = wb.addWorksheet(ERRORS_SHEET[lang], { properties: { tabColor: { argb: 'FFC00000' } } });
  errors.addRow(sheetRow(REPORT_HEADERS[lang])).font = { bold: true };
  for await (const issue of iterate(source)) errors.addRow(sheetRow(reportRow(issue, lang)));
  SHEET_WIDTHS.forEach((w, i) => (errors.getColumn(i + 1).width = w));
  errors.getColumn(4).alignment = { wrapText: true, vertical: 'top' };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * Builds the annotated copy of the file a session read. `issues` may be iterated twice. With `dest`, the copy is
 * streamed into that file (and an empty buffer returned), so a large workbook is never held whole in memory.
 */
export async function annotate(session: IngestSession, issues: IngestIssue[] | IssueSource, dest?: string): Promise<Buffer> {
  const source: IssueSource = Array.isArray(issues) ? () => issues : issues;
  if (session.source.kind === 'csv') {
    const buffer = await annotateCsv(session, session.source.rows, source);
    if (dest) fs.writeFileSync(dest, buffer);
    return dest ? Buffer.alloc(0) : buffer;
  }
  return annotateXlsx(session, session.source.pkg, source, dest);
}
