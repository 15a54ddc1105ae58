// ZIP access with limits: the central directory is checked before anything inflates; parts are streamed, never trusted.
import fs from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import zlib from 'node:zlib';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { IngestError, formatBytes } from './messages.js';
import type { IngestLimits } from './limits.js';

export interface ZipEntryInfo {
  /** Name as stored (without a leading slash). */
  name: string;
  compressedSize: number;
  uncompressedSize: number;
  entry: yauzl.Entry;
}

/** The ZIP reader's words stay in the English message; the Vietnamese one says what they mean. */
function truncatedError(e: Error): IngestError {
  const vi = /central directory|end of central/i.test(e.message) ? 'không tìm thấy phần mục lục ở cuối tệp nén' : 'cấu trúc tệp nén bị hỏng';
  return new IngestError('file-truncated', { detail: { vi, en: e.message } });
}

/** A ZIP archive held in memory whose directory passed the limits; part names are matched case-insensitively (OPC). */
export class ZipArchive {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    readonly entries: ZipEntryInfo[],
    private readonly byName: Map<string, ZipEntryInfo>,
  ) {}

  /** Reads the central directory and enforces entry count, sizes and compression ratio. */
  static async open(buffer: Buffer, limits: IngestLimits): Promise<ZipArchive> {
    let zip: yauzl.ZipFile;
    try {
      zip = await yauzl.fromBufferPromise(buffer, { lazyEntries: true, validateEntrySizes: true, decodeStrings: true, strictFileNames: false });
    } catch (e) {
      throw truncatedError(e as Error);
    }
    if (zip.entryCount > limits.maxEntries) throw new IngestError('zip-too-many-entries', { count: zip.entryCount, limit: limits.maxEntries });
    const entries: ZipEntryInfo[] = [];
    const byName = new Map<string, ZipEntryInfo>();
    let total = 0;
    await new Promise<void>((resolve, reject) => {
      zip.on('error', (e: Error) => reject(truncatedError(e)));
      zip.on('end', () => resolve());
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName.replace(/^\/+/, '');
        if (!name.endsWith('/')) {
          const info: ZipEntryInfo = { name, compressedSize: entry.compressedSize, uncompressedSize: entry.uncompressedSize, entry };
          if (info.uncompressedSize > limits.maxEntryBytes) {
            reject(new IngestError('zip-entry-too-large', { part: name, size: formatBytes(info.uncompressedSize), limit: formatBytes(limits.maxEntryBytes) }));
            return;
          }
          total += info.uncompressedSize;
          if (total > limits.maxTotalBytes) {
            reject(new IngestError('zip-too-large', { size: `> ${formatBytes(total)}`, limit: formatBytes(limits.maxTotalBytes) }));
            return;
          }
          if (info.uncompressedSize > limits.ratioGraceBytes) {
            const ratio = info.uncompressedSize / Math.max(1, info.compressedSize);
            if (ratio > limits.maxRatio) {
              reject(new IngestError('zip-ratio', { part: name, ratio: Math.round(ratio), limit: limits.maxRatio }));
              return;
            }
          }
          entries.push(info);
          byName.set(name.toLowerCase(), info);
        }
        zip.readEntry();
      });
      zip.readEntry();
    });
    return new ZipArchive(zip, entries, byName);
  }

  get(name: string): ZipEntryInfo | undefined {
    return this.byName.get(name.replace(/^\/+/, '').toLowerCase());
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /**
   * The inflated bytes of a part as a stream. Inflating past the declared size fails at once (a forged size), and
   * so does ending short of it. Inflation uses large chunks: a data sheet can be a hundred megabytes of XML.
   */
  async stream(name: string): Promise<Readable> {
    const info = this.get(name);
    if (!info) throw new IngestError('file-truncated', { detail: { vi: `thiếu thành phần ${name}`, en: `missing part ${name}` } });
    const method = info.entry.compressionMethod;
    if (method !== 0 && method !== 8) throw new IngestError('file-truncated', { detail: { vi: `thành phần ${name} dùng kiểu nén ${method} không đọc được`, en: `part ${name} uses compression method ${method}` } });
    let raw: Readable;
    try {
      raw = await this.zip.openReadStreamPromise(info.entry, { decompress: method === 8 ? false : undefined } as yauzl.ZipFileOptions);
    } catch (e) {
      throw truncatedError(e as Error);
    }
    const out = new PassThrough({ highWaterMark: 1 << 20 });
    const fail = (e: Error) => {
      if (!out.destroyed) out.destroy(e);
      if (!raw.destroyed) raw.destroy();
    };
    raw.on('error', (e: Error) => fail(truncatedError(e)));
    out.on('close', () => {
      if (!raw.destroyed) raw.destroy();
    });
    if (method === 0) {
      raw.pipe(out);
      return out;
    }
    const inflate = zlib.createInflateRaw({ chunkSize: 1 << 18 });
    let total = 0;
    const declared = info.uncompressedSize;
    inflate.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > declared) {
        fail(new IngestError('zip-size-mismatch', { part: info.name }));
        inflate.destroy();
        return;
      }
      if (!out.write(chunk)) {
        inflate.pause();
        out.once('drain', () => inflate.resume());
      }
    });
    inflate.on('end', () => {
      if (total !== declared) fail(new IngestError('zip-size-mismatch', { part: info.name }));
      else out.end();
    });
    inflate.on('error', (e: Error) => fail(truncatedError(e)));
    raw.pipe(inflate);
    return out;
  }

  /** A whole (small) part in memory. */
  async read(name: string): Promise<Buffer> {
    const stream = await this.stream(name);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  close(): void {
    this.zip.close();
  }
}

/** What to put in a rewritten archive under a name: bytes, a stream factory, or null to drop the entry. */
export type ZipReplacement = Buffer | string | (() => Readable | Promise<Readable>) | null;

/**
 * Writes a new archive: every entry of `source` in its original order (replaced where `changes` says so), then
 * the added entries. Returns the archive bytes, or streams them into the file `dest` (and returns an empty buffer).
 */
export async function rewriteZip(
  source: ZipArchive,
  changes: Map<string, ZipReplacement>,
  added: Array<[string, ZipReplacement]> = [],
  dest?: string,
  compressionLevel = 6,
): Promise<Buffer> {
  const out = new yazl.ZipFile();
  const mtime = new Date();
  const put = async (name: string, content: ZipReplacement) => {
    if (content === null) return;
    if (typeof content === 'string' || Buffer.isBuffer(content)) {
      out.addBuffer(Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8'), name, { mtime });
    } else {
      out.addReadStreamLazy(name, { mtime, compressionLevel }, (cb) => {
        Promise.resolve(content()).then(
          (stream) => cb(null, stream),
          (e: Error) => cb(e, undefined as unknown as Readable),
        );
      });
    }
  };
  const lowerChanges = new Map([...changes].map(([k, v]) => [k.toLowerCase(), v]));
  const result = new Promise<Buffer>((resolve, reject) => {
    out.on('error', reject);
    if (dest) {
      const file = fs.createWriteStream(dest);
      file.on('error', reject);
      file.on('finish', () => resolve(Buffer.alloc(0)));
      (out.outputStream as unknown as Readable).pipe(file);
    } else collect(out.outputStream as unknown as Readable).then(resolve, reject);
  });
  for (const info of source.entries) {
    const change = lowerChanges.get(info.name.toLowerCase());
    if (change !== undefined) await put(info.name, change);
    else await put(info.name, () => source.stream(info.name));
  }
  for (const [name, content] of added) await put(name, content);
  out.end();
  return result;
}

function collect(stream: Readable): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
