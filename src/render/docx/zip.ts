// A minimal ZIP writer for DOCX packages whose record-independent parts are deflated once and reused as bytes.
// The zip libraries at hand (yazl, fflate, JSZip) deflate every entry of every package again; for a batch of
// documents that share styles, theme, numbering and headers this writer deflates only the parts that change.
import zlib from 'node:zlib';

/** One package part, already compressed (or stored). */
export interface ZipEntry {
  name: string;
  /** Deflated (method 8) or stored (method 0) bytes. */
  data: Buffer;
  method: 0 | 8;
  crc: number;
  size: number;
}

/** Deflates a part once; the result can go into any number of packages. */
export function zipEntry(name: string, content: string | Buffer, level = 6): ZipEntry {
  const raw = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const data = zlib.deflateRawSync(raw, { level });
  // Deflate can grow incompressible data: store it then.
  return data.length < raw.length ? { name, data, method: 8, crc: zlib.crc32(raw), size: raw.length } : { name, data: raw, method: 0, crc: zlib.crc32(raw), size: raw.length };
}

// MS-DOS date and time of 1980-01-01 00:00: fixed, so that the same document gives the same bytes.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_NAMES = 0x0800;

/** Writes a ZIP archive (no ZIP64: DOCX packages stay far below 4 GB and 65,535 entries). */
export function writeZip(entries: readonly ZipEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(UTF8_NAMES, 6);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(e.size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(UTF8_NAMES, 8);
    dir.writeUInt16LE(e.method, 10);
    dir.writeUInt16LE(DOS_TIME, 12);
    dir.writeUInt16LE(DOS_DATE, 14);
    dir.writeUInt32LE(e.crc >>> 0, 16);
    dir.writeUInt32LE(e.data.length, 20);
    dir.writeUInt32LE(e.size, 24);
    dir.writeUInt16LE(name.length, 28);
    // extra length, comment length, disk number, internal and external attributes: 0
    dir.writeUInt32LE(offset, 42);
    parts.push(local, name, e.data);
    central.push(dir, name);
    offset += 30 + name.length + e.data.length;
  }
  const centralSize = central.reduce((s, b) => s + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}
