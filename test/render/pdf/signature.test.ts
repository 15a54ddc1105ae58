// The closing signature block: never split across pages, never alone at the top of a page.
import { describe, expect, it } from 'vitest';
import { pdfPages } from '../../support/tools.js';
import { doc, lorem, p, signature } from './model.js';
import { PdfWriter } from '../../../src/render/pdf/index.js';
import { pageWords, writePdf } from './support.js';

const SIGNATURE_LINES = ['Nơi nhận:', 'NGƯỜI TỰ KIỂM ĐIỂM', 'Trần Quốc Khánh', 'Lưu hồ sơ đảng viên'];

describe('PDF signature block', () => {
  it('stays whole and comes with at least the end of the preceding paragraph, wherever the page ends', async () => {
    const writer = new PdfWriter();
    let movedToNewPage = 0;
    // Slide the block past the page end one line at a time.
    for (let lines = 30; lines <= 44; lines++) {
      const body = Array.from({ length: lines }, (_, i) => p('body', `Dòng số ${i + 1} của phần nội dung kiểm điểm.`, { spacing: { after: 0 } }));
      const pages = pdfPages(await writePdf(doc([...body, signature()]), writer));
      const withSig = pages.map((t, i) => ({ t, i })).filter(({ t }) => SIGNATURE_LINES.some((l) => t.includes(l)));
      expect(withSig, `${lines} lines`).toHaveLength(1);
      const { t, i } = withSig[0]!;
      for (const l of SIGNATURE_LINES) expect(t, `${lines} lines`).toContain(l);
      // Some body text precedes the block on its page.
      const before = t.slice(0, t.indexOf('Nơi nhận:'));
      expect(before, `${lines} lines`).toMatch(/Dòng số \d+/);
      if (i > 0) movedToNewPage++;
    }
    // The sweep did reach the case where the block could not fit under the text and went to the next page.
    expect(movedToNewPage).toBeGreaterThan(0);
  });

  it('reports the signature space of each field in PDF user space to the finishers', async () => {
    const model = doc([p('body', lorem(3)), signature('signer')]);
    let areas: Array<{ field: string; page: number; rect: { x: number; y: number; width: number; height: number } }> = [];
    const file = await writePdf(model, undefined, { pdfFinishers: [(_pdf, layout) => void (areas = layout.signatureAreas)] });
    expect(areas).toHaveLength(1);
    const [a] = areas;
    expect(a!.field).toBe('signer');
    expect(a!.page).toBe(0);
    expect(a!.rect.height).toBeCloseTo(60, 3);
    // It lies in the right column, between the signer's title and name.
    const [page] = pageWords(file);
    const title = page!.words.find((w) => w.text === 'NGƯỜI')!;
    const name = page!.words.find((w) => w.text === 'Khánh')!;
    const top = page!.height - (a!.rect.y + a!.rect.height);
    const bottom = page!.height - a!.rect.y;
    expect(top).toBeGreaterThanOrEqual(title.yMax - 0.5);
    expect(bottom).toBeLessThanOrEqual(name.yMin + 0.5);
    expect(a!.rect.x).toBeGreaterThan(page!.width / 2 - 60);
  });
});
