// NDJSON for the summary: one reused buffer, each line decoded on its own and its place in the file (bytes) kept,
// so that the second pass can read back the few lines it needs alone.
//
// Lines are numbered and indexed as src/io/records.ts numbers them (blank lines skipped, a leading BOM ignored,
// a line that is not JSON or too long yielded as an error entry), so the two readers agree record for record.
// Why not the shared reader: it decodes each 1 MB read into one string, where a line's byte place is lost. The two
// read and parse at the same speed (about 250,000 summary-sized records a second on the machine measured).
import { isUtf8 } from 'node:buffer';
import fs from 'node:fs';
import { InputError, UsageError } from '../errors.js';
import { lineTooLong, notJsonLine, statDataFile, type RecordEntry } from '../io/records.js';

const NL = 0x0a;
const CHUNK = 1 << 20;
/** Longest line read, in characters (as src/io/records.ts): longer ones are reported and skipped. */
const MAX_LINE = 16 * 1024 * 1024;

/** A record's entry, with where its line lies in the file (bytes), so that a later pass can read that line alone. */
type Entry = RecordEntry & { file: string; offset?: number; bytes?: number };

/** Where one record's line lies: what `readNdjsonAt` reads back, with the index and line it was read under. */
export interface LinePlace {
  offset: number;
  bytes: number;
  index: number;
  line: number;
}

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

/** What a file was when a pass read it: a later pass reads only the same file. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}

export const stampOf = (st: fs.Stats): FileStamp => ({ size: st.size, mtimeMs: st.mtimeMs });

export interface NdjsonOptions {
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
  const maxLine = options.maxLine ?? MAX_LINE;
  // A line of more bytes than this has more characters than allowed (UTF-8 takes at most 3 bytes per UTF-16 unit):
  // it is skipped without being held.
  const maxLineBytes = 3 * maxLine;
  // Missing, a folder, or empty: the shared reader's errors.
  statDataFile(file);
  let fh: fs.promises.FileHandle;
  try {
    fh = await fs.promises.open(file, 'r');
  } catch {
    throw new UsageError('file-missing', { vi: `Không tìm thấy tệp: ${file}`, en: `File not found: ${file}` });
  }
  let buf = Buffer.allocUnsafe(2 * CHUNK);
  const spare = Buffer.allocUnsafe(CHUNK);
  let have = 0;
  // Position in the file of buf[0].
  let base = 0;
  let lineNo = 0;
  let index = 0;
  let first = true;
  let skipping = false; // inside a line longer than MAX_LINE, dropping bytes until its end
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
    const text = buf.toString('utf8', start, end);
    if (text.length > maxLine) {
      batch.push(tooLong(at, lineNo));
      return;
    }
    try {
      batch.push({ kind: 'record', index: at, line: lineNo, value: JSON.parse(text), file, offset: base + start, bytes: end - start });
    } catch (e) {
      batch.push({ ...notJsonLine(text, at, lineNo, e as Error), file });
    }
  }

  function tooLong(at: number, line: number): Entry {
    return { ...lineTooLong(at, line, maxLine), file };
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
      // What is left in buf is the last `have` bytes read.
      base += end - have;
    }
  } finally {
    // A read still under way (the consumer stopped early) finishes before the file is closed.
    await reading?.catch(() => undefined);
    await fh.close();
  }
  options.counted?.(index);
}

/** The file is not what an earlier pass read: `line`, when known, is where that shows. */
export function fileChanged(file: string, line?: number): InputError {
  return new InputError('file-changed', {
    vi: `${file}: tệp đã thay đổi trong khi đang tổng hợp${line !== undefined ? ` (dòng ${line} không còn như lần đọc trước)` : ''}. Hãy tổng hợp lại.`,
    en: `${file}: the file changed while it was being summarised${line !== undefined ? ` (line ${line} is not what was read before)` : ''}. Summarise again.`,
  });
}

/**
 * The records at the given places of a file, read there alone (a pass that needs a few records of a big file,
 * not all its lines). A file whose size or time of change is not `stamp`'s, or a place whose bytes no longer hold
 * a JSON line, stops the read: the places are those of the file as it was.
 * Each line is read synchronously: a few microseconds from the page cache, where an asynchronous read costs tens
 * (the thread-pool round trip) and thousands of them would cost more than the pass they save.
 */
export async function* readNdjsonAt(file: string, places: Iterable<LinePlace>, stamp?: FileStamp): AsyncGenerator<Entry> {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    throw new UsageError('file-missing', { vi: `Không tìm thấy tệp: ${file}`, en: `File not found: ${file}` });
  }
  let buf = Buffer.allocUnsafe(64 * 1024);
  try {
    const now = stampOf(fs.fstatSync(fd));
    if (stamp && (now.size !== stamp.size || now.mtimeMs !== stamp.mtimeMs)) throw fileChanged(file);
    for (const place of places) {
      if (buf.length < place.bytes) buf = Buffer.allocUnsafe(place.bytes);
      const bytesRead = fs.readSync(fd, buf, 0, place.bytes, place.offset);
      const bytes = buf.subarray(0, bytesRead);
      if (bytesRead !== place.bytes || !isUtf8(bytes)) throw fileChanged(file, place.line);
      let value: unknown;
      try {
        value = JSON.parse(bytes.toString('utf8'));
      } catch {
        throw fileChanged(file, place.line);
      }
      yield { kind: 'record', index: place.index, line: place.line, value, file, offset: place.offset, bytes: place.bytes };
    }
  } finally {
    fs.closeSync(fd);
  }
}
