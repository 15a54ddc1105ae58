// Checks a signature or seal image before it is embedded: it must decode completely (pngjs, jpeg-js). pdf-lib
// embeds broken image data as it is, and a viewer then draws garbage inside a signed revision.
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { InputError } from '../errors.js';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Larger than any signature scan needs; keeps a crafted file from decoding to gigabytes. */
const MAX_SIDE = 10_000;

function bad(kind: 'PNG' | 'JPEG', reason: string): InputError {
  return new InputError(
    'signature-image-damaged',
    {
      vi: `Ảnh chữ ký hoặc con dấu bị hỏng: không giải mã được tệp ${kind} (dữ liệu ảnh sai hoặc bị cắt). Hãy xuất lại ảnh rồi ký lại.`,
      en: `The signature or seal image is damaged: the ${kind} cannot be decoded (bad or truncated image data). Export the image again and sign again.`,
    },
    { reason },
  );
}

/** Decodes the image fully; the size is read from the PNG header first so that no huge image is decoded. */
function decode(kind: 'PNG' | 'JPEG', bytes: Buffer): void {
  try {
    if (kind === 'PNG') {
      const width = bytes.length >= 24 ? bytes.readUInt32BE(16) : 0;
      const height = bytes.length >= 24 ? bytes.readUInt32BE(20) : 0;
      if (width < 1 || height < 1 || width > MAX_SIDE || height > MAX_SIDE) throw new Error(`image size ${width}×${height}`);
      PNG.sync.read(bytes, { checkCRC: true });
    } else {
      jpeg.decode(bytes, { useTArray: true, maxResolutionInMP: (MAX_SIDE * MAX_SIDE) / 1e6, maxMemoryUsageInMB: 512 });
    }
  } catch (e) {
    throw bad(kind, (e as Error).message);
  }
}

/** Throws a bilingual InputError when the PNG or JPEG cannot be decoded; other formats are the caller's to refuse. */
export function checkImage(image: Uint8Array): 'png' | 'jpeg' | undefined {
  const bytes = Buffer.from(image.buffer, image.byteOffset, image.length);
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) {
    decode('PNG', bytes);
    return 'png';
  }
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    decode('JPEG', bytes);
    return 'jpeg';
  }
  return undefined;
}
