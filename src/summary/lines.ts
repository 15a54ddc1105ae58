// NDJSON for the summary's hot path: one reused buffer, each line decoded on its own, and (for the second pass)
// only the lines holding a given ASCII text parsed at all.
//
// Lines are numbered and indexed as src/io/records.ts numbers them (blank lines skipped, a leading BOM ignored,
// a line that is not JSON or too long yielded as an error entry), so the two readers agree record for record.
// Why not the shared reader: it decodes each 1 MB chunk into one string and allocates a new buffer per chunk;
// on the machines measured, page faults on the fresh buffers and the whole-chunk decode cost more than the
// summary itself (about 70,000 against 190,000 records per CPU second; bench/summary.mjs).
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import { InputError, UsageError } from '../errors.js';
import type { RecordEntry } from '../io/records.js';

const NL = 0x0a;
const CHUNK = 1 << 20;
/** Longest line read, in characters (as src/io/records.ts): longer ones are reported and skipped. */
const MAX_LINE = 16 * 1024 * 1024;

type Entry = RecordEntry & { file: string };

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

function notUtf8(file: string, line: number): InputError {
  return new InputError('not-utf8', {
    vi: `${file}: tệp không phải văn bản UTF-8 hợp lệ (dòng ${line}). Hãy lưu lại tệp với mã hoá UTF-8.`,
    en: `${file}: the file is not valid UTF-8 text (line ${line}). Save it again with UTF-8 encoding.`,
  });
}

export interface NdjsonOptions {
  /** Only lines containing this ASCII text are parsed and yielded (the others still count). */
  containing?: string;
  /** Told the number of records (non-blank lines) once the file is read. */
  counted?: (records: number) => void;
  /** Longest line, in characters, as `maxLineBytes` of the shared reader (16 M). */
  maxLine?: number;
}

/** The records of an NDJSON file, streamed. */
export async function* readNdjson(file: string, options: NdjsonOptions = {}): AsyncGenerator<Entry> {
  for await (const batch of readNdjsonBatches(file, options)) yield* batch;
}

/**
 * The records of an NDJSON file, streamed a read (1 MB) at a time: one await per batch instead of one per record,
 * and the next read already under way while a batch is used.
 */
export async function* readNdjsonBatches(file: string, options: NdjsonOptions = {}): AsyncGenerator<Entry[]> {
  const needle = options.containing !== undefined ? Buffer.from(options.containing, 'latin1') : undefined;
  const maxLine = options.maxLine ?? MAX_LINE;
  // A line of more bytes than this has more characters than allowed (UTF-8 takes at most 3 bytes per UTF-16 unit):
  // it is skipped without being held.
  const maxLineBytes = 3 * maxLine;
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, 'r');
  } catch {
    throw new UsageError('file-missing', { vi: `Không tìm thấy tệp: ${file}`, en: `File not found: ${file}` });
  }
  let buf = Buffer.allocUnsafe(2 * CHUNK);
  const spare = Buffer.allocUnsafe(CHUNK);
  let have = 0;
  let lineNo = 0;
  let index = 0;
  let first = true;
  let skipping = false; // inside a line longer than MAX_LINE, dropping bytes until its end
  // Next occurrence of the needle at or after the current line: searched once per occurrence, not per line.
  let hitAt = -1;
  let batch: Entry[] = [];

  function line(start: number, end: number): void {
    lineNo++;
    if (first) {
      first = false;
      if (buf[start] === 0xef && buf[start + 1] === 0xbb && buf[start + 2] === 0xbf) start += 3;
    }
    if (end > start && buf[end - 1] === 0x0d) end--;
    // The usual line starts with "{": not blank, nothing more to look at.
    if (buf[start] !== 0x7b && isBlank(buf, start, end)) return;
    const at = index++;
    if (needle) {
      if (hitAt >= 0 && hitAt < start) hitAt = buf.indexOf(needle, start);
      if (hitAt < 0 || hitAt + needle.length > end) return;
    }
    const text = buf.toString('utf8', start, end);
    if (text.length > maxLine) {
      batch.push(tooLong(at, lineNo));
      return;
    }
    try {
      batch.push({ kind: 'record', index: at, line: lineNo, value: JSON.parse(text), file });
    } catch (e) {
      const m = /position (\d+)/.exec((e as Error).message);
      const col = m ? Number(m[1]) + 1 : undefined;
      batch.push({
        kind: 'error',
        index: at,
        line: lineNo,
        code: 'not-json',
        text: {
          vi: `Dòng ${lineNo} không phải JSON hợp lệ${col !== undefined ? ` (cột ${col})` : ''}.`,
          en: `Line ${lineNo} is not valid JSON${col !== undefined ? ` (column ${col})` : ''}.`,
        },
        file,
      });
    }
  }

  function tooLong(at: number, line: number): Entry {
    return {
      kind: 'error',
      index: at,
      line,
      code: 'line-too-long',
      text: { vi: `Dòng ${line} dài quá ${maxLine} ký tự, đã bỏ qua.`, en: `Line ${line} is longer than ${maxLine} characters and was skipped.` },
      file,
    };
  }

  let reading: Promise<{ bytesRead: number }> | undefined = fh.read(spare, 0, CHUNK, null);
  try {
    for (;;) {
      const { bytesRead } = await reading!;
      reading = undefined;
      if (buf.length - have < bytesRead) {
        const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, have + CHUNK));
        buf.copy(bigger, 0, 0, have);
        buf = bigger;
      }
      spare.copy(buf, have, 0, bytesRead);
      const end = have + bytesRead;
      const eof = bytesRead === 0;
      if (!eof) reading = fh.read(spare, 0, CHUNK, null);
      // Bytes [0, cut) are whole lines (at the end of the file, the last line too); the rest waits for more.
      const cut = eof ? end : buf.lastIndexOf(NL, end - 1) + 1;
      if (cut > 0) {
        // The tail of a line being skipped may start inside a character: it is dropped unchecked.
        const from = skipping ? Math.min(buf.indexOf(NL) + 1 || cut, cut) : 0;
        if (!isUtf8(buf.subarray(from, cut))) {
          let n = lineNo + (skipping ? 1 : 0);
          for (let s = from; s < cut; ) {
            const nl = buf.indexOf(NL, s);
            const e = nl < 0 || nl >= cut ? cut : nl + 1;
            n++;
            if (!isUtf8(buf.subarray(s, e))) throw notUtf8(file, n);
            s = e;
          }
        }
        hitAt = needle ? buf.indexOf(needle, 0) : -1;
        let start = 0;
        while (start < cut) {
          const nl = buf.indexOf(NL, start);
          const lineEnd = nl < 0 || nl >= cut ? cut : nl;
          if (skipping) {
            // The end of a line too long to keep.
            skipping = false;
            lineNo++;
          } else {
            line(start, lineEnd);
          }
          start = lineEnd + 1;
        }
      }
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
      if (eof) break;
      buf.copy(buf, 0, cut, end);
      have = skipping ? 0 : end - cut;
      if (have > maxLineBytes) {
        yield [tooLong(index++, lineNo + 1)];
        skipping = true;
        have = 0;
      }
    }
  } finally {
    // A read still under way (the consumer stopped early) finishes before the file is closed.
    await reading?.catch(() => undefined);
    await fh.close();
  }
  options.counted?.(index);
}
