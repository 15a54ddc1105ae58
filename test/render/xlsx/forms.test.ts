// Every shipped form's samples rendered to XLSX, read back with exceljs and through LibreOffice: each paragraph
// of the document is in a cell, and every word of it is in LibreOffice's print, Vietnamese letters intact.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../../src/forms/registry.js';
import type { Block, CellValue, DocumentModel, Paragraph } from '../../../src/model/types.js';
import { DocumentBuilder } from '../../../src/render/document.js';
import { createWriter } from '../../../src/render/writers.js';
import { loadRules } from '../../../src/rules/registry.js';
import { libreOfficeConvert, pdfPages, pdfText, tmpDir, tool } from '../../support/tools.js';
import { cellsOf, rawCell, readWorkbook, zipPart } from './support.js';

const registry = loadRegistry();
const builder = new DocumentBuilder(registry, loadRules(registry.ruleDirs));
const dir = tmpDir('bieumau-xlsx-forms-');

/** The document's paragraphs, apart from those of table cells that carry a value (numbers stay numbers). */
function paragraphs(blocks: Block[], out: Paragraph[] = [], values: CellValue[] = []): Paragraph[] {
  for (const b of blocks) {
    if (b.kind === 'paragraph') out.push(b);
    else if (b.kind === 'table') {
      for (const row of b.rows) {
        for (const cell of row.cells) {
          if (cell.value) values.push(cell.value);
          else paragraphs(cell.blocks, out, values);
        }
      }
    } else if (b.kind === 'columns') for (const col of b.columns) paragraphs(col, out, values);
    else if (b.kind === 'signature') paragraphs([...b.left, ...b.right], out, values);
  }
  return out;
}

function values(doc: DocumentModel): CellValue[] {
  const list: CellValue[] = [];
  paragraphs(doc.body, [], list);
  return list;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
const textOf = (p: Paragraph) => squash(p.runs.filter((r) => !r.field).map((r) => r.text).join(''));

interface Rendered {
  name: string;
  doc: DocumentModel;
  file: string;
}

const rendered: Rendered[] = [];
const forms = registry.list().filter((f) => fs.existsSync(path.join('samples', `${f.id}.json`)));

beforeAll(async () => {
  const writer = await createWriter('xlsx');
  for (const form of forms) {
    const samples = JSON.parse(fs.readFileSync(path.join('samples', `${form.id}.json`), 'utf8')) as unknown[];
    for (const [i, record] of (Array.isArray(samples) ? samples : [samples]).entries()) {
      const ruleSet = (record as { ruleSet?: string }).ruleSet;
      const doc = builder.build(form, record, ruleSet ? { rules: ruleSet } : {});
      const file = path.join(dir, `${form.id}-${i + 1}.xlsx`);
      fs.writeFileSync(file, await writer.write(doc));
      rendered.push({ name: `${form.id} #${i + 1}`, doc, file });
    }
  }
}, 120_000);

describe('every form as XLSX', () => {
  it('covers every shipped form', () => {
    expect(forms.map((f) => f.id).sort()).toEqual(registry.list().map((f) => f.id).sort());
    expect(rendered.length).toBeGreaterThanOrEqual(forms.length);
  });

  it('puts every paragraph of the document in a cell (exceljs)', async () => {
    for (const r of rendered) {
      const ws = (await readWorkbook(new Uint8Array(fs.readFileSync(r.file)))).worksheets[0]!;
      const sheet = squash(cellsOf(ws).map((c) => c.text).join(' '));
      for (const p of paragraphs(r.doc.body)) {
        const text = textOf(p);
        if (text) expect(sheet, `${r.name}: "${text.slice(0, 60)}"`).toContain(text);
      }
      // Cells with a machine value hold it: a number, or a formula with its cached result (read from the XML:
      // exceljs reads a cached 0 back as no result).
      const sheetValues = cellsOf(ws).map((c) => c.cell.value as unknown);
      const sheetXml = await zipPart(new Uint8Array(fs.readFileSync(r.file)), 'xl/worksheets/sheet1.xml');
      const cached = [...sheetXml.matchAll(/<c r="([A-Z]+\d+)"[^>]*><f>/g)].map((m) => rawCell(sheetXml, m[1]!).v);
      for (const v of values(r.doc)) {
        const found = v.kind === 'number' ? sheetValues.includes(v.value) : cached.includes(String(v.result));
        expect(found, `${r.name}: ${JSON.stringify(v)}`).toBe(true);
      }
      expect(ws.pageSetup.paperSize, r.name).toBe(9);
      // The print area is absolute, as Excel writes it.
      const book = await zipPart(new Uint8Array(fs.readFileSync(r.file)), 'xl/workbook.xml');
      expect(/Print_Area[^>]*>[^<]*!\$[A-Z]+\$1:\$[A-Z]+\$\d+</.test(book), r.name).toBe(true);
      expect(ws.headerFooter.oddHeader, r.name).toMatch(/^&C&"Times New Roman,Regular"&\d+&P$/);
    }
  });

  it('prints every word through LibreOffice, with the official header line', () => {
    const pdfs = libreOfficeConvert(rendered.map((r) => r.file), dir, 'pdf');
    rendered.forEach((r, i) => {
      // Layout mode keeps lines apart that sit close together (a centred mark above a heading).
      const text = pdfText(pdfs[i]!, true).normalize('NFC');
      const printed = new Set(text.split(/\s+/));
      const words = new Set(paragraphs(r.doc.body).flatMap((p) => textOf(p).split(' ')).filter(Boolean));
      const missing = [...words].filter((w) => !printed.has(w));
      expect(missing, r.name).toEqual([]);
      expect(text.replace(/\s+/g, ' '), r.name).toMatch(/ĐẢNG CỘNG SẢN VIỆT NAM|CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM/);
      // Printed at full size: justified lines reach the right margin (a sheet scaled to fit would stop short).
      const xMax = Math.max(...[...execFileSync(tool('pdftotext'), ['-bbox', pdfs[i]!, '-'], { encoding: 'utf8' }).matchAll(/xMax="([\d.]+)"/g)].map((m) => Number(m[1])));
      expect(xMax, `${r.name}: right edge of the text`).toBeGreaterThan(r.doc.page.width - r.doc.page.margins.right - 12);
      // The page number as the PDF has it: none on page 1, then "2", "3"… alone at the top of the page, centred.
      const pages = pdfPages(pdfs[i]!);
      if (pages.length > 1) {
        const boxes = [...execFileSync(tool('pdftotext'), ['-bbox', '-f', '2', '-l', '2', pdfs[i]!, '-'], { encoding: 'utf8' }).matchAll(/xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</g)];
        const top = boxes.reduce((a, b) => (Number(b[2]) < Number(a[2]) ? b : a));
        expect(top[4], `${r.name}: number on page 2`).toBe('2');
        expect(Number(top[2]), `${r.name}: the number sits in the top margin`).toBeLessThan(r.doc.page.margins.top);
        expect((Number(top[1]) + Number(top[3])) / 2, `${r.name}: centred`).toBeCloseTo((r.doc.page.margins.left + r.doc.page.width - r.doc.page.margins.right) / 2, -1.5);
        expect(pages[0]!.split('\n').map((l) => l.trim()).filter(Boolean)[0], `${r.name}: no number on page 1`).not.toMatch(/^\d+$/);
      }
    });
  });
});
