// The document model laid out on a sheet: rows with heights, merged cells with text or live values, drawn rules,
// page breaks and the title rows to repeat. Pure: no exceljs here (see write.ts).
//
// Paragraphs become rows merged across their width, as tall as the PDF sets their lines, with the text at the
// top; tables become rows of bordered cells on the grid's columns (table.ts); side-by-side blocks share rows
// cut where their items start (side.ts). The blocks are units of a page flow that follows the PDF engine's
// keep rules, and the pages become manual breaks (flow.ts).
//
// A table that continues on a new page gets its header again: through the sheet's print titles when it is the
// only table that continues and every later page starts inside it (the common single-table form, which then
// stays right when rows are edited), else by writing the header rows again on the sheet.
import type { Block, DocumentModel } from '../../model/types.js';
import { effectiveParagraph } from '../../model/effective.js';
import { distribute, materialize, toSteps, type Page, type Unit } from './flow.js';
import { buildGrid } from './grid.js';
import { PlanContext, type Content, type SheetPlan } from './plan.js';
import { DEFAULT_XLSX_LAYOUT, type XlsxLayout } from './profile.js';
import { sideBySide } from './side.js';
import { layoutTable, type TableLayout } from './table.js';
import { fitLines, lineHeight, paragraphText, sliceRuns } from './text.js';

export { SheetLayoutError, type PlannedCell, type PlannedValue, type LineMark, type SheetPlan } from './plan.js';

interface Flow {
  units: Unit[];
  /** Each unit's cells and lines, rows counted from the unit's first row. */
  content: Content[];
  tables: Array<{ layout: TableLayout; units: number[] }>;
  /** Pieces of paragraphs that may be cut where a page ends: the key of their room, their unit, whether cut. */
  paragraphs: Array<{ key: string; unit: number; cut: boolean }>;
}

/** Lines a paragraph keeps together at either side of a page break (widow and orphan control, as in the PDF). */
const MIN_LINES_AT_BREAK = 2;

const NOTHING: Content = { cells: [], lines: [] };

/**
 * The top-level blocks as units, with keep-with-next ties (as src/render/pdf/flow/collect.ts); `loose`: table
 * text does without its indent off the border where that indent makes a row taller than in the PDF; `rooms`:
 * the room left on the page where each cut table row starts ("table:row"), found by an earlier pass.
 */
