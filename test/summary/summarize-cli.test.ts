// `bieumau summarize` as a clerk runs it: the seeds' figures, a rule set written as data, exceptions, level
// choice, exit codes, and the summary sheet whose totals stay live.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { tmpDir } from '../support/tools.js';
import { rawCell, readWorkbook, zipPart, findCell } from '../render/xlsx/support.js';
import { GROUPS, people, UNITS } from './fixture.js';

const dir = tmpDir('bieumau-summarize-');

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function ndjson(name: string, records: unknown[]): string {
  return write(name, `${records.map((r) => JSON.stringify(r)).join('\n')}\n`);
}

/** 35 units' heads as in the seeds: 5 rated excellent, 30 good. */
function seeds(): unknown[] {
  return Array.from({ length: 35 }, (_, i) => ({
    header: { parentBody: 'ĐẢNG BỘ PHƯỜNG HẢI DƯƠNG', issuingBody: 'CHI BỘ', place: 'Hải Dương' },
    period: { kind: 'year', year: 2025 },
    person: { fullName: `Bí thư chi bộ ${i + 1}`, unit: 'Các chi bộ trực thuộc', category: 'leader', comparableGroup: 'Bí thư chi bộ' },
    scores: i < 5 ? { general: 28, tasks: 64, total: 92 } : { general: 25, tasks: 55, total: 80 },
    levels: { proposed: i < 5 ? 'HTXSNV' : 'HTTNV' },
  }));
}

const DOCUMENT = {
  header: { parentBody: 'ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG', issuingBody: 'ĐẢNG ỦY PHƯỜNG HẢI DƯƠNG', number: 215, symbol: 'BC/ĐU', place: 'Hải Dương', date: '2026-01-12' },
  signature: { authority: 'on-behalf', body: 'ĐẢNG ỦY', post: 'BÍ THƯ', name: 'Bùi Văn Trường' },
  recipients: ['Ban Tổ chức Thành ủy (để báo cáo)', 'Lưu Văn phòng Đảng ủy'],
};

