// System tools the tests use (LibreOffice, poppler-utils, qpdf, …): found or the test fails, never skipped.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const PACKAGES: Record<string, string> = {
  soffice: 'libreoffice-writer-nogui libreoffice-calc-nogui',
  pdftotext: 'poppler-utils',
  pdffonts: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  pdfsig: 'poppler-utils',
  pdfdetach: 'poppler-utils',
  qpdf: 'qpdf',
  mutool: 'mupdf-tools',
  exiftool: 'libimage-exiftool-perl',
  openssl: 'openssl',
  xmllint: 'libxml2-utils',
  certutil: 'libnss3-tools',
};

/** Absolute path of a system tool; throws (failing the test) when it is missing, in CI and locally alike. */
export function tool(name: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
  if (!found) {
    throw new Error(`${name} is not installed (apt-get install ${PACKAGES[name] ?? name}); .ci/run installs it`);
  }
  return found;
}

export function tmpDir(prefix = 'bieumau-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Converts files with LibreOffice headless into `outDir` (e.g. target "pdf" or "xlsx"). Each call uses its own
 * user profile so parallel test files do not collide on LibreOffice's lock.
 */
export function libreOfficeConvert(files: string[], outDir: string, target = 'pdf'): string[] {
  const soffice = tool('soffice');
  const profile = tmpDir('bieumau-lo-');
  try {
    execFileSync(soffice, [`-env:UserInstallation=file://${profile}`, '--headless', '--norestore', '--convert-to', target, '--outdir', outDir, ...files], {
      stdio: 'pipe',
      timeout: 180_000,
    });
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
  const ext = target.split(':')[0]!;
  return files.map((f) => {
    const out = path.join(outDir, `${path.basename(f, path.extname(f))}.${ext}`);
    if (!fs.existsSync(out)) throw new Error(`LibreOffice did not produce ${out}`);
    return out;
  });
}

/** Text of a PDF (poppler's pdftotext), layout order; `-layout` keeps columns apart. */
export function pdfText(file: string, layout = false): string {
  return execFileSync(tool('pdftotext'), [...(layout ? ['-layout'] : []), '-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

/** Text of each page of a PDF, split on form feeds. */
export function pdfPages(file: string): string[] {
  const pages = pdfText(file).split('\f');
  if (pages.length > 0 && pages[pages.length - 1]!.trim() === '') pages.pop();
  return pages;
}

export function pdfPageCount(file: string): number {
  const info = execFileSync(tool('pdfinfo'), [file], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? NaN);
}
