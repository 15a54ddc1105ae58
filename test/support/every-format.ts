// Records rendered through the CLI as DOCX, PDF and XLSX, and the DOCX and XLSX printed by LibreOffice: the files
// a layout test reads, one per record and format, in record order.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { cli } from './cli.js';
import { libreOfficeConvert } from './tools.js';

export interface EveryFormat {
  files: Record<'docx' | 'pdf' | 'xlsx', string[]>;
  /** The DOCX and XLSX as LibreOffice prints them (PDF). */
  printed: Record<'docx' | 'xlsx', string[]>;
}

export async function renderEveryFormat(formId: string, records: unknown[], dir: string): Promise<EveryFormat> {
  const data = path.join(dir, 'records.json');
  fs.writeFileSync(data, JSON.stringify(records));
  const out = path.join(dir, 'out');
  const r = await cli('render', formId, data, '--format', 'docx,pdf,xlsx', '--out', out);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const files = { docx: [] as string[], pdf: [] as string[], xlsx: [] as string[] };
  for (const ext of ['docx', 'pdf', 'xlsx'] as const) {
    files[ext] = records.map((_, i) => {
      const name = fs.readdirSync(out).find((f) => f.endsWith(`-${String(i + 1).padStart(4, '0')}.${ext}`));
      if (!name) throw new Error(`no ${ext} for record ${i + 1}`);
      return path.join(out, name);
    });
  }
  // The DOCX and XLSX of one record have the same base name: each format is printed into a folder of its own.
  const printed = { docx: [] as string[], xlsx: [] as string[] };
  for (const ext of ['docx', 'xlsx'] as const) {
    fs.mkdirSync(path.join(dir, `printed-${ext}`));
    printed[ext] = libreOfficeConvert(files[ext], path.join(dir, `printed-${ext}`), 'pdf');
  }
  return { files, printed };
}
