// The offline checklist of reference/pdf-archive.md §9, one function per property, run with the real tools.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tool } from '../support/tools.js';

function out(cmd: string, args: string[], cwd?: string): string {
  return execFileSync(tool(cmd), args, { encoding: 'utf8', cwd, maxBuffer: 64 * 1024 * 1024 });
}

/** 1. qpdf --check exit code (0 clean, 2 errors, 3 warnings) and its text. */
export function qpdfCheck(file: string): { code: number; text: string } {
  const r = spawnSync(tool('qpdf'), ['--check', file], { encoding: 'utf8' });
  return { code: r.status ?? -1, text: `${r.stdout}${r.stderr}` };
}

/** 2. Encrypted? per pdfinfo. */
export function encrypted(file: string): boolean {
  return !/^Encrypted:\s*no/m.test(out('pdfinfo', [file]));
}

/** 3. The last trailer's /ID, as qpdf shows it. */
export function trailerId(file: string): string | undefined {
  // qpdf shows a string of mostly printable bytes as a literal "(…)" and others in hex: random IDs come both ways,
  // so each is given back in hex.
  const str = String.raw`(<[0-9a-f]+>|\((?:[^\\)]|\\.)*\))`;
  const m = new RegExp(String.raw`\/ID \[ ${str} ${str} \]`).exec(trailer(file));
  return m ? `${asHex(m[1]!)} ${asHex(m[2]!)}` : undefined;
}

/** A PDF string token, hex or literal (with its escapes), as "<hex>". */
function asHex(token: string): string {
  if (token.startsWith('<')) return token;
  const ESCAPES: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12 };
  const bytes: number[] = [];
  const body = token.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    if (body[i] !== '\\') {
      bytes.push(body.charCodeAt(i));
      continue;
    }
    const next = body[++i]!;
    const octal = /^[0-7]{1,3}/.exec(body.slice(i))?.[0];
    if (octal) {
      bytes.push(parseInt(octal, 8));
      i += octal.length - 1;
    } else bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
  }
  return `<${Buffer.from(bytes).toString('hex')}>`;
}

/** The last trailer as qpdf shows it (to say what was found when the /ID is not as expected). */
export function trailer(file: string): string {
  return out('qpdf', ['--show-object=trailer', file]);
}

/** 4. pdfaid part and conformance, "3 B". */
export function pdfaId(file: string, tags = exifTags(file)): string {
  return `${tags['XMP-pdfaid:Part']} ${tags['XMP-pdfaid:Conformance']}`;
}

/** 5. XMP well-formed (xmllint) and its first line. */
export function xmp(file: string): { wellFormed: boolean; header: string; text: string } {
  const text = out('pdfinfo', ['-meta', file]);
  const lint = spawnSync(tool('xmllint'), ['--noout', '-'], { input: text, encoding: 'utf8' });
  return { wellFormed: lint.status === 0, header: text.split('\n')[0] ?? '', text };
}

/** 6. Each Info/XMP pair as exiftool prints them: every pair must collapse to one distinct value. */
export const INFO_XMP_PAIRS = [
  ['-PDF:CreateDate', '-XMP-xmp:CreateDate'],
  ['-PDF:ModifyDate', '-XMP-xmp:ModifyDate'],
  ['-PDF:Title', '-XMP-dc:Title'],
  ['-PDF:Producer', '-XMP-pdf:Producer'],
  ['-PDF:Author', '-XMP-dc:Creator'],
  ['-PDF:Creator', '-XMP-xmp:CreatorTool'],
  ['-PDF:Subject', '-XMP-dc:Description'],
  ['-PDF:Keywords', '-XMP-pdf:Keywords'],
] as const;

/** All PDF and XMP tags in one exiftool run (perl starts slowly), keyed "PDF:Title", "XMP-dc:Title"… */
export function exifTags(file: string): Record<string, unknown> {
  const json = JSON.parse(out('exiftool', ['-j', '-a', '-G1', '-PDF:all', '-XMP:all', file])) as Array<Record<string, unknown>>;
  return json[0] ?? {};
}

export function infoXmpPairs(file: string, tags = exifTags(file)): Array<{ pair: string; values: string[] }> {
  return INFO_XMP_PAIRS.map(([a, b]) => {
    const values = [a, b].map((t) => tags[t.slice(1)]).filter((v) => v !== undefined).map((v) => (Array.isArray(v) ? v.join(', ') : String(v)));
    return { pair: `${a} ${b}`, values };
  });
}

