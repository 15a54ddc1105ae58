// The summary's NDJSON reader agrees with the shared record reader, entry for entry, on awkward files.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecords } from '../../src/io/records.js';
import { readNdjson, readNdjsonAt } from '../../src/summary/lines.js';
import { fileSource } from '../../src/summary/summarize.js';
import { tmpDir } from '../support/tools.js';

const dir = tmpDir('bieumau-lines-');

async function both(name: string, bytes: Buffer | string, maxLine?: number) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  const shared: unknown[] = [];
  for await (const e of readRecords(file, maxLine ? { maxLineBytes: maxLine } : {})) shared.push(e);
  const ours: unknown[] = [];
  let counted = -1;
  for await (const e of readNdjson(file, { counted: (n) => (counted = n), ...(maxLine ? { maxLine } : {}) })) {
    // Where the line lies is this reader's own addition.
    const { file: _file, offset: _offset, bytes: _bytes, ...rest } = e;
    ours.push(rest);
  }
  return { shared, ours, counted, file };
}

const person = (i: number) => JSON.stringify({ person: { fullName: `Nguyễn Thị Ánh Tuyết ${i}`, unit: 'Chi bộ Tổ dân phố số 3 phường Hải Dương' }, levels: { proposed: i % 5 ? 'HTTNV' : 'HTXSNV' } });

