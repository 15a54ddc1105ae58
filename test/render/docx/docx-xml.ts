// Reads a .docx the way a checker would: unzip with PizZip, parse each part into a small element tree.
import PizZip from 'pizzip';
import { SaxesParser } from 'saxes';

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
  parent?: XmlElement;
}

export function parseXml(xml: string): XmlElement {
  const root: XmlElement = { name: '#root', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const parser = new SaxesParser();
  parser.on('opentag', (tag) => {
    const parent = stack[stack.length - 1]!;
    const el: XmlElement = { name: tag.name, attrs: { ...(tag.attributes as Record<string, string>) }, children: [], text: '', parent };
    parent.children.push(el);
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('text', (t) => {
    stack[stack.length - 1]!.text += t;
  });
  parser.write(xml).close();
  return root;
}

/** Every element named `name` below `el`, in document order. */
export function all(el: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement) => {
    for (const c of e.children) {
      if (c.name === name) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
}

export function child(el: XmlElement | undefined, name: string): XmlElement | undefined {
  return el?.children.find((c) => c.name === name);
}

/** Text of all w:t below an element. */
export function textOf(el: XmlElement): string {
  return all(el, 'w:t')
    .map((t) => t.text)
    .join('');
}

/** A paragraph's text with its line breaks (<w:br/>) as "\n". */
export function textWithBreaks(p: XmlElement): string {
  return all(p, 'w:r')
    .flatMap((r) => r.children.map((e) => (e.name === 'w:br' ? '\n' : e.name === 'w:t' ? e.text : '')))
    .join('');
}

export class Docx {
  readonly zip: PizZip;
  constructor(bytes: Uint8Array) {
    this.zip = new PizZip(Buffer.from(bytes));
  }
  part(name: string): XmlElement {
    const file = this.zip.file(name);
    if (!file) throw new Error(`no part ${name}`);
    return parseXml(file.asText());
  }
  raw(name: string): string {
    const file = this.zip.file(name);
    if (!file) throw new Error(`no part ${name}`);
    return file.asText();
  }
  names(): string[] {
    return Object.keys(this.zip.files);
  }
}