/** 7. OutputIntent subtype and the ICC profile's version byte and class/space. */
export function outputIntent(file: string, dir: string): { s: string; iccVersion: string; iccClass: string } {
  const intents = out('mutool', ['show', file, 'trailer/Root/OutputIntents/1']);
  const icc = path.join(dir, `icc-${path.basename(file)}.bin`);
  out('mutool', ['show', '-b', '-o', icc, file, 'trailer/Root/OutputIntents/1/DestOutputProfile']);
  const bytes = fs.readFileSync(icc);
  return { s: /\/S\s*\/(\w+)/.exec(intents)?.[1] ?? '', iccVersion: bytes.subarray(8, 9).toString('hex'), iccClass: bytes.subarray(12, 20).toString('latin1') };
}

/** 8. pdffonts rows: name, emb, uni. */
export function fonts(file: string): Array<{ name: string; emb: string; uni: string }> {
  return out('pdffonts', [file])
    .split('\n')
    .slice(2)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      return { name: cols[0]!, emb: cols[cols.length - 5]!, uni: cols[cols.length - 3]! };
    });
}

/** 9. JavaScript per pdfinfo and forbidden keys anywhere in the object dump. */
export function scripts(file: string): { javascript: string; forbiddenKeys: string[] } {
  const js = /^JavaScript:\s*(\w+)/m.exec(out('pdfinfo', [file]))?.[1] ?? '?';
  const json = out('qpdf', ['--json=2', file]);
  const forbiddenKeys = [...new Set([...json.matchAll(/"\/(JS|JavaScript|Launch|AA|OpenAction|XFA|NeedAppearances)"/g)].map((m) => m[1]!))];
  return { javascript: js, forbiddenKeys };
}

/** 11. The first associated file: relationship, subtype, UF, and pdfdetach's list. */
export function associatedFile(file: string): { relationship: string; subtype: string; uf: string; list: string } {
  const show = (p: string) => out('mutool', ['show', file, p]).trim();
  return { relationship: show('trailer/Root/AF/1/AFRelationship'), subtype: show('trailer/Root/AF/1/EF/F/Subtype'), uf: show('trailer/Root/AF/1/UF'), list: out('pdfdetach', ['-list', file]) };
}

/** 12. The attachment saved by pdfdetach. */
export function detach(file: string, dir: string): Buffer {
  const target = path.join(dir, `detached-${path.basename(file)}.json`);
  out('pdfdetach', ['-save', '1', '-o', target, file]);
  return fs.readFileSync(target);
}

/** 13. pdfsig's text (its exit code proves nothing) with an NSS database trusting the test root. */
export function pdfsig(file: string, nssDir: string): string {
  // Without -no-ocsp: poppler 22.12 prints "Unknown issue with Certificate" for every chain with -no-ocsp;
  // the test certificates name no OCSP responder, so nothing is fetched.
  const r = spawnSync(tool('pdfsig'), ['-nssdir', `sql:${nssDir}`, file], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

export function mutoolSign(file: string): string {
  const r = spawnSync(tool('mutool'), ['sign', '-v', file], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

/** 14. Each signature's CMS, printed by openssl after pdfsig -dump. */
export function cmsDumps(file: string, dir: string): string[] {
  const copy = path.join(dir, `dump-${path.basename(file)}`);
  fs.copyFileSync(file, copy);
  spawnSync(tool('pdfsig'), ['-dump', copy], { cwd: dir, encoding: 'utf8' });
  const sigs = fs.readdirSync(dir).filter((f) => f.startsWith(`${path.basename(copy)}.sig`)).sort();
  return sigs.map((s) => out('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', path.join(dir, s)]));
}

/** 14. /T of every field, from qpdf's JSON. */
export function fieldNames(file: string): string[] {
  const json = JSON.parse(out('qpdf', ['--json=2', file])) as { qpdf: [unknown, Record<string, { value?: Record<string, unknown> }>] };
  return Object.values(json.qpdf[1])
    .map((o) => o.value?.['/T'])
    .filter((t): t is string => typeof t === 'string');
}

/** 15. Revision markers and the file's end. */
export function revisions(file: string): { eofCount: number; endsWithEof: boolean } {
  const text = fs.readFileSync(file).toString('latin1');
  return { eofCount: text.split('%%EOF').length - 1, endsWithEof: /%%EOF\s?$/.test(text.slice(-7)) };
}

/** 15. Ghostscript renders it without error. */
export function ghostscriptRenders(file: string): boolean {
  return spawnSync(tool('gs'), ['-q', '-dSAFER', '-dBATCH', '-dNOPAUSE', '-sDEVICE=nullpage', '-dPDFSTOPONERROR', file], { encoding: 'utf8' }).status === 0;
}

/** Renders page 1 as PNG at `dpi` and returns its path (for looking at placement). */
export function renderPng(file: string, dir: string, dpi = 60): string {
  const prefix = path.join(dir, path.basename(file, '.pdf'));
  out('pdftoppm', ['-r', String(dpi), '-png', '-f', '1', '-l', '1', '-singlefile', file, prefix]);
  return `${prefix}.png`;
}