describe('NDJSON reader of the summary', () => {
  it('numbers records and lines as the shared reader does: BOM, CRLF, blank and space-only lines, a bad line, no final newline', async () => {
    // Two bad lines: one V8 gives a position for, one it does not ("Unexpected end of JSON input").
    const text = `\uFEFF${person(1)}\r\n\r\n   \t\n${person(2)}\n\u00a0\u2003\n{"person": {"fullName": "Hỏng"\n${person(3)}\r\n\n{"x": \n${person(4)}`;
    const { shared, ours, counted } = await both('awkward.ndjson', text);
    expect(ours).toEqual(shared);
    expect(counted).toBe(6);
    expect(shared.map((e) => (e as { line: number }).line)).toEqual([1, 4, 6, 7, 9, 10]);
    expect((ours[4] as { text: { en: string } }).text.en).toBe('Line 9 is not valid JSON (column 7).');
  });

  it('keeps Vietnamese letters whole across read boundaries in a file of several megabytes', async () => {
    const lines = Array.from({ length: 40_000 }, (_, i) => person(i));
    const { shared, ours, counted } = await both('big.ndjson', `${lines.join('\n')}\n`);
    expect(counted).toBe(40_000);
    expect(ours).toEqual(shared);
  });

  it('counts the line limit in characters: 9 million "ư" (18 MB) pass, 17 million "a" are reported and skipped', async () => {
    const wide = `{"note": "${'ư'.repeat(9 * 1024 * 1024)}"}`;
    const long = `{"note": "${'a'.repeat(17 * 1024 * 1024)}"}`;
    const { shared, ours } = await both('long.ndjson', `${person(1)}\n${wide}\n${long}\n${person(2)}\n`);
    expect(ours).toEqual(shared);
    expect(ours.map((e) => (e as { kind: string }).kind)).toEqual(['record', 'record', 'error', 'record']);
  });

  it('drops a line far over the limit while reading it, without holding it whole', async () => {
    const huge = `{"note": "${'ă'.repeat(1_300_000)}"}`;
    const { shared, ours, counted } = await both('huge.ndjson', `${person(1)}\n${huge}\n${person(2)}\n${'x'.repeat(2000)}\n`, 1000);
    expect(ours).toEqual(shared);
    expect(counted).toBe(4);
    expect(ours.map((e) => (e as { kind: string; line: number }).kind + (e as { line: number }).line)).toEqual(['record1', 'error2', 'record3', 'error4']);
  });

  it('refuses a folder and an empty file with the shared reader’s errors (not an internal error, not 0 records)', async () => {
    const folder = path.join(dir, 'folder.ndjson');
    fs.mkdirSync(folder);
    const empty = path.join(dir, 'empty.ndjson');
    fs.writeFileSync(empty, '');
    const codeOf = async (it: AsyncIterable<unknown>) => {
      try {
        for await (const _ of it);
        return 'no error';
      } catch (e) {
        return (e as { code?: string }).code;
      }
    };
    for (const f of [folder, empty]) expect(await codeOf(readNdjson(f))).toBe(await codeOf(readRecords(f)));
    expect(await codeOf(readNdjson(folder))).toBe('not-a-file');
    expect(await codeOf(readNdjson(empty))).toBe('empty-file');
  });

  it('stops on bytes that are not UTF-8, naming the same line', async () => {
    const bytes = Buffer.concat([Buffer.from(`${person(1)}\n${person(2)}\n`), Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d, 0x0a])]);
    const file = path.join(dir, 'latin.ndjson');
    fs.writeFileSync(file, bytes);
    const drain = async (it: AsyncIterable<unknown>) => {
      for await (const _ of it);
    };
    await expect(drain(readRecords(file))).rejects.toThrow(/line 3/);
    await expect(drain(readNdjson(file))).rejects.toThrow(/line 3/);
  });

  it('keeps where each line lies, so that a record can be read back alone: BOM, CRLF, letters of several bytes', async () => {
    const text = `\uFEFF${person(0)}\r\n\n${person(1)}\n   \n${person(5)}\r\n${person(10)}`;
    const file = path.join(dir, 'places.ndjson');
    fs.writeFileSync(file, text);
    const bytes = fs.readFileSync(file);
    const entries: Array<{ index: number; line: number; offset: number; bytes: number; value: unknown }> = [];
    for await (const e of readNdjson(file)) if (e.kind === 'record') entries.push({ index: e.index, line: e.line!, offset: e.offset!, bytes: e.bytes!, value: e.value });
    expect(entries.map((e) => e.line)).toEqual([1, 3, 5, 6]);
    for (const e of entries) expect(JSON.parse(bytes.subarray(e.offset, e.offset + e.bytes).toString('utf8'))).toEqual(e.value);

    // Read back alone, with the index and line they were read under.
    const stamp = { size: fs.statSync(file).size, mtimeMs: fs.statSync(file).mtimeMs };
    const back: unknown[] = [];
    for await (const e of readNdjsonAt(file, [entries[1]!, entries[3]!], stamp)) back.push({ index: e.index, line: e.line, value: e.value });
    expect(back).toEqual([entries[1]!, entries[3]!].map(({ index, line, value }) => ({ index, line, value })));

    // A file changed since, even to the same length: stopped with a clear error, not a wrong record.
    const drain = async (at: typeof stamp | undefined) => {
      for await (const _ of readNdjsonAt(file, [entries[2]!, entries[3]!], at));
    };
    const edited = text.replace('Nguyễn Thị Ánh Tuyết 5', 'Nguyễn Thị Ánh Tuyết 6');
    expect(Buffer.byteLength(edited)).toBe(bytes.length);
    fs.writeFileSync(file, edited);
    fs.utimesSync(file, new Date(), new Date(stamp.mtimeMs + 5000));
    await expect(drain(stamp)).rejects.toThrow(/the file changed while it was being summarised\. Summarise again/);
    // Without a stamp, a place that no longer holds a line is still caught.
    fs.writeFileSync(file, text.replace(person(5), person(5).replace('Nguyễn', 'Trần Văn')));
    await expect(drain(undefined)).rejects.toThrow(/changed while it was being summarised \(line 5/);
  });

  it('gives the same records in batches, with indices running on across files, as one by one', async () => {
    const a = path.join(dir, 'batch-a.ndjson');
    const b = path.join(dir, 'batch-b.ndjson');
    // Several megabytes each, so that each file takes several reads; a bad line and a blank line in the second.
    fs.writeFileSync(a, `${Array.from({ length: 30_000 }, (_, i) => person(i)).join('\n')}\n`);
    fs.writeFileSync(b, `${person(1)}\n\n{"broken"\n${Array.from({ length: 30_000 }, (_, i) => person(i)).join('\n')}`);
    const source = fileSource([a, b]);
    const single: Array<{ index: number; line: number; kind: string }> = [];
    for await (const e of source()) single.push({ index: e.index, line: e.line ?? 0, kind: e.kind });
    const batched: typeof single = [];
    let batches = 0;
    for await (const batch of source.batches!()) {
      batches++;
      for (const e of batch) batched.push({ index: e.index, line: e.line ?? 0, kind: e.kind });
    }
    expect(batches).toBeGreaterThan(2);
    expect(batched).toEqual(single);
    expect(single).toHaveLength(60_002);
    expect(single[30_001]).toEqual({ index: 30_001, line: 3, kind: 'error' });
    expect(single.at(-1)!.index).toBe(60_001);
  });
});
