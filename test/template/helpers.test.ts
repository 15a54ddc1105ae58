// Template helpers as a clerk would check them: dates, numbers, numerals, letters, levels, signing, recipients.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadProfileData } from '../../src/model/profile.js';
import type { Block } from '../../src/model/types.js';
import { buildDocument } from '../../src/render/document.js';
import { capital, dateShort, dateVi, docNumber, letter, periodText, placeDate, recipientLines, RenderDataError, roman, signatureLines, upperVi } from '../../src/template/helpers.js';

const state = loadProfileData('state');
const party = loadProfileData('party');

describe('Vietnamese dates (Nghị định 30/2020: day < 10 and months 1–2 padded)', () => {
  it.each([
    ['2026-01-05', 'ngày 05 tháng 01 năm 2026'],
    ['2026-02-28', 'ngày 28 tháng 02 năm 2026'],
    ['2019-06-29', 'ngày 29 tháng 6 năm 2019'],
    ['2025-12-09', 'ngày 09 tháng 12 năm 2025'],
    ['2025-03-10', 'ngày 10 tháng 3 năm 2025'],
  ])('%s → %s', (iso, text) => {
    expect(dateVi(iso)).toBe(text);
  });

  it('short dates follow the same rule', () => {
    expect(dateShort('2025-07-01')).toBe('01/7/2025');
    expect(dateShort('2026-01-12')).toBe('12/01/2026');
    expect(dateShort('2026-12-15')).toBe('15/12/2026');
  });

  // The date part is joined by no-break spaces (U+00A0): a long line wraps only after the place's comma.
  const nb = (s: string) => s.replace(/ /g, '\u00a0');
  it('place and date, or the blank form for the văn thư', () => {
    expect(placeDate('Hà Nội', '2026-01-05', state)).toBe(`Hà Nội, ${nb('ngày 05 tháng 01 năm 2026')}`);
    expect(placeDate('Hải Dương', undefined, party)).toBe(`Hải Dương, ${nb('ngày … tháng … năm …')}`);
    expect(placeDate(undefined, undefined, party)).toBe(`…, ${nb('ngày … tháng … năm …')}`);
  });

  it('the date part never breaks inside; the place and the space after its comma still may', () => {
    expect(placeDate('Thành phố Hồ Chí Minh', '2025-12-12', party)).toBe(`Thành phố Hồ Chí Minh, ${nb('ngày 12 tháng 12 năm 2025')}`);
    expect(placeDate('Hoàng Văn Thụ, Bắc Giang', '2025-12-12', state)).toBe(`Hoàng Văn Thụ, Bắc Giang, ${nb('ngày 12 tháng 12 năm 2025')}`);
    // A profile's own pattern, the place after the date: the break is left before the place.
    const custom = { ...party, texts: { ...party.texts, placeDate: 'ngày {day} tháng {month} năm {year}, tại {place}' } };
    expect(placeDate('Hà Nội', '2026-01-05', custom)).toBe(`${nb('ngày 05 tháng 01 năm 2026, tại')} Hà Nội`);
  });
});

describe('numerals and letters', () => {
  it('Roman numerals', () => {
    expect([1, 2, 3, 4, 5, 6, 9, 14, 40, 1999].map(roman)).toEqual(['I', 'II', 'III', 'IV', 'V', 'VI', 'IX', 'XIV', 'XL', 'MCMXCIX']);
  });

  it('điểm letters follow the Vietnamese alphabet: a, b, c, d, đ, e, g …', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10, 23].map(letter)).toEqual(['a', 'b', 'c', 'd', 'đ', 'e', 'g', 'k', 'y']);
  });

  it('periods', () => {
    expect(periodText({ kind: 'year', year: 2025 })).toBe('năm 2025');
    expect(periodText({ kind: 'quarter', year: 2026, quarter: 4 })).toBe('quý IV năm 2026');
    expect(periodText({ kind: 'term', year: 2026, termEndYear: 2031 })).toBe('nhiệm kỳ 2026 - 2031');
  });

  it('upper case keeps every diacritic, and capital touches only the first letter', () => {
    const name = 'ủy ban nhân dân phường đặc khu'.normalize('NFC');
    expect(upperVi(name)).toBe('ỦY BAN NHÂN DÂN PHƯỜNG ĐẶC KHU'.normalize('NFC'));
    expect(capital('năm 2025')).toBe('Năm 2025');
    expect(capital('ủy ban')).toBe('Ủy ban');
  });
});

describe('số và ký hiệu', () => {
  it('state: "Số: 05/BC-UBND" with the number padded; a blank slot when unnumbered', () => {
    expect(docNumber({ number: 5, symbol: 'BC-UBND' }, state)).toBe('Số: 05/BC-UBND');
    expect(docNumber({ number: 215, symbol: 'QĐ-XX' }, state)).toBe('Số: 215/QĐ-XX');
    expect(docNumber({ symbol: 'BC-UBND' }, state)).toMatch(/^Số:\u00a0+\/BC-UBND$/);
  });

  it('Party: "Số 127-QĐ/TW", no colon', () => {
    expect(docNumber({ number: 127, symbol: 'QĐ/TW' }, party)).toBe('Số 127-QĐ/TW');
    expect(docNumber({ number: 12, symbol: 'BC/CB' }, party)).toBe('Số 12-BC/CB');
    expect(docNumber({ place: 'x' }, party)).toBe('');
  });

  it('a report with neither number nor ký hiệu keeps the slot for the văn thư; other documents print nothing', () => {
    expect(docNumber({ place: 'x' }, state, true)).toMatch(/^Số:\u00a0+\/…$/);
    expect(docNumber({ place: 'x' }, party, true)).toMatch(/^Số\u00a0+-…$/);
    expect(docNumber(undefined, state, true)).toMatch(/^Số:\u00a0+\/…$/);
    expect(docNumber({ place: 'x' }, state)).toBe('');
  });
});

