// The validate and forms commands as a user runs them: exit codes, output, --json, --rules, --forms.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandsFor } from '../../src/cli/commands/index.js';
import { cli } from '../support/cli.js';
import { tmpDir } from '../support/tools.js';

const dir = tmpDir();

describe('bieumau forms', () => {
  it('lists every shipped form with its title and version', async () => {
    const r = await cli('forms');
    expect(r.code).toBe(0);
    for (const id of ['breakthrough-registration', 'commitment', 'action-program', 'self-review', 'score-sheet', 'classification-summary', 'collective-report']) {
      expect(r.stdout).toMatch(new RegExp(`^${id}\\s+\\d+\\.\\d+\\.\\d+\\s+\\S`, 'm'));
    }
    expect(r.stdout).toContain('Bản kiểm điểm, tự đánh giá, xếp loại cá nhân');
  });
});

describe('start-up', () => {
  it('loads only the command a run names, and every command for help or a misspelt name', async () => {
    expect(await commandsFor(['validate', 'render', 'samples/score-sheet.json'])).toEqual([await COMMANDS.validate!()]);
    const all = Object.keys(COMMANDS).length;
    for (const argv of [[], ['--help'], ['help', 'validate'], ['valdate']]) expect(await commandsFor(argv), argv.join(' ')).toHaveLength(all);

    const help = await cli('--help');
    for (const name of Object.keys(COMMANDS)) expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    const typo = await cli('valdate', 'x');
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Did you mean validate?');
  });
});

describe('bieumau validate', () => {
  it('exits 0 on the shipped self-review sample', async () => {
    const r = await cli('validate', 'self-review', 'samples/self-review.json');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/self-review \(qd366-2025\): \d+ bản ghi — \d+ hợp lệ, 0 có lỗi/);
  });

  it('exits 1 with one line per problem, naming record, person, field and code', async () => {
    const r = await cli('validate', 'score-sheet', 'samples/invalid/excellent-with-85-points.json');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Bản ghi 1 — .+\n {2}✗ Mức xếp loại › Mức tự đề xuất \(\/levels\/proposed\) \[level-above-score\]: /m);
  });

  it('--json prints machine-readable issues with record index and summary', async () => {
    const r = await cli('validate', 'score-sheet', 'samples/invalid/quarter-5.json', '--json', '--lang', 'en');
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.summary).toEqual({ total: 1, valid: 0, invalid: 1, warnings: 0 });
    expect(out.records[0].issues[0]).toMatchObject({ code: 'range', pointer: '/period/quarter', label: 'Evaluation period › Quarter', message: 'Must be at most 4.', value: 5, record: 0, severity: 'error', form: 'score-sheet' });
  });

  it('--rules selects the rule set: the same sheet passes under QĐ 366 and fails under Hải Phòng 212', async () => {
    // A "tốt" sheet at exactly 80 points, 18 + 62: QĐ 366 says "từ 70", Hải Phòng "trên 80" and 20 + 80 maxima.
    const base = JSON.parse(fs.readFileSync('samples/score-sheet.json', 'utf8')).find((r: { levels: { proposed: string } }) => r.levels.proposed === 'HTTNV');
    const sheet = { ...base, criteria: undefined, taskResults: undefined, scores: { general: 18, tasks: 62, total: 80 }, levels: { proposed: 'HTTNV' } };
    const file = path.join(dir, 'one.json');
    fs.writeFileSync(file, JSON.stringify(sheet));
    expect((await cli('validate', 'score-sheet', file)).code).toBe(0);
    const hp = await cli('validate', 'score-sheet', file, '--rules', 'hp212-2025');
    expect(hp.code).toBe(1);
    expect(hp.stdout).toMatch(/\[level-above-score\]: .*theo hp212-2025, mức này cần trên 80 điểm/);
    const nd = await cli('validate', 'score-sheet', file, '--rules', 'nd335-2025');
    expect(nd.code).toBe(0);
  });

  it('an unknown rule set is a usage error listing those that exist', async () => {
    const r = await cli('validate', 'score-sheet', 'samples/score-sheet.json', '--rules', 'qd999');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Không có bộ quy tắc "qd999"\. Hiện có: .*qd366-2025/);
  });

  it('a bad --lang is a usage error', async () => {
    const r = await cli('validate', 'score-sheet', 'samples/score-sheet.json', '--lang', 'fr');
    expect(r.code).toBe(2);
  });

  it('a missing argument is a usage error (exit 2), not a crash', async () => {
    const r = await cli('validate', 'score-sheet');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing required argument/);
  });
});

