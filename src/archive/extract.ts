// Gets the embedded record back out of a bieumau PDF, refusing PDFs that carry no bieumau data.
import { InputError } from '../errors.js';
import { findEmbeddedRecord, loadForReading } from './embedded-data.js';
import { loadSoundPdf } from './pdf-damage.js';
import type { VnformProperties } from './xmp.js';

export interface ExtractedRecord {
  /** The embedded bytes, exactly as stored. */
  bytes: Uint8Array;
  record: unknown;
  properties: Partial<VnformProperties>;
  sha256: string;
  /** The bytes hash to the XMP's vnform:DataSHA256. */
  hashMatches: boolean;
}

export async function extractRecord(pdf: Uint8Array): Promise<ExtractedRecord> {
  const doc = await loadSoundPdf(pdf, loadForReading);
  const found = findEmbeddedRecord(doc);
  if (!found) {
    throw new InputError('no-bieumau-data', {
      vi: 'Tệp PDF này không chứa dữ liệu bieumau (không có siêu dữ liệu vnform và tệp data.json nhúng); có thể nó được tạo bằng chương trình khác.',
      en: 'This PDF holds no bieumau data (no vnform metadata and no embedded data.json); it was probably made by another program.',
    });
  }
  if (!found.file) {
    throw new InputError('embedded-data-missing', {
      vi: `Siêu dữ liệu khai báo dữ liệu nhúng ${found.properties.DataFileName ?? 'data.json'} nhưng tệp không có trong PDF.`,
      en: `The metadata declares embedded data ${found.properties.DataFileName ?? 'data.json'} but the PDF does not hold it.`,
    });
  }
  let record: unknown;
  try {
    record = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(found.file.bytes));
  } catch (e) {
    throw new InputError('embedded-data-not-json', { vi: `Dữ liệu nhúng không phải JSON hợp lệ: ${(e as Error).message}`, en: `The embedded data is not valid JSON: ${(e as Error).message}` });
  }
  return { bytes: found.file.bytes, record, properties: found.properties, sha256: found.sha256!, hashMatches: found.hashMatches };
}
