// The second pass over an NDJSON file: only the lines that contain a given ASCII text are decoded and parsed.
//
// Lines are numbered and indexed exactly as src/io/records.ts does (blank lines skipped, a leading BOM ignored),
// so a record found here has the index it had in the first pass. Everything else is skipped at the byte level:
// finding the people over a ceiling costs little more than reading the file.
import fs from 'node:fs';
import type { RecordEntry } from '../io/records.js';

const NL = 0x0a;

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0b || b === 0x0c;
}

/** A line that `trim()` would empty (ASCII whitespace, or Unicode spaces, which need decoding to tell). */
function isBlank(buf: Buffer, start: number, end: number): boolean {
  let nonAscii = false;
  for (let i = start; i < end; i++) {
    const b = buf[i]!;
    if (isSpace(b)) continue;
    if (b < 0x80) return false;
    nonAscii = true;
  }
  return !nonAscii || buf.toString('utf8', start, end).trim() === '';
}

/**
 * Records of an NDJSON file whose line contains `needle` (an ASCII text such as `"HTXSNV"`), with the index
 * and line number the full reader gives them. Lines that are not JSON are skipped (the first pass reported them).
 */
export async function* recordsContaining(file: string, needle: string, counted?: (records: number) => void): AsyncGenerator<RecordEntry & { file: string }> {
  const pattern = Buffer.from(needle, 'latin1');
  let carry: Buffer = Buffer.alloc(0);
  let lineNo = 0;
  let index = 0;
  let first = true;
  // Position of the next occurrence of the needle in the current buffer: searched once per occurrence, not per line.
  let hitAt = -1;
  let hitIn: Buffer | undefined;
  const take = function* (buf: Buffer, start: number, end: number): Generator<RecordEntry & { file: string }> {
    lineNo++;
    if (first) {
      first = false;
      if (buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    }
    // The common line starts with "{": not blank, no need to look further.
    if (buf[start] !== 0x7b && isBlank(buf, start, end)) return;
    const at = index++;
    if (hitIn !== buf || (hitAt >= 0 && hitAt < start)) {
      hitIn = buf;
      hitAt = buf.indexOf(pattern, start);
    }
    if (hitAt < 0 || hitAt + pattern.length > end) return;
    let value: unknown;
    try {
      value = JSON.parse(buf.toString('utf8', start, end));
    } catch {
      return;
    }
    yield { kind: 'record', index: at, line: lineNo, value, file };
  };
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    const buf = carry.length > 0 ? Buffer.concat([carry, chunk as Buffer]) : (chunk as Buffer);
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(NL, start);
      if (nl < 0) break;
      yield* take(buf, start, nl);
      start = nl + 1;
    }
    carry = Buffer.from(buf.subarray(start));
  }
  if (carry.length > 0) yield* take(carry, 0, carry.length);
  counted?.(index);
}
