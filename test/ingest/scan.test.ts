// The worksheet tokenizer reads attribute values as an XML parser would: references expanded once, line ends and tabs
// normalised to spaces, UTF-8 decoded, either quote accepted.
import { describe, expect, it } from 'vitest';
import { XmlScanner, type TagView } from '../../src/ingest/scan.js';

/** The values of `names` on every start tag of `xml`, read both ways (several at once, and one by one). */
function attributes(xml: string, names: string[]): Array<{ local: string; many: unknown[]; single: unknown[] }> {
  const seen: Array<{ local: string; many: unknown[]; single: unknown[] }> = [];
  const scanner = new XmlScanner('xl/worksheets/sheet1.xml', {
    open(local: string, tag: TagView) {
      const many: Array<string | undefined> = [];
      tag.attrs(names, many);
      seen.push({ local, many, single: names.map((n) => tag.attr(n)) });
    },
    close() {},
    wantsText: () => false,
    text() {},
  });
  scanner.push(Buffer.from(xml, 'utf8'));
  scanner.end();
  return seen;
}

describe('worksheet tokenizer: attribute values', () => {
  it('gives short plain values as written, and expands references, in either quote', () => {
    const [root, a, b, c] = attributes(`<root><c r="B7" t='s' s="12"/><c r="A&amp;B" t="&#x41;&#66;" s='&lt;&quot;&apos;&gt;'/><c r="Z1"/></root>`, ['r', 't', 's']);
    expect(root!.many).toEqual([undefined, undefined, undefined]);
    expect(a!.many).toEqual(['B7', 's', '12']);
    expect(b!.many).toEqual(['A&B', 'AB', `<"'>`]);
    expect(c!.many).toEqual(['Z1', undefined, undefined]);
    for (const tag of [a, b, c]) expect(tag!.single).toEqual(tag!.many);
  });

  it('turns tabs and line ends into spaces before references are expanded (a written &#10; stays a line feed)', () => {
    const [, short, long] = attributes(`<root><x r="a\tb\r\nc\nd&#10;e"/><x r="${'x'.repeat(30)}\r${'y'.repeat(30)}\t&#9;"/></root>`, ['r']);
    expect(short!.many).toEqual(['a b c d\ne']);
    expect(long!.many).toEqual([`${'x'.repeat(30)} ${'y'.repeat(30)} \t`]);
    expect(short!.single).toEqual(short!.many);
    expect(long!.single).toEqual(long!.many);
  });

  it('decodes Vietnamese letters in short and long values alike', () => {
    const [, a, b] = attributes(`<root><x r="Đạt"/><x r="Nguyễn Thị Ánh Tuyết, Chi bộ số 3"/></root>`, ['r']);
    expect(a!.many).toEqual(['Đạt']);
    expect(b!.many).toEqual(['Nguyễn Thị Ánh Tuyết, Chi bộ số 3']);
  });

  it('rejects an undefined entity; keeps a lone ampersand as text (nothing the writer meant is lost)', () => {
    expect(() => attributes(`<root><c r="A&nbsp;1"/></root>`, ['r'])).toThrow(/entity/);
    expect(attributes(`<root><c r="A & B"/></root>`, ['r'])[1]!.many).toEqual(['A & B']);
  });
});
