// Parses the document markup a template produces into the document model; elements map one-to-one to blocks.
//
//   <document title subject keywords>            the root
//   <p style align first-line indent-left indent-right before after line keep-next keep-together>
//        text, <b> <i> <u> <span bold italic underline size>, <br/>, <page/>, <pages/>
//   <rule kind fraction width thickness before after align/>   measured from the paragraph before it
//   <spacer height/>  <page-break restart-numbering/>  <signature-space height field/>  <dots lines style keep-next/>
//   <append text/>   adds text to the end of the paragraph before it ("./." after the last sentence), or after
//                    another block (a table) as a line of its own
//   <table columns width header-rows borders padding-x padding-y>
//     <tr cant-split> <th|td colspan rowspan align valign shading style number number-format formula result>
//   <columns widths keep-together> <column>…</column> … </columns>
//   <signature widths> <left>…</left> <right>…</right> </signature>
//
// Lengths are points or carry a unit ("6pt", "1.27cm"). Whitespace in text collapses to one space, as in HTML;
// a line break is <br/>. Text placed directly in a cell becomes a paragraph in the cell's style. Errors name the
// template line the element came from (the `_at` attribute the environment inserts).
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { measureText } from '../fonts/metrics.js';
import { toPoints, type ResolvedProfile } from '../model/profile.js';
import type { Align, Block, CellValue, LineSpacing, Paragraph, ResolvedStyle, Run, Table, TableCell, TableRow, VerticalAlign } from '../model/types.js';
import { TemplateError } from './errors.js';

/**
 * How much wider than a space LibreOffice draws a no-break space (measured: 0.34 em against 0.25 em in Times New
 * Roman / Liberation Serif, LibreOffice 7.4), which lines that must not wrap allow for.
 */
const NO_BREAK_SPACE_EXTRA_EM = 0.1;

const BLOCKS = ['p', 'rule', 'spacer', 'page-break', 'table', 'columns', 'signature-space', 'signature', 'dots', 'append'] as const;
const INLINES = ['b', 'i', 'u', 'span', 'br', 'page', 'pages'] as const;
const STRUCTURE = ['document', 'tr', 'td', 'th', 'column', 'left', 'right'] as const;

/** Every element name of the markup (the template environment annotates these with their source line). */
export const ELEMENT_NAMES: ReadonlySet<string> = new Set<string>([...BLOCKS, ...INLINES, ...STRUCTURE]);

const ATTRIBUTES: Record<string, readonly string[]> = {
  document: ['title', 'subject', 'keywords'],
  p: ['style', 'align', 'first-line', 'indent-left', 'indent-right', 'before', 'after', 'line', 'keep-next', 'keep-together'],
  rule: ['kind', 'fraction', 'width', 'thickness', 'before', 'after', 'align'],
  spacer: ['height'],
  'page-break': ['restart-numbering'],
  'signature-space': ['height', 'field'],
  dots: ['lines', 'style', 'keep-next'],
  append: ['text'],
  table: ['columns', 'width', 'header-rows', 'borders', 'padding-x', 'padding-y'],
  tr: ['cant-split'],
  td: ['colspan', 'rowspan', 'align', 'valign', 'shading', 'style', 'number', 'number-format', 'formula', 'result'],
  th: ['colspan', 'rowspan', 'align', 'valign', 'shading', 'style', 'number', 'number-format', 'formula', 'result'],
  columns: ['widths', 'keep-together'],
  column: [],
  signature: ['widths'],
  left: [],
  right: [],
  b: [],
  i: [],
  u: [],
  span: ['bold', 'italic', 'underline', 'size'],
  br: [],
  page: [],
  pages: [],
};

export interface MarkupContext {
  profile: ResolvedProfile;
  /** Display names of template files by the index in `_at` attributes. */
  sources: readonly string[];
  /** The form's template, named when a position is unknown. */
  template: string;
}

export interface ParsedMarkup {
  title?: string;
  subject?: string;
  keywords?: string[];
  body: Block[];
}

type Format = Pick<Run, 'bold' | 'italic' | 'underline' | 'size'>;

interface Where {
  element: string;
  at?: string;
}

/** A block container: the document, a column, a side of the signature block, a table cell. */
interface Container {
  kind: 'container';
  name: string;
  blocks: Block[];
  /** Width available to the blocks, in points. */
  width: number;
  where: Where;
  /** For cells: the style of text placed directly in the cell, and its alignment. */
  cellStyle?: string;
  cellAlign?: Align;
  cell?: TableCell;
}

interface ParagraphFrame {
  kind: 'p';
  para: Paragraph;
  /** Text pieces before whitespace is collapsed. */
  pieces: Run[];
  container: Container;
  implicit: boolean;
  where: Where;
}

interface InlineFrame {
  kind: 'inline';
  format: Format;
  where: Where;
}

interface TableFrame {
  kind: 'table';
  table: Table;
  width: number;
  explicitHeaderRows: boolean;
  /** Row index → columns taken by cells spanning down from earlier rows. */
  taken: Map<number, Set<number>>;
  where: Where;
}

interface RowFrame {
  kind: 'tr';
  row: TableRow;
  table: TableFrame;
  index: number;
  nextColumn: number;
  allHeader: boolean;
  where: Where;
}

