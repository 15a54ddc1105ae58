// The document body as WordprocessingML: model blocks → <w:p> and <w:tbl> elements, in the schema's element order.
//
// This is the per-record part of a DOCX; everything else (styles, theme, numbering, headers, settings) is built
// once per style set by the `docx` package (skeleton.ts). Widths are tracked down the tree so that rules get
// exact indents. Every run names its font in the ascii, hAnsi, East Asian and complex-script slots and carries
// the document language; run properties are built once per distinct format and reused.
import { effectiveParagraph, effectiveRun, styleOf } from '../../model/effective.js';
import type { Align, Block, Columns, DocumentModel, LineSpacing, Paragraph, ResolvedStyle, Rule, SignatureBlock, Table, TableCell, VerticalAlign } from '../../model/types.js';
import type { EffectiveRun } from '../../model/effective.js';
import { eighths, splitBySymbol, SYMBOL_FONT, twip } from './styles.js';

const JC: Record<Align, string> = { left: 'left', center: 'center', right: 'right', justify: 'both' };
const VALIGN: Record<VerticalAlign, string> = { top: 'top', center: 'center', bottom: 'bottom' };
const TABLE_LINE = eighths(0.5);

export function escapeXml(text: string): string {
  return /[&<>"]/.test(text) ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;') : text;
}

function spacingXml(before: number, after: number, line: LineSpacing): string {
  const [value, rule] = line.kind === 'multiple' ? [Math.round(line.value * 240), 'auto'] : [twip(line.pt), line.kind === 'exact' ? 'exact' : 'atLeast'];
  return `<w:spacing w:before="${twip(before)}" w:after="${twip(after)}" w:line="${value}" w:lineRule="${rule}"/>`;
}

function indentXml(firstLine: number, left: number, right: number): string {
  const first = firstLine >= 0 ? `w:firstLine="${twip(firstLine)}"` : `w:hanging="${twip(-firstLine)}"`;
  return `<w:ind w:left="${twip(left)}" w:right="${twip(right)}" ${first}/>`;
}

/** Paragraph properties a container imposes on the blocks in it. */
interface Extra {
  keepNext?: boolean;
  keepLines?: boolean;
  pageBreakBefore?: boolean;
  /** Alignment for paragraphs that set none of their own (a cell's alignment). */
  align?: Align;
  /** Every block but the last keeps with the next (a group that must stay on one page). */
  keepGroup?: boolean;
}

/** A paragraph mark 1 pt high: used by rules, spacers and page-break carriers. */
const TINY_MARK = '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr>';

const rprCaches = new WeakMap<object, Map<string, string>>();

export class BodyWriter {
  private readonly rpr: Map<string, string>;
  private readonly langAttrs: string;

  /**
   * @param sectionProperties the document's <w:sectPr>: a page break that restarts the numbering ends a section
   * with a copy of it, and the next section (an appendix) counts its pages from 1.
   */
  constructor(
    private readonly doc: DocumentModel,
    lang: string,
    private readonly sectionProperties?: string,
  ) {
    let cache = rprCaches.get(doc.styles);
    if (!cache) {
      cache = new Map();
      rprCaches.set(doc.styles, cache);
    }
    this.rpr = cache;
    const l = escapeXml(lang);
    this.langAttrs = `w:val="${l}" w:eastAsia="${l}" w:bidi="${l}"`;
  }

  /** <w:rPr> for a run format against its paragraph style, built once per distinct combination. */
  private runProperties(f: EffectiveRun, style: ResolvedStyle, family: string): string {
    const key = `${family}|${f.size}|${+f.bold}${+f.italic}${+f.underline}|${+style.bold}${+style.italic}${+style.underline}|${f.color}|${this.langAttrs}`;
    let xml = this.rpr.get(key);
    if (xml === undefined) {
      const font = escapeXml(family);
      const half = Math.round(f.size * 2);
      xml =
        '<w:rPr>' +
        `<w:rFonts w:ascii="${font}" w:hAnsi="${font}" w:eastAsia="${font}" w:cs="${font}"/>` +
        (f.bold ? '<w:b/><w:bCs/>' : style.bold ? '<w:b w:val="0"/><w:bCs w:val="0"/>' : '') +
        (f.italic ? '<w:i/><w:iCs/>' : style.italic ? '<w:i w:val="0"/><w:iCs w:val="0"/>' : '') +
        `<w:color w:val="${escapeXml(f.color)}"/>` +
        `<w:sz w:val="${half}"/><w:szCs w:val="${half}"/>` +
        (f.underline ? '<w:u w:val="single"/>' : style.underline ? '<w:u w:val="none"/>' : '') +
        `<w:lang ${this.langAttrs}/>` +
        '</w:rPr>';
      this.rpr.set(key, xml);
    }
    return xml;
  }

  private runs(p: Paragraph, style: ResolvedStyle): string {
    let out = '';
    for (const run of p.runs) {
      const eff = effectiveRun(style, run);
      if (eff.field) {
        const instr = eff.field === 'page' ? 'PAGE' : this.sectionProperties ? 'SECTIONPAGES' : 'NUMPAGES'; // as the header's {pages}
        const rPr = this.runProperties(eff, style, eff.font);
        out +=
          `<w:r>${rPr}<w:fldChar w:fldCharType="begin"/></w:r>` +
          `<w:r>${rPr}<w:instrText xml:space="preserve"> ${instr} </w:instrText></w:r>` +
          `<w:r>${rPr}<w:fldChar w:fldCharType="separate"/></w:r>` +
          `<w:r>${rPr}<w:t>1</w:t></w:r>` +
          `<w:r>${rPr}<w:fldChar w:fldCharType="end"/></w:r>`;
        continue;
      }
      const lines = eff.text.split('\n');
      for (let i = 0; i < lines.length; i++) {
        const line = lines[i]!;
        if (line === '') {
          if (i > 0) out += `<w:r>${this.runProperties(eff, style, eff.font)}<w:br/></w:r>`;
          continue;
        }
        const pieces = splitBySymbol(line, eff.bold, eff.italic);
        for (let k = 0; k < pieces.length; k++) {
          const piece = pieces[k]!;
          const rPr = this.runProperties(eff, style, piece.symbol ? SYMBOL_FONT : eff.font);
          out += `<w:r>${rPr}${i > 0 && k === 0 ? '<w:br/>' : ''}<w:t xml:space="preserve">${escapeXml(piece.text)}</w:t></w:r>`;
        }
      }
    }
    return out;
  }

  paragraph(p: Paragraph, extra: Extra): string {
    const style = styleOf(this.doc, p.style);
    let ppr = `<w:pStyle w:val="${escapeXml(p.style)}"/>`;
    const keepNext = extra.keepNext ?? p.keepWithNext;
    if (keepNext !== undefined && keepNext !== style.keepWithNext) ppr += keepNext ? '<w:keepNext/>' : '<w:keepNext w:val="0"/>';
    const keepLines = extra.keepLines ?? p.keepTogether;
    if (keepLines !== undefined && keepLines !== style.keepTogether) ppr += keepLines ? '<w:keepLines/>' : '<w:keepLines w:val="0"/>';
    if (extra.pageBreakBefore) ppr += '<w:pageBreakBefore/>';
    // The named style in styles.xml carries the rest; only what this paragraph changes is written.
    if (p.spacing || p.indent) {
      const e = effectiveParagraph(this.doc, p);
      if (p.spacing) ppr += spacingXml(e.spaceBefore, e.spaceAfter, e.lineSpacing);
      if (p.indent) ppr += indentXml(e.firstLineIndent, e.indentLeft, e.indentRight);
    }
    const align = p.align ?? extra.align;
    if (align && align !== style.align) ppr += `<w:jc w:val="${JC[align]}"/>`;
    return `<w:p><w:pPr>${ppr}</w:pPr>${this.runs(p, style)}</w:p>`;
  }

  /** An empty paragraph exactly `height` points tall (spacers, signature space); Word needs at least 1 pt. */
  private gap(height: number, extra: Extra = {}): string {
    return (
      '<w:p><w:pPr>' +
      (extra.keepNext ? '<w:keepNext/>' : '') +
      (extra.keepLines ? '<w:keepLines/>' : '') +
      (extra.pageBreakBefore ? '<w:pageBreakBefore/>' : '') +
      `<w:spacing w:before="0" w:after="0" w:line="${Math.max(20, twip(height))}" w:lineRule="exact"/>` +
      TINY_MARK +
      '</w:pPr></w:p>'
    );
  }

  /** The 1 pt paragraph that ends a section (its properties inside): the next section starts on a new page. */
  private sectionEnd(sectPr: string): string {
    return `<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>${TINY_MARK}${sectPr}</w:pPr></w:p>`;
  }

  /** A rule: an empty 1 pt paragraph whose bottom border spans `width`, placed by left and right indents. */
  private rule(r: Rule, containerWidth: number, extra: Extra): string {
    const width = Math.min(r.width, containerWidth);
    const free = Math.max(0, containerWidth - width);
    const left = r.align === 'left' ? 0 : r.align === 'right' ? free : free / 2;
    return (
      '<w:p><w:pPr>' +
      (extra.keepNext ? '<w:keepNext/>' : '') +
      (extra.pageBreakBefore ? '<w:pageBreakBefore/>' : '') +
      `<w:pBdr><w:bottom w:val="single" w:sz="${eighths(r.thickness)}" w:space="0" w:color="000000"/></w:pBdr>` +
      `<w:spacing w:before="${twip(r.spaceBefore)}" w:after="${twip(r.spaceAfter)}" w:line="20" w:lineRule="exact"/>` +
      `<w:ind w:left="${twip(left)}" w:right="${twip(free - left)}" w:firstLine="0"/>` +
      TINY_MARK +
      '</w:pPr></w:p>'
    );
  }

  private tableXml(options: {
    width: number;
    colWidths: number[];
    borders: boolean;
    margin: { x: number; y: number };
    rows: Array<{ header: boolean; cantSplit: boolean; cells: Array<{ xml: string; col: number; span: number; rowSpan: number }> }>;
  }): string {
    const line = options.borders ? `w:val="single" w:sz="${TABLE_LINE}" w:space="0" w:color="000000"` : 'w:val="nil"';
    const mx = twip(options.margin.x);
    const my = twip(options.margin.y);
    let xml =
      '<w:tbl><w:tblPr>' +
      `<w:tblW w:w="${twip(options.width)}" w:type="dxa"/>` +
      `<w:tblBorders><w:top ${line}/><w:left ${line}/><w:bottom ${line}/><w:right ${line}/><w:insideH ${line}/><w:insideV ${line}/></w:tblBorders>` +
      '<w:tblLayout w:type="fixed"/>' +
      `<w:tblCellMar><w:top w:w="${my}" w:type="dxa"/><w:left w:w="${mx}" w:type="dxa"/><w:bottom w:w="${my}" w:type="dxa"/><w:right w:w="${mx}" w:type="dxa"/></w:tblCellMar>` +
      '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>' +
      '</w:tblPr><w:tblGrid>';
    for (const w of options.colWidths) xml += `<w:gridCol w:w="${twip(w)}"/>`;
    xml += '</w:tblGrid>';
    // Cells merged down from earlier rows: a continuation cell (vMerge) goes in at their column in each row.
    const spans: Array<{ col: number; span: number; lastRow: number; tcW: number }> = [];
    options.rows.forEach((row, ri) => {
      xml += '<w:tr>';
      if (row.cantSplit || row.header) xml += `<w:trPr>${row.cantSplit ? '<w:cantSplit/>' : ''}${row.header ? '<w:tblHeader/>' : ''}</w:trPr>`;
      const continuation = (s: (typeof spans)[number]) =>
        `<w:tc><w:tcPr><w:tcW w:w="${s.tcW}" w:type="dxa"/>${s.span > 1 ? `<w:gridSpan w:val="${s.span}"/>` : ''}<w:vMerge/></w:tcPr><w:p/></w:tc>`;
      const active = spans.filter((s) => s.lastRow >= ri).sort((a, b) => a.col - b.col);
      let k = 0;
      for (const cell of row.cells) {
        while (k < active.length && active[k]!.col < cell.col) xml += continuation(active[k++]!);
        xml += cell.xml;
        if (cell.rowSpan > 1) {
          const tcW = twip(options.colWidths.slice(cell.col, cell.col + cell.span).reduce((s, w) => s + w, 0));
          spans.push({ col: cell.col, span: cell.span, lastRow: ri + cell.rowSpan - 1, tcW });
        }
      }
      while (k < active.length) xml += continuation(active[k++]!);
      xml += '</w:tr>';
    });
    return `${xml}</w:tbl>`;
  }

  /** Cell content; Word requires a paragraph at the end of every cell. */
  private cellContent(blocks: Block[], width: number, extra: Extra): string {
    const xml = this.blocks(blocks, width, extra);
    return xml.endsWith('</w:p>') ? xml : `${xml}<w:p/>`;
  }

  private table(t: Table, containerWidth: number): string {
    const width = containerWidth * (t.width ?? 1);
    const total = t.columns.reduce((s, c) => s + c, 0);
    const colWidths = t.columns.map((c) => (width * c) / total);
    const pad = t.padding ?? { x: 4, y: 2 };
    const taken = new Map<number, Set<number>>();
    const rows = t.rows.map((row, ri) => {
      let col = 0;
      const cells = row.cells.map((cell) => {
        const busy = taken.get(ri);
        while (busy?.has(col)) col++;
        const span = cell.colSpan ?? 1;
        const rowSpan = cell.rowSpan ?? 1;
        for (let r = ri + 1; r < ri + rowSpan; r++) {
          const set = taken.get(r) ?? new Set<number>();
          for (let c = col; c < col + span; c++) set.add(c);
          taken.set(r, set);
        }
        const cellWidth = colWidths.slice(col, col + span).reduce((s, w) => s + w, 0);
        const at = col;
        col += span;
        return { xml: this.cell(cell, cellWidth, cellWidth - 2 * pad.x, span, rowSpan), col: at, span, rowSpan };
      });
      return { header: ri < t.headerRows, cantSplit: row.cantSplit ?? true, cells };
    });
    return this.tableXml({ width, colWidths, borders: t.borders, margin: pad, rows });
  }

  private cell(cell: TableCell, width: number, contentWidth: number, span: number, rowSpan: number): string {
    let tcPr = `<w:tcW w:w="${twip(width)}" w:type="dxa"/>`;
    if (span > 1) tcPr += `<w:gridSpan w:val="${span}"/>`;
    if (rowSpan > 1) tcPr += '<w:vMerge w:val="restart"/>';
    if (cell.shading) tcPr += `<w:shd w:val="clear" w:color="auto" w:fill="${escapeXml(cell.shading)}"/>`;
    if (cell.verticalAlign) tcPr += `<w:vAlign w:val="${VALIGN[cell.verticalAlign]}"/>`;
    return `<w:tc><w:tcPr>${tcPr}</w:tcPr>${this.cellContent(cell.blocks, Math.max(1, contentWidth), { align: cell.align })}</w:tc>`;
  }

  /** Side-by-side blocks as a borderless table; consecutive Columns with the same widths become rows of one table. */
  private columns(group: Columns[], containerWidth: number): string {
    const widths = group[0]!.widths;
    const total = widths.reduce((s, w) => s + w, 0);
    const colWidths = widths.map((w) => (containerWidth * w) / total);
    const rows = group.map((c) => ({
      header: false,
      cantSplit: c.keepTogether ?? true,
      cells: c.columns.map((blocks, i) => ({
        xml: `<w:tc><w:tcPr><w:tcW w:w="${twip(colWidths[i]!)}" w:type="dxa"/></w:tcPr>${this.cellContent(blocks, colWidths[i]!, {})}</w:tc>`,
        col: i,
        span: 1,
        rowSpan: 1,
      })),
    }));
    return this.tableXml({ width: containerWidth, colWidths, borders: false, margin: { x: 0, y: 0 }, rows });
  }

  /** The closing block: one unsplittable borderless row whose paragraphs keep together. */
  private signature(s: SignatureBlock, containerWidth: number): string {
    const total = s.widths[0] + s.widths[1];
    const colWidths = s.widths.map((w) => (containerWidth * w) / total);
    const cells = [s.left, s.right].map((blocks, i) => ({
      xml: `<w:tc><w:tcPr><w:tcW w:w="${twip(colWidths[i]!)}" w:type="dxa"/></w:tcPr>${this.cellContent(blocks, colWidths[i]!, { keepGroup: true, keepLines: true })}</w:tc>`,
      col: i,
      span: 1,
      rowSpan: 1,
    }));
    return this.tableXml({ width: containerWidth, colWidths, borders: false, margin: { x: 0, y: 0 }, rows: [{ header: false, cantSplit: true, cells }] });
  }

  /** Converts blocks in a container `width` points wide. */
  blocks(blocks: Block[], width: number, extra: Extra = {}): string {
    let out = '';
    let breakBefore = false;
    for (let i = 0; i < blocks.length; i++) {
      const block = blocks[i]!;
      const next = blocks[i + 1];
      // A signature block is never the first thing on a page: what comes before it keeps with it.
      const keepNext = next?.kind === 'signature' || (extra.keepGroup && next !== undefined) ? true : extra.keepNext;
      const here: Extra = { keepNext, keepLines: extra.keepLines, align: extra.align, pageBreakBefore: breakBefore };
      breakBefore = false;
      switch (block.kind) {
        case 'paragraph':
          out += this.paragraph(block, here);
          break;
        case 'rule':
          out += this.rule(block, width, here);
          break;
        case 'spacer':
          if (block.height > 0) out += this.gap(block.height, here);
          else if (here.pageBreakBefore) breakBefore = true;
          break;
        case 'signature-space':
          out += this.gap(block.height, { ...here, keepNext: true, keepLines: true });
          break;
        case 'page-break':
          if (block.restartNumbering && this.sectionProperties) out += this.sectionEnd(this.sectionProperties);
          else breakBefore = true;
          break;
        case 'table':
          if (here.pageBreakBefore) out += this.gap(1, { pageBreakBefore: true });
          out += this.table(block, width);
          break;
        case 'columns': {
          if (here.pageBreakBefore) out += this.gap(1, { pageBreakBefore: true });
          const group: Columns[] = [block];
          while (blocks[i + 1]?.kind === 'columns' && sameWidths((blocks[i + 1] as Columns).widths, block.widths)) group.push(blocks[++i] as Columns);
          out += this.columns(group, width);
          break;
        }
        case 'signature':
          if (here.pageBreakBefore) out += this.gap(1, { pageBreakBefore: true });
          out += this.signature(block, width);
          break;
      }
    }
    if (breakBefore) out += this.gap(1, { pageBreakBefore: true });
    return out;
  }
}

function sameWidths(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((w, i) => w === b[i]);
}
