// Signing through the CLI: signer then seal as incremental PAdES-B-B revisions, checked with pdfsig, qpdf,
// openssl, exiftool and our verifier; external (two-phase) signing; appearance placement.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { PDFDict, PDFDocument, PDFName, PDFNumber } from '@cantoo/pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archiveFinisher } from '../../src/archive/finisher.js';
import { DEFAULT_LOOK, signatureImageBox } from '../../src/archive/look.js';
import { listSignatureFields } from '../../src/archive/signature-fields.js';
import { cli } from '../support/cli.js';
import { pdfText, tmpDir, tool } from '../support/tools.js';
import * as check from './checklist.js';
import { blueSignaturePng, redSealPng } from './images.js';
import { makePki } from './pki.js';
import { sampleRecords, standInPdf } from './stand-in-pdf.js';

const dir = tmpDir('bieumau-sign-');
const pki = makePki();
const f = (name: string) => path.join(dir, name);
const savedPassword = process.env.BIEUMAU_P12_PASSWORD;

beforeAll(async () => {
  process.env.BIEUMAU_P12_PASSWORD = pki.password;
  const s = sampleRecords().find((r) => r.formId === 'self-review') ?? sampleRecords()[0]!;
  fs.writeFileSync(f('unsigned.pdf'), await standInPdf(s.formId, s.record, [archiveFinisher]));
  fs.writeFileSync(f('sig.png'), blueSignaturePng());
  fs.writeFileSync(f('seal.png'), redSealPng());
  const one = await cli('sign', f('unsigned.pdf'), '--p12', pki.signerP12, '--field', 'signer', '--image', f('sig.png'), '--reason', 'Xác nhận bản tự kiểm điểm', '--location', 'Hải Dương', '--out', f('signed1.pdf'));
  expect(one.stderr).toBe('');
  expect(one.code).toBe(0);
  const two = await cli('sign', f('signed1.pdf'), '--p12', pki.sealP12, '--field', 'seal', '--image', f('seal.png'), '--out', f('signed2.pdf'));
  expect(two.stderr).toBe('');
  expect(two.code).toBe(0);
});

afterAll(() => {
  if (savedPassword === undefined) delete process.env.BIEUMAU_P12_PASSWORD;
  else process.env.BIEUMAU_P12_PASSWORD = savedPassword;
});