function collect(ctx: PlanContext, blocks: Block[], c0: number, c1: number, loose: boolean, capacity: number, rooms: Map<string, number>): Flow {
  const flow: Flow = { units: [], content: [], tables: [], paragraphs: [] };
  // Set by a keep-with-next paragraph: the next unit may not start a page.
  let tie = false;
  const push = (u: Unit, content: Content = NOTHING): number => {
    if (tie) u.breakBefore = false;
    tie = false;
    flow.units.push(u);
    flow.content.push(content);
    return flow.units.length - 1;
  };
  const space = (height: number, breakBefore: boolean): Unit => ({ rows: [height], spaceBefore: 0, spaceAfter: 0, breakBefore, stretches: true });

  for (const [index, b] of blocks.entries()) {
    switch (b.kind) {
      case 'paragraph': {
        const text = paragraphText(ctx.doc, b);
        const indent = ctx.indentOf(text, text.align, false);
        const { starts, shrink } = fitLines(text.runs, ctx.textArea(c0, c1, indent), ctx.layout, ctx.pdfArea(c0, c1, text));
        const line = lineHeight(text, ctx.layout);
        // Excel's rows stop at 409 pt: a longer paragraph is cut into rows of whole lines, each its own unit.
        const perRow = Math.max(1, Math.floor(ctx.layout.maxRow / line));
        const total = text.runs.reduce((n, r) => n + r.text.length, 0);
        const keep = effectiveParagraph(ctx.doc, b).keepWithNext;
        // Where an earlier pass found a page ending inside a piece, the piece is the lines that fit there (as the
        // PDF breaks a paragraph) and the rest goes on, instead of the whole piece moving on to leave a hole.
        const cuts: number[] = [];
        for (let at = 0; at < starts.length; ) {
          const key = `p:${index}:${cuts.length}`;
          const left = starts.length - at;
          const whole = Math.min(perRow, left);
          const room = keep ? undefined : rooms.get(key);
          const fit = room === undefined ? 0 : Math.floor((room - ctx.layout.rowStep) / line);
          const lines = fit >= MIN_LINES_AT_BREAK && left - fit >= MIN_LINES_AT_BREAK && fit < whole ? fit : whole;
          if (!keep) flow.paragraphs.push({ key, unit: flow.units.length + cuts.length, cut: lines < whole });
          cuts.push(at);
          at += lines;
        }
        // A piece that the paragraph continues after is set with its lines spread over its row ('justify'): the
        // programs draw lines tighter than the PDF, and a piece set at the top would end in a gap mid-paragraph.
        for (const [k, i] of cuts.entries()) {
          const end = cuts[k + 1] ?? starts.length;
          const lines = end - i;
          const runs = lines === starts.length ? text.runs : sliceRuns(text.runs, starts[i]!, starts[end] ?? total);
          const cells =
            runs.length > 0
              ? [{ row: 0, col: c0, rows: 1, cols: c1 - c0, runs, align: text.align, vertical: end < starts.length ? ('justify' as const) : ('top' as const), indent, border: false, ...(shrink ? { shrink } : {}) }]
              : [];
          push(
            {
              rows: [lines * line],
              spaceBefore: i === 0 ? text.spaceBefore : 0,
              spaceAfter: end >= starts.length ? text.spaceAfter : 0,
              breakBefore: true,
              stretches: true,
            },
            { cells, lines: [] },
          );
        }
        tie = keep;
        break;
      }
      case 'rule': {
        // A rule underlines what precedes it: it never starts a page. Its line is the bottom edge of a thin row.
        const [from, to] = ctx.ruleColumns(b.width, b.align, c0, c1);
        const u: Unit = { rows: [Math.max(b.thickness, ctx.layout.rowStep)], spaceBefore: b.spaceBefore, spaceAfter: b.spaceAfter, breakBefore: false, stretches: false };
        push(u, { cells: [], lines: [{ row: 0, from, to, thickness: b.thickness }] });
        break;
      }
      case 'spacer':
        push(space(b.height, true));
        break;
      case 'signature-space':
        // The space belongs to the signer's lines above it.
        push(space(b.height, false));
        break;
      case 'page-break':
        // The page number of a single sheet cannot restart (restartNumbering): only the break is kept.
        tie = false;
        flow.units.push({ rows: [], spaceBefore: 0, spaceAfter: 0, breakBefore: true, forced: true, stretches: false });
        flow.content.push(NOTHING);
        break;
      case 'table': {
        const n = flow.tables.length;
        const t = layoutTable(ctx, b, n, c0, c1, loose, { capacity, room: (r) => rooms.get(`${n}:${r}`) });
        if (!t) break;
        flow.tables.push({ layout: t, units: t.units.map((u) => push(u)) });
        break;
      }
      case 'columns':
      case 'signature': {
        const s = b.kind === 'columns' ? sideBySide(ctx, b.widths, b.columns, c0, c1) : sideBySide(ctx, b.widths, [b.left, b.right], c0, c1);
        if (!s) break;
        // Kept whole; a signature block never starts a page (it keeps with what precedes it).
        push({ rows: s.rows, spaceBefore: 0, spaceAfter: 0, breakBefore: b.kind === 'columns', stretches: s.stretches }, s);
        break;
      }
    }
  }
  return flow;
}

/** The one table whose header the print titles can repeat: every page after the first starts inside it. */
function titledTable(flow: Flow, pages: Page[]): number | undefined {
  const starts = pages.slice(1).map((p) => flow.units[p.units[0]!]?.repeat);
  const crossing = [...new Set(starts.filter((t): t is number => t !== undefined))];
  const headed = flow.tables.map((t, i) => (t.layout.headerUnits > 0 ? i : -1)).filter((i) => i >= 0);
  const table = crossing.length === 1 ? crossing[0] : crossing.length === 0 && headed.length === 1 ? headed[0] : undefined;
  return table !== undefined && starts.every((t) => t === table) ? table : undefined;
}

