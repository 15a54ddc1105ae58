// Helpers for the PDF writer tests: write a model to a temporary file, read word boxes back with poppler.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { DocumentModel } from '../../../src/model/types.js';
import type { WriteContext } from '../../../src/render/writers.js';
import { PdfWriter } from '../../../src/render/pdf/index.js';
import { tmpDir, tool } from '../../support/tools.js';

const dir = tmpDir('bieumau-pdf-');
let counter = 0;

/** Writes the model with `writer` (a fresh one by default) and returns the file path. */
export async function writePdf(model: DocumentModel, writer = new PdfWriter(), ctx?: WriteContext): Promise<string> {
  const file = path.join(dir, `doc-${++counter}.pdf`);
  fs.writeFileSync(file, await writer.write(model, ctx));
  return file;
}

export interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

export interface PageWords {
  width: number;
  height: number;
  words: Word[];
  /** Words grouped into poppler's lines. */
  lines: Word[][];
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** Every word of every page with its box (points, origin top-left), via `pdftotext -bbox-layout`. */
export function pageWords(file: string): PageWords[] {
  const xml = execFileSync(tool('pdftotext'), ['-bbox-layout', '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  const pages: PageWords[] = [];
  for (const pm of xml.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)) {
    const page: PageWords = { width: Number(pm[1]), height: Number(pm[2]), words: [], lines: [] };
    for (const lm of pm[3]!.matchAll(/<line [^>]*>([\s\S]*?)<\/line>/g)) {
      const line: Word[] = [];
      for (const wm of lm[1]!.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
        line.push({ xMin: Number(wm[1]), yMin: Number(wm[2]), xMax: Number(wm[3]), yMax: Number(wm[4]), text: unescape(wm[5]!) });
      }
      page.lines.push(line);
      page.words.push(...line);
    }
    pages.push(page);
  }
  return pages;
}

/** Text of a line of words. */
export const lineText = (line: Word[]): string => line.map((w) => w.text).join(' ');
