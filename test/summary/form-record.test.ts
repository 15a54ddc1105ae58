// The summary as the classification-summary form's record: what the official document prints. A list too long for
// one document is cut, and the document says so and where the rest is; scores print as written.
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/registry.js';
import { summaryRecord } from '../../src/summary/form-record.js';
import { arraySource, summarize } from '../../src/summary/summarize.js';

const rules = loadRules().get('qd366-2025');
const header = { issuingBody: 'ĐẢNG ỦY PHƯỜNG HẢI DƯƠNG', place: 'Hải Dương' };
const period = { kind: 'year', year: 2025 };

describe('the summary document’s record', () => {
  it('names every person over when they fit; past the document’s limits, says how many more and that summary.json has them', async () => {
    // One group with nobody rated "tốt": a ceiling of 0, so every "excellent" proposal is over.
    const n = 10_500;
    const records = Array.from({ length: n }, (_, i) => ({
      period,
      person: { fullName: `Nguyễn Văn ${i + 1}`, unit: 'Chi bộ Khu phố 1', comparableGroup: 'Đảng viên', idNumber: String(1e11 + i) },
      scores: { general: i % 2 ? 28.7 : 20.4, tasks: i % 2 ? 61.6 : 69.8 },
      levels: { proposed: 'HTXSNV' },
    }));
    const summary = await summarize(arraySource(records), { rules });
    const check = summary.quota!.checks[0]!;
    expect(check.over).toHaveLength(n);
    const record = summaryRecord(summary, { header, period }) as { groups: Array<{ over: string[] }>; people: Array<{ fullName: string; note: string }>; notes: string[] };
    const over = record.groups[0]!.over;
    expect(over).toHaveLength(1001);
    expect(over.at(-1)).toBe(`và ${n - 1000} người khác (danh sách đủ trong summary.json)`);
    expect(record.people).toHaveLength(10_000);
    expect(record.notes).toContain(`Danh sách cá nhân in 10000 người đầu; ${n - 10_000} người khác có trong summary.json.`);
    // Scores as written, with a decimal comma: 20,4 + 69,8 is 90,2 (in floating point 90.19999999999999).
    expect(20.4 + 69.8).not.toBe(90.2);
    expect(record.people.at(-1)!.note).toContain('(điểm 90,2)');
  });
});
