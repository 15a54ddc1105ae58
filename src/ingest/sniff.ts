// Decides what a file is from its bytes (never its name): OOXML ZIP, OLE2 (.xls or an encrypted workbook), or text.
import { IngestError } from './messages.js';
import type { ZipArchive } from './zip.js';

export type Container = 'zip' | 'csv';

const ZIP_MAGIC = [0x50, 0x4b];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

function startsWith(buf: Buffer, bytes: number[]): boolean {
  return bytes.every((b, i) => buf[i] === b);
}

/** The UTF-16LE name of an OLE2 directory entry, as it appears in the file. */
function utf16(name: string): Buffer {
  return Buffer.from(name, 'utf16le');
}

/**
 * Classifies the bytes. OLE2 containers are refused with the right advice: "EncryptedPackage" means an .xlsx with
 * an open password; "Workbook"/"Book" streams mean a legacy .xls. Anything that is not text is refused too.
 */
export function sniff(buf: Buffer): Container {
  if (buf.length === 0) throw new IngestError('file-empty');
  if (startsWith(buf, ZIP_MAGIC) && (buf[2] === 0x03 || buf[2] === 0x05 || buf[2] === 0x07)) return 'zip';
  if (startsWith(buf, OLE_MAGIC)) {
    if (buf.includes(utf16('EncryptedPackage')) || buf.includes(utf16('EncryptionInfo'))) throw new IngestError('file-encrypted');
    if (buf.includes(utf16('Workbook')) || buf.includes(utf16('Book'))) throw new IngestError('file-xls');
    throw new IngestError('file-ole');
  }
  const head = buf.subarray(0, 4096);
  const ascii = head.toString('latin1').trimStart().toLowerCase();
  if (ascii.startsWith('%pdf')) throw new IngestError('file-not-spreadsheet', { detail: { vi: 'tệp PDF', en: 'PDF' } });
  if (ascii.startsWith('{\\rtf')) throw new IngestError('file-not-spreadsheet', { detail: { vi: 'văn bản RTF', en: 'RTF' } });
  if (/^<!doctype html|^<html|^<table/.test(ascii)) throw new IngestError('file-not-spreadsheet', { detail: { vi: 'trang web HTML (lưu với đuôi .xls); hãy mở bằng Excel rồi lưu lại dạng .xlsx', en: 'HTML (a web page saved as .xls); open it and save as .xlsx' } });
  if (ascii.startsWith('<?xml') && ascii.includes('urn:schemas-microsoft-com:office:spreadsheet')) {
    throw new IngestError('file-not-spreadsheet', { detail: { vi: 'bảng tính XML của Excel 2003; hãy mở rồi lưu lại dạng .xlsx', en: 'Excel 2003 XML; open it and save as .xlsx' } });
  }
  const utf16Bom = (buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff);
  if (!utf16Bom && head.includes(0)) {
    const first = [...head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new IngestError('file-not-spreadsheet', { detail: { vi: `dữ liệu nhị phân không rõ loại (${first})`, en: `unknown binary data (${first})` } });
  }
  return 'csv';
}

/** After the ZIP opens: refuses OpenDocument, .xlsb and other Office files with advice. */
export async function checkZipKind(zip: ZipArchive): Promise<void> {
  if (zip.has('mimetype')) {
    const mime = (await zip.read('mimetype')).toString('latin1').trim();
    if (mime.startsWith('application/vnd.oasis.opendocument')) {
      if (mime.includes('spreadsheet')) throw new IngestError('file-ods');
      throw new IngestError('file-not-spreadsheet', { detail: { vi: `tài liệu OpenDocument (${mime})`, en: `OpenDocument (${mime})` } });
    }
  }
  if (zip.has('xl/workbook.bin')) throw new IngestError('file-xlsb');
  if (zip.has('word/document.xml')) throw new IngestError('file-not-spreadsheet', { detail: { vi: 'văn bản Word (.docx)', en: 'Word document (.docx)' } });
  if (zip.has('ppt/presentation.xml')) throw new IngestError('file-not-spreadsheet', { detail: { vi: 'tệp PowerPoint (.pptx)', en: 'PowerPoint file (.pptx)' } });
  if (!zip.has('[Content_Types].xml') && !zip.has('xl/workbook.xml')) throw new IngestError('file-not-spreadsheet', { detail: { vi: 'tệp nén ZIP không có sổ làm việc', en: 'a ZIP archive without a workbook' } });
}
