// Layout profiles as data: the official values in points, and overrides per form and per call.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DefinitionError } from '../../src/errors.js';
import { loadRegistry } from '../../src/forms/registry.js';
import { buildProfile, loadProfileData, resolveProfile, toPoints } from '../../src/model/profile.js';
import type { Paragraph } from '../../src/model/types.js';
import { DocumentBuilder } from '../../src/render/document.js';
import { loadRules } from '../../src/rules/registry.js';
import { tmpDir } from '../support/tools.js';

const mm = (x: number) => (x * 72) / 25.4;

describe('shipped profiles', () => {
  const state = resolveProfile(loadProfileData('state'));
  const party = resolveProfile(loadProfileData('party'));

  it('A4 portrait, margins 20/20/30/15 mm, page number 14 pt from page 2', () => {
    for (const p of [state, party]) {
      expect(p.page.width).toBeCloseTo(mm(210), 6);
      expect(p.page.height).toBeCloseTo(mm(297), 6);
      expect(p.page.margins).toEqual({ top: mm(20), bottom: mm(20), left: mm(30), right: mm(15) });
      expect(p.pageNumbering).toMatchObject({ show: true, fromPage: 2, format: '{page}' });
      expect(p.styles[p.pageNumbering.style]).toMatchObject({ size: 14, align: 'center', font: 'Times New Roman' });
    }
  });

  it('body: justified, first line 1.27 cm, at least 6 pt after; state single spacing, Party exactly 18 pt', () => {
    for (const p of [state, party]) expect(p.styles.body).toMatchObject({ size: 14, align: 'justify', firstLineIndent: toPoints('1.27cm', 't'), spaceAfter: 6, bold: false });
    expect(state.styles.body!.lineSpacing).toEqual({ kind: 'multiple', value: 1 });
    expect(party.styles.body!.lineSpacing).toEqual({ kind: 'exact', pt: 18 });
  });

  it('state header elements per Nghị định 30/2020', () => {
    expect(state.styles.nationalName).toMatchObject({ size: 13, bold: true, uppercase: true, italic: false });
    expect(state.styles.motto).toMatchObject({ size: 14, bold: true, uppercase: false });
    expect(state.styles.parentBody).toMatchObject({ size: 13, bold: false, uppercase: true });
    expect(state.styles.agency).toMatchObject({ size: 13, bold: true, uppercase: true });
    expect(state.styles.number).toMatchObject({ size: 13, bold: false, italic: false });
    expect(state.styles.placeDate).toMatchObject({ size: 14, italic: true });
    expect(state.styles.docType).toMatchObject({ size: 14, bold: true, uppercase: true });
    expect(state.styles.subject).toMatchObject({ size: 14, bold: true });
    expect(state.styles.recipientsLabel).toMatchObject({ size: 12, bold: true, italic: true });
    expect(state.styles.recipients).toMatchObject({ size: 11, bold: false });
    expect(state.styles.signerAuthority).toMatchObject({ size: 14, bold: true, uppercase: true });
    expect(state.styles.signerName).toMatchObject({ size: 14, bold: true });
    expect(state.data.texts.nationalName).toBe('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(state.data.texts.motto).toBe('Độc lập - Tự do - Hạnh phúc');
    expect(state.rules.motto!.fraction).toBe(1);
  });

  it('Party header elements per Hướng dẫn 36-HD/VPTW', () => {
    expect(party.styles.partyName).toMatchObject({ size: 15, bold: true, uppercase: true });
    expect(party.styles.parentBody).toMatchObject({ size: 14, bold: false });
    expect(party.styles.agency).toMatchObject({ size: 14, bold: true });
    expect(party.styles.number).toMatchObject({ size: 14, bold: false });
    expect(party.styles.placeDate).toMatchObject({ size: 14, italic: true });
    expect(party.styles.docType).toMatchObject({ size: 16, bold: true });
    expect(party.styles.recipientsLabel).toMatchObject({ size: 14, underline: true, bold: false });
    expect(party.styles.recipients).toMatchObject({ size: 12 });
    expect(party.styles.signerPost).toMatchObject({ size: 14, bold: false, uppercase: true });
    expect(party.data.texts.partyName).toBe('ĐẢNG CỘNG SẢN VIỆT NAM');
    expect(party.data.signing).toMatchObject({ 'on-behalf': 'T/M', deputy: 'K/T', 'by-order': 'T/L' });
  });
});

describe('overrides', () => {
  it('a call override changes one value; a part under profiles.<id> applies to that profile only', () => {
    const override = { page: { margins: { top: '25mm' } }, profiles: { party: { styles: { body: { lineSpacing: { exact: '20pt' } } } } } };
    const party = buildProfile('party', [{ override, source: 'call.json' }]);
    const state = buildProfile('state', [{ override, source: 'call.json' }]);
    expect(party.page.margins.top).toBeCloseTo(mm(25), 6);
    expect(party.page.margins.left).toBeCloseTo(mm(30), 6);
    expect(party.styles.body!.lineSpacing).toEqual({ kind: 'exact', pt: 20 });
    expect(state.styles.body!.lineSpacing).toEqual({ kind: 'multiple', value: 1 });
    expect(state.page.margins.top).toBeCloseTo(mm(25), 6);
  });

  it('a wrong override names its source and the path', () => {
    let error: unknown;
    try {
      buildProfile('state', [{ override: { styles: { body: { size: 'big' } } }, source: 'my-layout.json' }]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DefinitionError);
    expect((error as DefinitionError).text.en).toContain('my-layout.json');
    expect((error as DefinitionError).text.en).toContain('/styles/body/size');
  });

  it('a form layout file beside the template applies to that form, before the call override', () => {
    const dir = tmpDir('bieumau-form-');
    fs.writeFileSync(
      path.join(dir, 'note.schema.json'),
      JSON.stringify({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        title: 'Ghi chú',
        'x-form': { id: 'note', version: '1.0.0', profile: 'state' },
        type: 'object',
        required: ['header', 'text'],
        properties: { header: { $ref: 'common.schema.json#/$defs/header' }, text: { type: 'string' } },
      }),
    );
    fs.writeFileSync(path.join(dir, 'note.hbs'), '<document>{{> header header}}<p style="body">{{text}}</p></document>');
    fs.writeFileSync(path.join(dir, 'note.layout.json'), JSON.stringify({ header: { columns: [1, 3] }, styles: { body: { size: 13 } } }));
    const registry = loadRegistry([dir]);
    const record = { header: { issuingBody: 'SỞ NỘI VỤ', place: 'Hà Nội', date: '2026-01-05' }, text: 'Nội dung' };
    const plain = new DocumentBuilder(registry, loadRules(registry.ruleDirs)).build('note', record);
    expect(plain.styles.body!.size).toBe(13);
    const header = plain.body.find((b) => b.kind === 'columns');
    expect(header && header.kind === 'columns' ? header.widths : undefined).toEqual([1, 3]);
    const called = new DocumentBuilder(registry, loadRules(registry.ruleDirs), { layout: [{ override: { styles: { body: { size: 12 } } }, source: 'call' }] }).build('note', record);
    expect(called.styles.body!.size).toBe(12);
    const body = called.body.find((b): b is Paragraph => b.kind === 'paragraph' && b.style === 'body');
    expect(body?.runs[0]!.text).toBe('Nội dung');
  });
});

describe('regime per record', () => {
  const registry = loadRegistry();
  const builder = new DocumentBuilder(registry, loadRules(registry.ruleDirs));
  const texts = (doc: ReturnType<DocumentBuilder['build']>) => JSON.stringify(doc.body);
  // The shipped UBND summary, with and without its header's choice of regime.
  const sample = (JSON.parse(fs.readFileSync('samples/classification-summary.json', 'utf8')) as Array<{ header: Record<string, unknown> }>).find(
    (r) => r.header.profile === 'state',
  )!;
  const record = (profile?: 'state' | 'party') => {
    const { profile: _drop, ...header } = sample.header;
    return { ...sample, header: profile ? { ...header, profile } : header };
  };

  it("a header's profile lays a Party-default form out as a state document; --profile still wins", () => {
    const def = registry.get('classification-summary');
    expect(def.meta.profile).toBe('party');
    const state = builder.build('classification-summary', record('state'));
    expect(state.profile).toBe('state');
    expect(texts(state)).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(texts(state)).not.toContain('ĐẢNG CỘNG SẢN VIỆT NAM');
    const plain = builder.build('classification-summary', record());
    expect(plain.profile).toBe('party');
    expect(texts(plain)).toContain('ĐẢNG CỘNG SẢN VIỆT NAM');
    expect(builder.build('classification-summary', record('state'), { profile: 'party' }).profile).toBe('party');
  });
});
