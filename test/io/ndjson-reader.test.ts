// The streamed NDJSON reader and the record clean-up: what arrives is what was written, wherever the bytes split.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecordBatches, readRecords, type RecordEntry } from '../../src/io/records.js';
import { normalizeValue } from '../../src/normalize/value.js';
import { tmpDir } from '../support/tools.js';

const dir = tmpDir();
const write = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};
const readAll = async (p: string) => {
  const out: RecordEntry[] = [];
  for await (const e of readRecords(p)) out.push(e);
  return out;
};

describe('NDJSON reader', () => {
  it('keeps every Vietnamese letter whole when a 1 MB read ends inside it, and numbers lines across reads', async () => {
    // 3-byte letters ("ễ") laid so that read boundaries fall at each offset inside a letter somewhere in the file.
    const names = Array.from({ length: 6000 }, (_, i) => `Nguyễn Thị Hồng ${'ễ'.repeat(i % 400)}${i}`);
    const p = write('split.ndjson', `${names.map((fullName) => JSON.stringify({ person: { fullName } })).join('\n')}\n`);
    expect(fs.statSync(p).size).toBeGreaterThan(3 << 20);
    const got = await readAll(p);
    expect(got).toHaveLength(names.length);
    got.forEach((e, i) => {
      expect(e.kind).toBe('record');
      if (e.kind === 'record') {
        expect((e.value as { person: { fullName: string } }).person.fullName).toBe(names[i]);
        expect(e.line).toBe(i + 1);
      }
    });
  });

  it('reads CRLF line ends, a byte-order mark, blank lines and a last line without a line end', async () => {
    const p = write('crlf.ndjson', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":"Hà Nội"}\r\n\r\n  \r\n{"a":"Huế"}')]));
    const got = await readAll(p);
    expect(got.map((e) => (e.kind === 'record' ? [e.line, e.value] : e.code))).toEqual([
      [1, { a: 'Hà Nội' }],
      [4, { a: 'Huế' }],
    ]);
  });

  it('names the line of a bad byte in a later read, and a letter cut off at the end of the file', async () => {
    const good = `${JSON.stringify({ a: 'x'.repeat(1000) })}\n`;
    const lines = Math.ceil((1.5 * (1 << 20)) / good.length);
    const bad = write('late-bad.ndjson', Buffer.concat([Buffer.from(good.repeat(lines)), Buffer.from('{"a":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}\n')]));
    await expect(readAll(bad)).rejects.toThrow(`(line ${lines + 1})`);
    const cut = write('cut.ndjson', Buffer.concat([Buffer.from('{"a":"b"}\n{"a":"'), Buffer.from([0xe1, 0xbb])]));
    await expect(readAll(cut)).rejects.toThrow('(line 2)');
  });
});

describe('normalizeValue', () => {
  it('returns clean records as they are and cleans a copy of the rest, never the input', () => {
    const clean = { person: { fullName: 'Trần Văn Bình', unit: 'Sở Tư pháp' }, tasks: [{ name: 'Số hoá hồ sơ' }, 'Dòng một\n\nDòng hai'] };
    expect(normalizeValue(clean).value).toBe(clean);

    const input = JSON.parse('{"person":{"fullName":"Tra\u0302\u0300n  Văn Bình ","unit":"Sở Tư pháp"},"tasks":[{"name":"Số hoá"},{"name":" x"}],"__proto__":{"polluted":1}}');
    const before = JSON.stringify(input);
    const { value, problems } = normalizeValue(input);
    expect(value).toEqual({ person: { fullName: 'Trần Văn Bình', unit: 'Sở Tư pháp' }, tasks: [{ name: 'Số hoá' }, { name: 'x' }] });
    expect(problems).toEqual([{ pointer: '/__proto__', code: 'forbidden-key', key: '__proto__' }]);
    expect(JSON.stringify(input)).toBe(before);
    // Unchanged branches are shared, changed ones are new.
    const out = value as typeof input;
    expect(out.tasks[0]).toBe(input.tasks[0]);
    expect(out.person).not.toBe(input.person);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('cleans keys the same however many records came before, and still refuses forbidden ones', () => {
    // Thousands of distinct clean keys first (more than any cache of known keys holds), then keys needing work.
    for (let i = 0; i < 6000; i++) normalizeValue({ [`field${i}`]: 1, fullName: 'A' });
    const nfd = 'họ tên';
    const input = JSON.parse(`{"fullName":"A","${nfd}":"B","đơn  vị ":"C","constructor":{"x":1},"field5999":2}`);
    const { value, problems } = normalizeValue(input);
    expect(value).toEqual({ fullName: 'A', 'họ tên': 'B', 'đơn vị': 'C', field5999: 2 });
    expect(problems).toEqual([{ pointer: '/constructor', code: 'forbidden-key', key: 'constructor' }]);
  });

  it('still cuts a value nested too deep, and still cleans a string deep inside, when every key is one seen before', () => {
    normalizeValue({ person: { name: 'x' } }); // the keys are now known clean
    let deep: unknown = { name: 'đáy' };
    for (let i = 0; i < 40; i++) deep = { person: i % 2 ? [deep] : deep };
    const cut = normalizeValue(deep, { maxDepth: 32 });
    expect(cut.problems.map((p) => p.code)).toEqual(['too-deep']);
    expect(cut.value).not.toBe(deep);

    const nfd = 'Nguye\u0302\u0303n';
    const input = { person: { person: [{ name: 'ổn' }, { person: { name: nfd } }] } };
    const { value, problems } = normalizeValue(input);
    expect(problems).toEqual([]);
    expect(value).toEqual({ person: { person: [{ name: 'ổn' }, { person: { name: 'Nguyễn' } }] } });
  });
});

describe('records in batches', () => {
  const batched = async (p: string) => {
    const sizes: number[] = [];
    const out: RecordEntry[] = [];
    for await (const batch of readRecordBatches(p)) {
      const entries = [...batch];
      sizes.push(entries.length);
      out.push(...entries);
    }
    return { sizes, out };
  };

  it('gives the entries one by one reading gives, NDJSON of several reads with a bad and a blank line', async () => {
    const person = (i: number) => JSON.stringify({ person: { fullName: `Lê Thị Hồng Nhung ${i}` }, note: 'ư'.repeat(i % 50) });
    const lines = Array.from({ length: 25_000 }, (_, i) => (i === 777 ? '{"broken"' : i === 20_000 ? '' : person(i)));
    const p = write('batches.ndjson', `${lines.join('\n')}\n${person(25_000)}`);
    const { sizes, out } = await batched(p);
    expect(out).toEqual(await readAll(p));
    expect(sizes.length).toBeGreaterThan(1);
    expect(out).toHaveLength(25_000);
    expect(out[777]).toMatchObject({ kind: 'error', line: 778 });
    expect(out.at(-1)).toMatchObject({ kind: 'record', index: 24_999, line: 25_001 });
  });

  it('hands a JSON array over a thousand at a time, in order', async () => {
    const p = write('array.json', JSON.stringify(Array.from({ length: 2_500 }, (_, i) => ({ i }))));
    const { sizes, out } = await batched(p);
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(out.map((e) => (e as { value: { i: number } }).value.i)).toEqual(Array.from({ length: 2_500 }, (_, i) => i));
    expect(out.map((e) => e.index)).toEqual(Array.from({ length: 2_500 }, (_, i) => i));
  });
});
