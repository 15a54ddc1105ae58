// Sets the workbook's default font (the first font of styles.xml), which exceljs always writes as Calibri 11.
//
// The default font is the unit of column widths: Excel and LibreOffice size a width of 1 as the digit width of
// that font. With Calibri, a machine without it (LibreOffice on Linux falls back to DejaVu Sans) draws every
// column a third wider than on Windows and shrinks the printed page to fit. With Times New Roman 12, whose
// metric clones are everywhere, a width unit is 6 pt in both programs.
import yauzl from 'yauzl';
import yazl from 'yazl';

/** Points per column width unit with Times New Roman 12 as the default font (digit width 8 px at 96 dpi). */
export const POINTS_PER_WIDTH_UNIT = 6;

function readZip(bytes: Uint8Array): Promise<Array<{ name: string; data: Buffer }>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('cannot read the workbook zip'));
      const entries: Array<{ name: string; data: Buffer }> = [];
      zip.on('error', reject);
      zip.on('end', () => resolve(entries));
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error(`cannot read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', reject);
          stream.on('end', () => {
            entries.push({ name: entry.fileName, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

function writeZip(entries: Array<{ name: string; data: Buffer }>): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const zip = new yazl.ZipFile();
    const mtime = new Date(1980, 0, 1);
    // Folder entries carry nothing an OOXML reader needs.
    for (const e of entries) if (!e.name.endsWith('/')) zip.addBuffer(e.data, e.name, { compress: true, mtime });
    zip.end();
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('error', reject);
    zip.outputStream.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
  });
}

const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** Rewrites the first <font> of xl/styles.xml; every other part is copied as it is. */
export async function setDefaultFont(xlsx: Uint8Array, name: string, size: number): Promise<Uint8Array> {
  const entries = await readZip(xlsx);
  const styles = entries.find((e) => e.name === 'xl/styles.xml');
  if (!styles) throw new Error('workbook has no xl/styles.xml');
  const xml = styles.data.toString('utf8');
  const font = `<font><sz val="${size}"/><color theme="1"/><name val="${escapeXml(name)}"/><family val="1"/></font>`;
  const replaced = xml.replace(/(<fonts\b[^>]*>)\s*<font>[\s\S]*?<\/font>/, `$1${font}`);
  if (replaced === xml) throw new Error('workbook styles have no default font to replace');
  styles.data = Buffer.from(replaced, 'utf8');
  return writeZip(entries);
}