/** Lays a document model out on one sheet. */
export function planSheet(doc: DocumentModel, layout: XlsxLayout = DEFAULT_XLSX_LAYOUT): SheetPlan {
  const textWidth = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const capacity = doc.page.height - doc.page.margins.top - doc.page.margins.bottom - layout.pageSafety;
  const grid = buildGrid(doc.body, textWidth);
  const last = grid.edges.length - 1;
  const ctx = new PlanContext(doc, grid, textWidth, layout);
  const once = (loose: boolean, rooms: Map<string, number>) => {
    const flow = collect(ctx, doc.body, 0, last, loose, capacity, rooms);
    toSteps(flow.units, layout.rowStep);
    const header = (u: Unit) => {
      const t = u.repeat === undefined ? undefined : flow.tables[u.repeat]!.layout;
      return t ? t.units.slice(0, t.headerUnits).flatMap((h) => h.rows) : [];
    };
    // Print titles and copied header rows take the same height: one distribution serves both.
    const tops: number[] = [];
    const tried: number[] = [];
    const pages = distribute(flow.units, capacity, (u) => header(u).reduce((a, b) => a + b, 0), tops, tried);
    // Where each cut table row starts on its page.
    const found = new Map<string, number>();
    flow.tables.forEach((t, i) => {
      for (const c of t.layout.cutRows) {
        const u = flow.units[t.units[c.unit]!]!;
        const above = u.rows.slice(0, c.index).reduce((a, b) => a + b, 0);
        found.set(`${i}:${c.row}`, capacity - tops[t.units[c.unit]!]! - above);
      }
    });
    // The room where each paragraph piece was first tried: for one that did not fit there, or one already cut for it.
    for (const p of flow.paragraphs) {
      const u = flow.units[p.unit]!;
      const room = tried[p.unit]!;
      if (p.cut || room < u.rows.reduce((a, b) => a + b, 0)) found.set(p.key, room);
    }
    return { flow, header, pages, found };
  };
  // A row cut into several sheet rows fills the page it starts on: each pass places one more cut row where the
  // pass before found it, until the rows stand where they are cut for.
  const paginate = (loose: boolean) => {
    let rooms = new Map<string, number>();
    let paged = once(loose, rooms);
    for (let pass = 0; pass <= paged.found.size; pass++) {
      const same = [...paged.found].every(([k, v]) => Math.abs((rooms.get(k) ?? NaN) - v) < 0.01);
      if (same) break;
      rooms = paged.found;
      paged = once(loose, rooms);
    }
    return paged;
  };
  let paged = paginate(false);
  // Table text is kept off the borders unless that alone costs a page (a cell a line longer than in the PDF).
  if (paged.flow.tables.some((t) => t.layout.loosens)) {
    const loose = paginate(true);
    if (loose.pages.length < paged.pages.length) paged = loose;
  }
  const { flow, header, pages } = paged;
  const titled = titledTable(flow, pages);
  const sheet = materialize(flow.units, pages, (u) => (u.repeat === titled ? undefined : header(u)));

  const plan: SheetPlan = { columns: [], rows: sheet.rows, cells: [], lines: [], breaks: sheet.breaks, repeatedHeaderRows: [], textWidth };
  for (let i = 0; i < last; i++) plan.columns.push(ctx.width(i, i + 1));
  flow.content.forEach((c, k) => {
    const at = sheet.first[k];
    if (at === undefined) return;
    for (const cell of c.cells) plan.cells.push({ ...cell, row: cell.row + at });
    for (const line of c.lines) plan.lines.push({ ...line, row: line.row + at });
  });
  flow.tables.forEach((t, i) => {
    const copies = sheet.copies.filter((c) => c.table === i).map((c) => c.row);
    plan.cells.push(...t.layout.cells((u) => sheet.first[t.units[u]!]!, copies, sheet.breaks));
    for (const row of copies) for (let r = 0; r < t.layout.headerRows; r++) plan.repeatedHeaderRows.push(row + r);
    if (i === titled && t.layout.headerRows > 0) {
      const top = sheet.first[t.units[0]!]!;
      plan.titleRows = [top, top + t.layout.headerRows - 1];
    }
  });
  return plan;
}
