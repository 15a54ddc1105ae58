// Transparent PNGs drawn at test time: a blue signature stroke and a red round seal.
import zlib from 'node:zlib';

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(td) >>> 0);
  return Buffer.concat([len, td, crc]);
}

function png(width: number, height: number, pixel: (x: number, y: number) => [number, number, number, number]): Uint8Array {
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    for (let x = 0; x < width; x++) {
      const p = pixel(x, y);
      raw.set(p, y * (width * 4 + 1) + 1 + x * 4);
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 6; // RGBA
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

/** A blue handwritten-looking stroke, 300×120, transparent background. */
export function blueSignaturePng(): Uint8Array {
  const w = 300;
  const h = 120;
  return png(w, h, (x, y) => {
    const cy = h / 2 + Math.sin(x / 14) * 28 * Math.sin((x / w) * Math.PI) + (x - w / 2) * 0.1;
    const d = Math.abs(y - cy);
    return d < 3.5 ? [20, 40, 200, 255] : [0, 0, 0, 0];
  });
}

/** A red seal: outer and inner rings with a star, 200×200, transparent background. */
export function redSealPng(): Uint8Array {
  const s = 200;
  return png(s, s, (x, y) => {
    const dx = x - s / 2;
    const dy = y - s / 2;
    const r = Math.hypot(dx, dy);
    const ring = (r > 92 && r < 99) || (r > 62 && r < 66);
    const angle = Math.atan2(dy, dx);
    const star = r < 30 + 14 * Math.cos(5 * angle);
    return ring || star ? [215, 25, 30, 235] : [0, 0, 0, 0];
  });
}
