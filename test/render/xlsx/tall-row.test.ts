// A table row taller than a sheet row can be (Excel stops at 409 pt): the action programme with one key task
// of ten long solutions. The XLSX must hold and print every line of the cell, in the PDF's order, on about as
// many pages as our PDF, the row cut into several sheet rows that read as one.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadRegistry } from '../../../src/forms/registry.js';
import { DocumentBuilder } from '../../../src/render/document.js';
import { createWriter } from '../../../src/render/writers.js';
import { measureText } from '../../../src/fonts/metrics.js';
import { POINTS_PER_WIDTH_UNIT } from '../../../src/render/xlsx/default-font.js';
import { loadRules } from '../../../src/rules/registry.js';
import { libreOfficeConvert, pdfPageCount, pdfText, tmpDir } from '../../support/tools.js';
import { cellsOf, readWorkbook } from './support.js';

const registry = loadRegistry();
const builder = new DocumentBuilder(registry, loadRules(registry.ruleDirs));
const dir = tmpDir('bieumau-xlsx-tall-');

const sentence = 'Xây dựng bản đồ số vi phạm trật tự xây dựng, kết nối camera giám sát với Trung tâm điều hành đô thị thông minh của phường;';
const solutions = Array.from({ length: 10 }, (_, i) => `${Array.from({ length: 4 }, () => sentence).join(' ')} (${i + 1})`);
const squash = (s: string) => s.replace(/[\s\u00a0]+/g, ' ').trim();
const count = (text: string, word: string) => squash(text).split(word).length - 1;

interface Case {
  name: string;
  xlsx: string;
  pdf: string;
  print?: string;
}
const cases: Case[] = [];

beforeAll(async () => {
  const sample = (JSON.parse(fs.readFileSync(path.join('samples', 'action-program.json'), 'utf8')) as Array<Record<string, any>>)[0]!;
  const xlsx = await createWriter('xlsx');
  const pdf = await createWriter('pdf');
  const form = registry.get('action-program');
  for (const profile of ['state', 'party']) {
    const record = structuredClone(sample);
    record.header = { ...record.header, profile };
    record.keyTasks[0].solutions = solutions;
    const doc = builder.build(form!, record);
    const base = path.join(dir, `tall-${profile}`);
    fs.writeFileSync(`${base}.xlsx`, await xlsx.write(doc));
    fs.writeFileSync(`${base}.pdf`, await pdf.write(doc, { form: form!, record }));
    cases.push({ name: profile, xlsx: `${base}.xlsx`, pdf: `${base}.pdf` });
  }
}, 120_000);

describe('XLSX: a table row taller than a sheet row', () => {
  it('holds every solution in the cells, in order, each cell within rows no taller than 409 pt that its text fits', async () => {
    for (const c of cases) {
      const ws = (await readWorkbook(new Uint8Array(fs.readFileSync(c.xlsx)))).worksheets[0]!;
      const cells = cellsOf(ws).sort((a, z) => a.row - z.row || a.col - z.col);
      // Reading the column of solutions down, they come one after another, whole.
      const column = cells.find((x) => x.text.startsWith(`- ${sentence}`))!.col;
      // (The header repeated above the row where it continues on a new page aside.)
      const sheet = squash(cells.filter((x) => x.col === column && x.text !== 'Giải pháp').map((x) => x.text).join(' '));
      let at = 0;
      for (const s of solutions) {
        const found = sheet.indexOf(`- ${s}`, at);
        expect(found, `${c.name}: solution ${s.slice(-4)}`).toBeGreaterThanOrEqual(at);
        at = found + s.length;
      }
      for (let r = 1; r <= ws.rowCount; r++) expect(ws.getRow(r).height ?? 0, `${c.name}: row ${r}`).toBeLessThanOrEqual(409);
      // The text of each cell of the solutions fits the rows it covers, at the closest line pitch a program
      // draws (LibreOffice's 1.107 em): else it is cut off on the screen and in print.
      const widthOf = (col: number) => (ws.getColumn(col).width ?? 8) * POINTS_PER_WIDTH_UNIT;
      for (const x of cells.filter((k) => k.text.includes(sentence.slice(0, 30)))) {
        const merged = ws.model.merges?.find((m) => m.startsWith(`${x.address}:`));
        const [r1, r2, c1, c2] = merged ? rangeOf(merged) : [x.row, x.row, x.col, x.col];
        let width = 0;
        for (let k = c1; k <= c2; k++) width += widthOf(k);
        let height = 0;
        for (let r = r1; r <= r2; r++) height += ws.getRow(r).height ?? 15;
        const size = (x.cell.font?.size ?? 13) as number;
        const lines = wrapCount(x.text, width - 12, size);
        expect(lines * size * 1.107, `${c.name}: ${x.address} "${x.text.slice(0, 40)}…"`).toBeLessThanOrEqual(height + 0.5);
      }
      // A part the text goes on after spreads its lines over its rows (no gap before the next part); the last
      // part, and every cell that is not cut, is set at the top.
      const cellParts = cells.filter((x) => x.col === column && x.text.includes(sentence.slice(0, 30)));
      // The solutions cell's parts: from its first solution to its last.
      const parts = cellParts.slice(0, cellParts.findIndex((x) => x.text.endsWith(`(${solutions.length})`)) + 1);
      expect(parts.length, c.name).toBeGreaterThan(1);
      expect(parts.slice(0, -1).map((x) => x.cell.alignment?.vertical), c.name).toEqual(parts.slice(0, -1).map(() => 'justify'));
      expect(parts.at(-1)!.cell.alignment?.vertical, c.name).toBe('top');
    }
  });

  it('prints every line through LibreOffice, on about as many pages as our PDF', () => {
    const prints = libreOfficeConvert(cases.map((c) => c.xlsx), path.join(dir, 'lo'), 'pdf');
    cases.forEach((c, i) => {
      c.print = prints[i]!;
      const ours = pdfText(c.pdf).normalize('NFC');
      const printed = pdfText(c.print).normalize('NFC');
      expect(count(ours, 'Trung tâm điều hành'), c.name).toBe(4 * solutions.length);
      expect(count(printed, 'Trung tâm điều hành'), c.name).toBe(count(ours, 'Trung tâm điều hành'));
      // In the PDF's order.
      const order = [...squash(printed).matchAll(/của phường; \((\d+)\)/g)].map((m) => Number(m[1]));
      expect(order, c.name).toEqual(solutions.map((_, k) => k + 1));
      expect(Math.abs(pdfPageCount(c.print) - pdfPageCount(c.pdf)), `${c.name}: ${pdfPageCount(c.print)} pages against ${pdfPageCount(c.pdf)}`).toBeLessThanOrEqual(1);
    });
  });
});

/** 1-based rows and columns of an "A1:B2" range. */
function rangeOf(range: string): [number, number, number, number] {
  const [a, z] = range.split(':').map((ref) => {
    const m = /^([A-Z]+)(\d+)$/.exec(ref)!;
    const col = [...m[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);
    return [Number(m[2]), col] as const;
  });
  return [a![0], z![0], a![1], z![1]];
}

/** Lines a text wraps to at spaces in `width` points (line breaks kept). */
function wrapCount(text: string, width: number, size: number): number {
  let lines = 0;
  for (const para of text.split('\n')) {
    let line = 0;
    lines++;
    for (const word of para.split(' ').filter(Boolean)) {
      const w = measureText(word, size);
      const space = line > 0 ? measureText(' ', size) : 0;
      if (line > 0 && line + space + w > width) {
        lines++;
        line = w;
      } else line += space + w;
    }
  }
  return lines;
}
