// XML parsing for workbook parts with saxes: streaming events for sheets, a small tree for small parts, no DTDs ever.
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { IngestError } from './messages.js';

export interface XmlHandlers {
  /** `local` is the element name without its namespace prefix ("c" for "x:c"). */
  open?(local: string, attrs: Record<string, string>): void;
  close?(local: string): void;
  text?(text: string): void;
  /** Called between chunks; a returned promise holds the parser until it settles (backpressure for writers). */
  between?(): Promise<void> | void;
}

/** Thrown by a handler to stop parsing early without an error. */
export class StopParsing extends Error {
  constructor() {
    super('stop');
  }
}

export function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

function makeParser(part: string, handlers: XmlHandlers): SaxesParser<{}> {
  const parser = new SaxesParser({ xmlns: false, position: false });
  parser.on('doctype', () => {
    // A spreadsheet part never needs a DTD; refusing it stops entity expansion (billion laughs) and XXE outright.
    throw new IngestError('xml-dtd', { part });
  });
  const { open, close, text } = handlers;
  if (open) parser.on('opentag', (tag: SaxesTagPlain) => open(localName(tag.name), tag.attributes as Record<string, string>));
  if (close) parser.on('closetag', (tag: SaxesTagPlain) => close(localName(tag.name)));
  if (text) {
    parser.on('text', text);
    parser.on('cdata', text);
  }
  return parser;
}

function wrapError(e: unknown, part: string): Error {
  if (e instanceof StopParsing || e instanceof IngestError) return e;
  const detail = String((e as Error)?.message ?? e).split('\n')[0]!.slice(0, 200);
  return new IngestError('xml-malformed', { part, detail });
}

function decoderFor(first: Buffer): { decoder: StringDecoder; skip: number } {
  if (first.length >= 2 && first[0] === 0xff && first[1] === 0xfe) return { decoder: new StringDecoder('utf16le'), skip: 2 };
  if (first.length >= 3 && first[0] === 0xef && first[1] === 0xbb && first[2] === 0xbf) return { decoder: new StringDecoder('utf8'), skip: 3 };
  return { decoder: new StringDecoder('utf8'), skip: 0 };
}

/**
 * Parses a streamed part. Resolves when the document ends or a handler throws `StopParsing` (the stream is then
 * destroyed, so no more bytes are inflated); rejects with an `IngestError` for damage, DTDs or stream errors.
 */
export async function parseXmlStream(stream: Readable, part: string, handlers: XmlHandlers): Promise<void> {
  const parser = makeParser(part, handlers);
  let decoder: StringDecoder | undefined;
  try {
    for await (const chunk of stream) {
      let buf = chunk as Buffer;
      if (!decoder) {
        const d = decoderFor(buf);
        decoder = d.decoder;
        buf = buf.subarray(d.skip);
      }
      parser.write(decoder.write(buf));
      const wait = handlers.between?.();
      if (wait) await wait;
    }
    if (decoder) parser.write(decoder.end());
    parser.close();
  } catch (e) {
    stream.destroy();
    const err = wrapError(e, part);
    if (err instanceof StopParsing) return;
    throw err;
  }
}

/** Parses a whole part held in memory. */
export function parseXmlBuffer(data: Buffer, part: string, handlers: XmlHandlers): void {
  const { decoder, skip } = decoderFor(data);
  const parser = makeParser(part, handlers);
  try {
    parser.write(decoder.write(data.subarray(skip)) + decoder.end());
    parser.close();
  } catch (e) {
    const err = wrapError(e, part);
    if (err instanceof StopParsing) return;
    throw err;
  }
}

/** A parsed element of a small part; `name` keeps its prefix so the part can be written back unchanged. */
export interface XmlElement {
  name: string;
  local: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

/** Parses a small part (workbook, relationships, styles, comments) into a tree. */
export function parseXmlTree(data: Buffer, part: string): XmlElement {
  const root: XmlElement = { name: '#document', local: '#document', attrs: {}, children: [] };
  const stack: XmlElement[] = [root];
  const { decoder, skip } = decoderFor(data);
  const parser = new SaxesParser({ xmlns: false, position: false });
  parser.on('doctype', () => {
    throw new IngestError('xml-dtd', { part });
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const attrs: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [k, v] of Object.entries(tag.attributes)) attrs[k] = String(v);
    const el: XmlElement = { name: tag.name, local: localName(tag.name), attrs, children: [] };
    stack[stack.length - 1]!.children.push(el);
    stack.push(el);
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  const onText = (t: string) => {
    if (stack.length > 1) stack[stack.length - 1]!.children.push(t);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  try {
    parser.write(decoder.write(data.subarray(skip)) + decoder.end());
    parser.close();
  } catch (e) {
    throw wrapError(e, part);
  }
  const top = root.children.find((c): c is XmlElement => typeof c !== 'string');
  if (!top) throw new IngestError('xml-malformed', { part, detail: 'no root element' });
  return top;
}

export function childElements(el: XmlElement, local?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => typeof c !== 'string' && (local === undefined || c.local === local));
}

export function firstChild(el: XmlElement, local: string): XmlElement | undefined {
  return el.children.find((c): c is XmlElement => typeof c !== 'string' && c.local === local);
}

/** Concatenated text of an element and its descendants. */
export function textContent(el: XmlElement): string {
  let out = '';
  for (const c of el.children) out += typeof c === 'string' ? c : textContent(c);
  return out;
}

/** The value of the attribute with this local name whatever its prefix ("r:id", "ns2:id"); prefixed ones only when asked. */
export function attrByLocal(attrs: Record<string, string>, local: string, prefixedOnly = false): string | undefined {
  for (const [k, v] of Object.entries(attrs)) {
    const i = k.indexOf(':');
    if (i < 0) {
      if (!prefixedOnly && k === local) return v;
    } else if (k.slice(i + 1) === local && k.slice(0, i) !== 'xmlns') return v;
  }
  return undefined;
}

export function escapeXmlText(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeXmlAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\r/g, '&#13;').replace(/\n/g, '&#10;').replace(/\t/g, '&#9;');
}

/** Writes a tree back as XML text (attributes in their original order). */
export function serializeXml(el: XmlElement, declaration = true): string {
  const parts: string[] = declaration ? ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'] : [];
  const write = (node: XmlNode) => {
    if (typeof node === 'string') {
      parts.push(escapeXmlText(node));
      return;
    }
    parts.push('<', node.name);
    for (const [k, v] of Object.entries(node.attrs)) parts.push(' ', k, '="', escapeXmlAttr(v), '"');
    if (node.children.length === 0) {
      parts.push('/>');
      return;
    }
    parts.push('>');
    for (const c of node.children) write(c);
    parts.push('</', node.name, '>');
  };
  write(el);
  return parts.join('');
}

/** Decodes the `_xHHHH_` escapes OOXML uses for characters XML cannot hold (`_x000D_` is a carriage return). */
export function decodeOoxmlEscapes(s: string): string {
  if (s.indexOf('_x') < 0) return s;
  return s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