describe('bieumau summarize: the seeds’ figures', () => {
  it('5 of 35 excellent and 30 of 35 good print as 14,29% and 85,71% under QĐ 366 (2 decimals, half up)', async () => {
    const out = path.join(dir, 'seeds');
    const r = await cli('summarize', ndjson('seeds.ndjson', seeds()), '--out', out, '--format', 'none');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('HTXSNV: 5/35 (14,29%)');
    expect(r.stdout).toContain('HTTNV: 30/35 (85,71%)');
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
    expect(summary.total.shares.HTXSNV).toMatchObject({ count: 5, of: 35, percent: '14,29', value: 14.29, text: '5/35 (14,29%)' });
    expect(summary.total.shares.HTTNV.text).toBe('30/35 (85,71%)');
    expect(summary.ruleSet).toMatchObject({ id: 'qd366-2025', version: '1.0.0' });
  });

  it('an office’s rule set file choosing truncation to 1 decimal prints 14,2% and 85,7%', async () => {
    // The variant is data: a copy of QĐ 366 with another id and another percentage display, in a forms folder.
    const forms = path.join(dir, 'office-forms');
    fs.mkdirSync(path.join(forms, 'rules'), { recursive: true });
    const base = JSON.parse(fs.readFileSync('schemas/rules/qd366-2025.json', 'utf8'));
    const variant = { ...base, $schema: undefined, id: 'qd366-2025-cat-1', version: '1.0.0-local', display: { ...base.display, percent: { decimals: 1, rounding: 'truncate', trimZeros: true } } };
    fs.writeFileSync(path.join(forms, 'rules', 'qd366-2025-cat-1.json'), JSON.stringify(variant));
    const r = await cli('summarize', ndjson('seeds-2.ndjson', seeds()), '--out', path.join(dir, 'seeds-cut'), '--format', 'none', '--forms', forms, '--rules', 'qd366-2025-cat-1', '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.ruleSet).toMatchObject({ id: 'qd366-2025-cat-1', version: '1.0.0-local' });
    expect(summary.total.shares.HTXSNV.text).toBe('5/35 (14,2%)');
    expect(summary.total.shares.HTTNV.text).toBe('30/35 (85,7%)');
  });
});

describe('bieumau summarize: the document', () => {
  it('writes summary.json and the summary as XLSX whose totals are formulas with the right cached values', async () => {
    const out = path.join(dir, 'fixture');
    const exceptions = write('exceptions.json', JSON.stringify({ grants: [{ unit: UNITS[1], group: GROUPS[0], decision: 'Công văn số 15-CV/ĐU ngày 05/01/2026 của Đảng ủy phường' }] }));
    const all = people();
    const r = await cli('summarize', ndjson('fixture.ndjson', all.map((p) => p.record)), '--out', out, '--format', 'xlsx', '--exceptions', exceptions, '--document', write('document.json', JSON.stringify(DOCUMENT)));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✗ Lãnh đạo, quản lý — Chi bộ Ủy ban nhân dân phường: 3\/10 \(30%\), tối đa 2/);
    expect(r.stdout).toMatch(/✓ Lãnh đạo, quản lý — Chi bộ Cơ quan Đảng - Mặt trận - Đoàn thể: 2\/8 \(25%\), tối đa 2 .*ngoại lệ 25% theo Công văn số 15-CV\/ĐU/);
    expect(r.stdout).toMatch(/vượt 1, đề nghị cấp có thẩm quyền xem xét: Đảng viên 074 \(3\.2\) \(91\)/);
    expect(r.stdout).toMatch(/bằng điểm tại ngưỡng: Đảng viên 073 \(3\.2\), Đảng viên 074 \(3\.2\)/);

    const record = JSON.parse(fs.readFileSync(path.join(out, 'classification-summary.json'), 'utf8'));
    expect(record.ruleSet).toBe('qd366-2025');
    expect(record.units.map((u: { name: string }) => u.name)).toEqual([...UNITS]);
    expect(record.groups.filter((g: { pass: boolean }) => !g.pass).map((g: { over: string[] }) => g.over)).toEqual([['Đảng viên 003 (1.1)'], ['Đảng viên 074 (3.2)']]);
    // Those over, and those tied at the cut, are listed with their scores for the competent level.
    const listed = record.people.map((p: { fullName: string }) => p.fullName);
    expect(listed).toEqual(['Đảng viên 003 (1.1)', 'Đảng viên 073 (3.2)', 'Đảng viên 074 (3.2)']);
    const over = record.people[0];
    const source = all.find((p) => p.name === over.fullName)!;
    expect(over.scores).toEqual(source.record.scores);
    expect(over.verifiedPoints).toBe((source.record.verifiedScores as { total?: number } | undefined)?.total);
    expect(over.note).toMatch(/^Vượt số tối đa 2 của nhóm \(điểm 91\); đề nghị cấp có thẩm quyền xem xét\.$/);

    const bytes = new Uint8Array(fs.readFileSync(path.join(out, 'classification-summary.xlsx')));
    const ws = (await readWorkbook(bytes)).worksheets[0]!;
    const sheet = await zipPart(bytes, 'xl/worksheets/sheet1.xml');
    const total = findCell(ws, 'Tổng cộng').row;
    const first = findCell(ws, UNITS[0]).row;
    const headerCol = findCell(ws, 'Tổng số').col;
    const letter = (c: number) => ws.getColumn(c).letter;
    const expected = { all: all.length, HTXSNV: all.filter((p) => p.counted === 'HTXSNV').length, unclassified: all.filter((p) => p.counted === null).length };
    expect(rawCell(sheet, `${letter(headerCol)}${total}`)).toEqual({ f: `SUM(${letter(headerCol)}${first}:${letter(headerCol)}${total - 1})`, v: String(expected.all) });
    const xsCol = findCell(ws, 'Hoàn thành xuất sắc nhiệm vụ').col;
    expect(rawCell(sheet, `${letter(xsCol)}${total}`)).toEqual({ f: `SUM(${letter(xsCol)}${first}:${letter(xsCol)}${total - 1})`, v: String(expected.HTXSNV) });
    const unCol = findCell(ws, 'Chưa xếp loại').col;
    expect(rawCell(sheet, `${letter(unCol)}${total}`).v).toBe(String(expected.unclassified));
    // Each unit's "Tổng số" is the sum of its level cells, so the row reconciles when a count is edited.
    const unitTotal = rawCell(sheet, `${letter(headerCol)}${first}`);
    expect(unitTotal.f).toBe(`SUM(${letter(xsCol)}${first}:${letter(unCol)}${first})`);
    expect(Number(unitTotal.v)).toBe(all.filter((p) => p.unit === UNITS[0]).length);
    // The share row: a live formula whose cached value is the printed share.
    expect(rawCell(sheet, `${letter(xsCol)}${total + 1}`)).toEqual({ f: `IF(${letter(headerCol)}${total}=0,"",ROUND(${letter(xsCol)}${total}*100/${letter(headerCol)}${total},2))`, v: '13.86' });
    expect(ws.getCell(`${letter(xsCol)}${first}`).value).toBe(all.filter((p) => p.unit === UNITS[0] && p.counted === 'HTXSNV').length);
  });

  it('--level decided counts only decided levels; the rest are shown as not yet classified', async () => {
    const all = people();
    const r = await cli('summarize', ndjson('decided.ndjson', all.map((p) => p.record)), '--out', path.join(dir, 'decided'), '--format', 'none', '--level', 'decided', '--json');
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    const decided = all.filter((p) => (p.record.levels as { decided?: string }).decided !== undefined);
    expect(summary.levelOrder).toEqual(['decided']);
    expect(summary.levelBasis.vi).toBe('Tính theo mức cấp có thẩm quyền quyết định; người chưa có mức nào được tính là chưa xếp loại.');
    expect(summary.total.evaluated).toBe(all.length);
    expect(summary.total.counts.unclassified).toBe(all.length - decided.length);
    expect(summary.total.counts.HTXSNV).toBe(decided.filter((p) => p.counted === 'HTXSNV').length);
  });

  it('--group-by group puts the comparable groups in the rows of the document', async () => {
    const out = path.join(dir, 'by-group');
    const r = await cli('summarize', ndjson('g.ndjson', people().map((p) => p.record)), '--out', out, '--format', 'none', '--group-by', 'group', '--document', write('d.json', JSON.stringify(DOCUMENT)));
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[2]).toMatch(/^Nhóm tương đồng/);
    expect(fs.existsSync(path.join(out, 'classification-summary.json'))).toBe(false);
  });
});

