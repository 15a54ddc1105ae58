// Hostile or broken data files: each gets one clear line and exit code 2, or a correct result, never a crash.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRecords } from '../../src/io/records.js';
import { cli } from '../support/cli.js';
import { tmpDir } from '../support/tools.js';

const dir = tmpDir();
const file = (name: string, content: string | Buffer) => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};

function scoreSheet(name: string, extra: Record<string, unknown> = {}) {
  return {
    header: { parentBody: 'ĐẢNG BỘ TỈNH HƯNG YÊN', issuingBody: 'CHI BỘ SỞ NỘI VỤ', place: 'Hưng Yên' },
    period: { kind: 'year', year: 2026 },
    person: { fullName: name, unit: 'Sở Nội vụ', category: 'staff', idNumber: '001234567890' },
    scores: { general: 27, tasks: 60, total: 87 },
    conditions: { tasksOnTimePct: 100 },
    levels: { proposed: 'HTTNV' },
    ...extra,
  };
}

describe('hostile and broken data files', () => {
  it('an empty file: one clear line, exit 2', async () => {
    const r = await cli('validate', 'score-sheet', file('empty.json', ''));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/tệp rỗng/);
    expect(r.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/); // no stack trace
  });

  it('invalid UTF-8 names the line and asks for UTF-8', async () => {
    const bytes = Buffer.concat([Buffer.from('[\n{"person": {"fullName": "Nguy'), Buffer.from([0xc3, 0x28]), Buffer.from('n"}}\n]')]);
    const r = await cli('validate', 'score-sheet', file('latin.json', bytes));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/không phải văn bản UTF-8 hợp lệ \(dòng 2\)/);
    const en = await cli('validate', 'score-sheet', path.join(dir, 'latin.json'), '--lang', 'en');
    expect(en.stderr).toMatch(/not valid UTF-8 text \(line 2\)/);
  });

  it('invalid UTF-8 in a streamed NDJSON file is caught too', async () => {
    const bytes = Buffer.concat([Buffer.from(`${JSON.stringify(scoreSheet('A'))}\n{"x": "`), Buffer.from([0xff, 0xfe]), Buffer.from('"}\n')]);
    const r = await cli('validate', 'score-sheet', file('bad.ndjson', bytes));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/UTF-8/);
  });

  it('a file that is not JSON says where it breaks', async () => {
    const r = await cli('validate', 'score-sheet', file('broken.json', '[\n{"a": 1},\n{"b": }\n]'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/không phải JSON hợp lệ tại dòng 3/);
    const csv = await cli('validate', 'score-sheet', file('data.json', 'Họ tên,Đơn vị\nA,B\n'));
    expect(csv.code).toBe(2);
    expect(csv.stderr).toMatch(/phải bắt đầu bằng/);
  });

  it('an unknown form or missing file is a usage error naming what exists', async () => {
    const r = await cli('validate', 'no-such-form', file('x.json', '{}'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Không có biểu mẫu "no-such-form".*score-sheet/);
    const m = await cli('validate', 'score-sheet', path.join(dir, 'missing.json'));
    expect(m.code).toBe(2);
    expect(m.stderr).toMatch(/Không tìm thấy tệp/);
  });

  it('__proto__ keys are reported and never reach a prototype', async () => {
    const text = `[${JSON.stringify(scoreSheet('Lê Văn Tám')).replace(/^\{/, '{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}},')}]`;
    const r = await cli('validate', 'score-sheet', file('proto.json', text), '--json');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    const codes = out.records[0].issues.map((i: { code: string; pointer: string }) => `${i.code} ${i.pointer}`);
    expect(codes).toContain('forbidden-key /__proto__');
    expect(codes).toContain('forbidden-key /constructor');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('two keys that clean up to one name are reported, and the first value is kept, not silently written over', async () => {
    const text = JSON.stringify([scoreSheet('Trần Quốc Khánh')]).replace('"fullName":"Trần Quốc Khánh"', '"fullName":"Trần Quốc Khánh","fullName\\u200b":"Nguyễn Văn Sai","unit ":"Sở Tư pháp"');
    const r = await cli('validate', 'score-sheet', file('collide.json', text), '--json');
    expect(r.code).toBe(1);
    const issues = JSON.parse(r.stdout).records[0].issues as Array<{ code: string; pointer: string; message: string }>;
    expect(issues.map((i) => `${i.code} ${i.pointer}`)).toEqual(['duplicate-key /person/fullName', 'duplicate-key /person/unit']);
    // The hidden character is shown, escaped, so that the clerk can find the key.
    expect(issues[0]!.message).toBe('Hai trường "fullName" và "fullName\\u200b" cùng thành tên "fullName" khi bỏ ký tự ẩn và khoảng trắng thừa; chỉ giá trị của "fullName" được dùng.');
    expect(r.stdout).not.toContain('Nguyễn Văn Sai');
    const en = await cli('validate', 'score-sheet', path.join(dir, 'collide.json'), '--lang', 'en');
    // The first key met is kept, however it was written.
    expect(en.stdout).toContain('The fields "unit " and "unit" both become "unit" once invisible characters and extra spaces are removed; only the value of "unit " is used.');
  });

  it('a pretty-printed file with one typo, or two pretty-printed objects one after the other, gets one error with its place (not a report per line)', async () => {
    const pretty = JSON.stringify(scoreSheet('Lê Thị Hà'), null, 2);
    const typo = pretty.replace('"period": {', '"period" {');
    const line = typo.slice(0, typo.indexOf('"period" {')).split('\n').length;
    const r = await cli('validate', 'score-sheet', file('typo.json', typo));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(new RegExp(`không phải JSON hợp lệ tại dòng ${line}, cột \\d+\\.\\n$`));
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    const two = await cli('validate', 'score-sheet', file('two-pretty.json', `${pretty}\n${pretty}\n`));
    expect(two.code).toBe(2);
    expect(two.stderr.trim().split('\n')).toHaveLength(1);
    expect(two.stderr).toMatch(/không phải JSON hợp lệ tại dòng \d+, cột 1\./);
  });

  it('deeply nested JSON (100,000 levels) is cut at a fixed depth and reported, without a stack overflow', async () => {
    const deep = `[{"person": {"fullName": "A", "unit": ${'['.repeat(100_000)}${']'.repeat(100_000)}}}]`;
    const r = await cli('validate', 'score-sheet', file('deep.json', deep), '--json');
    expect(r.code).toBe(1);
    const issues = JSON.parse(r.stdout).records[0].issues as Array<{ code: string }>;
    expect(issues.map((i) => i.code)).toContain('too-deep');
  });

  it('NDJSON: a broken line is reported with its line number and the other records are still checked', async () => {
    const lines = [JSON.stringify(scoreSheet('Phạm Thị Hoa')), '', '{"oops": ', JSON.stringify(scoreSheet('Đỗ Văn Nam', { extra: 1 }))].join('\n');
    const r = await cli('validate', 'score-sheet', file('mixed.ndjson', lines));
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/Bản ghi 2 \(dòng 3\)\n {2}✗ \[not-json\]: Dòng 3 không phải JSON hợp lệ/);
    expect(r.stdout).toMatch(/Bản ghi 3 \(dòng 4\) — Đỗ Văn Nam\n {2}✗ extra \(\/extra\) \[unknown-field\]/);
    expect(r.stdout).toMatch(/3 bản ghi — 1 hợp lệ, 2 có lỗi/);
  });

  it('NDJSON without the extension is recognised', async () => {
    const lines = [scoreSheet('A'), scoreSheet('B')].map((x) => JSON.stringify(x)).join('\n');
    const r = await cli('validate', 'score-sheet', file('two.json', lines));
    expect(r.stdout).toMatch(/2 bản ghi — 2 hợp lệ/);
    expect(r.code).toBe(0);
  });

  it('an over-long NDJSON line is skipped without holding it in memory', async () => {
    const p = file('long.ndjson', `${JSON.stringify(scoreSheet('A'))}\n{"x":"${'a'.repeat(3000)}"}\n${JSON.stringify(scoreSheet('B'))}\n`);
    const kinds: string[] = [];
    for await (const e of readRecords(p, { maxLineBytes: 1000 })) kinds.push(e.kind === 'error' ? e.code : 'record');
    expect(kinds).toEqual(['record', 'line-too-long', 'record']);
  });

  describe('a 50 MB JSON array', () => {
    let big: string;
    beforeAll(() => {
      const rec = JSON.stringify(scoreSheet('Nguyễn Thị Thuỳ Dương'));
      const n = Math.ceil((50 * 1024 * 1024) / (rec.length + 1));
      big = path.join(dir, 'big.json');
      const fd = fs.openSync(big, 'w');
      fs.writeSync(fd, '[');
      const chunk = Array.from({ length: 1000 }, () => rec).join(',');
      for (let i = 0; i < n; i += 1000) fs.writeSync(fd, (i ? ',' : '') + chunk);
      fs.writeSync(fd, ']');
      fs.closeSync(fd);
    });

    it('validates completely inside a 400 MB heap (the built CLI in a child process)', () => {
      const r = spawnSync(process.execPath, ['--max-old-space-size=400', 'dist/cli/main.js', 'validate', 'score-sheet', big], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const count = Number(/(\d+) bản ghi — \1 hợp lệ, 0 có lỗi/.exec(r.stdout)?.[1]);
      expect(count).toBeGreaterThan(100_000);
    });

    it('a JSON array above the whole-file limit asks for NDJSON instead of exhausting memory', async () => {
      await expect(async () => {
        for await (const _ of readRecords(big, { maxWholeBytes: 10 * 1024 * 1024 })) void _;
      }).rejects.toThrow(/NDJSON/);
    });
  });
});
