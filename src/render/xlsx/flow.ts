// Pages for the sheet, by the PDF engine's rules (src/render/pdf/flow/collect.ts and distribute.ts): the blocks
// become units (a paragraph's row, a table's row group, a side-by-side block) that carry "a page may end before
// this unit"; pages are filled in order, and a unit that does not fit ends the page at the last place a break
// is allowed. Then the pages become sheet rows: the spacing between units, the table header rows repeated
// above a continued table, and the manual page breaks.
//
// Keep rules, as in the PDF: a paragraph with keepWithNext ties the next unit to it (so chains of them move
// together), a rule and a signature block never start a page, a table's header rows stay with its first body
// rows and repeat when the table continues, and a page-break unit starts a new page.

/** A run of rows that stays on one page. */
export interface Unit {
  /** Heights of the unit's rows, without the spacing around it. */
  rows: number[];
  /** Space above and below; between two units the larger one counts (as in Word and the PDF). */
  spaceBefore: number;
  spaceAfter: number;
  /** A page may end just before this unit. */
  breakBefore: boolean;
  /** A page break: the next unit starts a new page. */
  forced?: boolean;
  /**
   * The unit's last row may grow by the space after it (borderless text set at the top of its row); other
   * units get the space as a row of its own.
   */
  stretches: boolean;
  /** Table (by order of appearance) whose header rows are repeated above this unit when it starts a page. */
  repeat?: number;
}

export interface Page {
  /** Indexes of the units on the page. */
  units: number[];
  /** The page follows a natural break (not a page-break block): the first unit's space before is dropped. */
  natural: boolean;
}

/**
 * Fill `capacity` points per page; `header(u)` is the height repeated above unit `u` when it starts a page.
 * `tops`, when given, receives where each unit starts on its page (points from the top, header included);
 * `tried`, the room left below where each unit was first tried, whether it stayed there or moved on.
 */
export function distribute(units: Unit[], capacity: number, header: (u: Unit) => number, tops?: number[], tried?: number[]): Page[] {
  const pages: Page[] = [];
  let page: number[] = [];
  let natural = false;
  let y = 0;
  let after = 0;
  const newPage = (isNatural: boolean) => {
    pages.push({ units: page, natural });
    page = [];
    y = 0;
    after = 0;
    natural = isNatural;
  };
  for (let i = 0; i < units.length; ) {
    const u = units[i]!;
    if (u.forced) {
      // A page that has nothing on it yet is not left blank.
      if (page.length > 0) newPage(false);
      i++;
      continue;
    }
    const atTop = page.length === 0;
    const before = atTop && natural ? 0 : u.spaceBefore;
    const top = (atTop ? before : y + Math.max(after, before)) + (atTop ? header(u) : 0);
    const bottom = top + sum(u.rows);
    if (tried && tried[i] === undefined) tried[i] = capacity - top;
    // A unit taller than a page goes on a page of its own rather than being lost.
    if (bottom <= capacity + 1e-6 || atTop) {
      page.push(i);
      if (tops) tops[i] = top;
      y = bottom;
      after = u.spaceAfter;
      i++;
      continue;
    }
    // End the page at the last allowed break: before this unit, or before an earlier one it is tied to.
    let j = -1;
    if (u.breakBefore) j = i;
    else {
      for (let k = i - 1; k >= 0; k--) {
        if (units[k]!.breakBefore) {
          j = k;
          break;
        }
      }
      if (j <= page[0]!) j = -1;
    }
    if (j >= 0 && j < i) page = page.filter((k) => k < j);
    if (j < 0) j = i; // nothing allows a break: break here anyway
    newPage(true);
    i = j;
  }
  if (page.length > 0 || pages.length === 0) pages.push({ units: page, natural });
  return pages;
}

export interface SheetRows {
  rows: number[];
  /** Rows (0-based) after which a page break is forced. */
  breaks: number[];
  /** First sheet row of each unit (undefined for page-break units). */
  first: Array<number | undefined>;
  /** Where a table's header rows were written again: the table and the first sheet row of the copy. */
  copies: Array<{ table: number; row: number }>;
}

/**
 * The sheet rows of distributed pages. `copy(u)` gives the header rows to write above unit `u` when it starts
 * a page (none when print titles repeat them).
 */
export function materialize(units: Unit[], pages: Page[], copy: (u: Unit) => number[] | undefined): SheetRows {
  const rows: number[] = [];
  const breaks: number[] = [];
  const first: Array<number | undefined> = units.map(() => undefined);
  const copies: Array<{ table: number; row: number }> = [];
  pages.forEach((page, p) => {
    if (p > 0 && rows.length > 0) breaks.push(rows.length - 1);
    page.units.forEach((k, n) => {
      const u = units[k]!;
      const prev = n > 0 ? units[page.units[n - 1]!]! : undefined;
      // Spacing as distribute counted it: dropped at the top of a page after a natural break and at the foot.
      const gap = prev ? Math.max(prev.spaceAfter, u.spaceBefore) : page.natural ? 0 : u.spaceBefore;
      if (gap > 0.01) {
        if (prev?.stretches && rows.length > 0) rows[rows.length - 1]! += gap;
        else rows.push(gap);
      }
      const header = n === 0 ? copy(u) : undefined;
      if (header?.length && u.repeat !== undefined) {
        copies.push({ table: u.repeat, row: rows.length });
        rows.push(...header);
      }
      first[k] = rows.length;
      rows.push(...u.rows);
    });
  });
  return { rows, breaks, first, copies };
}

/**
 * Rounds the units' rows and spacing to whole `step`s, as the programs draw rows. A unit's row edges are
 * rounded from its top, so that a block of many rows does not drift; no row becomes thinner than one step.
 */
export function toSteps(units: Unit[], step: number): void {
  const round = (h: number) => Math.round(h / step) * step;
  for (const u of units) {
    let top = 0;
    let drawn = 0;
    u.rows = u.rows.map((h) => {
      top += h;
      const edge = Math.max(round(top), drawn + step);
      const row = edge - drawn;
      drawn = edge;
      return row;
    });
    u.spaceBefore = round(u.spaceBefore);
    u.spaceAfter = round(u.spaceAfter);
  }
}

function sum(xs: number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