describe('signer + seal, two incremental revisions', () => {
  it('pdfsig reports both signatures valid and trusted, the last covering the whole document', () => {
    const text = check.pdfsig(f('signed2.pdf'), pki.nssDir);
    expect(text.match(/Signature is Valid\./g)?.length).toBe(2);
    expect(text.match(/Certificate is Trusted\./g)?.length).toBe(2);
    expect(text).toContain('Total document signed');
    expect(text).not.toMatch(/Digest Mismatch/);
    expect(text.match(/Signature Type: ETSI\.CAdES\.detached/g)?.length).toBe(2);
    expect(text).toContain('Signature Field Name: signer');
    expect(text).toContain('Signature Field Name: seal');
  });

  it('keeps every earlier byte and the /ID; qpdf --check is clean; field names are unique', () => {
    const unsigned = fs.readFileSync(f('unsigned.pdf'));
    const s1 = fs.readFileSync(f('signed1.pdf'));
    const s2 = fs.readFileSync(f('signed2.pdf'));
    expect(s1.subarray(0, unsigned.length).equals(unsigned)).toBe(true);
    expect(s2.subarray(0, s1.length).equals(s1)).toBe(true);
    const id = check.trailerId(f('unsigned.pdf'));
    expect(id).toBeDefined();
    expect(check.trailerId(f('signed1.pdf'))).toBe(id);
    expect(check.trailerId(f('signed2.pdf'))).toBe(id);
    expect(check.qpdfCheck(f('signed1.pdf')).code).toBe(0);
    const q = check.qpdfCheck(f('signed2.pdf'));
    expect(q.text).not.toMatch(/WARNING/);
    expect(q.text).toContain('No syntax or stream encoding errors found');
    expect(q.code).toBe(0);
    const names = check.fieldNames(f('signed2.pdf'));
    expect(names.sort()).toEqual(['u:seal', 'u:signer']);
    expect(check.revisions(f('signed2.pdf'))).toEqual({ eofCount: 3, endsWithEof: true });
  });

  it('stays PDF/A-3b: identification, XMP well-formed, Info ≡ XMP, no scripts, attachment', () => {
    const file = f('signed2.pdf');
    const tags = check.exifTags(file);
    expect(check.pdfaId(file, tags)).toBe('3 B');
    expect(check.xmp(file).wellFormed).toBe(true);
    for (const pair of check.infoXmpPairs(file, tags)) expect(new Set(pair.values).size, pair.pair).toBe(1);
    expect(check.scripts(file)).toEqual({ javascript: 'no', forbiddenKeys: [] });
    expect(check.associatedFile(file).relationship).toBe('/Source');
    for (const font of check.fonts(file)) expect(font).toMatchObject({ emb: 'yes', uni: 'yes' });
    expect(check.ghostscriptRenders(file)).toBe(true);
  });

  it('has the PAdES-B-B shape: signing-certificate-v2, no signing-time, chain included', () => {
    const dumps = check.cmsDumps(f('signed2.pdf'), dir);
    expect(dumps.length).toBe(2);
    for (const d of dumps) {
      expect(d).toContain('signingCertificateV2');
      expect(d).not.toMatch(/signingTime/);
      expect(d.match(/object: (contentType|messageDigest|id-smime-aa-signingCertificateV2)/g)?.length).toBe(3);
      expect(d).toContain('CN=Bieumau Test Signing CA');
      expect(d).toContain('CN=Bieumau Test Root CA');
    }
  });

  it('mutool sees the last signature unchanged since signing', () => {
    const text = check.mutoolSign(f('signed2.pdf'));
    const blocks = text.split(/Verifying signature/).filter((b) => b.trim());
    expect(blocks.length).toBe(2);
    expect(blocks[1]).toContain('unchanged since signing');
    expect(blocks[0]).toContain('edits since signing');
  });

  it('bieumau verify accepts it with the test root, names signers and times', async () => {
    const r = await cli('verify', f('signed2.pdf'), '--trust', pki.rootPem, '--json', '--lang', 'en');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.valid).toBe(true);
    expect(report.signatures.map((s: { field: string }) => s.field)).toEqual(['signer', 'seal']);
    expect(report.signatures[0].signer.name).toBe('Trần Quốc Khánh');
    expect(report.signatures[0].claimedTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$/);
    expect(report.signatures[0].reason).toBe('Xác nhận bản tự kiểm điểm');
    expect(report.signatures[0].allowedAfter.map((c: { en: string }) => c.en)).toContain('an empty signature field was signed');
    expect(report.signatures[1].coversWholeFile).toBe(true);
    expect(report.data.matches).toBe(true);
  });

  it('without a trust anchor, or with another root, verify fails and says why', async () => {
    const none = await cli('verify', f('signed2.pdf'), '--lang', 'en');
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('no trust anchor given (--trust root.pem)');
    const other = await cli('verify', f('signed2.pdf'), '--trust', pki.otherRootPem, '--lang', 'en');
    expect(other.code).toBe(1);
    expect(other.stdout).toContain('does not lead to any given trust anchor');
  });

  it('puts the seal at true size over the left third of the signer image', async () => {
    const doc = await PDFDocument.load(fs.readFileSync(f('signed2.pdf')), { updateMetadata: false });
    const fields = listSignatureFields(doc);
    const signer = fields.find((x) => x.name === 'signer')!;
    const seal = fields.find((x) => x.name === 'seal')!;
    expect(signer.signed && seal.signed).toBe(true);
    const image = signatureImageBox(signer.rect);
    expect(seal.rect.width).toBeCloseTo((DEFAULT_LOOK.sealDiameterMm * 72) / 25.4, 3);
    expect(seal.rect.x + seal.rect.width).toBeCloseTo(image.x + image.width / 3, 3);
    expect(seal.rect.y + seal.rect.height / 2).toBeCloseTo(image.y + image.height / 2, 3);
    // Both widgets printable, with their own appearance.
    for (const fld of [signer, seal]) {
      expect(fld.dict.lookup(PDFName.of('F'), PDFNumber).asNumber()).toBe(4);
      expect(fld.dict.lookup(PDFName.of('AP'), PDFDict).has(PDFName.of('N'))).toBe(true);
    }
    const png = check.renderPng(f('signed2.pdf'), dir, 72);
    fs.copyFileSync(png, path.join(tmpDir('bieumau-look-'), 'signed2.png'));
    expect(fs.statSync(png).size).toBeGreaterThan(1000);
  });
});

