// Generates the data-collection workbook of a tabular form: instructions, a protected data sheet with dropdowns and
// checks bounded to the rows offered, very hidden lists and metadata sheets.
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { UsageError } from '../errors.js';
import { loadRegistry, type FormRegistry } from '../forms/registry.js';
import type { Lang } from '../i18n.js';
import { DEFAULT_LIMITS } from '../ingest/limits.js';
import { tabularForm } from '../ingest/ingest.js';
import { parseXmlTree, serializeXml, firstChild, type XmlElement } from '../ingest/xml.js';
import { ZipArchive, rewriteZip } from '../ingest/zip.js';
import { loadRules, type RuleRegistry } from '../rules/registry.js';
import { VERSION } from '../version.js';
import { columnLetter } from './address.js';
import { BOOLEAN_LABELS, rowValuesFor } from './cells.js';
import { buildColumns, ruleMaxima, type SheetColumn } from './columns.js';
import { PROFILE_HEADER, TEXT, clip, columnHint } from './instructions.js';
import { DATA_SHEET_NAMES, INSTRUCTIONS_SHEET_NAMES, LISTS_SHEET, META_FORMAT, META_SHEET, TEMPLATE_HEADER_ROW, metaRows, type WorkbookMeta } from './meta.js';

export interface CreateWorkbookOptions {
  registry?: FormRegistry;
  ruleRegistry?: RuleRegistry;
  /** Rule set for level names and score maxima; the form's default when absent. */
  rules?: string;
  /** Data rows offered (validations cover exactly these rows). Default 200. */
  rows?: number;
  /** Name of the unit the workbook is sent to (header block and metadata). */
  unit?: string;
  lang?: Lang;
  /** Records to pre-fill, one per row (e.g. last period's list to correct). */
  records?: unknown[];
  /** Generation time recorded in the metadata (default: now). */
  now?: Date;
}

export interface CreatedWorkbook {
  buffer: Buffer;
  meta: WorkbookMeta;
  columns: SheetColumn[];
}

export const DEFAULT_ROWS = 200;
export const MAX_ROWS = DEFAULT_LIMITS.maxRows;
/** Header block, title, banner, group row, header row; data starts below. */
const HEADER_ROW = TEMPLATE_HEADER_ROW;
const FIRST_DATA_ROW = HEADER_ROW + 1;
const FONT = 'Times New Roman';

const COLORS = {
  required: 'FFF8CBAD',
  groupRequired: 'FFFFF2CC',
  optional: 'FFE7E6E6',
  group: ['FFDDEBF7', 'FFE2EFDA'],
  border: 'FF808080',
};

type Validation = ExcelJS.DataValidation;

