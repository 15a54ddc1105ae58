// Fonts in the PDF: every font embedded with a ToUnicode map, every Vietnamese letter extracted exactly.
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { pdfText, tool } from '../../support/tools.js';
import { doc, p } from './model.js';
import { writePdf } from './support.js';

/** All precomposed Vietnamese letters: 12 vowels × (toneless + 5 tones) that are not plain ASCII, and đ; both cases. */
function vietnameseLetters(): string[] {
  const vowels = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y'];
  const tones = ['', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323'];
  const lower: string[] = [];
  for (const v of vowels) for (const t of tones) lower.push((v + t).normalize('NFC'));
  lower.push('đ');
  const precomposed = lower.filter((l) => l.length === 1 && l.codePointAt(0)! > 0x7f);
  return [...precomposed, ...precomposed.map((l) => l.toUpperCase())];
}

const STYLES = [
  { name: 'regular', bold: false, italic: false },
  { name: 'bold', bold: true, italic: false },
  { name: 'italic', bold: false, italic: true },
  { name: 'bold italic', bold: true, italic: true },
];

function pdffonts(file: string): Array<{ name: string; emb: string; sub: string; uni: string }> {
  const out = execFileSync(tool('pdffonts'), [file], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
  return out.map((l) => {
    const cols = l.trim().split(/\s+/);
    // name type... encoding emb sub uni object ID
    return { name: cols[0]!, emb: cols[cols.length - 5]!, sub: cols[cols.length - 4]!, uni: cols[cols.length - 3]! };
  });
}

describe('PDF fonts', () => {
  const letters = vietnameseLetters();

  it('has the 134 precomposed Vietnamese letters to test with', () => {
    expect(letters).toHaveLength(134);
    expect(new Set(letters).size).toBe(134);
    expect(letters).toContain('Đ');
    expect(letters).toContain('ỹ');
  });

  it('gives back every Vietnamese letter exactly in all four styles, with every font embedded and mapped to Unicode', async () => {
    // Two letters a word: poppler reads evenly spaced single letters as one letter-spaced word.
    const pairs: string[] = [];
    for (let i = 0; i < letters.length; i += 2) pairs.push(letters.slice(i, i + 2).join(''));
    const body = STYLES.map((s) => p('plain', [{ text: pairs.join(' '), bold: s.bold, italic: s.italic }], { spacing: { after: 12 } }));
    const file = await writePdf(doc(body));
    const words = pdfText(file).split(/\s+/).filter(Boolean);
    expect(words).toEqual([...pairs, ...pairs, ...pairs, ...pairs]);
    expect([...words.join('')].filter((ch) => letters.includes(ch))).toHaveLength(4 * 134);

    const fonts = pdffonts(file);
    expect(fonts.map((f) => f.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual(['Tinos-Bold', 'Tinos-BoldItalic', 'Tinos-Italic', 'Tinos-Regular']);
    for (const f of fonts) {
      expect(f, f.name).toMatchObject({ emb: 'yes', sub: 'yes', uni: 'yes' });
    }
  });

  it('lays out decomposed input as NFC and extracts it composed', async () => {
    const nfd = 'Nguyễn Văn Đức, Hồ Chí Minh'.normalize('NFD');
    const file = await writePdf(doc([p('plain', nfd)]));
    expect(pdfText(file).trim()).toBe('Nguyễn Văn Đức, Hồ Chí Minh');
  });

  it('falls back per glyph for tick boxes and keeps letters no font has extractable', async () => {
    const file = await writePdf(doc([p('plain', '☐ Chưa đạt ☒ Đạt Ωmega 漢')]));
    expect(pdfText(file).trim()).toBe('☐ Chưa đạt ☒ Đạt Ωmega 漢');
    const fonts = pdffonts(file);
    expect(fonts.some((f) => f.name.endsWith('+NotoSansSymbols2-Regular'))).toBe(true);
    for (const f of fonts) expect(f, f.name).toMatchObject({ emb: 'yes', uni: 'yes' });
    // Every glyph drawn resolves to an outline: mutool reports no missing or broken glyphs.
    const draw = spawnSync(tool('mutool'), ['draw', '-o', '/dev/null', file], { encoding: 'utf8' });
    expect(draw.status).toBe(0);
    expect(draw.stderr).not.toMatch(/invalid|missing|error/i);
  });
});
