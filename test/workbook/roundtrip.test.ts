// Reference cases 1 and 2: a generated workbook filled like a clerk fills it comes back as the same records —
// also after LibreOffice re-saves it, as a Google-style export (inline strings, no dimension, prefixed XML) and
// as a Mac (1904 date system) save with real date cells.
import fs from 'node:fs';
import path from 'node:path';
import PizZip from 'pizzip';
import { describe, expect, it } from 'vitest';
import { libreOfficeConvert, tmpDir } from '../support/tools.js';
import { columnsOf, fill, ingest, load, metaMap, samples, save, template } from './support.js';

const FORMS = ['score-sheet', 'breakthrough-registration'] as const;

async function filledSample(formId: string): Promise<Buffer> {
  const records = samples(formId);
  return fill(formId, await template(formId, { rows: records.length + 3, unit: 'Đảng ủy phường Hải Dương' }), records);
}

/** Rewrites the data sheet the way other writers store it: inline strings, no <dimension>, an "x:" element prefix. */
function googleStyle(buffer: Buffer, dataPart: string): Buffer {
  const zip = new PizZip(buffer);
  const sst = zip.file('xl/sharedStrings.xml')!.asText();
  const strings = [...sst.matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => [...m[1]!.matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join(''));
  let xml = zip.file(dataPart)!.asText();
  xml = xml.replace(/<dimension[^>]*\/>/, '');
  xml = xml.replace(/<c ([^>]*?)t="s"([^>]*)><v>(\d+)<\/v><\/c>/g, (_, a: string, b: string, i: string) => `<c ${a}t="inlineStr"${b}><is><t xml:space="preserve">${strings[Number(i)]}</t></is></c>`);
  // Every element of the main namespace written with a prefix, as the .NET Open XML SDK does.
  xml = xml.replace(/<(\/?)([A-Za-z][\w]*)(?=[\s>/])/g, (m, slash: string, name: string) => (name.includes(':') ? m : `<${slash}x:${name}`));
  xml = xml.replace('<x:worksheet xmlns="', '<x:worksheet xmlns:x="');
  zip.file(dataPart, xml);
  return zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' });
}

describe('round trip: generate, fill, ingest', () => {
  for (const formId of FORMS) {
    it(`${formId}: every sample record comes back deep-equal, with no issue at all`, async () => {
      const buffer = await filledSample(formId);
      const result = await ingest(formId, buffer);
      expect(result.issues).toEqual([]);
      expect(result.summary).toMatchObject({ rows: samples(formId).length, accepted: samples(formId).length, rejected: 0, usedMetadata: true, sheet: 'Dữ liệu', headerRow: 6 });
      expect(result.records).toEqual(samples(formId));
      expect(result.acceptedRows).toEqual(samples(formId).map((_, i) => 7 + i));
    });

    it(`${formId}: the values typed are exactly the dropdown entries the workbook offers`, async () => {
      const wb = await load(await filledSample(formId));
      const { letters, dataSheet } = metaMap(wb);
      const ws = wb.getWorksheet(dataSheet)!;
      const lists = wb.getWorksheet('_lists')!;
      const listValues = (formula: string): string[] => {
        if (formula.startsWith('"')) return formula.slice(1, -1).split(',');
        const range = wb.definedNames.getRanges(formula).ranges[0]!;
        const m = /\$([A-Z]+)\$(\d+):\$[A-Z]+\$(\d+)/.exec(range)!;
        const out: string[] = [];
        for (let r = Number(m[2]); r <= Number(m[3]); r++) out.push(String(lists.getCell(`${m[1]}${r}`).value));
        return out;
      };
      let checked = 0;
      for (const c of columnsOf(formId).filter((x) => x.kind === 'enum' || x.kind === 'boolean')) {
        const letter = letters.get(c.pointer)!;
        const dv = (ws as unknown as { dataValidations: { find(a: string): ExcelJS.DataValidation | undefined } }).dataValidations.find(`${letter}7`);
        expect(dv?.type, c.pointer).toBe('list');
        const allowed = listValues(String(dv!.formulae[0]));
        for (let r = 7; r < 7 + samples(formId).length; r++) {
          const v = ws.getCell(`${letter}${r}`).value;
          if (v === null || v === undefined) continue;
          expect(allowed, `${letter}${r}`).toContain(String(v));
          checked++;
        }
      }
      expect(checked).toBeGreaterThan(10);
    });
  }

  it('LibreOffice re-saves the filled workbooks as .xlsx: records unchanged, no errors', async () => {
    const inDir = tmpDir();
    const outDir = tmpDir();
    const files = await Promise.all(
      FORMS.map(async (formId) => {
        const file = path.join(inDir, `${formId}.xlsx`);
        fs.writeFileSync(file, await filledSample(formId));
        return file;
      }),
    );
    const converted = libreOfficeConvert(files, outDir, 'xlsx');
    for (const [i, formId] of FORMS.entries()) {
      expect(fs.readFileSync(converted[i]!).equals(fs.readFileSync(files[i]!))).toBe(false);
      const result = await ingest(formId, converted[i]!);
      expect(result.issues.filter((x) => x.severity === 'error')).toEqual([]);
      expect(result.records).toEqual(samples(formId));
      expect(result.summary.usedMetadata).toBe(true);
    }
  });

  it('inline strings, no <dimension> and prefixed XML (Google Sheets, .NET writers) read the same', async () => {
    const buffer = googleStyle(await filledSample('score-sheet'), 'xl/worksheets/sheet2.xml');
    const xml = new PizZip(buffer).file('xl/worksheets/sheet2.xml')!.asText();
    expect(/<x:c r="A7"[^>]*t="inlineStr"><x:is><x:t/.test(xml) && !xml.includes('<dimension') && !xml.includes('<c ')).toBe(true);
    const result = await ingest('score-sheet', buffer);
    expect(result.issues).toEqual([]);
    expect(result.records).toEqual(samples('score-sheet'));
  });

  it('a Mac save in the 1904 date system with real date cells gives the same ISO dates', async () => {
    const wb = await load(await filledSample('score-sheet'));
    wb.properties.date1904 = true;
    const { letters, dataSheet } = metaMap(wb);
    const ws = wb.getWorksheet(dataSheet)!;
    const records = samples('score-sheet');
    const dateColumns = columnsOf('score-sheet').filter((c) => c.kind === 'date');
    records.forEach((record, i) => {
      for (const c of dateColumns) {
        const cell = ws.getCell(`${letters.get(c.pointer)}${7 + i}`);
        if (typeof cell.value !== 'string') continue;
        const [d, m, y] = cell.value.split('/').map(Number);
        cell.value = new Date(Date.UTC(y!, m! - 1, d!));
        // exceljs shares a column's style object between cells: each dated cell gets its own.
        cell.style = { ...cell.style, numFmt: 'dd/mm/yyyy' };
      }
    });
    const buffer = await save(wb);
    const sheet = new PizZip(buffer).file('xl/workbook.xml')!.asText();
    expect(sheet).toMatch(/date1904="1"/);
    const result = await ingest('score-sheet', buffer);
    expect(result.issues).toEqual([]);
    expect(result.records).toEqual(records);
  });
});

import type ExcelJS from 'exceljs';
