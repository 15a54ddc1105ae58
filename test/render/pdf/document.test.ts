// The PDF file itself: structure checks, metadata, classic xref for later signing, finishers, batch independence.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { PDFName, PDFString } from '@cantoo/pdf-lib';
import { describe, expect, it } from 'vitest';
import { createWriter } from '../../../src/render/writers.js';
import { PdfWriter } from '../../../src/render/pdf/index.js';
import { pdfText, tool } from '../../support/tools.js';
import { doc, lorem, p, signature, stateHeader } from './model.js';
import { writePdf } from './support.js';

const FIXED = new Date('2026-01-05T08:00:00Z');

const sample = (name: string, extra = '') =>
  doc([stateHeader(), p('title', 'BẢN KIỂM ĐIỂM CÁ NHÂN'), p('body', `Họ và tên: ${name}. ${extra}`), p('body', lorem(5)), signature()], {
    meta: { title: `Bản kiểm điểm - ${name}`, author: name, subject: 'Kiểm điểm năm 2025', keywords: ['kiểm điểm', 'năm 2025'], language: 'vi-VN' },
  });

describe('PDF document', () => {
  it('is registered as the pdf writer', async () => {
    const w = await createWriter('pdf');
    expect(w.format).toBe('pdf');
    expect(w.extension).toBe('.pdf');
  });

  it('passes qpdf --check, uses classic cross-reference tables and carries the metadata', async () => {
    const file = await writePdf(sample('Nguyễn Thị Hương'), new PdfWriter({ date: FIXED }));
    const check = spawnSync(tool('qpdf'), ['--check', file], { encoding: 'utf8' });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('No syntax or stream encoding errors');
    expect(check.stderr).toBe('');

    const bytes = fs.readFileSync(file).toString('latin1');
    expect(bytes).toMatch(/\nxref\n0 \d+\n/);
    expect(bytes).not.toContain('/ObjStm');
    expect(bytes).not.toContain('/XRef');

    const info = execFileSync(tool('pdfinfo'), [file], { encoding: 'utf8' });
    expect(info).toMatch(/^Title:\s+Bản kiểm điểm - Nguyễn Thị Hương$/m);
    expect(info).toMatch(/^Author:\s+Nguyễn Thị Hương$/m);
    expect(info).toMatch(/^Subject:\s+Kiểm điểm năm 2025$/m);
    expect(info).toMatch(/^Keywords:\s+kiểm điểm năm 2025$/m);
    expect(info).toMatch(/^Creator:\s+bieumau /m);
    expect(info).toMatch(/^Producer:\s+bieumau /m);
    expect(info).toMatch(/^CreationDate:\s+Mon Jan\s+5 08:00:00 2026 UTC$/m);
    const lang = execFileSync(tool('mutool'), ['show', file, 'trailer/Root/Lang'], { encoding: 'utf8' }).trim();
    expect(lang).toBe('(vi-VN)');
  });

  it('runs the finishers in order on the pdf-lib document before saving', async () => {
    const order: string[] = [];
    const file = await writePdf(sample('Lê Văn Tâm'), new PdfWriter(), {
      pdfFinishers: [
        (pdf, layout) => {
          order.push(`first:${layout.pageCount}:${pdf.getPageCount()}`);
          pdf.getInfoDict().set(PDFName.of('BieumauStep'), PDFString.of('one'));
        },
        async (pdf) => {
          order.push('second');
          pdf.getInfoDict().set(PDFName.of('BieumauStep'), PDFString.of('two'));
        },
      ],
    });
    expect(order).toEqual(['first:1:1', 'second']);
    expect(fs.readFileSync(file, 'latin1')).toContain('/BieumauStep (two)');
  });

  it('writes each document of a batch independently of the ones before it', async () => {
    const writer = new PdfWriter({ date: FIXED });
    // The first document uses letters outside the embedded base set (Greek, Cyrillic) and the symbol font.
    const a = await writer.write(sample('Trần Văn An', 'Ωμέγα Жук ☒ đã ký'));
    const b1 = await writer.write(sample('Phạm Thị Bình'));
    const b2 = await new PdfWriter({ date: FIXED }).write(sample('Phạm Thị Bình'));
    expect(Buffer.from(b1).equals(Buffer.from(b2))).toBe(true);
    expect(Buffer.from(a).equals(Buffer.from(b1))).toBe(false);

    const fileB = await writePdf(sample('Phạm Thị Bình'), writer);
    const fonts = execFileSync(tool('pdffonts'), [fileB], { encoding: 'utf8' });
    expect(fonts).not.toContain('NotoSansSymbols2');
    const text = pdfText(fileB);
    expect(text).toContain('Phạm Thị Bình');
    expect(text).not.toMatch(/Trần Văn An|Ωμέγα|Жук/);
  });

  it('renders many documents with one writer without growing state', async () => {
    const writer = new PdfWriter({ date: FIXED });
    const sizes: number[] = [];
    for (let i = 0; i < 30; i++) sizes.push((await writer.write(sample('Hoàng Minh Đức', `Lần ${i % 3}.`))).length);
    // Identical documents come out identical in size however many came before.
    expect(new Set([sizes[0], sizes[3], sizes[27]]).size).toBe(1);
  });
});
