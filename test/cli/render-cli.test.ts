// `bieumau render` as a clerk runs it: files named after the people, invalid records reported and skipped
// (exit 1), usage errors (exit 2), --profile, --layout, --forms with a broken template.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../support/cli.js';
import { tmpDir } from '../support/tools.js';
import { all, child, Docx, textOf } from '../render/docx/docx-xml.js';

const samples = (form: string) => JSON.parse(fs.readFileSync(`samples/${form}.json`, 'utf8')) as Array<Record<string, any>>;

describe('bieumau render', () => {
  it('writes one DOCX per record, named from the form, the person (ASCII) and the position', async () => {
    const out = tmpDir('bieumau-render-');
    const r = await cli('render', 'self-review', 'samples/self-review.json', '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const expected = samples('self-review').map((rec, i) => `self-review-${rec.person.fullName === 'Trần Quốc Khánh' ? 'tran-quoc-khanh' : rec.person.fullName === 'Lê Thuỳ Dương' ? 'le-thuy-duong' : 'ngo-van-binh'}-${String(i + 1).padStart(4, '0')}.docx`);
    expect(fs.readdirSync(out).sort()).toEqual(expected.sort());
    expect(r.stdout).toMatch(/^self-review: 3 bản ghi — 3 đã tạo \(3 tệp docx trong .+\), 0 bỏ qua do có lỗi\.$/m);
    const doc = new Docx(fs.readFileSync(path.join(out, expected[0]!)));
    expect(textOf(doc.part('word/document.xml'))).toContain(samples('self-review')[0]!.person.fullName);
  });

  it('reports an invalid record like validate does, skips it, renders the others, exits 1', async () => {
    const out = tmpDir('bieumau-render-');
    const good = samples('score-sheet').slice(0, 2);
    const bad = JSON.parse(fs.readFileSync('samples/invalid/excellent-with-85-points.json', 'utf8'))[0];
    const polluted = `{"__proto__": {"x": 1}, ${JSON.stringify(good[1]).slice(1)}`;
    const file = path.join(out, 'batch.ndjson');
    fs.writeFileSync(file, [JSON.stringify(good[0]), JSON.stringify(bad), polluted, '{not json'].join('\n') + '\n');
    const r = await cli('render', 'score-sheet', file, '--out', path.join(out, 'docs'), '--lang', 'en');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Record 2 \(line 2\) — .+\n {2}✗ .+ \(\/levels\/proposed\) \[level-above-score\]: /m);
    expect(r.stdout).toMatch(/^Record 3 \(line 3\) — .+\n {2}✗ .*\[forbidden-key\]/m);
    expect(r.stdout).toMatch(/^Record 4 \(line 4\)\n {2}✗ \[not-json\]/m);
    expect(r.stdout).toMatch(/score-sheet: 4 record\(s\) — 1 rendered \(1 docx file\(s\) in .+\), 3 skipped with errors\./);
    expect(fs.readdirSync(path.join(out, 'docs'))).toEqual([`score-sheet-tran-quoc-khanh-0001.docx`]);
  });

  it('--profile state gives the state header; --layout overrides a value; the override file is checked', async () => {
    const out = tmpDir('bieumau-render-');
    const layout = path.join(out, 'layout.json');
    fs.writeFileSync(layout, JSON.stringify({ page: { margins: { top: '25mm' } }, profiles: { state: { styles: { body: { lineSpacing: { multiple: 1.5 } } } } } }));
    const r = await cli('render', 'commitment', 'samples/commitment.json', '--out', out, '--profile', 'state', '--layout', layout);
    expect(r.code).toBe(0);
    const file = fs.readdirSync(out).find((f) => f.endsWith('.docx'))!;
    const doc = new Docx(fs.readFileSync(path.join(out, file)));
    const body = doc.part('word/document.xml');
    expect(textOf(body)).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(textOf(body)).not.toContain('ĐẢNG CỘNG SẢN VIỆT NAM');
    expect(child(all(body, 'w:sectPr')[0], 'w:pgMar')!.attrs['w:top']).toBe(String(Math.round((25 * 72 * 20) / 25.4)));
    const bodyStyle = all(doc.part('word/styles.xml'), 'w:style').find((s) => s.attrs['w:styleId'] === 'body')!;
    expect(child(child(bodyStyle, 'w:pPr'), 'w:spacing')!.attrs).toMatchObject({ 'w:line': '360', 'w:lineRule': 'auto' });

    fs.writeFileSync(layout, JSON.stringify({ styles: { body: { size: 'large' } } }));
    const bad = await cli('render', 'commitment', 'samples/commitment.json', '--out', out, '--layout', layout);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('layout.json');
    expect(bad.stderr).toContain('/styles/body/size');
  });

  it('an unavailable format or an unknown profile is a usage error (exit 2)', async () => {
    const out = tmpDir('bieumau-render-');
    const f = await cli('render', 'self-review', 'samples/self-review.json', '--out', out, '--format', 'docx,odt', '--lang', 'en');
    expect(f.code).toBe(2);
    expect(f.stderr).toMatch(/No writer for format "odt"\. Available: docx/);
    const p = await cli('render', 'self-review', 'samples/self-review.json', '--out', out, '--profile', 'church');
    expect(p.code).toBe(2);
    expect(p.stderr).toMatch(/Không có hồ sơ trình bày "church"\. Hiện có: .*party.*state/);
    expect(fs.readdirSync(out)).toEqual([]);
  });

  it('a broken user template stops the run with the file and line (exit 2)', async () => {
    const dir = tmpDir('bieumau-forms-');
    const schema = JSON.parse(fs.readFileSync('schemas/commitment.schema.json', 'utf8'));
    schema['x-form'] = { ...schema['x-form'], id: 'my-commitment', template: 'my-commitment' };
    delete schema.$id;
    fs.writeFileSync(path.join(dir, 'my-commitment.schema.json'), JSON.stringify(schema));
    fs.writeFileSync(path.join(dir, 'my-commitment.hbs'), '<document>\n{{> header header}}\n<p style="body">{{person.nickname}}</p>\n</document>\n');
    const out = tmpDir('bieumau-render-');
    const data = path.join(dir, 'data.json');
    fs.writeFileSync(data, JSON.stringify(samples('commitment')));
    const r = await cli('render', 'my-commitment', data, '--out', out, '--forms', dir, '--lang', 'en');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Template error in .*my-commitment\.hbs, line 3: the data has no field "nickname"/);
  });
});
