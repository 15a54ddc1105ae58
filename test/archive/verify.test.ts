// Tampering with signed PDFs: each kind of change makes `verify` fail with a message that says what happened.
import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from '@cantoo/fontkit';
import { PDFDocument, PDFName, PDFDict, PDFArray, rgb } from '@cantoo/pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { archiveFinisher } from '../../src/archive/finisher.js';
import { loadPkcs12 } from '../../src/archive/pkcs12.js';
import { signPdf } from '../../src/archive/sign.js';
import { addSignatureField } from '../../src/archive/signature-fields.js';
import { TINOS_FILES } from '../../src/fonts/families.js';
import { cli } from '../support/cli.js';
import { tmpDir } from '../support/tools.js';
import * as check from './checklist.js';
import { makePki } from './pki.js';
import { nameIn, sampleRecords, standInPdf } from './stand-in-pdf.js';

const dir = tmpDir('bieumau-verify-');
const pki = makePki();
const f = (name: string) => path.join(dir, name);
let signed: Buffer;
let unsigned: Buffer;
let record: unknown;

/** Appends an unsigned revision made with pdf-lib (as an attacker with a PDF editor would). */
async function appendRevision(bytes: Uint8Array, edit: (pdf: PDFDocument) => Promise<void> | void): Promise<Uint8Array> {
  const pdf = await PDFDocument.load(bytes, { forIncrementalUpdate: true, updateMetadata: false });
  await edit(pdf);
  return pdf.commit({ useObjectStreams: false });
}

/** Replaces the bytes of the embedded data.json stream with another record. */
function swapData(pdf: PDFDocument, other: unknown): void {
  const names = pdf.catalog.lookup(PDFName.of('Names'), PDFDict).lookup(PDFName.of('EmbeddedFiles'), PDFDict).lookup(PDFName.of('Names'), PDFArray);
  const spec = names.lookup(1, PDFDict);
  const ef = spec.lookup(PDFName.of('EF'), PDFDict);
  const stream = pdf.context.flateStream(new TextEncoder().encode(`${JSON.stringify(other, null, 2)}\n`), { Type: 'EmbeddedFile', Subtype: 'application/json' });
  ef.set(PDFName.of('F'), pdf.context.register(stream));
}

async function verifyText(file: string): Promise<{ code: number; stdout: string }> {
  const r = await cli('verify', file, '--trust', pki.rootPem, '--lang', 'en');
  return { code: r.code, stdout: r.stdout };
}

beforeAll(async () => {
  const s = sampleRecords().find((r) => r.formId === 'self-review')!;
  record = s.record;
  unsigned = Buffer.from(await standInPdf(s.formId, s.record, [archiveFinisher]));
  const creds = loadPkcs12(fs.readFileSync(pki.signerP12), pki.password);
  signed = Buffer.from((await signPdf(unsigned, creds, { field: 'signer' })).pdf);
  fs.writeFileSync(f('signed.pdf'), signed);
});