describe('signature lines', () => {
  it('state prefixes TM., KT., TL., TUQ., Q.', () => {
    expect(signatureLines({ authority: 'on-behalf', body: 'ỦY BAN NHÂN DÂN', post: 'CHỦ TỊCH', name: 'A' }, state)).toEqual(['TM. ỦY BAN NHÂN DÂN', 'CHỦ TỊCH']);
    expect(signatureLines({ authority: 'deputy', headPost: 'CHỦ TỊCH', post: 'PHÓ CHỦ TỊCH', name: 'A' }, state)).toEqual(['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
    expect(signatureLines({ authority: 'by-order', headPost: 'CHỦ TỊCH', post: 'CHÁNH VĂN PHÒNG', name: 'A' }, state)).toEqual(['TL. CHỦ TỊCH', 'CHÁNH VĂN PHÒNG']);
    expect(signatureLines({ authority: 'delegated', headPost: 'CHỦ TỊCH', post: 'GIÁM ĐỐC SỞ', name: 'A' }, state)).toEqual(['TUQ. CHỦ TỊCH', 'GIÁM ĐỐC SỞ']);
    expect(signatureLines({ authority: 'acting', post: 'CHÁNH VĂN PHÒNG', name: 'A' }, state)).toEqual(['Q. CHÁNH VĂN PHÒNG']);
  });

  it('Party prefixes T/M, K/T, T/L; a caption without authority', () => {
    expect(signatureLines({ authority: 'on-behalf', body: 'CHI BỘ', post: 'BÍ THƯ', name: 'A' }, party)).toEqual(['T/M CHI BỘ', 'BÍ THƯ']);
    expect(signatureLines({ authority: 'deputy', headPost: 'BÍ THƯ', post: 'PHÓ BÍ THƯ', name: 'A' }, party)).toEqual(['K/T BÍ THƯ', 'PHÓ BÍ THƯ']);
    expect(signatureLines({ authority: 'by-order', headPost: 'BAN THƯỜNG VỤ', post: 'CHÁNH VĂN PHÒNG', name: 'A' }, party)).toEqual(['T/L BAN THƯỜNG VỤ', 'CHÁNH VĂN PHÒNG']);
    expect(signatureLines({ caption: 'NGƯỜI TỰ KIỂM ĐIỂM', name: 'A' }, party)).toEqual(['NGƯỜI TỰ KIỂM ĐIỂM']);
  });

  it('an authority the profile has no prefix for is a data error for that record (exit 1)', () => {
    let error: unknown;
    try {
      signatureLines({ authority: 'delegated', headPost: 'BÍ THƯ', name: 'A' }, party);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RenderDataError);
    expect((error as RenderDataError).exitCode).toBe(1);
    expect((error as RenderDataError).text.vi).toContain('"delegated"');
  });
});

describe('nơi nhận', () => {
  it('state: ";" after each line and "." after the last; trailing punctuation in the data is not doubled', () => {
    expect(recipientLines(['Như trên;', 'Sở Nội vụ', 'Lưu: VT, TCCB.'], state)).toEqual(['- Như trên;', '- Sở Nội vụ;', '- Lưu: VT, TCCB.']);
  });
  it('Party: "," after each line', () => {
    expect(recipientLines(['Đảng ủy phường (để báo cáo)', 'Lưu chi bộ'], party)).toEqual(['- Đảng ủy phường (để báo cáo),', '- Lưu chi bộ.']);
  });
});

describe('the end mark of a report', () => {
  it('ends the content of a classification summary with "./." whether or not it has notes', () => {
    const data = JSON.parse(fs.readFileSync('samples/classification-summary.json', 'utf8')) as unknown;
    const record = structuredClone(Array.isArray(data) ? data[0] : data) as Record<string, unknown>;
    for (const r of [record, { ...record, notes: undefined }, { ...record, notes: undefined, people: undefined, groups: undefined }]) {
      const body = buildDocument('classification-summary', r).body;
      // The last text before the signature (space left after it aside) closes the content.
      const end = body.slice(0, body.findIndex((b) => b.kind === 'signature')).filter((b) => b.kind !== 'spacer').at(-1)!;
      expect(end.kind).toBe('paragraph');
      const text = (end as Extract<Block, { kind: 'paragraph' }>).runs.map((x) => x.text).join('');
      expect(text).toMatch(/\.\/\.$/);
      expect(text, 'one period before the mark').not.toMatch(/\.\.\/\.$/);
    }
  });
});

describe('số và ký hiệu in the documents', () => {
  const first = (file: string) => {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    return structuredClone(Array.isArray(data) ? data[0] : data) as { header: Record<string, unknown> };
  };
  const numberLines = (form: string, record: unknown) => {
    const out: string[] = [];
    const walk = (blocks: Block[]) => {
      for (const b of blocks) {
        if (b.kind === 'paragraph' && b.style === 'number') out.push(b.runs.map((r) => r.text).join(''));
        else if (b.kind === 'columns') b.columns.forEach(walk);
      }
    };
    walk(buildDocument(form, record).body);
    return out.filter(Boolean);
  };

  it('a report without number or ký hiệu keeps the slot; a personal form without them has no "Số" line', () => {
    const report = first('samples/classification-summary.json');
    delete report.header.number;
    delete report.header.symbol;
    expect(numberLines('classification-summary', report)).toEqual([expect.stringMatching(/^Số\u00a0+-…$/)]);
    const review = first('samples/self-review.json');
    delete review.header.number;
    delete review.header.symbol;
    expect(numberLines('self-review', review)).toEqual([]);
  });
});
