// The shipped samples are valid and the invalid samples fail exactly as documented, with labels and messages.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../src/forms/registry.js';
import { loadRules } from '../../src/rules/registry.js';
import { FormValidator } from '../../src/validate/validator.js';

const registry = loadRegistry();
const validator = new FormValidator(registry, loadRules(registry.ruleDirs));
const expected = JSON.parse(fs.readFileSync('samples/invalid/expected.json', 'utf8')) as Record<string, { form: string; errors: Array<{ pointer: string; code: string }> }>;

function records(file: string): unknown[] {
  const data = JSON.parse(fs.readFileSync(file, 'utf8'));
  return Array.isArray(data) ? data : [data];
}

describe('shipped samples', () => {
  it('there is a sample for every form, with several cadres for the tabular forms', () => {
    for (const form of registry.list()) {
      const file = path.join('samples', `${form.id}.json`);
      expect(fs.existsSync(file), file).toBe(true);
      if (form.meta.tabular) expect(records(file).length).toBeGreaterThanOrEqual(5);
    }
  });

  for (const form of registry.list()) {
    it(`${form.id}: every record is valid with no warning`, () => {
      for (const [i, record] of records(path.join('samples', `${form.id}.json`)).entries()) {
        const r = validator.validate(form.id, record);
        expect(r.issues, `${form.id} record ${i + 1}`).toEqual([]);
      }
    });
  }

  it('score-sheet samples include a leader and a non-leader, every level, a quarter and a year', () => {
    const rs = records('samples/score-sheet.json') as Array<{ person: { category: string }; levels: { proposed: string }; period: { kind: string } }>;
    expect(new Set(rs.map((r) => r.person.category))).toEqual(expect.objectContaining(new Set(['leader', 'staff'])));
    expect(new Set(rs.map((r) => r.levels.proposed))).toEqual(new Set(['HTXSNV', 'HTTNV', 'HTNV', 'KHTNV']));
    expect(new Set(rs.map((r) => r.period.kind))).toEqual(new Set(['quarter', 'year']));
  });

  it('samples are NFC throughout', () => {
    for (const name of fs.readdirSync('samples').filter((n) => n.endsWith('.json'))) {
      const text = fs.readFileSync(path.join('samples', name), 'utf8');
      expect(text, name).toBe(text.normalize('NFC'));
    }
  });
});

describe('invalid samples', () => {
  const files = fs.readdirSync('samples/invalid').filter((n) => n.endsWith('.json') && n !== 'expected.json');

  it('every invalid sample is described in expected.json', () => {
    expect(files.sort()).toEqual(Object.keys(expected).sort());
  });

  for (const name of files) {
    it(`${name} fails with exactly the expected errors`, () => {
      const spec = expected[name]!;
      for (const record of records(path.join('samples/invalid', name))) {
        const r = validator.validate(spec.form, record);
        expect(r.ok).toBe(false);
        const got = r.issues.filter((i) => i.severity === 'error').map((i) => `${i.code} ${i.pointer}`).sort();
        expect(got).toEqual(spec.errors.map((e) => `${e.code} ${e.pointer}`).sort());
        for (const issue of r.issues) {
          expect(issue.form).toBe(spec.form);
          expect(issue.label.length, `label of ${issue.pointer}`).toBeGreaterThan(0);
          expect(issue.message).not.toMatch(/must|should|NOT|instancePath|keyword/); // no raw ajv wording
        }
      }
    });
  }

  const one = (name: string, lang: 'vi' | 'en' = 'vi') => {
    const spec = expected[name]!;
    return validator.validate(spec.form, records(path.join('samples/invalid', name))[0], { lang }).issues.filter((i) => i.severity === 'error');
  };

  it('a missing task name is labelled by task number and field, in Vietnamese', () => {
    const [issue] = one('breakthrough-task-without-name.json');
    expect(issue!.labelPath).toEqual(['Nhiệm vụ 2', 'Tên nhiệm vụ']);
    expect(issue!.label).toBe('Nhiệm vụ 2 › Tên nhiệm vụ');
    expect(issue!.message).toBe('Thiếu thông tin bắt buộc.');
    expect(issue!.value).toBeUndefined();
  });

  it('the same error in English', () => {
    const [issue] = one('breakthrough-task-without-name.json', 'en');
    expect(issue!.label).toBe('Task 2 › Task name');
    expect(issue!.message).toBe('Required value is missing.');
  });

  it('a wrong total names the expected sum, the parts and the value given', () => {
    const [issue] = one('score-total-mismatch.json');
    const record = records('samples/invalid/score-total-mismatch.json')[0] as { scores: { general: number; tasks: number; total: number } };
    const expectedSum = String(record.scores.general + record.scores.tasks).replace('.', ',');
    expect(issue!.label).toBe('Điểm tự đánh giá › Tổng điểm');
    expect(issue!.message).toBe(
      `Phải bằng ${expectedSum} (tổng của Điểm nhóm tiêu chí chung + Điểm nhóm tiêu chí kết quả thực hiện nhiệm vụ), đang ghi ${String(record.scores.total).replace('.', ',')}.`,
    );
    expect(issue!.value).toBe(record.scores.total);
  });

  it('an excellent proposal at 85 points says what the score allows', () => {
    const [issue] = one('excellent-with-85-points.json');
    expect(issue!.message).toMatch(/^Mức "Hoàn thành xuất sắc nhiệm vụ" không phù hợp với tổng điểm 85: theo qd366-2025, mức này cần từ 90 điểm; điểm này chỉ cho phép tối đa "Hoàn thành tốt nhiệm vụ"\.$/);
  });

  it('an excellent proposal without 30 % of tasks exceeded names the missing condition', () => {
    const [issue] = one('excellent-exceeded-only-20-pct.json');
    expect(issue!.code).toBe('level-conditions-unmet');
    expect(issue!.message).toContain('ít nhất 30% nhiệm vụ hoàn thành vượt yêu cầu');
  });

  it('an 11-digit CCCD explains the format; an impossible date explains the date format', () => {
    expect(one('cccd-11-digits.json')[0]!.message).toBe('Không đúng định dạng: gồm đúng 12 chữ số.');
    const [date] = one('impossible-date.json');
    expect(date!.message).toMatch(/Không phải ngày hợp lệ/);
    expect(date!.value).toBe((records('samples/invalid/impossible-date.json')[0] as { header: { date: string } }).header.date);
  });

  it('a level not in the list lists the allowed codes with their names', () => {
    const [issue] = one('level-not-in-list.json');
    expect(issue!.message).toContain('HTXSNV (Hoàn thành xuất sắc nhiệm vụ)');
    expect(issue!.message).toContain('KHTNV (Không hoàn thành nhiệm vụ)');
  });

  it('three breakthrough tasks: at most two', () => {
    const [issue] = one('breakthrough-three-tasks.json');
    expect(issue!.message).toBe('Nhiều nhất 2 mục (đang có 3).');
  });

  it('a milestone outside the year names the date and the year', () => {
    const [issue] = one('milestone-outside-year.json');
    expect(issue!.labelPath).toEqual(['Nhiệm vụ 1', 'Mốc 3', 'Thời hạn']);
    expect(issue!.message).toMatch(/^Ngày \d{4}-\d{2}-\d{2} nằm ngoài năm \d{4}\.$/);
  });
});

