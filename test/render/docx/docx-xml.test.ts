// The DOCX as Word reads it: page setup, fonts in every slot, vi-VN, styles of the header elements for both
// profiles, repeated table headers, rows kept whole, drawn rules, page numbers from page 2.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { measureText } from '../../../src/fonts/metrics.js';
import { loadRegistry } from '../../../src/forms/registry.js';
import type { DocumentModel } from '../../../src/model/types.js';
import { DocumentBuilder } from '../../../src/render/document.js';
import { createDocxWriter } from '../../../src/render/docx/writer.js';
import { createWriter } from '../../../src/render/writers.js';
import { loadRules } from '../../../src/rules/registry.js';
import { libreOfficeConvert, pdfPages, tmpDir } from '../../support/tools.js';
import { lineText, pageWords } from '../pdf/support.js';
import { all, child, Docx, textOf, type XmlElement } from './docx-xml.js';

const registry = loadRegistry();
const builder = new DocumentBuilder(registry, loadRules(registry.ruleDirs));
const samples = (form: string) => JSON.parse(fs.readFileSync(`samples/${form}.json`, 'utf8')) as unknown[];
const twips = (pt: number) => Math.round(pt * 20);

interface Rendered {
  model: DocumentModel;
  docx: Docx;
  document: XmlElement;
  styles: XmlElement;
}

async function render(form: string, record: unknown, profile?: string): Promise<Rendered> {
  const model = builder.build(form, record, { profile });
  const docx = new Docx(await createDocxWriter().write(model));
  return { model, docx, document: docx.part('word/document.xml'), styles: docx.part('word/styles.xml') };
}

function styleById(styles: XmlElement, id: string): XmlElement {
  const s = all(styles, 'w:style').find((e) => e.attrs['w:styleId'] === id);
  if (!s) throw new Error(`no style ${id}`);
  return s;
}

/** Size (pt), bold, italic, underline as a paragraph style in styles.xml sets them. */
function styleFormat(styles: XmlElement, id: string) {
  const rPr = child(styleById(styles, id), 'w:rPr');
  const on = (name: string) => {
    const e = child(rPr, name);
    return e !== undefined && e.attrs['w:val'] !== 'false' && e.attrs['w:val'] !== '0';
  };
  const u = child(rPr, 'w:u');
  return { size: Number(child(rPr, 'w:sz')?.attrs['w:val']) / 2, bold: on('w:b'), italic: on('w:i'), underline: u !== undefined && u.attrs['w:val'] !== 'none' };
}

/** The paragraph whose text is `text`, and its style. */
function paragraphWithText(doc: XmlElement, text: string): XmlElement {
  const p = all(doc, 'w:p').find((e) => textOf(e) === text);
  if (!p) throw new Error(`no paragraph "${text}"`);
  return p;
}
const styleOfParagraph = (p: XmlElement) => child(child(p, 'w:pPr'), 'w:pStyle')?.attrs['w:val'];