/** Excel allows an inline list only up to 255 characters, and its items cannot hold commas or quotes. */
function inlineList(labels: string[]): string | undefined {
  if (labels.some((l) => /[",]/.test(l))) return undefined;
  const formula = `"${labels.join(',')}"`;
  return formula.length <= 255 ? formula : undefined;
}

/**
 * A date typed as dd/mm/yyyy text: 10 characters, slashes in place, and a real calendar day (31/02 and month 13
 * fail because DATE rolls them over). Under 255 characters, as Excel requires of validation formulas.
 */
function dateFormula(cell: string): string {
  const d = `LEFT(${cell},2)`;
  const m = `MID(${cell},4,2)`;
  const y = `RIGHT(${cell},4)`;
  const date = `DATE(VALUE(${y}),VALUE(${m}),VALUE(${d}))`;
  return `AND(LEN(${cell})=10,MID(${cell},3,1)&MID(${cell},6,1)="//",DAY(${date})=VALUE(${d}),MONTH(${date})=VALUE(${m}),VALUE(${y})>1899)`;
}

function listName(column: SheetColumn, taken: Set<string>): string {
  const leaf = column.pointer.split('/').filter((t) => !/^\d+$/.test(t)).pop() ?? 'list';
  const base = `ds_${leaf.replace(/[^A-Za-z0-9_]/g, '_')}`;
  let name = base;
  for (let i = 2; taken.has(name.toLowerCase()); i++) name = `${base}_${i}`;
  taken.add(name.toLowerCase());
  return name;
}

function headerHeight(columns: SheetColumn[], lang: Lang): number {
  let lines = 1;
  for (const c of columns) {
    const text = c.header[lang];
    const perLine = Math.max(4, Math.floor(c.width * 1.05));
    lines = Math.max(lines, Math.ceil(text.length / perLine));
  }
  return Math.min(8, lines) * 15 + 6;
}

/** Adds structure protection (no password) and the print titles, which the stream writer cannot write. */
async function finishPackage(buffer: Buffer, dataSheetIndex: number, dataSheet: string): Promise<Buffer> {
  const zip = await ZipArchive.open(buffer, DEFAULT_LIMITS);
  try {
    const part = 'xl/workbook.xml';
    const tree = parseXmlTree(await zip.read(part), part);
    const el = (local: string, attrs: Record<string, string>, children: XmlElement['children'] = []): XmlElement => ({ name: local, local, attrs, children });
    const at = tree.children.findIndex((c) => typeof c !== 'string' && c.local === 'bookViews');
    tree.children.splice(at < 0 ? 0 : at, 0, el('workbookProtection', { lockStructure: '1' }));
    let names = firstChild(tree, 'definedNames');
    if (!names) {
      names = el('definedNames', {});
      const after = tree.children.findIndex((c) => typeof c !== 'string' && c.local === 'sheets');
      tree.children.splice(after + 1, 0, names);
    }
    const quoted = `'${dataSheet.replace(/'/g, "''")}'`;
    names.children.push(el('definedName', { name: '_xlnm.Print_Titles', localSheetId: String(dataSheetIndex) }, [`${quoted}!$${HEADER_ROW - 1}:$${HEADER_ROW}`]));
    return await rewriteZip(zip, new Map([[part, serializeXml(tree)]]));
  } finally {
    zip.close();
  }
}

/** Builds the workbook for a tabular form. */
export async function createWorkbook(formId: string, options: CreateWorkbookOptions = {}): Promise<CreatedWorkbook> {
  const registry = options.registry ?? loadRegistry();
  const ruleRegistry = options.ruleRegistry ?? loadRules(registry.ruleDirs);
  const form = tabularForm(registry, formId);
  const rules = ruleRegistry.get(options.rules ?? form.meta.defaultRules);
  const lang = options.lang ?? 'vi';
  const t = TEXT[lang];
  const records = options.records ?? [];
  const rowsOffered = Math.max(options.rows ?? DEFAULT_ROWS, records.length);
  if (!Number.isInteger(rowsOffered) || rowsOffered < 1 || rowsOffered > MAX_ROWS) {
    throw new UsageError('bad-rows', { vi: `--rows phải là số nguyên từ 1 đến ${MAX_ROWS}.`, en: `--rows must be a whole number from 1 to ${MAX_ROWS}.` });
  }
  const model = buildColumns(form, registry, rules);
  const columns = model.columns;
  const maxima = ruleMaxima(form, rules);
  const lastDataRow = FIRST_DATA_ROW + rowsOffered - 1;
  const dataName = DATA_SHEET_NAMES[lang];
  const instructionsName = INSTRUCTIONS_SHEET_NAMES[lang];
  const now = options.now ?? new Date();
  const unit = options.unit?.normalize('NFC').trim() || undefined;

  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: true });
  wb.creator = `bieumau ${VERSION}`;
  wb.created = now;
  wb.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: 1, visibility: 'visible' }];

  const thin = { style: 'thin' as const, color: { argb: COLORS.border } };
  const border = { top: thin, left: thin, bottom: thin, right: thin };
  const font = (extra: Partial<ExcelJS.Font> = {}): Partial<ExcelJS.Font> => ({ name: FONT, size: 12, ...extra });

  // --- Instructions --------------------------------------------------------------------------------------------
  const info = wb.addWorksheet(instructionsName, { properties: { tabColor: { argb: 'FF4472C4' } }, pageSetup: { paperSize: 9, orientation: 'portrait', fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  info.columns = [{ width: 8 }, { width: 44 }, { width: 14 }, { width: 34 }, { width: 60 }].map((c) => ({ ...c, style: { font: font(), alignment: { wrapText: true, vertical: 'top' } } }));
  let r = 1;
  const infoRow = (values: Array<string | number>, style: Partial<ExcelJS.Style> = {}, mergeTo?: number, height?: number) => {
    const row = info.getRow(r);
    values.forEach((v, i) => {
      const cell = row.getCell(i + 1);
      cell.value = v;
      Object.assign(cell, { style: { font: font(), alignment: { wrapText: true, vertical: 'top' }, ...style } });
    });
    if (mergeTo) info.mergeCells(r, 1 + (values.length > 1 ? 1 : 0), r, mergeTo);
    if (height) row.height = height;
    row.commit();
    r++;
  };
  infoRow([t.instructionsTitle], { font: font({ bold: true, size: 14 }), alignment: { horizontal: 'center' } }, 5, 24);
  infoRow(['']);
  for (const [k, v] of t.facts({ form: form.title, code: form.meta.code, version: form.version, rules: `${rules.title} (${rules.id})`, unit, generated: now.toISOString().slice(0, 10) })) {
    const row = info.getRow(r);
    row.getCell(1).value = k;
    row.getCell(1).style = { font: font({ bold: true }), alignment: { vertical: 'top' } };
    row.getCell(2).value = v;
    row.getCell(2).style = { font: font(), alignment: { wrapText: true, vertical: 'top' } };
    info.mergeCells(r, 2, r, 5);
    row.height = Math.max(18, Math.ceil(v.length / 120) * 16);
    row.commit();
    r++;
  }
  infoRow(['']);
  t.steps({ data: dataName, first: FIRST_DATA_ROW, last: lastDataRow, header: HEADER_ROW }).forEach((step, i) => {
    const row = info.getRow(r);
    row.getCell(1).value = `${i + 1}.`;
    row.getCell(1).style = { font: font(), alignment: { horizontal: 'right', vertical: 'top' } };
    row.getCell(2).value = step;
    row.getCell(2).style = { font: font(), alignment: { wrapText: true, vertical: 'top' } };
    info.mergeCells(r, 2, r, 5);
    row.height = Math.ceil(step.length / 125) * 16 + 2;
    row.commit();
    r++;
  });
  infoRow(['']);
  infoRow([t.columnsTitle], { font: font({ bold: true }) }, 5);
  {
    const row = info.getRow(r);
    t.columnsHeader.forEach((h, i) => {
      const cell = row.getCell(i + 1);
      cell.value = h;
      cell.style = { font: font({ bold: true }), fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: COLORS.optional } }, border, alignment: { wrapText: true, vertical: 'middle' } };
    });
    row.commit();
    r++;
  }
  for (const c of columns) {
    const row = info.getRow(r);
    const required = c.requiredInRecord ? t.required.always : c.required && c.arrays.length > 0 ? t.required.group : '';
    const notes = [c.description ?? '', c.options ? t.hint.options(c.options.map((o) => (lang === 'en' && o.labelEn ? o.labelEn : o.label)).join('; ')) : '']
      .filter(Boolean)
      .join(' ');
    const values = [c.letter, c.header[lang], required, columnHint(c, lang, maxima.get(c.pointer), c.exactDigits) || '—', notes];
    values.forEach((v, i) => {
      const cell = row.getCell(i + 1);
      cell.value = v;
      cell.style = { font: font(), border, alignment: { wrapText: true, vertical: 'top' } };
    });
    row.height = Math.max(18, Math.min(160, Math.max(Math.ceil(notes.length / 55), Math.ceil(c.header[lang].length / 40)) * 16));
    row.commit();
  r++;
  }
  await info.commit();

  // --- Data sheet ----------------------------------------------------------------------------------------------
  const ws = wb.addWorksheet(dataName, {
    properties: { tabColor: { argb: 'FF70AD47' } },
    views: [{ state: 'frozen', xSplit: 1, ySplit: HEADER_ROW, topLeftCell: `B${FIRST_DATA_ROW}`, activeCell: `A${FIRST_DATA_ROW}` }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: false, margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.6, header: 0.3, footer: 0.3 } },
    headerFooter: { oddFooter: lang === 'vi' ? '&CTrang &P/&N' : '&CPage &P/&N' },
  });
  ws.columns = columns.map((c) => ({
    key: c.pointer,
    width: c.index === 0 ? Math.max(c.width, 26) : c.width,
    style: {
      font: font(),
      protection: { locked: false },
      alignment: { vertical: 'top', wrapText: c.kind === 'text' && !c.textFormat },
      ...(c.kind === 'text' || c.kind === 'date' ? { numFmt: '@' } : {}),
    },
  }));
  const lastCol = columns.length;
  // The title block spans the columns right of the name column that fit on a screen (and a landscape page).
  let blockEnd = Math.min(lastCol, 2);
  for (let width = 0, k = 1; k < lastCol && width < 62; k++) {
    width += columns[k]!.width;
    blockEnd = k + 1;
  }
  const profile = PROFILE_HEADER[form.meta.profile];
  const headerStyle = (extra: Partial<ExcelJS.Font> = {}, align: Partial<ExcelJS.Alignment> = {}): Partial<ExcelJS.Style> => ({
    font: font(extra),
    alignment: { horizontal: 'center', vertical: 'middle', wrapText: true, ...align },
    protection: { locked: true },
  });
  const put = (row: ExcelJS.Row, col: number, value: string, style: Partial<ExcelJS.Style>) => {
    const cell = row.getCell(col);
    cell.value = value;
    cell.style = style;
  };
  const lockRow = (row: ExcelJS.Row) => {
    for (let c = 1; c <= lastCol; c++) {
      const cell = row.getCell(c);
      if (cell.value === null || cell.value === undefined) cell.style = { ...cell.style, protection: { locked: true } };
    }
  };
  // Rows 1–2: the unit on the left, the Party title or the national motto on the right.
  {
    const row1 = ws.getRow(1);
    put(row1, 1, (unit ?? t.unitPlaceholder).toLocaleUpperCase('vi'), headerStyle({ bold: true }));
    if (blockEnd >= 2) put(row1, 2, profile.right[0]!, headerStyle({ bold: true, size: 13 }));
    row1.height = 36;
    lockRow(row1);
    const row2 = ws.getRow(2);
    put(row2, 1, profile.mark, headerStyle());
    if (blockEnd >= 2 && profile.right[1]) put(row2, 2, profile.right[1], headerStyle({ bold: true, size: 13, underline: true }));
    row2.height = 20;
    lockRow(row2);
    const row3 = ws.getRow(3);
    if (blockEnd >= 2) put(row3, 2, `${t.title(form.title)}\n${t.subtitle(form.meta.code, form.version)}`, headerStyle({ bold: true, size: 13 }));
    const blockWidth = columns.slice(1, blockEnd).reduce((n, c) => n + c.width, 0) || 40;
    row3.height = (Math.ceil(t.title(form.title).length / (blockWidth * 0.85)) + 1) * 18 + 4;
    lockRow(row3);
    const row4 = ws.getRow(4);
    if (blockEnd >= 2) put(row4, 2, t.banner(FIRST_DATA_ROW, lastDataRow, instructionsName), headerStyle({ italic: true, size: 11 }, { horizontal: 'left' }));
    row4.height = 50;
    lockRow(row4);
    if (blockEnd >= 2) for (let i = 1; i <= 4; i++) ws.mergeCells(i, 2, i, blockEnd);
  }
  // Row 5: groups ("Thông tin cá nhân", "Nhiệm vụ 1", …) merged over their columns; never across the frozen name column.
  {
    const row5 = ws.getRow(5);
    const groupOf = (c: SheetColumn) => (c.labels[lang].length > 1 ? c.labels[lang][0]! : '');
    let groupNo = 0;
    const colorOf = new Map<string, string>();
    for (let i = 0; i < columns.length; ) {
      const g = groupOf(columns[i]!);
      let j = i + 1;
      // The frozen name column stands alone: a merge across the freeze line splits on screen.
      if (i > 0) while (j < columns.length && groupOf(columns[j]!) === g) j++;
      if (g) {
        let argb = colorOf.get(g);
        if (!argb) {
          argb = COLORS.group[groupNo++ % 2]!;
          colorOf.set(g, argb);
        }
        const fill = { type: 'pattern' as const, pattern: 'solid' as const, fgColor: { argb } };
        for (let k = i; k < j; k++) row5.getCell(k + 1).style = { ...headerStyle({ bold: true }, { horizontal: 'left', indent: 1 }), fill, border };
        // Column A's group continues in B, where the label is written once for the whole group.
        const continues = i === 0 && columns.length > 1 && groupOf(columns[1]!) === g;
        if (!continues) row5.getCell(i + 1).value = g;
        if (j - i > 1) ws.mergeCells(5, i + 1, 5, j);
      }
      i = j;
    }
    row5.height = 22;
    lockRow(row5);
  }
  // Row 6: the headers, coloured by how required the column is.
  {
    const row6 = ws.getRow(HEADER_ROW);
    for (const c of columns) {
      const color = c.requiredInRecord ? COLORS.required : c.required && c.arrays.length > 0 ? COLORS.groupRequired : COLORS.optional;
      put(row6, c.index + 1, c.header[lang], { ...headerStyle({ bold: true, size: 11 }), fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: color } }, border });
    }
    row6.height = headerHeight(columns, lang);
    // Committing row 6 writes rows 1–6; merges must be declared before.
    row6.commit();
  }

  // Lists: inline when short enough, else a column on the very hidden lists sheet behind a defined name.
  const lists: Array<{ name: string; labels: string[] }> = [];
  const listByKey = new Map<string, string>();
  const takenNames = new Set<string>();
  const range = (c: SheetColumn) => `${c.letter}${FIRST_DATA_ROW}:${c.letter}${lastDataRow}`;
  for (const c of columns) {
    const maximum = maxima.get(c.pointer) ?? c.maximum;
    const minimum = c.minimum;
    const hint = columnHint(c, lang, maxima.get(c.pointer), c.exactDigits);
    const requiredPrompt = c.requiredInRecord ? t.requiredPrompt.always : c.required && c.arrays.length > 0 ? t.requiredPrompt.group : '';
    const prompt = clip(`${requiredPrompt}${hint}${c.description ? ` ${c.description}` : ''}`.trim(), 255);
    const common = {
      allowBlank: true,
      showInputMessage: true,
      promptTitle: clip(c.labels[lang].at(-1) ?? c.header[lang], 32),
      prompt,
      showErrorMessage: true,
      errorStyle: 'stop' as const,
      errorTitle: clip(t.errorTitle, 32),
      error: clip(hint || t.errorTitle, 225),
    };
    let v: Validation | undefined;
    switch (c.kind) {
      case 'enum': {
        const labels = (c.options ?? []).map((o) => (lang === 'en' && o.labelEn ? o.labelEn : o.label));
        const inline = inlineList(labels);
        if (inline) v = { type: 'list', formulae: [inline], ...common };
        else {
          const key = JSON.stringify(labels);
          let name = listByKey.get(key);
          if (!name) {
            name = listName(c, takenNames);
            listByKey.set(key, name);
            lists.push({ name, labels });
          }
          v = { type: 'list', formulae: [name], ...common };
        }
        break;
      }
      case 'boolean':
        v = { type: 'list', formulae: [`"${BOOLEAN_LABELS[lang].yes},${BOOLEAN_LABELS[lang].no}"`], ...common };
        break;
      case 'number':
      case 'integer': {
        const type = c.kind === 'integer' ? 'whole' : 'decimal';
        const lo = minimum ?? c.exclusiveMinimum ?? -1e15;
        const hi = maximum ?? c.exclusiveMaximum ?? 1e15;
        v = { type, operator: 'between', formulae: [lo, hi], ...common };
        break;
      }
      case 'date':
        v = { type: 'custom', formulae: [dateFormula(`${c.letter}${FIRST_DATA_ROW}`)], ...common };
        break;
      default:
        if (c.exactDigits !== undefined) v = { type: 'textLength', operator: 'equal', formulae: [c.exactDigits], ...common };
        else if (c.maxLength !== undefined) v = { type: 'textLength', operator: 'lessThanOrEqual', formulae: [c.maxLength], ...common };
        else if (prompt) v = { type: 'any', ...common } as unknown as Validation;
    }
    // The stream writer has the same data validations collection as the document one; its typings omit it.
    if (v) (ws as unknown as { dataValidations: { add(range: string, v: Validation): void } }).dataValidations.add(range(c), v);
  }

  // Pre-filled rows (the bench and "send last period's list back for correction").
  for (let i = 0; i < records.length; i++) {
    const row = ws.getRow(FIRST_DATA_ROW + i);
    let lines = 1;
    rowValuesFor(columns, records[i], lang).forEach((v, k) => {
      if (v === undefined) return;
      row.getCell(k + 1).value = v;
      const c = columns[k]!;
      // Excel and LibreOffice keep stored heights on open: size wrapped text rows here.
      if (typeof v === 'string' && c.kind === 'text' && !c.textFormat) lines = Math.max(lines, Math.ceil((v.length * 1.1) / c.width));
    });
    if (lines > 1) row.height = Math.min(409, lines * 16 + 2);
    row.commit();
  }
  await ws.protect('', {
    selectLockedCells: true,
    selectUnlockedCells: true,
    formatColumns: true,
    formatRows: true,
    insertRows: true,
    deleteRows: true,
    sort: false,
    autoFilter: false,
  });
  await ws.commit();

  // --- Lists and metadata (very hidden) -------------------------------------------------------------------------
  const listSheet = wb.addWorksheet(LISTS_SHEET, { state: 'veryHidden' });
  lists.forEach((list, k) => {
    const col = columnLetter(k);
    wb.definedNames.add(`'${LISTS_SHEET}'!$${col}$1:$${col}$${list.labels.length}`, list.name);
  });
  const maxLen = Math.max(0, ...lists.map((l) => l.labels.length));
  for (let i = 0; i < maxLen; i++) {
    const row = listSheet.getRow(i + 1);
    lists.forEach((list, k) => {
      if (i < list.labels.length) row.getCell(k + 1).value = list.labels[i]!;
    });
    row.commit();
  }
  await listSheet.commit();

  const meta: WorkbookMeta = {
    format: META_FORMAT,
    formId: form.id,
    formVersion: form.version,
    schemaId: form.schemaId,
    schemaHash: form.schemaHash,
    rulesId: rules.id,
    rulesVersion: rules.version,
    unit,
    generatedAt: now.toISOString(),
    toolkitVersion: VERSION,
    lang,
    dataSheet: dataName,
    headerRow: HEADER_ROW,
    firstDataRow: FIRST_DATA_ROW,
    lastDataRow,
    columns: columns.map((c) => ({ column: c.letter, pointer: c.pointer, header: c.header[lang] })),
  };
  const metaSheet = wb.addWorksheet(META_SHEET, { state: 'veryHidden' });
  metaSheet.columns = [{ width: 16 }, { width: 60 }, { width: 60 }];
  metaRows(meta).forEach((values, i) => {
    const row = metaSheet.getRow(i + 1);
    values.forEach((v, k) => {
      row.getCell(k + 1).value = v;
      row.getCell(k + 1).numFmt = '@';
    });
    row.commit();
  });
  await metaSheet.commit();
  await wb.commit();
  await done;
  const buffer = await finishPackage(Buffer.concat(chunks), 1, dataName);
  return { buffer, meta, columns };
}
