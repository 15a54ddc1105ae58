// Every sample record through the real templates to PDF: a valid file, fonts embedded with Unicode maps, every
// word of the document extractable, text inside the profile's margins.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Block, DocumentModel } from '../../../src/model/types.js';
import { buildDocument } from '../../../src/render/document.js';
import { PdfWriter } from '../../../src/render/pdf/index.js';
import { tool } from '../../support/tools.js';
import { pageWords, writePdf } from './support.js';

const SAMPLES = path.join(import.meta.dirname, '../../../samples');

function records(): Array<{ form: string; index: number; record: unknown }> {
  const out: Array<{ form: string; index: number; record: unknown }> = [];
  for (const file of fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.json')).sort()) {
    const data = JSON.parse(fs.readFileSync(path.join(SAMPLES, file), 'utf8')) as unknown;
    (Array.isArray(data) ? data : [data]).forEach((record, index) => out.push({ form: file.replace(/\.json$/, ''), index, record }));
  }
  return out;
}

/** Paragraph texts in reading order (cells row by row, columns left to right), and each table's header text. */
function modelText(blocks: Block[], headers: string[] = []): { paragraphs: string[]; headers: string[] } {
  const paragraphs: string[] = [];
  const walk = (list: Block[]) => {
    for (const b of list) {
      if (b.kind === 'paragraph') paragraphs.push(b.runs.map((r) => r.text).join(''));
      else if (b.kind === 'table') {
        const head = b.rows.slice(0, b.headerRows).flatMap((r) => r.cells.flatMap((c) => modelText(c.blocks).paragraphs));
        if (head.length) headers.push(compact(head.join('')));
        for (const r of b.rows) for (const c of r.cells) walk(c.blocks);
      } else if (b.kind === 'columns') b.columns.forEach(walk);
      else if (b.kind === 'signature') [b.left, b.right].forEach(walk);
    }
  };
  walk(blocks);
  return { paragraphs, headers };
}

const compact = (s: string) => s.normalize('NFC').replace(/\s+/g, '');

/** The PDF's text in content order (pdftotext -raw), page numbers dropped, whitespace removed. */
function pdfRawText(file: string, pageNumber: (page: number) => string | undefined): string {
  const pages = execFileSync(tool('pdftotext'), ['-raw', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).split('\f');
  if (pages[pages.length - 1]!.trim() === '') pages.pop();
  return pages
    .map((text, i) => {
      const number = pageNumber(i + 1);
      const lines = text.split('\n');
      if (number !== undefined) {
        expect(lines[0]!.trim(), `page ${i + 1} number`).toBe(number);
        lines.shift();
      }
      return compact(lines.join(''));
    })
    .join('');
}

describe('PDF of every sample', () => {
  const writer = new PdfWriter();
  for (const { form, index, record } of records()) {
    it(`${form} #${index}`, async () => {
      const model: DocumentModel = buildDocument(form, record);
      const file = await writePdf(model, writer);

      const check = spawnSync(tool('qpdf'), ['--check', file], { encoding: 'utf8' });
      expect(check.status, check.stdout + check.stderr).toBe(0);
      const fonts = execFileSync(tool('pdffonts'), [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
      expect(fonts.length).toBeGreaterThan(0);
      for (const line of fonts) expect(line).toMatch(/CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/);

      // Every paragraph comes back whole and in order; between them only repeated table headers.
      const pages = pageWords(file);
      // An appendix after a restarting page break is numbered on its own: its first paragraph opens a page.
      const restarts = model.body.flatMap((b, i) => {
        const next = model.body[i + 1];
        return b.kind === 'page-break' && b.restartNumbering && next?.kind === 'paragraph' ? [compact(next.runs.map((r) => r.text).join(''))] : [];
      });
      const partStarts = [0];
      pages.forEach((page, i) => {
        const first = compact(page.lines[0]?.map((w) => w.text).join('') ?? '');
        if (i > 0 && restarts.some((t) => t === first)) partStarts.push(i);
      });
      expect(partStarts).toHaveLength(restarts.length + 1);
      const pn = model.pageNumbering;
      const numberOf = (page: number) => {
        const part = partStarts.filter((s) => s < page).length - 1;
        const start = partStarts[part]!;
        const count = (partStarts[part + 1] ?? pages.length) - start;
        const n = page - start;
        return pn.show && n >= pn.fromPage ? pn.format.replace('{page}', String(n)).replace('{pages}', String(count)) : undefined;
      };
      const text = pdfRawText(file, numberOf);
      const { paragraphs, headers } = modelText(model.body);
      let at = 0;
      for (const para of paragraphs.map(compact).filter(Boolean)) {
        const found = text.indexOf(para, at);
        expect(found, para).toBeGreaterThanOrEqual(0);
        const between = text.slice(at, found);
        expect(headers.reduce((rest, h) => rest.split(h).join(''), between), `before "${para}"`).toBe('');
        at = found + para.length;
      }
      expect(text.slice(at)).toBe('');

      // Page size and margins as the profile says; only the page number is in the top margin.
      const { width, height, margins } = model.page;
      for (const page of pages) {
        expect(page.width).toBeCloseTo(width, 1);
        expect(page.height).toBeCloseTo(height, 1);
        for (const w of page.words) {
          expect(w.xMin, w.text).toBeGreaterThanOrEqual(margins.left - 0.6);
          expect(w.xMax, w.text).toBeLessThanOrEqual(width - margins.right + 0.6);
          expect(w.yMax, w.text).toBeLessThanOrEqual(height - margins.bottom + 0.6);
          if (w.yMin < margins.top - 0.6) expect(w.text).toMatch(/^(Trang )?\d+(\/\d+)?$/);
        }
      }
    });
  }
});
