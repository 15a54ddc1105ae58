// String clean-up at the boundary: what a record's text looks like after it, whatever the program that typed it.
import { describe, expect, it } from 'vitest';
import { foldForMatch, isCleanText, normalizeText, normalizeTextFully, slugify, spellingKey } from '../../src/normalize/text.js';

describe('normalizeText', () => {
  it.each([
    ['Phòng Nội vụ ', 'Phòng Nội vụ'],
    [' Phòng Nội vụ', 'Phòng Nội vụ'],
    ['Phòng  Nội   vụ', 'Phòng Nội vụ'],
    ['Phòng\u00A0Nội\u202Fvụ', 'Phòng Nội vụ'],
    ['Ng\u200Buyễn Văn\u2060 An\uFEFF', 'Nguyễn Văn An'],
    ['Nguye\u0302\u0303n Thi\u0323 Ho\u0300a', 'Nguyễn Thị Hòa'],
    ['Dòng một\r\nDòng hai\rDòng ba', 'Dòng một\nDòng hai\nDòng ba'],
    ['\tTab\tgiữa ', 'Tab giữa'],
    ['\n\nĐoạn  \n  sau\n\n', 'Đoạn\nsau'],
    ['a', 'a'],
    [' ', ''],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('gives the same result on the fast path and the full one, and is idempotent', () => {
    const pieces = ['Hà', 'Nội', ' ', '  ', 'ư', 'e\u0301', '\u00A0', '-', '1', '\n', 'Đ', '\u200B', '“x”'];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % pieces.length;
    for (let i = 0; i < 2000; i++) {
      const s = Array.from({ length: 1 + (i % 9) }, () => pieces[next()]).join('');
      const out = normalizeText(s);
      expect(out, JSON.stringify(s)).toBe(out.normalize('NFC'));
      expect(out, JSON.stringify(s)).not.toMatch(/^ | $|  | \n|\n /);
      expect(normalizeText(out)).toBe(out);
    }
  });
});

describe('isCleanText (the fast path)', () => {
  it('calls a string clean only when the full clean-up would leave it as it is, and composing alone is the full clean-up when it gives a clean string', () => {
    // Edges of every range the fast path accepts, and what lies just outside them (picked less often, so that
    // many strings come out clean and the property is tested on both sides).
    const inside = [' ', '\n', '\n\n', 'a', '~', '\u00A1', '\u00AC', '\u00AE', '\u024F', '\u1E00', 'ễ', '\u1EFF', '\u2010', '\u2027', '\u2030', '\u205E', 'Đ'];
    const outside = ['  ', '\u007F', '\u00A0', '\u00AD', '\u0250', '\u0300', '\u1DFF', '\u1F00', '\u2000', '\u200B', '\u2028', '\u205F', '\t', '\r', '\uFEFF', '\u{1F600}', '\u0301', '\u0323', '\u200D', '\u2001', '\u212B'];
    let seed = 11;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = () => {
      const list = next() < 0.9 ? inside : outside;
      return list[Math.floor(next() * list.length)];
    };
    let clean = 0;
    let composedOnly = 0;
    for (let i = 0; i < 20000; i++) {
      const s = Array.from({ length: 1 + (i % 6) }, pick).join('');
      if (isCleanText(s)) {
        clean++;
        expect(normalizeTextFully(s), JSON.stringify(s)).toBe(s);
      } else if (isCleanText(s.normalize('NFC'))) composedOnly++;
      expect(normalizeText(s), JSON.stringify(s)).toBe(normalizeTextFully(s));
    }
    expect(clean).toBeGreaterThan(500); // the property is tested on clean strings, not only on rejected ones
    expect(composedOnly).toBeGreaterThan(100); // and on strings that only needed composing
  });
  it.each([['Hà Nội', true], ['Dòng một\n\nDòng hai', true], ['Hà  Nội', false], ['Hà Nội\n', false], ['a \nb', false], ['a\n b', false], ['Nguye\u0302\u0303n', false]])(
    '%j → %s',
    (s, expected) => expect(isCleanText(s)).toBe(expected),
  );
});

describe('matching and file names', () => {
  it('folds case and diacritics for matching only', () => {
    expect(foldForMatch('  ĐẶNG  Thị Ánh ')).toBe('dang thi anh');
    expect(foldForMatch('Da\u0306ng')).toBe(foldForMatch('Dăng'));
  });
  it('gives one spelling key to a name however its case, spacing and tone-mark position, and keeps letters and diacritics apart', () => {
    const same = [
      ['Ủy ban nhân dân', 'UỶ BAN NHÂN DÂN', 'Uỷ ban nhân dân'.normalize('NFD'), ' uỷ  ban nhân dân '],
      ['Hòa Bình', 'Hoà Bình', 'HOÀ BÌNH'],
      ['Khỏe', 'Khoẻ'],
      ['Thủy lợi', 'Thuỷ lợi'],
    ];
    for (const group of same) expect(new Set(group.map(spellingKey)), group[0]).toEqual(new Set([spellingKey(group[0]!)]));
    const apart = ['Hải Dương', 'Hai Dương', 'Hải Đường', 'Hòa', 'Hóa', 'Chi bộ số 1', 'Chi bộ số 11'];
    expect(new Set(apart.map(spellingKey)).size).toBe(apart.length);
  });
  it('makes ASCII slugs from Vietnamese names', () => {
    expect(slugify('Nguyễn Văn Đức')).toBe('nguyen-van-duc');
    expect(slugify('H’Hen Niê')).toBe('h-hen-nie');
  });
});