describe('user forms with --forms', () => {
  const forms = path.join(dir, 'my-forms');
  fs.mkdirSync(path.join(forms, 'rules'), { recursive: true });
  fs.writeFileSync(
    path.join(forms, 'quarterly-report.schema.json'),
    JSON.stringify({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'Báo cáo quý của chi bộ',
      'x-title-en': 'Quarterly cell report',
      'x-form': { id: 'quarterly-report', version: '0.1.0', profile: 'party', checks: [{ kind: 'sum', target: '/total', terms: ['/members', '/candidates'] }] },
      type: 'object',
      additionalProperties: false,
      required: ['cell', 'period', 'members'],
      properties: {
        cell: { title: 'Chi bộ', 'x-title-en': 'Cell', type: 'string', minLength: 1 },
        period: { $ref: 'common.schema.json#/$defs/period' },
        members: { title: 'Số đảng viên', 'x-title-en': 'Members', type: 'integer', minimum: 0 },
        candidates: { title: 'Số quần chúng ưu tú', 'x-title-en': 'Candidates', type: 'integer', minimum: 0 },
        total: { title: 'Tổng số', 'x-title-en': 'Total', type: 'integer' },
        level: { $ref: 'common.schema.json#/$defs/level', title: 'Tự xếp loại' },
      },
    }),
  );
  const qd366 = JSON.parse(fs.readFileSync('schemas/rules/qd366-2025.json', 'utf8'));
  fs.writeFileSync(path.join(forms, 'rules', 'tinh-x-2026.json'), JSON.stringify({ ...qd366, id: 'tinh-x-2026', title: 'Quy định của Tỉnh ủy X' }));

  it('is listed and validates without code changes, with its own labels and checks', async () => {
    const list = await cli('forms', '--forms', forms);
    expect(list.stdout).toMatch(/^quarterly-report\s+0\.1\.0\s+Báo cáo quý của chi bộ$/m);
    const data = path.join(dir, 'q.ndjson');
    fs.writeFileSync(
      data,
      [
        { cell: 'Chi bộ Văn phòng', period: { kind: 'quarter', year: 2026, quarter: 2 }, members: 20, candidates: 3, total: 23, level: 'HTTNV' },
        { cell: 'Chi bộ Tổ chức', period: { kind: 'quarter', year: 2026 }, members: -1, candidates: 3, total: 9, level: 'Tốt' },
      ]
        .map((x) => JSON.stringify(x))
        .join('\n'),
    );
    const r = await cli('validate', 'quarterly-report', data, '--forms', forms, '--rules', 'tinh-x-2026');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Bản ghi 2 (dòng 2)');
    expect(r.stdout).toContain('Kỳ đánh giá › Quý (/period/quarter) [required]');
    expect(r.stdout).toContain('Số đảng viên (/members) [range]: Phải lớn hơn hoặc bằng 0.');
    expect(r.stdout).toContain('Tự xếp loại (/level) [enum]');
    expect(r.stdout).toMatch(/quarterly-report \(tinh-x-2026\): 2 bản ghi — 1 hợp lệ, 1 có lỗi/);
  });

  it('a user form cannot silently replace a shipped one', async () => {
    const clash = path.join(dir, 'clash');
    fs.mkdirSync(clash);
    fs.writeFileSync(path.join(clash, 'x.schema.json'), JSON.stringify({ title: 'x', 'x-form': { id: 'score-sheet', version: '9' }, type: 'object' }));
    const r = await cli('forms', '--forms', clash);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/được định nghĩa hai lần/);
  });
});

describe('as a pipe', () => {
  it('ends quietly when the reader closes the pipe early (… | head), with no stack trace', async () => {
    const { spawn } = await import('node:child_process');
    const child = spawn(process.execPath, ['dist/cli/main.js', 'validate', 'score-sheet', 'samples/score-sheet.json', 'samples/score-sheet.json', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += String(c)));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).not.toMatch(/EPIPE|Error:|\n\s+at /);
    expect(code).toBe(0);
  });
});
