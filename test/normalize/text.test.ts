// String clean-up at the boundary: what a record's text looks like after it, whatever the program that typed it.
import { describe, expect, it } from 'vitest';
import { foldForMatch, normalizeText, slugify } from '../../src/normalize/text.js';

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

describe('matching and file names', () => {
  it('folds case and diacritics for matching only', () => {
    expect(foldForMatch('  ĐẶNG  Thị Ánh ')).toBe('dang thi anh');
    expect(foldForMatch('Da\u0306ng')).toBe(foldForMatch('Dăng'));
  });
  it('makes ASCII slugs from Vietnamese names', () => {
    expect(slugify('Nguyễn Văn Đức')).toBe('nguyen-van-duc');
    expect(slugify('H’Hen Niê')).toBe('h-hen-nie');
  });
});
