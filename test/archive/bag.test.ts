// Archive bags: 100 signed PDFs in a BagIt 1.0 bag that verifies (also with coreutils), and every missing,
// extra or altered file reported by name.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { archiveFinisher } from '../../src/archive/finisher.js';
import { loadPkcs12 } from '../../src/archive/pkcs12.js';
import { signPdf } from '../../src/archive/sign.js';
import { VERSION } from '../../src/version.js';
import { cli } from '../support/cli.js';
import { tmpDir } from '../support/tools.js';
import { makePki } from './pki.js';
import { sampleRecords, standInPdf } from './stand-in-pdf.js';

const dir = tmpDir('bieumau-bag-');
const pki = makePki();
const pdfDir = path.join(dir, 'pdfs');
const COUNT = 100;
let pdfs: string[] = [];
const records: unknown[] = [];

function copyDir(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

/** What someone covering their tracks does: payload manifest, Payload-Oxum and tag manifest made to agree again. */
function recomputeManifests(bag: string): void {
  const manifest = path.join(bag, 'manifest-sha256.txt');
  const rels = fs.readFileSync(manifest, 'utf8').trim().split('\n').map((l) => l.slice(66));
  fs.writeFileSync(manifest, rels.map((r) => `${sha(path.join(bag, r))}  ${r}\n`).join(''));
  const bytes = rels.reduce((n, r) => n + fs.statSync(path.join(bag, r)).size, 0);
  const info = path.join(bag, 'bag-info.txt');
  fs.writeFileSync(info, fs.readFileSync(info, 'utf8').replace(/^Payload-Oxum: .*$/m, `Payload-Oxum: ${bytes}.${rels.length}`));
  const tags = ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt'];
  fs.writeFileSync(path.join(bag, 'tagmanifest-sha256.txt'), tags.map((t) => `${sha(path.join(bag, t))}  ${t}\n`).join(''));
}

beforeAll(async () => {
  fs.mkdirSync(pdfDir);
  const samples = sampleRecords();
  const creds = loadPkcs12(fs.readFileSync(pki.signerP12), pki.password);
  // Render each sample once, then sign copies: signing is what differs between documents.
  const rendered = await Promise.all(samples.map((s) => standInPdf(s.formId, s.record, [archiveFinisher])));
  for (let i = 0; i < COUNT; i++) {
    const k = i % samples.length;
    const signed = await signPdf(rendered[k]!, creds, { field: 'signer', reason: `Hồ sơ ${i + 1}` });
    const file = path.join(pdfDir, `hồ sơ ${String(i + 1).padStart(3, '0')}.pdf`);
    fs.writeFileSync(file, signed.pdf);
    pdfs.push(file);
    records.push(samples[k]!.record);
  }
  // An unsigned PDF/A with data is accepted too (recorded with no signatures).
  const unsignedFile = path.join(pdfDir, 'chưa ký.pdf');
  fs.writeFileSync(unsignedFile, rendered[0]!);
  pdfs = [...pdfs, unsignedFile];
  records.push(samples[0]!.record);
}, 600_000);

describe('bieumau archive', () => {
  it('bags 100 signed PDFs with their records; the bag verifies with bieumau and with sha256sum', async () => {
    const bag = path.join(dir, 'bag');
    const r = await cli('archive', ...pdfs, '--out', bag, '--trust', pki.rootPem, '--organization', 'Ban Tổ chức Đảng ủy phường', '--identifier', 'HS-2025-001', '--lang', 'en');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${COUNT + 1} PDF(s), ${COUNT + 1} record(s)`);
    expect(fs.readFileSync(path.join(bag, 'bagit.txt'), 'utf8')).toBe('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    const info = fs.readFileSync(path.join(bag, 'bag-info.txt'), 'utf8');
    expect(info).toMatch(/^Bagging-Date: \d{4}-\d\d-\d\d$/m);
    expect(info).toMatch(/^Payload-Oxum: \d+\.203$/m);
    expect(info).toContain(`Bag-Software-Agent: bieumau ${VERSION}`);
    expect(info).toContain('Source-Organization: Ban Tổ chức Đảng ủy phường');
    expect(info).toContain('External-Identifier: HS-2025-001');
    expect(info).toContain(`Bieumau-PDF-Count: ${COUNT + 1}`);
    expect(info).toContain(`Bieumau-Signature-Count: ${COUNT}`);
    // coreutils agree with our manifests (reference §9 item 15).
    execFileSync('sha256sum', ['-c', '--strict', '--quiet', 'manifest-sha256.txt', 'tagmanifest-sha256.txt'], { cwd: bag });
    const index = JSON.parse(fs.readFileSync(path.join(bag, 'data', 'index.json'), 'utf8'));
    expect(index.pdfs.length).toBe(COUNT + 1);
    const first = index.pdfs[0];
    expect(first.pdf).toBe('data/pdf/hồ-sơ-001.pdf');
    expect(first.signatures).toEqual([expect.objectContaining({ field: 'signer', signer: 'Trần Quốc Khánh', valid: true, trusted: true })]);
    index.pdfs.forEach((e: { record: string }, i: number) => {
      expect(JSON.parse(fs.readFileSync(path.join(bag, e.record), 'utf8'))).toEqual(records[i]);
    });
    const v = await cli('archive', 'verify', bag, '--lang', 'en');
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('is valid');
  });

  it('reports a deleted, an added and an altered file by name', async () => {
    const bag = path.join(dir, 'bag');
    const broken = path.join(dir, 'broken');
    copyDir(bag, broken);
    fs.rmSync(path.join(broken, 'data', 'pdf', 'hồ-sơ-007.pdf'));
    fs.writeFileSync(path.join(broken, 'data', 'pdf', 'lạ.pdf'), '%PDF-1.7\n');
    const altered = path.join(broken, 'data', 'records', 'hồ-sơ-042.json');
    fs.appendFileSync(altered, ' ');
    const v = await cli('archive', 'verify', broken, '--lang', 'en');
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('✗ missing: data/pdf/hồ-sơ-007.pdf');
    expect(v.stdout).toContain('✗ extra (not in the manifest): data/pdf/lạ.pdf');
    expect(v.stdout).toContain('✗ altered: data/records/hồ-sơ-042.json');
    expect(v.stdout).toMatch(/Payload-Oxum \d+\.203 differs from the payload \d+\.203/);
  });

  it('reports an altered tag file and a missing bagit.txt', async () => {
    const broken = path.join(dir, 'broken-tags');
    copyDir(path.join(dir, 'bag'), broken);
    fs.appendFileSync(path.join(broken, 'bag-info.txt'), 'Contact-Name: someone\n');
    fs.rmSync(path.join(broken, 'bagit.txt'));
    const v = await cli('archive', 'verify', broken, '--lang', 'en');
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('✗ altered: bag-info.txt');
    expect(v.stdout).toContain('✗ missing: bagit.txt');
  });

  it('a record altered in the bag with every manifest recomputed is caught against its signed PDF', async () => {
    const forged = path.join(dir, 'forged');
    copyDir(path.join(dir, 'bag'), forged);
    const rel = 'data/records/hồ-sơ-005.json';
    const record = JSON.parse(fs.readFileSync(path.join(forged, rel), 'utf8'));
    record.person.fullName = 'Nguyễn Văn Giả';
    fs.writeFileSync(path.join(forged, rel), `${JSON.stringify(record, null, 2)}\n`);
    recomputeManifests(forged);
    // The BagIt layer alone is now consistent (coreutils agree), so only the cross-check can tell.
    execFileSync('sha256sum', ['-c', '--strict', '--quiet', 'manifest-sha256.txt', 'tagmanifest-sha256.txt'], { cwd: forged });
    const v = await cli('archive', 'verify', forged, '--lang', 'en');
    expect(v.code).toBe(1);
    expect(v.stdout).toMatch(/✗ record data\/records\/hồ-sơ-005\.json differs from the data embedded in the signed PDF data\/pdf\/hồ-sơ-005\.pdf \(SHA-256 [0-9a-f]{64} ≠ [0-9a-f]{64}\)/);
    expect(v.stdout).not.toContain('is valid');

    // The index's dataSha256 is checked too.
    const indexed = path.join(dir, 'forged-index');
    copyDir(path.join(dir, 'bag'), indexed);
    const indexFile = path.join(indexed, 'data', 'index.json');
    const index = JSON.parse(fs.readFileSync(indexFile, 'utf8'));
    index.pdfs[1].dataSha256 = '0'.repeat(64);
    fs.writeFileSync(indexFile, `${JSON.stringify(index, null, 2)}\n`);
    recomputeManifests(indexed);
    const w = await cli('archive', 'verify', indexed, '--lang', 'en');
    expect(w.code).toBe(1);
    expect(w.stdout).toContain(`data/index.json gives data/pdf/hồ-sơ-002.pdf dataSha256 ${'0'.repeat(64)}`);
  });

  it('an extra tag file not in the tag manifest is a warning (RFC 8493 §2.2.1: SHOULD list), not a failure', async () => {
    const tagged = path.join(dir, 'extra-tag');
    copyDir(path.join(dir, 'bag'), tagged);
    fs.writeFileSync(path.join(tagged, 'ghi-chu.txt'), 'Ghi chú của người nộp lưu\n');
    fs.mkdirSync(path.join(tagged, 'reports'));
    fs.writeFileSync(path.join(tagged, 'reports', 'ingest.txt'), 'ok\n');
    const v = await cli('archive', 'verify', tagged, '--lang', 'en');
    expect(v.code).toBe(0);
    expect(v.stdout).toContain('⚠ tag file not in the tag manifest (not checked): ghi-chu.txt');
    expect(v.stdout).toContain('⚠ tag file not in the tag manifest (not checked): reports/ingest.txt');
    expect(v.stdout).toContain('is valid');
    // But a tag manifest that leaves out the payload manifest breaks a MUST of §2.2.1.
    const tm = path.join(tagged, 'tagmanifest-sha256.txt');
    fs.writeFileSync(tm, fs.readFileSync(tm, 'utf8').split('\n').filter((l) => !l.endsWith('  manifest-sha256.txt')).join('\n'));
    const w = await cli('archive', 'verify', tagged, '--lang', 'en');
    expect(w.code).toBe(1);
    expect(w.stdout).toContain('✗ tagmanifest-sha256.txt does not list manifest-sha256.txt');
  });

  it('archive verify on a folder that does not exist or is not a bag: a usage error (exit 2)', async () => {
    const gone = await cli('archive', 'verify', path.join(dir, 'không-có'), '--lang', 'en');
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain('does not exist');
    expect(gone.stdout).not.toContain('missing');
    const plain = path.join(dir, 'plain-folder');
    fs.mkdirSync(plain);
    fs.writeFileSync(path.join(plain, 'a.txt'), 'x');
    const notBag = await cli('archive', 'verify', plain);
    expect(notBag.code).toBe(2);
    expect(notBag.stderr).toContain('không phải gói BagIt');
  });

  it('archive --out into a non-empty folder: a usage error (exit 2) in both languages, nothing verified or written', async () => {
    const busy = path.join(dir, 'busy');
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, 'cũ.txt'), 'x');
    const r = await cli('archive', pdfs[0]!, '--out', busy, '--trust', pki.rootPem, '--lang', 'en');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`The folder ${busy} is not empty`);
    expect(r.stderr).not.toContain('internal error');
    const vi = await cli('archive', pdfs[0]!, '--out', busy, '--trust', pki.rootPem);
    expect(vi.stderr).toContain('không trống');
    expect(vi.stderr).not.toContain('lỗi nội bộ');
    expect(fs.readdirSync(busy)).toEqual(['cũ.txt']);
  });

  it('refuses to bag a PDF whose signature fails, naming the file and the reason', async () => {
    const bad = Buffer.from(fs.readFileSync(pdfs[3]!));
    const at = bad.indexOf('/Title <FEFF') + 15;
    bad[at] = bad[at] === 0x30 ? 0x31 : 0x30;
    const badFile = path.join(dir, 'bị sửa.pdf');
    fs.writeFileSync(badFile, bad);
    const out = path.join(dir, 'bag-refused');
    const r = await cli('archive', pdfs[0]!, badFile, '--out', out, '--trust', pki.rootPem, '--lang', 'en');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`✗ ${badFile}`);
    expect(r.stdout).toContain('signature "signer": digest mismatch');
    expect(fs.existsSync(out)).toBe(false);
  });
});