describe('text appearance, new fields, credentials', () => {
  it('without an image draws name, post and ISO time in Tinos, extractable as text', async () => {
    const r = await cli('sign', f('unsigned.pdf'), '--p12', pki.signerP12, '--out', f('text.pdf'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"signer"');
    const text = pdfText(f('text.pdf'));
    expect(text).toContain('Trần Quốc Khánh');
    expect(text).toContain('Chủ tịch');
    expect(text).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00/);
    for (const font of check.fonts(f('text.pdf'))) expect(font).toMatchObject({ emb: 'yes', uni: 'yes' });
    expect(check.pdfsig(f('text.pdf'), pki.nssDir)).toContain('Signature is Valid.');
  });

  it('signs a PDF without fields at --page/--rect, and a second time under a unique name', async () => {
    const plain = await PDFDocument.create();
    plain.addPage([595, 842]);
    fs.writeFileSync(f('plain.pdf'), await plain.save({ useObjectStreams: false }));
    const a = await cli('sign', f('plain.pdf'), '--p12', pki.signerP12, '--page', '1', '--rect', '300,100,200,80', '--field', 'signer', '--out', f('plain1.pdf'));
    expect(a.code).toBe(0);
    const b = await cli('sign', f('plain1.pdf'), '--p12', pki.sealP12, '--page', '1', '--rect', '250,100,100,100', '--field', 'signer', '--out', f('plain2.pdf'));
    expect(b.code).toBe(0);
    expect(b.stdout).toContain('"signer-2"');
    const text = check.pdfsig(f('plain2.pdf'), pki.nssDir);
    expect(text.match(/Signature is Valid\./g)?.length).toBe(2);
    expect(check.qpdfCheck(f('plain2.pdf')).code).toBe(0);
    const doc = await PDFDocument.load(fs.readFileSync(f('plain2.pdf')));
    const rect = listSignatureFields(doc).find((x) => x.name === 'signer')!.rect;
    expect(rect).toEqual({ x: 300, y: 100, width: 200, height: 80 });
  });

  it('reads a legacy 3DES/SHA-1 PKCS#12 as well', async () => {
    const r = await cli('sign', f('unsigned.pdf'), '--p12', pki.signerLegacyP12, '--field', 'signer', '--out', f('legacy.pdf'));
    expect(r.code).toBe(0);
    expect(check.pdfsig(f('legacy.pdf'), pki.nssDir)).toContain('Signature is Valid.');
  });

  it('refuses a wrong password, a missing password, a signed field and an unknown field, exit 2', async () => {
    process.env.BIEUMAU_P12_PASSWORD = 'wrong';
    const wrong = await cli('sign', f('unsigned.pdf'), '--p12', pki.signerP12, '--out', f('x.pdf'), '--lang', 'en');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('wrong password');
    delete process.env.BIEUMAU_P12_PASSWORD;
    const missing = await cli('sign', f('unsigned.pdf'), '--p12', pki.signerP12, '--out', f('x.pdf'), '--lang', 'en');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('BIEUMAU_P12_PASSWORD');
    process.env.BIEUMAU_P12_PASSWORD = pki.password;
    const signed = await cli('sign', f('signed1.pdf'), '--p12', pki.signerP12, '--field', 'signer', '--out', f('x.pdf'), '--lang', 'en');
    expect(signed.code).toBe(2);
    expect(signed.stderr).toContain('Signature field "signer" is already signed');
    const unknown = await cli('sign', f('unsigned.pdf'), '--p12', pki.signerP12, '--field', 'director', '--out', f('x.pdf'), '--lang', 'en');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('No signature field "director" (empty fields: signer, seal)');
    expect(fs.existsSync(f('x.pdf'))).toBe(false);
  });
});

describe('external signing: --prepare, then --complete', () => {
  it('a raw signature over the prepared attributes (as a USB token returns) completes a valid PAdES signature', async () => {
    const prep = await cli('sign', f('unsigned.pdf'), '--prepare', '--cert', pki.signerPem, '--chain', pki.intermediatePem, '--field', 'signer', '--out', f('prepared.pdf'));
    expect(prep.code).toBe(0);
    const state = JSON.parse(fs.readFileSync(f('prepared.pdf.sign.json'), 'utf8'));
    expect(state.digest).toMatch(/^[0-9a-f]{64}$/);
    fs.writeFileSync(f('attrs.der'), Buffer.from(state.signedAttributes, 'base64'));
    // The "token": openssl signs SHA-256(DER signed attributes) with the signer key, PKCS#1 v1.5.
    execFileSync(tool('openssl'), ['dgst', '-sha256', '-sign', pki.signerKey, '-out', f('raw.sig'), f('attrs.der')]);
    const done = await cli('sign', f('prepared.pdf'), '--complete', '--signature', f('raw.sig'), '--out', f('external.pdf'));
    expect(done.code).toBe(0);
    expect(check.pdfsig(f('external.pdf'), pki.nssDir)).toContain('Signature is Valid.');
    const v = await cli('verify', f('external.pdf'), '--trust', pki.rootPem);
    expect(v.code).toBe(0);
    const dumps = check.cmsDumps(f('external.pdf'), dir);
    expect(dumps[0]).toContain('signingCertificateV2');
    expect(dumps[0]).not.toContain('signingTime');
  });

  it('a whole CMS made elsewhere (openssl cms) is embedded; its digest is checked against the prepared file', async () => {
    const prep = await cli('sign', f('unsigned.pdf'), '--prepare', '--field', 'signer', '--out', f('prepared2.pdf'));
    expect(prep.code).toBe(0);
    const state = JSON.parse(fs.readFileSync(f('prepared2.pdf.sign.json'), 'utf8'));
    const bytes = fs.readFileSync(f('prepared2.pdf'));
    const [a, b, c, d] = state.byteRange as number[];
    fs.writeFileSync(f('range.bin'), Buffer.concat([bytes.subarray(a!, a! + b!), bytes.subarray(c!, c! + d!)]));
    execFileSync(tool('openssl'), ['cms', '-sign', '-binary', '-md', 'sha256', '-in', f('range.bin'), '-signer', pki.signerPem, '-inkey', pki.signerKey, '-certfile', pki.intermediatePem, '-outform', 'DER', '-out', f('ext.p7s')]);
    const done = await cli('sign', f('prepared2.pdf'), '--complete', '--cms', f('ext.p7s'), '--out', f('external2.pdf'));
    expect(done.code).toBe(0);
    expect(check.pdfsig(f('external2.pdf'), pki.nssDir)).toContain('Signature is Valid.');
    const v = await cli('verify', f('external2.pdf'), '--trust', pki.rootPem, '--lang', 'en');
    expect(v.code).toBe(0);
    // Valid, but not the PAdES-B-B shape: said as a note.
    expect(v.stdout).toContain('signing-time attribute present');
    // A CMS that names its signer by subjectKeyIdentifier (openssl -keyid) is matched as well.
    execFileSync(tool('openssl'), ['cms', '-sign', '-binary', '-keyid', '-md', 'sha256', '-in', f('range.bin'), '-signer', pki.signerPem, '-inkey', pki.signerKey, '-certfile', pki.intermediatePem, '-outform', 'DER', '-out', f('ext-keyid.p7s')]);
    const keyid = await cli('sign', f('prepared2.pdf'), '--complete', '--cms', f('ext-keyid.p7s'), '--out', f('external3.pdf'));
    expect(keyid.code).toBe(0);
    const v3 = await cli('verify', f('external3.pdf'), '--trust', pki.rootPem, '--json');
    expect(v3.code).toBe(0);
    expect(JSON.parse(v3.stdout).signatures[0].signer.name).toBe('Trần Quốc Khánh');
    // A prepared file changed before completion is refused.
    const tampered = Buffer.from(bytes);
    tampered[100] = tampered[100]! ^ 1;
    fs.writeFileSync(f('prepared2-bad.pdf'), tampered);
    const bad = await cli('sign', f('prepared2-bad.pdf'), '--complete', '--state', f('prepared2.pdf.sign.json'), '--cms', f('ext.p7s'), '--out', f('x2.pdf'), '--lang', 'en');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('changed after its digest was computed');
  });
});

describe('a signature in a new field on a signed PDF', () => {
  it('leaves the page content alone: every earlier signature stays valid for bieumau verify and pdfsig', async () => {
    const r = await cli('sign', f('signed2.pdf'), '--p12', pki.signerP12, '--page', '1', '--rect', '400,50,100,40', '--out', f('signed3.pdf'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('"signature"');
    const v = await cli('verify', f('signed3.pdf'), '--trust', pki.rootPem, '--json', '--lang', 'en');
    const report = JSON.parse(v.stdout);
    expect(report.signatures.map((s: { field: string; valid: boolean }) => [s.field, s.valid])).toEqual([['signer', true], ['seal', true], ['signature', true]]);
    expect(report.signatures[0].changedAfter).toEqual([]);
    expect(report.signatures[1].allowedAfter.map((c: { en: string }) => c.en)).toEqual(expect.arrayContaining(['page 1: signature widget added', 'signature field added to AcroForm']));
    expect(v.code).toBe(0);
    const text = check.pdfsig(f('signed3.pdf'), pki.nssDir);
    expect(text.match(/Signature is Valid\./g)?.length).toBe(3);
    expect(text).not.toContain('Digest Mismatch');
    // The page's /Contents and /Resources are those of the earlier revision (no q…Q wrapping added).
    const page = (file: string) => execFileSync(tool('qpdf'), ['--json=2', '--json-key=pages', file], { encoding: 'utf8' });
    const pagesBefore = JSON.parse(page(f('signed2.pdf'))).pages[0];
    const pagesAfter = JSON.parse(page(f('signed3.pdf'))).pages[0];
    expect(pagesAfter.contents).toEqual(pagesBefore.contents);
    expect(check.qpdfCheck(f('signed3.pdf')).code).toBe(0);
  });
});

describe('--complete refuses a signature that does not belong to the prepared file', () => {
  let state: { digest: string; signedAttributes: string };
  beforeAll(async () => {
    const prep = await cli('sign', f('unsigned.pdf'), '--prepare', '--cert', pki.signerPem, '--chain', pki.intermediatePem, '--field', 'signer', '--out', f('prep-bad.pdf'));
    expect(prep.code).toBe(0);
    state = JSON.parse(fs.readFileSync(f('prep-bad.pdf.sign.json'), 'utf8'));
    fs.writeFileSync(f('prep-bad-attrs.der'), Buffer.from(state.signedAttributes, 'base64'));
    fs.writeFileSync(f('garbage.bin'), 'garbage\n');
  });

  const complete = async (kind: '--signature' | '--cms', file: string, out: string) => {
    const before = fs.readFileSync(f('prep-bad.pdf'));
    const r = await cli('sign', f('prep-bad.pdf'), '--complete', kind, file, '--out', f(out), '--lang', 'en');
    // Nothing written, the prepared file untouched.
    expect(fs.existsSync(f(out))).toBe(false);
    expect(fs.readFileSync(f('prep-bad.pdf')).equals(before)).toBe(true);
    return r;
  };

  it('a raw signature of garbage bytes: exit 1, says the signature does not verify', async () => {
    const r = await complete('--signature', f('garbage.bin'), 'garbage.pdf');
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("The signature does not verify with the signer certificate's public key");
  });

  it('a raw signature made with another key over the prepared attributes: exit 1', async () => {
    execFileSync(tool('openssl'), ['dgst', '-sha256', '-sign', path.join(pki.dir, 'seal.key'), '-out', f('wrong-key.sig'), f('prep-bad-attrs.der')]);
    const r = await complete('--signature', f('wrong-key.sig'), 'wrong-key.pdf');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('made with another key');
    const vi = await cli('sign', f('prep-bad.pdf'), '--complete', '--signature', f('wrong-key.sig'), '--out', f('wrong-key.pdf'));
    expect(vi.stderr).toContain('Chữ ký không khớp với khóa công khai');
  });

  it('a --cms that is not a CMS: exit 1', async () => {
    const r = await complete('--cms', f('garbage.bin'), 'garbage-cms.pdf');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('is not a valid CMS signature');
  });

  it('a valid CMS over other content: exit 1, says messageDigest differs', async () => {
    fs.writeFileSync(f('other.txt'), 'hello');
    execFileSync(tool('openssl'), ['cms', '-sign', '-binary', '-md', 'sha256', '-in', f('other.txt'), '-signer', pki.signerPem, '-inkey', pki.signerKey, '-outform', 'DER', '-out', f('other.p7s')]);
    const r = await complete('--cms', f('other.p7s'), 'other-cms.pdf');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('The signature was made over other data: the CMS messageDigest differs');
  });

  it('a CMS over the right bytes but by another signer than the prepared --cert: exit 1', async () => {
    const bytes = fs.readFileSync(f('prep-bad.pdf'));
    const [a, b, c, d] = JSON.parse(fs.readFileSync(f('prep-bad.pdf.sign.json'), 'utf8')).byteRange as number[];
    fs.writeFileSync(f('prep-bad-range.bin'), Buffer.concat([bytes.subarray(a!, a! + b!), bytes.subarray(c!, c! + d!)]));
    execFileSync(tool('openssl'), ['cms', '-sign', '-binary', '-md', 'sha256', '-in', f('prep-bad-range.bin'), '-signer', path.join(pki.dir, 'seal.pem'), '-inkey', path.join(pki.dir, 'seal.key'), '-outform', 'DER', '-out', f('seal-range.p7s')]);
    const r = await complete('--cms', f('seal-range.p7s'), 'seal-cms.pdf');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('signed with another certificate than the one given when preparing');
  });
});

describe('damaged inputs', () => {
  it('a truncated PDF is refused as damaged, not as "no such field"; nothing written', async () => {
    const whole = fs.readFileSync(f('signed1.pdf'));
    fs.writeFileSync(f('half.pdf'), whole.subarray(0, Math.floor(whole.length / 2)));
    const r = await cli('sign', f('half.pdf'), '--p12', pki.sealP12, '--field', 'seal', '--out', f('half-signed.pdf'), '--lang', 'en');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('The PDF file is damaged or incomplete');
    expect(r.stderr).not.toMatch(/No signature field|Failed to parse|offset/);
    expect(fs.existsSync(f('half-signed.pdf'))).toBe(false);
    const vi = await cli('sign', f('half.pdf'), '--p12', pki.sealP12, '--field', 'seal', '--out', f('half-signed.pdf'));
    expect(vi.stderr).toContain('Tệp PDF bị hỏng hoặc không đầy đủ');
  });

  it('a PNG with bad filter bytes or cut short is refused before signing; a sound one still signs', async () => {
    const good = Buffer.from(blueSignaturePng());
    fs.writeFileSync(f('cut.png'), good.subarray(0, good.length - 30));
    fs.writeFileSync(f('bad-filter.png'), pngWithFilterByte(good, 9));
    for (const name of ['cut.png', 'bad-filter.png']) {
      const out = f(`${name}.pdf`);
      const r = await cli('sign', f('unsigned.pdf'), '--p12', pki.signerP12, '--field', 'signer', '--image', f(name), '--out', out, '--lang', 'en');
      expect(r.code, name).toBe(2);
      expect(r.stderr, name).toContain('The signature or seal image is damaged: the PNG cannot be decoded');
      expect(fs.existsSync(out), name).toBe(false);
    }
    fs.writeFileSync(f('filter-ok.png'), pngWithFilterByte(good, 2));
    const ok = await cli('sign', f('unsigned.pdf'), '--p12', pki.signerP12, '--field', 'signer', '--image', f('filter-ok.png'), '--out', f('filter-ok.pdf'));
    expect(ok.code).toBe(0);
  });
});

/**
 * The PNG re-encoded with every scanline's filter byte set to `filter` (the pixel bytes kept): 9 is invalid;
 * 2 (Up) is valid and only changes the decoded pixels.
 */
function pngWithFilterByte(png: Buffer, filter: number): Buffer {
  const width = png.readUInt32BE(16);
  const chunks: Buffer[] = [];
  let idat = Buffer.alloc(0);
  for (let at = 8; at < png.length; ) {
    const len = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    if (type === 'IDAT') idat = Buffer.concat([idat, png.subarray(at + 8, at + 8 + len)]);
    else chunks.push(png.subarray(at, at + 12 + len));
    at += 12 + len;
  }
  const raw = zlib.inflateSync(idat);
  for (let row = 0; row < raw.length; row += width * 4 + 1) raw[row] = filter;
  const data = zlib.deflateSync(raw);
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length);
  head.write('IDAT', 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])) >>> 0);
  const iend = chunks.pop()!;
  return Buffer.concat([png.subarray(0, 8), ...chunks, head, data, crc, iend]);
}