describe('bieumau summarize: problems', () => {
  it('a line that is not JSON and an unknown level code are reported with their line, and the exit code is 1', async () => {
    const records = seeds().map((r) => JSON.stringify(r));
    records[3] = '{"person": {"fullName": "Hỏng"';
    const bad = JSON.parse(records[7]!);
    bad.levels = { proposed: 'XUATSAC' };
    records[7] = JSON.stringify(bad);
    const r = await cli('summarize', write('bad.ndjson', `${records.join('\n')}\n`), '--out', path.join(dir, 'bad'), '--format', 'none');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('35 bản ghi, 34 được tính, 1 không tính được');
    expect(r.stdout).toMatch(/Bản ghi 4 \(dòng 4\) \[not-json\]/);
    expect(r.stdout).toMatch(/Bản ghi 8 \(dòng 8\) — Bí thư chi bộ 8 \(\/levels\/proposed\) \[summary-unknown-level\]: Mã mức "XUATSAC" không có trong bộ quy tắc qd366-2025/);
    const summary = JSON.parse(fs.readFileSync(path.join(dir, 'bad', 'summary.json'), 'utf8'));
    expect(summary.total.counts.unclassified).toBe(1);
    expect(summary.total.evaluated).toBe(34);

    // With several files, each issue names its file (a record's number counts across the files).
    const good = ndjson('good-first.ndjson', seeds().slice(0, 2));
    const two = await cli('summarize', good, path.join(dir, 'bad.ndjson'), '--out', path.join(dir, 'bad2'), '--format', 'none');
    expect(two.stdout).toContain(`✗ ${path.join(dir, 'bad.ndjson')}: Bản ghi 6 (dòng 4) [not-json]`);
  });

  it('an exception above the rule set’s exception ceiling is refused (exit 2)', async () => {
    const exceptions = write('too-high.json', JSON.stringify({ grants: [{ group: GROUPS[0], ceilingPct: 30, decision: 'Quyết định số 1' }] }));
    const r = await cli('summarize', ndjson('s3.ndjson', seeds()), '--out', path.join(dir, 'x'), '--format', 'none', '--exceptions', exceptions);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('trường hợp 1 cho phép 30%, vượt trần ngoại lệ 25% của qd366-2025');
  });

  it('a malformed exceptions file names what is expected (exit 2)', async () => {
    const r = await cli('summarize', ndjson('s4.ndjson', seeds()), '--out', path.join(dir, 'y'), '--format', 'none', '--exceptions', write('bad-ex.json', '{"grants": [{"unit": "A"}]}'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/sai cấu trúc danh sách ngoại lệ .*\/grants\/0 required/);
  });

  it('an unused grant is a warning, and bad options are usage errors', async () => {
    const exceptions = write('unused.json', JSON.stringify({ grants: [{ unit: 'Chi bộ không tồn tại', decision: 'Công văn số 9' }] }));
    const r = await cli('summarize', ndjson('s5.ndjson', seeds()), '--out', path.join(dir, 'z'), '--format', 'none', '--exceptions', exceptions);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\[summary-grant-unused\]: Trường hợp ngoại lệ "Chi bộ không tồn tại" \(Công văn số 9\) không khớp nhóm nào/);
    expect((await cli('summarize', ndjson('s6.ndjson', seeds()), '--out', path.join(dir, 'w'), '--level', 'decided,final')).code).toBe(2);
    expect((await cli('summarize', ndjson('s7.ndjson', seeds()), '--out', path.join(dir, 'w'), '--format', 'odt')).code).toBe(2);
    expect((await cli('summarize', path.join(dir, 'missing.ndjson'), '--out', path.join(dir, 'w'))).code).toBe(2);
  });

  it('without a header the records agree on, the document asks for --document and summary.json is still written', async () => {
    const mixed = seeds().map((r, i) => ({ ...(r as object), period: { kind: 'year', year: 2024 + (i % 2) } }));
    const out = path.join(dir, 'mixed');
    const r = await cli('summarize', ndjson('mixed.ndjson', mixed), '--out', out, '--format', 'docx');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Không xác định được period của bản tổng hợp');
    expect(fs.existsSync(path.join(out, 'summary.json'))).toBe(true);
    // Records of two periods counted together are named, with how many of each, in a warning.
    const half = Math.ceil(mixed.length / 2);
    expect(r.stdout).toContain(`[summary-mixed-periods]: Các bản ghi thuộc nhiều kỳ đánh giá khác nhau nhưng được tính chung (năm 2024: ${half}; năm 2025: ${mixed.length - half})`);
    const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')) as { issues: { byCode: Record<string, number> } };
    expect(summary.issues.byCode['summary-mixed-periods']).toBe(1);
  });
});