interface SplitFrame {
  kind: 'columns' | 'signature';
  widths: number[];
  parts: Block[][];
  width: number;
  keepTogether?: boolean;
  container: Container;
  where: Where;
}

interface LeafFrame {
  kind: 'leaf';
  where: Where;
}

type Frame = Container | ParagraphFrame | InlineFrame | TableFrame | RowFrame | SplitFrame | LeafFrame;

const ALIGNS = new Set(['left', 'center', 'right', 'justify']);
const VALIGNS = new Set(['top', 'center', 'bottom']);

/** Parses markup into blocks; throws a TemplateError naming the template line of the offending element. */
export function parseMarkup(markup: string, ctx: MarkupContext): ParsedMarkup {
  const { profile } = ctx;
  const stack: Frame[] = [];
  const result: ParsedMarkup = { body: [] };
  let root: Container | undefined;
  let rootClosed = false;

  const locate = (where: Where | undefined): { template: string; line?: number } => {
    const m = where?.at ? /^(\d+):(\d+)$/.exec(where.at) : null;
    if (m && ctx.sources[Number(m[1])] !== undefined) return { template: ctx.sources[Number(m[1])]!, line: Number(m[2]) };
    return { template: ctx.template };
  };
  const fail = (where: Where | undefined, vi: string, en: string): never => {
    const tag = where ? `<${where.element}> ` : '';
    throw new TemplateError(locate(where), { vi: `${tag}${vi}`, en: `${tag}${en}` });
  };
  const top = (): Frame | undefined => stack[stack.length - 1];
  const innermostWhere = (): Where | undefined => {
    for (let i = stack.length - 1; i >= 0; i--) if (stack[i]!.where.at) return stack[i]!.where;
    return stack[stack.length - 1]?.where;
  };

  // ---- attribute readers ----
  const num = (where: Where, name: string, v: string, min = -Infinity, max = Infinity): number => {
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x) || x < min || x > max) fail(where, `thuộc tính ${name}="${v}" phải là số${Number.isFinite(min) ? ` từ ${min}` : ''}${Number.isFinite(max) ? ` đến ${max}` : ''}.`, `attribute ${name}="${v}" must be a number${Number.isFinite(min) ? ` from ${min}` : ''}${Number.isFinite(max) ? ` to ${max}` : ''}.`);
    return x;
  };
  const len = (where: Where, name: string, v: string): number => {
    const trimmed = v.trim();
    if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
    try {
      return toPoints(trimmed, name);
    } catch {
      return fail(where, `thuộc tính ${name}="${v}" phải là độ dài (ví dụ 6pt, 1.27cm).`, `attribute ${name}="${v}" must be a length (e.g. 6pt, 1.27cm).`);
    }
  };
  const bool = (where: Where, name: string, v: string): boolean => {
    if (v === 'true' || v === '') return true;
    if (v === 'false') return false;
    return fail(where, `thuộc tính ${name}="${v}" phải là true hoặc false.`, `attribute ${name}="${v}" must be true or false.`);
  };
  const list = (where: Where, name: string, v: string): number[] => {
    const parts = v.split(/[\s,]+/).filter((x) => x !== '');
    if (parts.length === 0) fail(where, `thuộc tính ${name} trống.`, `attribute ${name} is empty.`);
    return parts.map((p) => num(where, name, p, Number.MIN_VALUE));
  };
  /** Column widths: relative numbers ("1 6 2"), lengths ("36pt", "1.2cm") or both; lengths are taken first. */
  const columnWidths = (where: Where, v: string, tableWidth: number): number[] => {
    const parts = v.split(/[\s,]+/).filter((x) => x !== '');
    if (parts.length === 0) fail(where, 'thuộc tính columns trống.', 'attribute columns is empty.');
    const fixed = parts.map((p) => (/^\d+(\.\d+)?$/.test(p) ? undefined : len(where, 'columns', p)));
    const fixedTotal = fixed.reduce<number>((s, w) => s + (w ?? 0), 0);
    const relative = parts.map((p, i) => (fixed[i] === undefined ? num(where, 'columns', p, Number.MIN_VALUE) : 0));
    const relativeTotal = relative.reduce((s, w) => s + w, 0);
    const free = tableWidth - fixedTotal;
    if (free < (relativeTotal > 0 ? 1 : 0) || fixed.some((w) => w !== undefined && w <= 0)) {
      fail(where, `các cột cố định rộng ${fixedTotal.toFixed(1)}pt, vượt bề rộng bảng ${tableWidth.toFixed(1)}pt.`, `fixed columns take ${fixedTotal.toFixed(1)}pt, more than the table's ${tableWidth.toFixed(1)}pt.`);
    }
    // As points: the model keeps relative widths, and points are relative widths too.
    return parts.map((_, i) => fixed[i] ?? (relativeTotal > 0 ? (free * relative[i]!) / relativeTotal : 0));
  };
  const styleName = (where: Where, v: string): string => {
    if (!profile.styles[v]) {
      fail(where, `kiểu "${v}" không có trong hồ sơ trình bày "${profile.data.id}".`, `style "${v}" is not defined in layout profile "${profile.data.id}".`);
    }
    return v;
  };
  const align = (where: Where, v: string): Align => {
    if (!ALIGNS.has(v)) fail(where, `align="${v}" phải là left, center, right hoặc justify.`, `align="${v}" must be left, center, right or justify.`);
    return v as Align;
  };
  const lineSpacing = (where: Where, v: string): LineSpacing => {
    const t = v.trim();
    if (/^\d+(\.\d+)?$/.test(t)) return { kind: 'multiple', value: num(where, 'line', t, 0.5, 5) };
    if (t.startsWith('min:')) return { kind: 'atLeast', pt: len(where, 'line', t.slice(4)) };
    return { kind: 'exact', pt: len(where, 'line', t) };
  };

  // ---- containers ----
  const currentContainer = (element: string, where: Where): Container => {
    const t = top();
    if (t?.kind === 'container') {
      if (t.name === 'td' || t.name === 'th' || t.name === 'document' || t.name === 'column' || t.name === 'left' || t.name === 'right') return t;
    }
    if (t?.kind === 'p' && t.implicit) {
      closeParagraph(t);
      stack.pop();
      return currentContainer(element, where);
    }
    return fail(where, `không được đặt ở đây (bên trong <${t ? describe(t) : 'gốc'}>).`, `is not allowed here (inside <${t ? describe(t) : 'root'}>).`);
  };
  const describe = (f: Frame): string => f.where.element;

  // ---- paragraphs ----
  const currentFormat = (): Format => {
    const f: Format = {};
    for (const frame of stack) if (frame.kind === 'inline') Object.assign(f, frame.format);
    return f;
  };
  const openParagraph = (container: Container, style: string, where: Where, implicit: boolean): ParagraphFrame => {
    const para: Paragraph = { kind: 'paragraph', style, runs: [] };
    const frame: ParagraphFrame = { kind: 'p', para, pieces: [], container, implicit, where };
    stack.push(frame);
    return frame;
  };
  const paragraphFrame = (): ParagraphFrame | undefined => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const f = stack[i]!;
      if (f.kind === 'p') return f;
      if (f.kind !== 'inline') return undefined;
    }
    return undefined;
  };
  const closeParagraph = (frame: ParagraphFrame): void => {
    const style = profile.styles[frame.para.style]!;
    const runs: Run[] = [];
    let atLineStart = true;
    for (const piece of frame.pieces) {
      if (piece.field) {
        runs.push(piece);
        atLineStart = false;
        continue;
      }
      // Collapse whitespace (not no-break spaces) as HTML does; a space at a line start or after a space goes.
      let text = piece.text.replace(/[ \t\r\n]+/g, ' ');
      const prev = runs[runs.length - 1];
      if (atLineStart || (prev && !prev.field && (prev.text.endsWith(' ') || prev.text.endsWith('\n')))) text = text.replace(/^ /, '');
      if (piece.text === '\n') {
        text = '\n';
        if (prev && !prev.field) prev.text = prev.text.replace(/ +$/, '');
      }
      if (text === '') continue;
      atLineStart = text.endsWith('\n');
      if (prev && !prev.field && prev.bold === piece.bold && prev.italic === piece.italic && prev.underline === piece.underline && prev.size === piece.size) {
        prev.text += text;
      } else {
        runs.push({ ...piece, text });
      }
    }
    // Trailing spaces at the end of the paragraph and before each line break go.
    for (const run of runs) if (!run.field) run.text = run.text.replace(/ +\n/g, '\n');
    while (runs.length > 0) {
      const last = runs[runs.length - 1]!;
      if (last.field) break;
      last.text = last.text.replace(/ +$/, '');
      if (last.text !== '') break;
      runs.pop();
    }
    if (style.uppercase) for (const run of runs) if (!run.field) run.text = run.text.toLocaleUpperCase('vi');
    for (const run of runs) {
      for (const key of ['bold', 'italic', 'underline', 'size'] as const) if (run[key] === undefined) delete run[key];
    }
    frame.para.runs = runs;
    if (style.shrinkTo !== undefined) shrinkToOneLine(frame.para, style, frame.container.width);
    frame.container.blocks.push(frame.para);
  };
  /**
   * A one-line element (the place-date line) set smaller, down to the style's `shrinkTo`, rather than wrapped. One
   * still too long at that size is broken here, at its ordinary spaces (never at a no-break space, so never inside
   * the date part), with forced line breaks: every writer and every program that opens the file then shows the same
   * lines, whatever its own measuring. It is measured as the widest program draws it (no-break spaces wider).
   */
  const shrinkToOneLine = (para: Paragraph, style: ResolvedStyle, containerWidth: number): void => {
    if (para.runs.some((r) => !r.field && r.text.includes('\n'))) return;
    const available = containerWidth - (para.indent?.left ?? style.indentLeft) - (para.indent?.right ?? style.indentRight) - Math.max(0, para.indent?.firstLine ?? style.firstLineIndent);
    const natural = wrapParagraph(para, Infinity, true).widest;
    if (natural <= available) return;
    const scale = (available * 0.99) / natural; // a hair of room for other programs' rounding
    // Half-point steps, as Word sets sizes; never below the floor the profile allows.
    for (const run of para.runs) run.size = Math.max(style.shrinkTo!, Math.floor((run.size ?? style.size) * scale * 2) / 2);
    const { breaks } = wrapParagraph(para, available * 0.99, true);
    // Last first, so that the offsets before stay right.
    for (const b of breaks.reverse()) {
      const run = para.runs[b.run]!;
      run.text = run.text.slice(0, b.at) + '\n' + run.text.slice(b.at + b.length);
    }
  };
  const addText = (text: string): void => {
    let p = paragraphFrame();
    if (!p) {
      if (text.trim() === '') return; // layout whitespace between blocks
      const t = top();
      if (t?.kind === 'container' && t.cellStyle) {
        p = openParagraph(t, t.cellStyle, { element: t.where.element, at: t.where.at }, true);
        if (t.cellAlign) p.para.align = t.cellAlign;
      } else {
        const shown = text.trim().slice(0, 40);
        fail(innermostWhere(), `có chữ nằm ngoài đoạn văn: "${shown}" (đặt trong <p>).`, `has text outside a paragraph: "${shown}" (put it in a <p>).`);
        return;
      }
    }
    p.pieces.push({ text, ...currentFormat() });
  };

  // ---- rules, measured from the paragraph above ----
  /** Width of the widest line of a paragraph wrapped on spaces at `available` (an agency name over two lines). */
  const paragraphWidth = (para: Paragraph, available: number): number => wrapParagraph(para, available, false).widest;
  /**
   * A paragraph wrapped first-fit on its ordinary spaces (U+0020; a no-break space joins words) at `available`: the
   * widest line and where each line break falls (a run, an offset in it, the length of the spaces replaced).
   * `wideNoBreak`: no-break spaces measured as LibreOffice draws them, about a tenth of an em wider than a space.
   */
  const wrapParagraph = (para: Paragraph, available: number, wideNoBreak: boolean): { widest: number; breaks: Array<{ run: number; at: number; length: number }> } => {
    const style = profile.styles[para.style]!;
    const breaks: Array<{ run: number; at: number; length: number }> = [];
    let widest = 0;
    let line = 0;
    let space = 0; // spaces waiting between the line and the next word
    let gap: { run: number; at: number; length: number } | undefined; // where those spaces are
    const endLine = () => {
      widest = Math.max(widest, line);
      line = 0;
      space = 0;
      gap = undefined;
    };
    para.runs.forEach((run, r) => {
      const size = run.size ?? style.size;
      const bold = run.bold ?? style.bold;
      const italic = run.italic ?? style.italic;
      const text = run.field ? '99' : run.text;
      let offset = 0;
      text.split('\n').forEach((piece, i) => {
        if (i > 0) {
          endLine();
          offset++;
        }
        for (const token of piece.split(/( +)/)) {
          if (token === '') continue;
          let w = measureText(token, size, bold, italic);
          if (wideNoBreak) for (const c of token) if (c === '\u00a0') w += size * NO_BREAK_SPACE_EXTRA_EM;
          if (token.startsWith(' ')) {
            space += w;
            if (!run.field) gap = { run: r, at: offset, length: token.length };
          } else if (line > 0 && line + space + w > available) {
            if (gap) breaks.push(gap);
            endLine();
            line = w;
          } else {
            line += space + w;
            space = 0;
            gap = undefined;
          }
          offset += token.length;
        }
      });
    });
    endLine();
    return { widest, breaks };
  };

  const handlers: Record<string, (attrs: Record<string, string>, where: Where) => void> = {
    document: (a, where) => {
      if (stack.length > 0 || root || rootClosed) fail(where, 'chỉ được là phần tử gốc, một lần.', 'must be the root element, once.');
      if (a.title) result.title = a.title;
      if (a.subject) result.subject = a.subject;
      if (a.keywords) result.keywords = a.keywords.split(',').map((k) => k.trim()).filter(Boolean);
      root = { kind: 'container', name: 'document', blocks: result.body, width: profile.textWidth, where };
      stack.push(root);
    },
    p: (a, where) => {
      const container = currentContainer('p', where);
      const frame = openParagraph(container, a.style !== undefined ? styleName(where, a.style) : container.cellStyle ?? 'body', where, false);
      const para = frame.para;
      if (a.align !== undefined) para.align = align(where, a.align);
      else if (container.cellAlign && a.style === undefined) para.align = container.cellAlign;
      const indent: NonNullable<Paragraph['indent']> = {};
      if (a['first-line'] !== undefined) indent.firstLine = len(where, 'first-line', a['first-line']);
      if (a['indent-left'] !== undefined) indent.left = len(where, 'indent-left', a['indent-left']);
      if (a['indent-right'] !== undefined) indent.right = len(where, 'indent-right', a['indent-right']);
      if (Object.keys(indent).length > 0) para.indent = indent;
      const spacing: NonNullable<Paragraph['spacing']> = {};
      if (a.before !== undefined) spacing.before = len(where, 'before', a.before);
      if (a.after !== undefined) spacing.after = len(where, 'after', a.after);
      if (a.line !== undefined) spacing.line = lineSpacing(where, a.line);
      if (Object.keys(spacing).length > 0) para.spacing = spacing;
      if (a['keep-next'] !== undefined) para.keepWithNext = bool(where, 'keep-next', a['keep-next']);
      if (a['keep-together'] !== undefined) para.keepTogether = bool(where, 'keep-together', a['keep-together']);
    },
    rule: (a, where) => {
      const container = currentContainer('rule', where);
      const kind = a.kind !== undefined ? profile.rules[a.kind] : undefined;
      if (a.kind !== undefined && !kind) {
        fail(where, `kind="${a.kind}" không có trong hồ sơ "${profile.data.id}" (có: ${Object.keys(profile.rules).join(', ') || 'không'}).`, `kind="${a.kind}" is not defined in profile "${profile.data.id}" (it has: ${Object.keys(profile.rules).join(', ') || 'none'}).`);
      }
      const defaults = profile.data.rule;
      const fraction = a.fraction !== undefined ? num(where, 'fraction', a.fraction, Number.MIN_VALUE, 1) : kind?.fraction;
      let width = a.width !== undefined ? len(where, 'width', a.width) : kind?.width;
      let ruleAlign: 'left' | 'center' | 'right' | undefined;
      if (width === undefined) {
        const prev = container.blocks[container.blocks.length - 1];
        if (!prev || prev.kind !== 'paragraph') {
          fail(where, 'phải đứng ngay sau đoạn văn mà nó gạch dưới, hoặc có thuộc tính width.', 'must follow the paragraph it underlines, or have a width attribute.');
        }
        const para = prev as Paragraph;
        const style = profile.styles[para.style]!;
        const available = container.width - (para.indent?.left ?? style.indentLeft) - (para.indent?.right ?? style.indentRight);
        width = Math.min(paragraphWidth(para, available), available) * (fraction ?? 1);
        const pAlign = para.align ?? style.align;
        ruleAlign = pAlign === 'left' || pAlign === 'right' ? pAlign : 'center';
      } else if (fraction !== undefined && a.width === undefined) {
        width *= fraction;
      }
      const alignAttr = a.align !== undefined ? align(where, a.align) : undefined;
      if (alignAttr === 'justify') fail(where, 'align của rule chỉ là left, center hoặc right.', 'a rule aligns left, center or right.');
      container.blocks.push({
        kind: 'rule',
        width: Math.max(0, Math.min(width, container.width)),
        align: (alignAttr as 'left' | 'center' | 'right' | undefined) ?? kind?.align ?? ruleAlign ?? 'center',
        thickness: a.thickness !== undefined ? num(where, 'thickness', a.thickness, Number.MIN_VALUE, 6) : kind?.thickness ?? defaults.thickness,
        spaceBefore: a.before !== undefined ? len(where, 'before', a.before) : kind?.spaceBefore ?? toPoints(defaults.spaceBefore, 'rule.spaceBefore'),
        spaceAfter: a.after !== undefined ? len(where, 'after', a.after) : kind?.spaceAfter ?? toPoints(defaults.spaceAfter, 'rule.spaceAfter'),
      });
      stack.push({ kind: 'leaf', where });
    },
    spacer: (a, where) => {
      const container = currentContainer('spacer', where);
      if (a.height === undefined) fail(where, 'thiếu thuộc tính height.', 'needs a height attribute.');
      container.blocks.push({ kind: 'spacer', height: len(where, 'height', a.height!) });
      stack.push({ kind: 'leaf', where });
    },
    'page-break': (a, where) => {
      const container = currentContainer('page-break', where);
      if (container.name !== 'document') fail(where, 'chỉ đặt ở thân văn bản.', 'belongs in the document body only.');
      const restart = a['restart-numbering'] !== undefined && bool(where, 'restart-numbering', a['restart-numbering']);
      container.blocks.push(restart ? { kind: 'page-break', restartNumbering: true } : { kind: 'page-break' });
      stack.push({ kind: 'leaf', where });
    },
    'signature-space': (a, where) => {
      const container = currentContainer('signature-space', where);
      container.blocks.push({
        kind: 'signature-space',
        height: a.height !== undefined ? len(where, 'height', a.height) : profile.signatureSpace,
        ...(a.field ? { field: a.field } : {}),
      });
      stack.push({ kind: 'leaf', where });
    },
    dots: (a, where) => {
      const container = currentContainer('dots', where);
      const styleKey = a.style !== undefined ? styleName(where, a.style) : 'dots';
      if (!profile.styles[styleKey]) fail(where, `kiểu "${styleKey}" không có trong hồ sơ.`, `style "${styleKey}" is not defined in the profile.`);
      const style = profile.styles[styleKey]!;
      const lines = a.lines !== undefined ? num(where, 'lines', a.lines, 1, 100) : 1;
      const available = container.width - style.indentLeft - style.indentRight - Math.max(0, style.firstLineIndent);
      // A little short of the full width, so that no program's rounding wraps the last dot to a new line.
      const count = Math.max(1, Math.floor((available * 0.97) / measureText('.', style.size, style.bold, style.italic)));
      const text = '.'.repeat(count);
      // One writing area: its lines stay together (and so come along with a signature block that follows);
      // `keep-next` ties the last line to what follows too (tick boxes between the lines and the signature).
      const n = Math.floor(lines);
      const keepLast = a['keep-next'] !== undefined && bool(where, 'keep-next', a['keep-next']);
      for (let i = 0; i < n; i++) container.blocks.push({ kind: 'paragraph', style: styleKey, runs: [{ text }], ...(i < n - 1 || keepLast ? { keepWithNext: true } : {}) });
      stack.push({ kind: 'leaf', where });
    },
    append: (a, where) => {
      const container = currentContainer('append', where);
      // Space left after the last text is not text: the mark goes to the text before it.
      let at = container.blocks.length - 1;
      while (at > 0 && container.blocks[at]!.kind === 'spacer') at--;
      const prev = container.blocks[at];
      if (!prev) fail(where, 'phải đứng sau một đoạn văn hoặc một bảng.', 'must follow a paragraph or a table.');
      // After a table (or another block), the text is a line of its own at the margin: "./." under the last table.
      if (prev!.kind !== 'paragraph') {
        container.blocks.push({ kind: 'paragraph', style: 'body', runs: [{ text: a.text ?? '' }], indent: { firstLine: 0 } });
        stack.push({ kind: 'leaf', where });
        return;
      }
      const para = prev as Paragraph;
      const last = para.runs[para.runs.length - 1];
      let text = a.text ?? '';
      // The end mark "./." after a sentence that already ends with its period keeps one period: "… năm./."
      if (last && !last.field && /[.…]$/.test(last.text.trimEnd()) && text.startsWith('.')) {
        last.text = last.text.trimEnd();
        text = text.slice(1);
      }
      if (last && !last.field) last.text += text;
      else para.runs.push({ text });
      stack.push({ kind: 'leaf', where });
    },
    table: (a, where) => {
      const container = currentContainer('table', where);
      if (a.columns === undefined) fail(where, 'thiếu thuộc tính columns (độ rộng tương đối của các cột).', 'needs a columns attribute (relative column widths).');
      const fraction = a.width !== undefined ? num(where, 'width', a.width, 0.05, 1) : 1;
      const columns = columnWidths(where, a.columns!, container.width * fraction);
      const table: Table = {
        kind: 'table',
        columns,
        headerRows: 0,
        rows: [],
        borders: a.borders !== undefined ? bool(where, 'borders', a.borders) : true,
        padding: {
          x: a['padding-x'] !== undefined ? len(where, 'padding-x', a['padding-x']) : profile.tablePadding.x,
          y: a['padding-y'] !== undefined ? len(where, 'padding-y', a['padding-y']) : profile.tablePadding.y,
        },
      };
      // Columns given only as lengths narrower than the container make a narrower table.
      const columnsTotal = columns.reduce((sum, w) => sum + w, 0);
      if (columnsTotal < container.width * fraction - 0.5) table.width = columnsTotal / container.width;
      else if (fraction !== 1) table.width = fraction;
      let explicit = false;
      if (a['header-rows'] !== undefined) {
        table.headerRows = num(where, 'header-rows', a['header-rows'], 0, 50);
        explicit = true;
      }
      container.blocks.push(table);
      stack.push({ kind: 'table', table, width: container.width * (table.width ?? 1), explicitHeaderRows: explicit, taken: new Map(), where });
    },
    tr: (a, where) => {
      const t = top();
      if (t?.kind !== 'table') return fail(where, 'chỉ đặt trong <table>.', 'belongs inside <table>.');
      const row: TableRow = { cells: [] };
      if (a['cant-split'] !== undefined) row.cantSplit = bool(where, 'cant-split', a['cant-split']);
      t.table.rows.push(row);
      stack.push({ kind: 'tr', row, table: t, index: t.table.rows.length - 1, nextColumn: 0, allHeader: true, where });
    },
    td: (a, where) => openCell(a, where, false),
    th: (a, where) => openCell(a, where, true),
    columns: (a, where) => {
      const container = currentContainer('columns', where);
      const widths = a.widths !== undefined ? list(where, 'widths', a.widths) : [1, 1];
      stack.push({
        kind: 'columns',
        widths,
        parts: [],
        width: container.width,
        keepTogether: a['keep-together'] !== undefined ? bool(where, 'keep-together', a['keep-together']) : undefined,
        container,
        where,
      });
    },
    signature: (a, where) => {
      const container = currentContainer('signature', where);
      const widths = a.widths !== undefined ? list(where, 'widths', a.widths) : profile.data.closing.columns;
      if (widths.length !== 2) fail(where, 'widths phải có đúng hai số.', 'widths must hold exactly two numbers.');
      stack.push({ kind: 'signature', widths, parts: [[], []], width: container.width, container, where });
    },
    column: (_a, where) => openPart(where, 'columns'),
    left: (_a, where) => openPart(where, 'signature', 0),
    right: (_a, where) => openPart(where, 'signature', 1),
    b: (_a, where) => openInline(where, { bold: true }),
    i: (_a, where) => openInline(where, { italic: true }),
    u: (_a, where) => openInline(where, { underline: true }),
    span: (a, where) => {
      const format: Format = {};
      if (a.bold !== undefined) format.bold = bool(where, 'bold', a.bold);
      if (a.italic !== undefined) format.italic = bool(where, 'italic', a.italic);
      if (a.underline !== undefined) format.underline = bool(where, 'underline', a.underline);
      if (a.size !== undefined) format.size = num(where, 'size', a.size, 4, 96);
      openInline(where, format);
    },
    br: (_a, where) => {
      inlineHost(where).pieces.push({ text: '\n' });
      stack.push({ kind: 'leaf', where });
    },
    page: (_a, where) => {
      inlineHost(where).pieces.push({ text: '', field: 'page', ...currentFormat() });
      stack.push({ kind: 'leaf', where });
    },
    pages: (_a, where) => {
      inlineHost(where).pieces.push({ text: '', field: 'pages', ...currentFormat() });
      stack.push({ kind: 'leaf', where });
    },
  };

  function inlineHost(where: Where): ParagraphFrame {
    const p = paragraphFrame();
    if (p) return p;
    const t = top();
    if (t?.kind === 'container' && t.cellStyle) {
      const frame = openParagraph(t, t.cellStyle, { element: t.where.element, at: t.where.at }, true);
      if (t.cellAlign) frame.para.align = t.cellAlign;
      return frame;
    }
    return fail(where, 'chỉ đặt trong đoạn văn <p> hoặc ô bảng.', 'belongs inside a <p> or a table cell.');
  }

  function openInline(where: Where, format: Format): void {
    inlineHost(where);
    stack.push({ kind: 'inline', format, where });
  }

  function openPart(where: Where, parent: 'columns' | 'signature', index?: number): void {
    const t = top();
    if (t?.kind !== parent) {
      fail(where, `chỉ đặt trong <${parent}>.`, `belongs inside <${parent}>.`);
      return;
    }
    const split = t as SplitFrame;
    const i = index ?? split.parts.length;
    if (index === undefined) {
      if (i >= split.widths.length) fail(where, `nhiều cột hơn số độ rộng trong widths (${split.widths.length}).`, `more columns than widths (${split.widths.length}).`);
      split.parts.push([]);
    } else if (split.parts[i]!.length > 0) {
      fail(where, 'chỉ được có một lần.', 'may appear only once.');
    }
    const total = split.widths.reduce((s, w) => s + w, 0);
    stack.push({ kind: 'container', name: where.element, blocks: split.parts[i]!, width: (split.width * split.widths[i]!) / total, where });
  }

  function openCell(a: Record<string, string>, where: Where, header: boolean): void {
    const t = top();
    if (t?.kind !== 'tr') {
      fail(where, 'chỉ đặt trong <tr>.', 'belongs inside <tr>.');
      return;
    }
    const row = t as RowFrame;
    const table = row.table;
    const colSpan = a.colspan !== undefined ? num(where, 'colspan', a.colspan, 1, table.table.columns.length) : 1;
    const rowSpan = a.rowspan !== undefined ? num(where, 'rowspan', a.rowspan, 1, 1000) : 1;
    const taken = table.taken.get(row.index) ?? new Set<number>();
    let col = row.nextColumn;
    while (taken.has(col)) col++;
    if (col + colSpan > table.table.columns.length) {
      fail(where, `hàng ${row.index + 1} có nhiều ô hơn số cột (${table.table.columns.length}).`, `row ${row.index + 1} has more cells than the table has columns (${table.table.columns.length}).`);
    }
    for (let r = row.index + 1; r < row.index + rowSpan; r++) {
      const set = table.taken.get(r) ?? new Set<number>();
      for (let c = col; c < col + colSpan; c++) set.add(c);
      table.taken.set(r, set);
    }
    row.nextColumn = col + colSpan;
    const total = table.table.columns.reduce((s, w) => s + w, 0);
    const share = table.table.columns.slice(col, col + colSpan).reduce((s, w) => s + w, 0) / total;
    const width = table.width * share - 2 * (table.table.padding?.x ?? 0);

    const cell: TableCell = { blocks: [] };
    if (colSpan > 1) cell.colSpan = colSpan;
    if (rowSpan > 1) cell.rowSpan = rowSpan;
    const cellAlign = a.align !== undefined ? align(where, a.align) : undefined;
    if (cellAlign) cell.align = cellAlign;
    if (a.valign !== undefined) {
      if (!VALIGNS.has(a.valign)) fail(where, `valign="${a.valign}" phải là top, center hoặc bottom.`, `valign="${a.valign}" must be top, center or bottom.`);
      cell.verticalAlign = a.valign as VerticalAlign;
    } else if (header) {
      cell.verticalAlign = 'center';
    }
    if (a.shading !== undefined && a.shading !== '') {
      if (!/^[0-9A-Fa-f]{6}$/.test(a.shading)) fail(where, `shading="${a.shading}" phải là màu RRGGBB.`, `shading="${a.shading}" must be an RRGGBB colour.`);
      cell.shading = a.shading.toUpperCase();
    }
    const value = cellValue(a, where);
    if (value) cell.value = value;
    if (!header) row.allHeader = false;
    row.row.cells.push(cell);
    const style = a.style !== undefined ? styleName(where, a.style) : header ? 'tableHeader' : 'cell';
    stack.push({ kind: 'container', name: where.element, blocks: cell.blocks, width: Math.max(width, 1), where, cellStyle: style, cellAlign, cell });
  }

  function cellValue(a: Record<string, string>, where: Where): CellValue | undefined {
    const format = a['number-format'] !== undefined && a['number-format'] !== '' ? a['number-format'] : undefined;
    if (a.formula !== undefined && a.formula !== '') {
      if (a.number !== undefined && a.number !== '') fail(where, 'không dùng cùng lúc number và formula.', 'cannot have both number and formula.');
      const formula = a.formula.replace(/^=/, '');
      const raw = a.result ?? '';
      const asNumber = Number(raw);
      const result: number | string = raw.trim() !== '' && Number.isFinite(asNumber) ? asNumber : raw;
      return { kind: 'formula', formula, result, ...(format ? { numberFormat: format } : {}) };
    }
    if (a.number !== undefined && a.number !== '') {
      return { kind: 'number', value: num(where, 'number', a.number), ...(format ? { numberFormat: format } : {}) };
    }
    return undefined;
  }

  const headerFlags = new WeakMap<TableRow, boolean>();
  const closers: Record<string, (frame: Frame) => void> = {
    p: (f) => closeParagraph(f as ParagraphFrame),
    table: (f) => {
      const t = f as TableFrame;
      if (t.table.rows.length === 0) fail(t.where, 'bảng không có hàng nào.', 'the table has no rows.');
      if (!t.explicitHeaderRows) {
        // Leading rows made only of <th> cells are the header that repeats on every page.
        let n = 0;
        while (n < t.table.rows.length && headerFlags.get(t.table.rows[n]!)) n++;
        t.table.headerRows = n;
      } else if (t.table.headerRows > t.table.rows.length) {
        fail(t.where, `header-rows=${t.table.headerRows} nhiều hơn số hàng.`, `header-rows=${t.table.headerRows} exceeds the number of rows.`);
      }
    },
    tr: (f) => {
      const r = f as RowFrame;
      if (r.row.cells.length === 0) fail(r.where, 'hàng không có ô nào.', 'the row has no cells.');
      headerFlags.set(r.row, r.allHeader);
    },
    td: (f) => closeCell(f as Container),
    th: (f) => closeCell(f as Container),
    columns: (f) => {
      const s = f as SplitFrame;
      if (s.parts.length !== s.widths.length) fail(s.where, `có ${s.parts.length} <column> nhưng widths có ${s.widths.length} số.`, `has ${s.parts.length} <column> but widths has ${s.widths.length} numbers.`);
      s.container.blocks.push({ kind: 'columns', widths: s.widths, columns: s.parts, ...(s.keepTogether !== undefined ? { keepTogether: s.keepTogether } : {}) });
    },
    signature: (f) => {
      const s = f as SplitFrame;
      s.container.blocks.push({ kind: 'signature', widths: [s.widths[0]!, s.widths[1]!], left: s.parts[0]!, right: s.parts[1]! });
    },
    document: () => {
      rootClosed = true;
    },
  };

  function closeCell(c: Container): void {
    const t = top();
    if (t?.kind === 'p' && t.implicit) {
      closeParagraph(t);
      stack.pop();
    }
    // An empty cell still holds one empty paragraph, as word processors require.
    if (c.blocks.length === 0) c.blocks.push({ kind: 'paragraph', style: c.cellStyle ?? 'cell', runs: [], ...(c.cellAlign ? { align: c.cellAlign } : {}) });
  }

  const parser = new SaxesParser<{ xmlns: false; position: true }>({ xmlns: false, position: true });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const attrs = { ...tag.attributes } as Record<string, string>;
    const at = attrs._at;
    delete attrs._at;
    const where: Where = { element: tag.name, at };
    const allowed = ATTRIBUTES[tag.name];
    const handler = handlers[tag.name];
    if (!allowed || !handler) {
      fail({ element: tag.name, at: at ?? innermostWhere()?.at }, 'không phải phần tử của ngôn ngữ đánh dấu văn bản.', 'is not an element of the document markup.');
      return;
    }
    if (!root && tag.name !== 'document') fail(where, 'phần tử gốc phải là <document>.', 'the root element must be <document>.');
    if (rootClosed) fail(where, 'nằm sau </document>.', 'comes after </document>.');
    for (const name of Object.keys(attrs)) {
      if (!allowed.includes(name)) {
        fail(where, `thuộc tính "${name}" không hợp lệ (được dùng: ${allowed.join(', ') || 'không có'}).`, `unknown attribute "${name}" (allowed: ${allowed.join(', ') || 'none'}).`);
      }
    }
    handler(attrs, where);
  });
  parser.on('closetag', (tag: SaxesTagPlain) => {
    // An implicit cell paragraph ends where its cell ends.
    let frame = top();
    if (frame?.kind === 'p' && frame.implicit && tag.name !== 'p' && !INLINE_NAMES.has(tag.name)) {
      closeParagraph(frame);
      stack.pop();
      frame = top();
    }
    if (!frame) return;
    const closer = closers[tag.name];
    if (closer) closer(frame);
    stack.pop();
  });
  parser.on('text', (text: string) => addText(text));
  parser.on('cdata', (text: string) => addText(text));
  parser.on('doctype', () => fail(innermostWhere(), 'không được có khai báo DOCTYPE.', 'a DOCTYPE is not allowed.'));
  parser.on('processinginstruction', () => fail(innermostWhere(), 'không được có chỉ thị xử lý (<?…?>).', 'processing instructions (<?…?>) are not allowed.'));
  parser.on('error', (e: Error) => {
    const detail = e.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
    fail(innermostWhere(), `đánh dấu không hợp lệ: ${detail}`, `malformed markup: ${detail}`);
  });
  parser.write(markup).close();
  if (!root) fail(undefined, 'mẫu không tạo ra phần tử <document>.', 'the template produced no <document> element.');
  return result;
}

const INLINE_NAMES: ReadonlySet<string> = new Set<string>(INLINES);