describe('verify after tampering', () => {
  it('the untouched file verifies (exit 0)', async () => {
    const r = await verifyText(f('signed.pdf'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('VALID');
  });

  it('one byte changed inside the signed range: digest mismatch', async () => {
    const bad = Buffer.from(signed);
    // A hex digit of the Info /Title string (UTF-16 hex): the file still parses, only the bytes differ.
    const info = bad.indexOf('/Title <FEFF');
    expect(info).toBeGreaterThan(0);
    const at = info + '/Title <FEFF'.length + 3;
    bad[at] = bad[at] === 0x30 ? 0x31 : 0x30;
    fs.writeFileSync(f('byte.pdf'), bad);
    const r = await verifyText(f('byte.pdf'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('digest mismatch: a byte inside the signed range was changed after signing');
    expect(check.pdfsig(f('byte.pdf'), pki.nssDir)).toMatch(/Digest Mismatch/);
  });

  it('an appended unsigned revision that changes the printed name: page content changed after signing', async () => {
    const font = fs.readFileSync(TINOS_FILES.bold);
    const out = await appendRevision(signed, async (pdf) => {
      pdf.registerFontkit(fontkit);
      const bold = await pdf.embedFont(font, { subset: true });
      const page = pdf.getPage(0);
      page.drawRectangle({ x: 300, y: 432, width: 240, height: 22, color: rgb(1, 1, 1) });
      page.drawText('Nguyễn Văn Giả', { x: 360, y: 440, size: 14, font: bold });
    });
    fs.writeFileSync(f('name.pdf'), out);
    expect(Buffer.from(out).subarray(0, signed.length).equals(signed)).toBe(true);
    const r = await verifyText(f('name.pdf'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('changed after signing by an unsigned revision: page 1: its content was changed');
    expect(r.stdout).toContain('the last signature ("signer") does not cover the whole file');
    expect(r.stdout).toContain(`Signature 1 "signer": ✗`);
    // The signature itself still verifies over what it covers: the message is about what came after.
    expect(r.stdout).toMatch(/Digest: ok; signature value: ok/);
  });

  it('an appended revision changing the author in Info says so', async () => {
    const out = await appendRevision(signed, (pdf) => pdf.setAuthor('Người khác'));
    fs.writeFileSync(f('author.pdf'), out);
    const r = await verifyText(f('author.pdf'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('document information (Info: title, author…) changed');
  });

  it('swapped embedded data: changed after signing and SHA-256 ≠ XMP', async () => {
    const other = { ...(record as Record<string, unknown>), person: { ...((record as { person: object }).person), fullName: 'Nguyễn Văn Giả' } };
    const out = await appendRevision(signed, (pdf) => swapData(pdf, other));
    fs.writeFileSync(f('swap.pdf'), out);
    const r = await verifyText(f('swap.pdf'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('an embedded file (the embedded data) was changed');
    expect(r.stdout).toMatch(/embedded data data\.json was swapped or altered: SHA-256 [0-9a-f]{64} differs from XMP vnform:DataSHA256 [0-9a-f]{64}/);
    const x = await cli('extract', f('swap.pdf'), '--lang', 'en');
    expect(x.code).toBe(1);
    expect(x.stderr).toContain('The embedded data was altered');
  });

  it('swapped data in an unsigned PDF is caught by the XMP hash alone', async () => {
    const doc = await PDFDocument.load(unsigned, { updateMetadata: false });
    swapData(doc, { something: 'else' });
    fs.writeFileSync(f('swap-unsigned.pdf'), await doc.save({ useObjectStreams: false }));
    const r = await verifyText(f('swap-unsigned.pdf'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('the PDF has no digital signature');
    expect(r.stdout).toContain('was swapped or altered');
  });

  it('a file cut short is reported as damaged (exit 1), not as unsigned and not in the parser\'s words', async () => {
    // Cut in half (the parser still reads the first objects) and cut by 40 bytes (the parser fails).
    for (const [name, bytes] of [['half.pdf', signed.subarray(0, Math.floor(signed.length / 2))], ['cut.pdf', signed.subarray(0, signed.length - 40)]] as const) {
      fs.writeFileSync(f(name), bytes);
      const r = await verifyText(f(name));
      expect(r.code, name).toBe(1);
      expect(r.stdout, name).toContain('NOT VALID');
      expect(r.stdout, name).toContain('The PDF file is damaged or incomplete');
      expect(r.stdout, name).not.toMatch(/no digital signature|Failed to parse|Expected next byte|offset/);
      const vi = await cli('verify', f(name), '--trust', pki.rootPem);
      expect(vi.stdout, name).toContain('Tệp PDF bị hỏng hoặc không đầy đủ');
      expect(vi.stdout, name).not.toMatch(/[A-Za-z]+ byte|offset|line:/);
      // The technical reason is kept apart, for programs.
      const json = JSON.parse((await cli('verify', f(name), '--json')).stdout);
      expect(json.damage.kind, name).toBe('damaged');
      expect(json.damage.reason, name).toBeTruthy();
    }
    // A startxref that points nowhere (the cross-reference table moved or cut out) is damage as well.
    const moved = Buffer.from(signed);
    const at = moved.lastIndexOf('startxref') + 'startxref\n'.length;
    moved.write('1'.padEnd(/^\d+/.exec(moved.subarray(at, at + 20).toString('latin1'))![0].length, '0'), at, 'latin1');
    fs.writeFileSync(f('moved-xref.pdf'), moved);
    const m = JSON.parse((await cli('verify', f('moved-xref.pdf'), '--json')).stdout);
    expect(m.valid).toBe(false);
    expect(m.damage.reason).toMatch(/^no cross-reference section at offset 10+$/);
    const x = await cli('extract', f('half.pdf'), '--lang', 'en');
    expect(x.code).toBe(2);
    expect(x.stderr).toContain('The PDF file is damaged or incomplete');
    expect(x.stderr).not.toContain('no bieumau data');
  });

  it('a later revision adding an empty signature field is allowed; a non-signature annotation or form field is not', async () => {
    const sigField = await appendRevision(signed, (pdf) => {
      addSignatureField(pdf, 'approver-2', 0, { x: 40, y: 40, width: 120, height: 50 });
    });
    fs.writeFileSync(f('new-sig-field.pdf'), sigField);
    const ok = JSON.parse((await cli('verify', f('new-sig-field.pdf'), '--trust', pki.rootPem, '--json')).stdout);
    expect(ok.signatures[0].changedAfter).toEqual([]);
    expect(ok.signatures[0].allowedAfter.map((c: { en: string }) => c.en)).toEqual(expect.arrayContaining(['page 1: signature widget added']));

    const note = await appendRevision(signed, (pdf) => {
      const page = pdf.getPage(0);
      const annot = pdf.context.register(pdf.context.obj({ Type: 'Annot', Subtype: 'Square', Rect: [300, 430, 540, 456], F: 4, C: [1, 1, 1], IC: [1, 1, 1] }));
      const annots = page.node.lookup(PDFName.of('Annots'), PDFArray);
      annots.push(annot);
    });
    fs.writeFileSync(f('annot.pdf'), note);
    const r = await verifyText(f('annot.pdf'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('changed after signing by an unsigned revision: page 1: annotations changed');

    const field = await appendRevision(signed, (pdf) => {
      const form = pdf.getForm();
      form.createTextField('diem.tong').addToPage(pdf.getPage(0), { x: 40, y: 100, width: 100, height: 20 });
    });
    fs.writeFileSync(f('text-field.pdf'), field);
    const t = await verifyText(f('text-field.pdf'));
    expect(t.code).toBe(1);
    expect(t.stdout).toContain('changed after signing by an unsigned revision: the form fields (AcroForm) were changed');
  });

  it('a ByteRange that no longer brackets /Contents is reported', async () => {
    const bad = Buffer.from(signed);
    const at = bad.lastIndexOf('/ByteRange [0 ');
    const numbers = bad.subarray(at, at + 60).toString('latin1');
    const first = /\/ByteRange \[0 (\d+)/.exec(numbers)![1]!;
    const shifted = String(Number(first) - 1).padStart(first.length, '0');
    bad.write(shifted, at + '/ByteRange [0 '.length, 'latin1');
    fs.writeFileSync(f('range.pdf'), bad);
    const r = await verifyText(f('range.pdf'));
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('ByteRange does not match the /Contents location in the file');
  });

  it('--json gives the same findings to programs', async () => {
    const r = await cli('verify', f('name.pdf'), '--trust', pki.rootPem, '--json');
    const report = JSON.parse(r.stdout);
    expect(report.valid).toBe(false);
    expect(report.signatures[0].changedAfter[0].en).toBe('page 1: its content was changed');
    expect(nameIn(record)).not.toBe('Nguyễn Văn Giả');
  });
});
