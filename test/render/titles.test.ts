// Tên loại and trích yếu as each regime writes them: a Party trích yếu starts lower case (HD 36, "về quy hoạch cán
// bộ …"), a state one with a capital; fixed headings break at a phrase, never inside a word ("THẨM / ĐỊNH"); the
// number line is set smaller before it is broken, and then never inside the ký hiệu.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../src/forms/registry.js';
import type { Columns, Paragraph } from '../../src/model/types.js';
import { DocumentBuilder } from '../../src/render/document.js';
import { createWriter } from '../../src/render/writers.js';
import { loadRules } from '../../src/rules/registry.js';
import { pdfPages, tmpDir } from '../support/tools.js';

const registry = loadRegistry();
const builder = new DocumentBuilder(registry, loadRules(registry.ruleDirs));
const sample = (form: string) => (JSON.parse(fs.readFileSync(`samples/${form}.json`, 'utf8')) as unknown[])[0];

const text = (p: Paragraph) => p.runs.map((r) => ('text' in r ? r.text : '')).join('');
/** The text of the body's top-level paragraphs in a style (titles and headings are there, not in tables). */
const styled = (form: string, profile: string, style: string) =>
  builder
    .build(form, sample(form), { profile })
    .body.filter((b): b is Paragraph => b.kind === 'paragraph' && b.style === style)
    .map(text);

describe('titles', () => {
  it.each([
    ['commitment', 'tu dưỡng, rèn luyện, phấn đấu năm '],
    ['breakthrough-registration', 'nhiệm vụ đột phá, sáng tạo năm '],
    ['collective-report', 'kiểm điểm, tự đánh giá, xếp loại chất lượng '],
  ])('the %s trích yếu starts lower case under the Party regime and with a capital under the state one', (form, start) => {
    const [party] = styled(form, 'party', 'subject');
    const [state] = styled(form, 'state', 'subject');
    expect(party!.startsWith(start), party).toBe(true);
    expect(state!.startsWith(start[0]!.toLocaleUpperCase('vi') + start.slice(1)), state).toBe(true);
  });

  it('the self-review heading over the verifier’s comment breaks after "chi bộ", not inside "thẩm định"', () => {
    for (const profile of ['party', 'state']) {
      const titles = styled('self-review', profile, 'sectionTitle');
      expect(titles).toContain('NHẬN XÉT, ĐÁNH GIÁ CỦA CHI ỦY, CHI BỘ\nHOẶC CƠ QUAN THẨM ĐỊNH');
    }
  });

  it('a number line too long for its column is set smaller (down to the profile’s floor), and never breaks inside the ký hiệu', async () => {
    const record = structuredClone(sample('classification-summary')) as { header: Record<string, unknown> };
    Object.assign(record.header, { profile: 'state', number: 1234, symbol: 'BC-BQLDAĐTXDCTGTNN' });
    const model = builder.build('classification-summary', record);
    const numberLine = model.body
      .filter((b): b is Columns => b.kind === 'columns')
      .flatMap((c) => c.columns.flat())
      .find((b): b is Paragraph => b.kind === 'paragraph' && b.style === 'number')!;
    expect(text(numberLine).replace('\n', ' ')).toBe('Số: 1234/BC-BQLDAĐTXDCTGTNN');
    // Smaller than the style's 13 pt, not below the floor.
    for (const r of numberLine.runs) expect('size' in r ? r.size : undefined).toBe(model.styles.number!.shrinkTo);
    expect(model.styles.number!.shrinkTo).toBeLessThan(model.styles.number!.size);
    // As printed: the ký hiệu whole on one line.
    const file = path.join(tmpDir('bieumau-number-'), 'number.pdf');
    fs.writeFileSync(file, await (await createWriter('pdf')).write(model));
    const lines = pdfPages(file)[0]!.split('\n').map((l) => l.trim());
    expect(lines.some((l) => l.endsWith('1234/BC-BQLDAĐTXDCTGTNN'))).toBe(true);
  });
});