describe.each([
  ['party', 'self-review', 0],
  ['state', 'classification-summary', 1],
] as const)('%s profile (%s sample %i)', (profile, form, index) => {
  let r: Rendered;
  beforeAll(async () => {
    r = await render(form, samples(form)[index], profile);
  });

  it('is registered as the docx writer', async () => {
    const writer = await createWriter('docx');
    expect(writer.format).toBe('docx');
    expect(writer.extension).toBe('.docx');
  });

  it('A4 portrait with margins 20/20/30/15 mm and the page number 10 mm from the top, from page 2', () => {
    const sectPr = all(r.document, 'w:sectPr')[0]!;
    expect(child(sectPr, 'w:pgSz')!.attrs).toMatchObject({ 'w:w': '11906', 'w:h': '16838' });
    expect(child(sectPr, 'w:pgMar')!.attrs).toMatchObject({ 'w:top': '1134', 'w:bottom': '1134', 'w:left': '1701', 'w:right': '850', 'w:header': '567' });
    expect(child(sectPr, 'w:titlePg')).toBeDefined();
    const refs = all(sectPr, 'w:headerReference');
    expect(refs.map((h) => h.attrs['w:type']).sort()).toEqual(['default', 'first']);
    const rels = r.docx.part('word/_rels/document.xml.rels');
    const target = (type: string) => all(rels, 'Relationship').find((x) => x.attrs.Id === refs.find((h) => h.attrs['w:type'] === type)!.attrs['r:id'])!.attrs.Target;
    const numbered = r.docx.raw(`word/${target('default')}`);
    expect(numbered).toMatch(/PAGE/);
    const first = r.docx.part(`word/${target('first')}`);
    expect(textOf(first)).toBe('');
    expect(r.docx.raw(`word/${target('first')}`)).not.toMatch(/PAGE/);
    const pageStyle = styleFormat(r.styles, r.model.pageNumbering.style);
    expect(pageStyle.size).toBe(14);
  });

  it('every run names Times New Roman in the ascii, hAnsi, East Asian and complex-script slots, and vi-VN', () => {
    const runs = all(r.document, 'w:r');
    expect(runs.length).toBeGreaterThan(50);
    let symbols = 0;
    for (const run of runs) {
      const rPr = child(run, 'w:rPr');
      const fonts = child(rPr, 'w:rFonts')?.attrs ?? {};
      const text = textOf(run);
      const family = /^[☐☒]+$/.test(text) ? 'Segoe UI Symbol' : 'Times New Roman';
      if (family !== 'Times New Roman') symbols++;
      expect(fonts, `run "${text}"`).toMatchObject({ 'w:ascii': family, 'w:hAnsi': family, 'w:cs': family, 'w:eastAsia': family });
      expect(child(rPr, 'w:lang')?.attrs['w:val'], `run "${text}"`).toBe('vi-VN');
    }
    if (form === 'self-review') expect(symbols).toBeGreaterThanOrEqual(8);
    // The document defaults and the theme say the same, for text a user adds.
    const defaults = child(child(all(r.styles, 'w:docDefaults')[0], 'w:rPrDefault'), 'w:rPr');
    expect(child(defaults, 'w:rFonts')!.attrs).toMatchObject({ 'w:ascii': 'Times New Roman', 'w:hAnsi': 'Times New Roman', 'w:cs': 'Times New Roman', 'w:eastAsia': 'Times New Roman' });
    expect(child(defaults, 'w:lang')!.attrs['w:val']).toBe('vi-VN');
    // Widow and orphan control on for every paragraph, as the PDF writer breaks pages (absent means off).
    const pPrDefault = child(child(all(r.styles, 'w:docDefaults')[0], 'w:pPrDefault'), 'w:pPr');
    expect(child(pPrDefault, 'w:widowControl')).toBeDefined();
    expect(all(r.styles, 'w:widowControl').filter((e) => e.attrs['w:val'] === '0' || e.attrs['w:val'] === 'false')).toHaveLength(0);
    const theme = r.docx.raw('word/theme/theme1.xml');
    expect(theme).toMatch(/<a:majorFont><a:latin typeface="Times New Roman"/);
    expect(theme).toMatch(/<a:minorFont><a:latin typeface="Times New Roman"/);
    // LibreOffice finds a font for ☐ ☒ through the font table's alternative name.
    expect(r.docx.raw('word/fontTable.xml')).toMatch(/w:name="Segoe UI Symbol"><w:altName w:val="DejaVu Sans"/);
  });

  it('header elements carry the sizes and styles of the profile', () => {
    if (profile === 'state') {
      expect(styleOfParagraph(paragraphWithText(r.document, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'))).toBe('nationalName');
      expect(styleFormat(r.styles, 'nationalName')).toEqual({ size: 13, bold: true, italic: false, underline: false });
      expect(styleOfParagraph(paragraphWithText(r.document, 'Độc lập - Tự do - Hạnh phúc'))).toBe('motto');
      expect(styleFormat(r.styles, 'motto')).toEqual({ size: 14, bold: true, italic: false, underline: false });
      expect(styleFormat(r.styles, 'agency')).toEqual({ size: 13, bold: true, italic: false, underline: false });
      expect(styleFormat(r.styles, 'parentBody')).toMatchObject({ size: 13, bold: false });
      expect(styleOfParagraph(paragraphWithText(r.document, 'Số: 58/BC-UBND'))).toBe('number');
      expect(styleFormat(r.styles, 'number')).toEqual({ size: 13, bold: false, italic: false, underline: false });
      expect(styleOfParagraph(paragraphWithText(r.document, 'Minh Xuân, ngày\u00a010\u00a0tháng\u00a04\u00a0năm\u00a02026'))).toBe('placeDate');
      expect(styleFormat(r.styles, 'placeDate')).toEqual({ size: 14, bold: false, italic: true, underline: false });
      expect(styleFormat(r.styles, 'docType')).toMatchObject({ size: 14, bold: true });
      expect(styleFormat(r.styles, 'recipientsLabel')).toEqual({ size: 12, bold: true, italic: true, underline: false });
      expect(styleFormat(r.styles, 'recipients')).toMatchObject({ size: 11, bold: false });
      expect(textOf(all(r.document, 'w:p').find((p) => styleOfParagraph(p) === 'signerAuthority')!)).toBe('KT. CHỦ TỊCH');
    } else {
      expect(styleOfParagraph(paragraphWithText(r.document, 'ĐẢNG CỘNG SẢN VIỆT NAM'))).toBe('partyName');
      expect(styleFormat(r.styles, 'partyName')).toEqual({ size: 15, bold: true, italic: false, underline: false });
      expect(styleOfParagraph(paragraphWithText(r.document, 'ĐẢNG BỘ PHƯỜNG HẢI DƯƠNG'))).toBe('parentBody');
      expect(styleFormat(r.styles, 'parentBody')).toEqual({ size: 14, bold: false, italic: false, underline: false });
      expect(styleOfParagraph(paragraphWithText(r.document, 'CHI BỘ ỦY BAN NHÂN DÂN PHƯỜNG'))).toBe('agency');
      expect(styleFormat(r.styles, 'agency')).toEqual({ size: 14, bold: true, italic: false, underline: false });
      expect(styleOfParagraph(paragraphWithText(r.document, '*'))).toBe('partyMark');
      expect(styleFormat(r.styles, 'placeDate')).toEqual({ size: 14, bold: false, italic: true, underline: false });
      expect(styleFormat(r.styles, 'docType')).toMatchObject({ size: 16, bold: true });
      expect(styleFormat(r.styles, 'recipientsLabel')).toEqual({ size: 14, bold: false, italic: false, underline: true });
      expect(styleFormat(r.styles, 'signerPost')).toMatchObject({ size: 14, bold: false });
    }
    expect(styleFormat(r.styles, 'body')).toEqual({ size: 14, bold: false, italic: false, underline: false });
    const bodyPPr = child(styleById(r.styles, 'body'), 'w:pPr');
    expect(child(bodyPPr, 'w:jc')!.attrs['w:val']).toBe('both');
    expect(child(bodyPPr, 'w:ind')!.attrs['w:firstLine']).toBe('720');
    expect(Number(child(bodyPPr, 'w:spacing')!.attrs['w:after'])).toBeGreaterThanOrEqual(120);
  });

  it('the header is a borderless two-column table; rules are drawn borders measured from the text, never underscores', () => {
    const header = all(r.document, 'w:tbl')[0]!;
    const borders = child(child(header, 'w:tblPr'), 'w:tblBorders')!;
    for (const side of borders.children) expect(side.attrs['w:val']).toBe('nil');
    expect(all(child(header, 'w:tblGrid')!, 'w:gridCol')).toHaveLength(2);
    expect(textOf(r.document)).not.toMatch(/__/);
    const rules = all(r.document, 'w:p').filter((p) => child(child(child(p, 'w:pPr'), 'w:pBdr'), 'w:bottom'));
    expect(rules.length).toBe(profile === 'state' ? 3 : 1);
    const cellWidth = (p: XmlElement) => {
      let e: XmlElement | undefined = p;
      while (e && e.name !== 'w:tc') e = e.parent;
      return e ? Number(child(child(e, 'w:tcPr'), 'w:tcW')!.attrs['w:w']) : twips(r.model.page.width - r.model.page.margins.left - r.model.page.margins.right);
    };
    const drawn = (p: XmlElement) => {
      const ind = child(child(p, 'w:pPr'), 'w:ind')!.attrs;
      return cellWidth(p) - Number(ind['w:left']) - Number(ind['w:right']);
    };
    const under = profile === 'state' ? rules.find((p) => textOf(p.parent!.children[p.parent!.children.indexOf(p) - 1]!) === 'Độc lập - Tự do - Hạnh phúc')! : rules[0]!;
    const text = profile === 'state' ? ['Độc lập - Tự do - Hạnh phúc', 14] : ['ĐẢNG CỘNG SẢN VIỆT NAM', 15];
    expect(Math.abs(drawn(under) - twips(measureText(text[0] as string, text[1] as number, true)))).toBeLessThanOrEqual(2);
  });

  it('table header rows repeat on every page and no row splits across pages', () => {
    const bordered = all(r.document, 'w:tbl').filter((t) => child(child(child(t, 'w:tblPr'), 'w:tblBorders'), 'w:top')?.attrs['w:val'] === 'single');
    expect(bordered.length).toBeGreaterThan(0);
    for (const t of bordered) {
      const rows = t.children.filter((c) => c.name === 'w:tr');
      expect(child(child(rows[0]!, 'w:trPr'), 'w:tblHeader')).toBeDefined();
      for (const row of rows) expect(child(child(row, 'w:trPr'), 'w:cantSplit')).toBeDefined();
      const body = rows.filter((row) => !child(child(row, 'w:trPr'), 'w:tblHeader'));
      expect(body.length).toBeGreaterThan(0);
    }
  });

  it('the signature block is one unsplittable row whose lines keep together, and what precedes it keeps with it', () => {
    const tables = all(r.document, 'w:tbl');
    const signature = tables.find((t) => all(t, 'w:p').some((p) => styleOfParagraph(p) === 'signerName'))!;
    const row = signature.children.find((c) => c.name === 'w:tr')!;
    expect(child(child(row, 'w:trPr'), 'w:cantSplit')).toBeDefined();
    const right = all(row, 'w:tc')[1]!;
    const paragraphs = all(right, 'w:p');
    for (const p of paragraphs.slice(0, -1)) {
      const pPr = child(p, 'w:pPr');
      const own = child(pPr, 'w:keepNext');
      const fromStyle = styleOfParagraph(p) ? child(child(styleById(r.styles, styleOfParagraph(p)!), 'w:pPr'), 'w:keepNext') : undefined;
      expect(own ?? fromStyle, textOf(p)).toBeDefined();
    }
    const siblings = signature.parent!.children;
    const before = siblings[siblings.indexOf(signature) - 1]!;
    expect(before.name).toBe('w:p');
    expect(child(child(before, 'w:pPr'), 'w:keepNext')).toBeDefined();
  });
});

describe('tick boxes', () => {
  it('the proposed level is ticked, the three others are not, with the rule set names', async () => {
    const record = samples('self-review')[1] as { levels: { proposed: string } };
    const { document } = await render('self-review', record);
    const rules = loadRules().get();
    const lines = all(document, 'w:p').map(textOf).filter((t) => /^[☐☒] /.test(t)).slice(0, 4);
    expect(lines).toEqual(rules.levels.map((l) => `${l.code === record.levels.proposed ? '☒' : '☐'} ${l.name}`));
  });
});

describe('appendix numbered on its own', () => {
  it('ends the main text with a section; the appendix section counts from 1, and LibreOffice prints it so', async () => {
    const record = samples('self-review').find((r) => ((r as { taskResults?: unknown[] }).taskResults ?? []).length > 0)!;
    const model = builder.build('self-review', record);
    const bytes = await createDocxWriter().write(model);
    const document = new Docx(bytes).part('word/document.xml');
    const sections = all(document, 'w:sectPr');
    expect(sections).toHaveLength(2);
    const [main, annex] = sections as [XmlElement, XmlElement];
    // The first section ends in the paragraph before the appendix, with the same page setup and headers.
    expect(main.parent!.name).toBe('w:pPr');
    expect(child(main, 'w:pgNumType')!.attrs['w:start']).toBeUndefined();
    expect(child(annex, 'w:pgNumType')!.attrs['w:start']).toBe('1');
    for (const s of sections) {
      expect(child(s, 'w:titlePg')).toBeDefined();
      expect(all(s, 'w:headerReference').map((h) => h.attrs['w:type']).sort()).toEqual(['default', 'first']);
    }
    const paragraphs = all(document, 'w:p');
    const end = paragraphs.indexOf(main.parent!.parent!);
    expect(paragraphs.slice(end + 1).map(textOf).find((t) => t !== '')).toBe('Phụ lục');

    const dir = tmpDir('bieumau-docx-annex-');
    const file = path.join(dir, 'annex.docx');
    fs.writeFileSync(file, bytes);
    const pages = pdfPages(libreOfficeConvert([file], dir)[0]!);
    const annexPage = pages.findIndex((t) => /^\s*Phụ lục\s*$/m.test(t));
    expect(annexPage).toBeGreaterThanOrEqual(1);
    const numberOf = (t: string) => t.trim().split('\n')[0]!.trim();
    pages.slice(1, annexPage).forEach((t, i) => expect(numberOf(t), `page ${i + 2}`).toBe(String(i + 2)));
    expect(numberOf(pages[annexPage]!)).toBe('Phụ lục');
    pages.slice(annexPage + 1).forEach((t, i) => expect(numberOf(t), `appendix page ${i + 2}`).toBe(String(i + 2)));
    expect(model.pageNumbering.fromPage).toBe(2);
  });

  it('a justified line ended by a written line break is not stretched: the file tells Word so, and LibreOffice prints it so', async () => {
    const record = structuredClone(samples('self-review')[0]) as { strengths: { politicalEthics: string[] } };
    const lead = 'Kết quả cụ thể như sau:';
    record.strengths.politicalEthics[0] = `${lead}\n${record.strengths.politicalEthics[0]}`;
    const model = builder.build('self-review', record);
    const bytes = await createDocxWriter().write(model);
    const compat = all(new Docx(bytes).part('word/settings.xml'), 'w:compat');
    expect(compat.flatMap((c) => all(c, 'w:doNotExpandShiftReturn'))).toHaveLength(1);
    const dir = tmpDir('bieumau-docx-break-');
    const file = path.join(dir, 'break.docx');
    fs.writeFileSync(file, bytes);
    const pages = pageWords(libreOfficeConvert([file], dir)[0]!);
    const page = pages.find((pg) => pg.lines.some((l) => lineText(l) === lead))!;
    const line = page.lines.find((l) => lineText(l) === lead)!;
    const right = page.width - model.page.margins.right;
    expect(line[line.length - 1]!.xMax).toBeLessThan(right - 100);
    // The paragraph's other lines are still justified to the margin.
    const next = page.lines[page.lines.indexOf(line) + 1]!;
    expect(Math.abs(next[next.length - 1]!.xMax - right)).toBeLessThan(1.5);
  });
});