describe('lengths', () => {
  const base = records('samples/score-sheet.json')[0] as { person: { fullName: string } };
  const withName = (fullName: string) => ({ ...base, person: { ...base.person, fullName } });
  const lengthIssues = (record: unknown) => validator.validate('score-sheet', record).issues.filter((i) => i.pointer === '/person/fullName');

  it('counts characters, not UTF-16 units: 100 characters outside the BMP fit a 100-character name, 101 do not', () => {
    expect(lengthIssues(withName('𠀋'.repeat(100)))).toEqual([]);
    expect(lengthIssues(withName('𠀋'.repeat(101))).map((i) => i.code)).toEqual(['length']);
    // Records before and after use the faster count and still get the limit right.
    expect(lengthIssues(withName('Đ'.repeat(100)))).toEqual([]);
    expect(lengthIssues(withName('Đ'.repeat(101))).map((i) => i.code)).toEqual(['length']);
    expect(lengthIssues(withName(`${'Đ'.repeat(98)}𠀋`))).toEqual([]);
  });

  it('counts the same way for records already normalised by the caller', () => {
    const r = validator.validate('score-sheet', withName('𠀋'.repeat(100)), { normalized: true });
    expect(r.issues.filter((i) => i.pointer === '/person/fullName')).toEqual([]);
  });
});

describe('sums over items with some left blank', () => {
  const base = () => structuredClone(records('samples/score-sheet.json')[0]) as { taskResults: Array<Record<string, unknown>>; criteria: Array<Record<string, unknown>>; scores: { tasks: number } };

  it('a task without points, beside tasks with points, is an error on it: the total cannot be checked', () => {
    const r = base();
    delete r.taskResults[1]!.points;
    const v = validator.validate('score-sheet', r);
    expect(v.ok).toBe(false);
    const issue = v.issues.find((i) => i.code === 'sum-item-missing')!;
    expect(issue.pointer).toBe('/taskResults/1/points');
    expect(issue.message).toBe(`Chưa ghi, trong khi nhiệm vụ khác có ghi: không kiểm tra được Điểm tự đánh giá › Điểm nhóm tiêu chí kết quả thực hiện nhiệm vụ (đang ghi ${String(r.scores.tasks).replace('.', ',')}).`);
  });

  it('no task with points: the total stands alone; a criterion left blank is only reported missing', () => {
    const r = base();
    for (const t of r.taskResults) delete t.points;
    expect(validator.validate('score-sheet', r).issues.filter((i) => i.pointer.startsWith('/taskResults'))).toEqual([]);
    const c = base();
    delete c.criteria[2]!.selfPoints;
    const issues = validator.validate('score-sheet', c).issues.filter((i) => i.pointer === '/criteria/2/selfPoints');
    expect(issues.map((i) => i.code)).toEqual(['required']);
  });
});
