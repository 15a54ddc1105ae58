// The generated data-collection workbook as Excel and LibreOffice see it: sheets, metadata, dropdowns, checks,
// formats, protection — and the date rule actually evaluated by LibreOffice.
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import PizZip from 'pizzip';
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../../src/forms/registry.js';
import { loadRules } from '../../src/rules/registry.js';
import { VERSION } from '../../src/version.js';
import { createWorkbook } from '../../src/workbook/generate.js';
import { cli } from '../support/cli.js';
import { libreOfficeConvert, tmpDir } from '../support/tools.js';
import { columnsOf, load, registry, ruleRegistry, template } from './support.js';

function part(buffer: Buffer, name: string): string {
  return new PizZip(buffer).file(name)!.asText();
}

/** The data validations of the data sheet, as written. */
function validations(buffer: Buffer): Array<{ sqref: string; type?: string; formula1?: string; formula2?: string; attrs: string }> {
  const xml = part(buffer, 'xl/worksheets/sheet2.xml');
  return [...xml.matchAll(/<dataValidation ([^>]*?)(?:\/>|>([\s\S]*?)<\/dataValidation>)/g)].map((m) => {
    const attrs = m[1]!;
    const body = m[2] ?? '';
    const decode = (s: string | undefined) => s?.replace(/&quot;/g, '"').replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
    return {
      sqref: /sqref="([^"]+)"/.exec(attrs)![1]!,
      type: /type="([^"]+)"/.exec(attrs)?.[1],
      formula1: decode(/<formula1>([\s\S]*?)<\/formula1>/.exec(body)?.[1]),
      formula2: decode(/<formula2>([\s\S]*?)<\/formula2>/.exec(body)?.[1]),
      attrs,
    };
  });
}

describe('workbook: structure', () => {
  it('has the instructions, the data sheet and two very hidden sheets, structure protected without a password', async () => {
    const buffer = await template('score-sheet', { rows: 40 });
    const wb = part(buffer, 'xl/workbook.xml');
    expect([...wb.matchAll(/<sheet [^>]*name="([^"]+)"[^>]*state="([^"]+)"/g)].map((m) => `${m[1]}:${m[2]}`)).toEqual([
      'Hướng dẫn:visible',
      'Dữ liệu:visible',
      '_lists:veryHidden',
      '_meta:veryHidden',
    ]);
    expect(wb).toContain('<workbookProtection lockStructure="1"/>');
    expect(wb).not.toMatch(/workbookPassword|workbookHashValue/);
    expect(wb).toContain(`<definedName name="_xlnm.Print_Titles" localSheetId="1">'Dữ liệu'!$5:$6</definedName>`);
  });

  it('records form, schema hash, rule set, generation time, toolkit version and the column → pointer map in _meta', async () => {
    const form = registry.get('score-sheet');
    const created = await createWorkbook('score-sheet', { registry, ruleRegistry, rows: 40, unit: 'Chi bộ A', now: new Date('2026-01-05T08:00:00Z') });
    const meta = (await load(created.buffer)).getWorksheet('_meta')!;
    const kv = new Map<string, string>();
    const map: string[] = [];
    let inColumns = false;
    meta.eachRow((row) => {
      const [a, b, c] = [1, 2, 3].map((i) => String(row.getCell(i).value ?? ''));
      if (a === 'columns') inColumns = true;
      else if (inColumns) map.push(`${a} ${b} ${c}`);
      else kv.set(a!, b!);
    });
    expect(Object.fromEntries(kv)).toMatchObject({
      format: 'bieumau-workbook/1',
      formId: 'score-sheet',
      formVersion: form.version,
      schemaId: form.schemaId,
      schemaHash: form.schemaHash,
      rulesId: 'qd366-2025',
      unit: 'Chi bộ A',
      generatedAt: '2026-01-05T08:00:00.000Z',
      toolkitVersion: VERSION,
      dataSheet: 'Dữ liệu',
      headerRow: '6',
      firstDataRow: '7',
      lastDataRow: '46',
    });
    const columns = columnsOf('score-sheet');
    expect(map).toHaveLength(columns.length);
    expect(map[0]).toBe('A /person/fullName Họ và tên');
    expect(map).toContain(`${columns.find((c) => c.pointer === '/taskResults/1/schedule')!.letter} /taskResults/1/schedule Nhiệm vụ 2 › Tiến độ`);
  });

  it('labels the header row from the schema, freezes header and name column, locks the header and unlocks inputs', async () => {
    const buffer = await template('score-sheet', { rows: 10 });
    const wb = await load(buffer);
    const ws = wb.getWorksheet('Dữ liệu')!;
    const columns = columnsOf('score-sheet');
    expect(columns.map((c) => ws.getCell(6, c.index + 1).value)).toEqual(columns.map((c) => c.header.vi));
    expect(ws.getCell('A6').value).toBe('Họ và tên');
    expect(ws.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 6 });
    expect(ws.getCell('A6').protection?.locked).not.toBe(false);
    expect(ws.getCell('B1').value).toBe('ĐẢNG CỘNG SẢN VIỆT NAM');
    const sheet = part(buffer, 'xl/worksheets/sheet2.xml');
    expect(sheet).toMatch(/<sheetProtection sheet="1"[^>]*\/>/);
    expect(sheet).not.toMatch(/hashValue|password=/);
    // Input cells are unlocked through the column styles (every data row, without writing a cell).
    const styles = part(buffer, 'xl/styles.xml');
    const xfs = [...styles.split('<cellXfs')[1]!.matchAll(/<xf [^>]*?(?:\/>|>[\s\S]*?<\/xf>)/g)].map((m) => m[0]);
    const colStyle = (n: number) => Number(new RegExp(`<col min="${n}" max="\\d+"[^>]* style="(\\d+)"`).exec(sheet)?.[1] ?? new RegExp(`<col min="\\d+" max="\\d+"[^>]*style="(\\d+)"`).exec(sheet)![1]);
    for (const c of [columns[0]!, columns.find((x) => x.pointer === '/person/idNumber')!]) {
      expect(xfs[colStyle(c.index + 1)], c.pointer).toContain('<protection locked="0"/>');
    }
  });

  it('stores ID, phone and date columns as text (numFmt @) so leading zeros and day/month order survive', async () => {
    const wb = await load(await template('score-sheet', { rows: 5 }));
    const ws = wb.getWorksheet('Dữ liệu')!;
    for (const pointer of ['/person/idNumber', '/person/phone', '/person/dateOfBirth', '/header/date']) {
      const c = columnsOf('score-sheet').find((x) => x.pointer === pointer)!;
      expect(ws.getColumn(c.index + 1).numFmt, pointer).toBe('@');
    }
    const points = columnsOf('score-sheet').find((x) => x.pointer === '/scores/general')!;
    expect(ws.getColumn(points.index + 1).numFmt).toBeUndefined();
  });

  it('puts one validation per column over exactly the rows offered, never whole columns or per cell', async () => {
    const buffer = await template('score-sheet', { rows: 25 });
    const dvs = validations(buffer);
    const columns = columnsOf('score-sheet');
    expect(new Set(dvs.map((d) => d.sqref)).size).toBe(dvs.length);
    for (const d of dvs) expect(d.sqref).toMatch(/^([A-Z]+)7:\1(31)$/);
    const covered = new Set(dvs.map((d) => /^[A-Z]+/.exec(d.sqref)![0]));
    for (const c of columns.filter((x) => x.kind !== 'text')) expect(covered.has(c.letter), c.pointer).toBe(true);
  });

  it('offers a dropdown for every enum and yes/no field; inline lists stay within 255 characters, others use named ranges on _lists', async () => {
    const buffer = await template('breakthrough-registration', { rows: 5 });
    const dvs = validations(buffer);
    const byLetter = new Map(dvs.map((d) => [/^[A-Z]+/.exec(d.sqref)![0], d]));
    const wb = part(buffer, 'xl/workbook.xml');
    for (const c of columnsOf('breakthrough-registration').filter((x) => x.kind === 'enum' || x.kind === 'boolean')) {
      const d = byLetter.get(c.letter)!;
      expect(d.type, c.pointer).toBe('list');
      if (d.formula1!.startsWith('"')) expect(d.formula1!.length).toBeLessThanOrEqual(255);
      else expect(wb).toMatch(new RegExp(`<definedName name="${d.formula1}">'_lists'!\\$[A-Z]+\\$1:\\$[A-Z]+\\$\\d+</definedName>`));
    }
    // "Khắc phục hạn chế, yếu kém kéo dài" has a comma, so the task group list must live on the lists sheet.
    const group = byLetter.get(columnsOf('breakthrough-registration').find((x) => x.pointer === '/tasks/0/group')!.letter)!;
    expect(group.formula1).toBe('ds_group');
    const approved = byLetter.get(columnsOf('breakthrough-registration').find((x) => x.pointer === '/approval/approved')!.letter)!;
    expect(approved.formula1).toBe('"Có,Không"');
  });

  it('never writes an inline list over 255 characters, even for a long enumeration without commas', async () => {
    const dir = tmpDir();
    const values = Array.from({ length: 40 }, (_, i) => `don-vi-${i}`);
    const labels = Object.fromEntries(values.map((v, i) => [v, `Đơn vị trực thuộc số ${i + 1}`]));
    fs.writeFileSync(
      path.join(dir, 'unit-list.schema.json'),
      JSON.stringify({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        title: 'Danh sách đơn vị',
        'x-form': { id: 'unit-list', version: '1.0.0', profile: 'state', tabular: true },
        type: 'object',
        required: ['name'],
        properties: {
          name: { type: 'string', title: 'Họ và tên' },
          unit: { type: 'string', title: 'Đơn vị', enum: values, 'x-enumLabels': labels },
        },
      }),
    );
    const reg = loadRegistry([dir]);
    const created = await createWorkbook('unit-list', { registry: reg, ruleRegistry: loadRules(reg.ruleDirs), rows: 10 });
    const d = validations(created.buffer).find((x) => x.sqref.startsWith('B'))!;
    expect(d.formula1).toBe('ds_unit');
    expect(part(created.buffer, 'xl/workbook.xml')).toContain(`<definedName name="ds_unit">'_lists'!$A$1:$A$40</definedName>`);
    expect(part(created.buffer, 'xl/workbook.xml')).toMatch(/<workbookProtection/);
    const lists = (await load(created.buffer)).getWorksheet('_lists')!;
    expect(lists.getCell('A40').value).toBe('Đơn vị trực thuộc số 40');
    expect(lists.state).toBe('veryHidden');
    // A state-profile form gets the national motto in its header block.
    const ws = (await load(created.buffer)).getWorksheet('Dữ liệu')!;
    expect([ws.getCell('B1').value, ws.getCell('B2').value]).toEqual(['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc']);
  });

  it('takes level names and score-part maxima from the rule set (a local variant renames and rebounds them)', async () => {
    const buffer = await template('score-sheet', { rows: 5 });
    const dvs = validations(buffer);
    const at = (pointer: string) => dvs.find((d) => d.sqref.startsWith(`${columnsOf('score-sheet').find((c) => c.pointer === pointer)!.letter}7`))!;
    expect([at('/scores/general').formula1, at('/scores/general').formula2]).toEqual(['0', '30']);
    expect([at('/scores/tasks').formula1, at('/scores/tasks').formula2]).toEqual(['0', '70']);
    expect(at('/scores/total').formula2).toBe('100');
    expect(at('/levels/proposed').formula1).toBe('"Hoàn thành xuất sắc nhiệm vụ,Hoàn thành tốt nhiệm vụ,Hoàn thành nhiệm vụ,Không hoàn thành nhiệm vụ"');

    const dir = tmpDir();
    fs.mkdirSync(path.join(dir, 'rules'));
    const base = JSON.parse(fs.readFileSync(path.join(path.dirname(registry.ruleDirs[0]!), 'rules', 'qd366-2025.json'), 'utf8'));
    base.id = 'local-test';
    base.levels[0].name = 'Xuất sắc';
    base.score.parts[0].max = 40;
    base.score.parts[1].max = 60;
    fs.writeFileSync(path.join(dir, 'rules', 'local-test.json'), JSON.stringify(base));
    const reg = loadRegistry([dir]);
    const local = await createWorkbook('score-sheet', { registry: reg, ruleRegistry: loadRules(reg.ruleDirs), rules: 'local-test', rows: 5 });
    const ldv = validations(local.buffer);
    const lat = (pointer: string) => ldv.find((d) => d.sqref.startsWith(`${columnsOf('score-sheet').find((c) => c.pointer === pointer)!.letter}7`))!;
    expect(lat('/scores/general').formula2).toBe('40');
    expect(lat('/scores/tasks').formula2).toBe('60');
    expect(lat('/levels/proposed').formula1).toMatch(/^"Xuất sắc,Hoàn thành tốt nhiệm vụ,/);
  });

  it('refuses forms that are not tabular, naming the tabular ones', async () => {
    await expect(createWorkbook('self-review', { registry, ruleRegistry })).rejects.toMatchObject({ code: 'not-tabular', exitCode: 2 });
    const r = await cli('workbook', 'self-review', '--out', path.join(tmpDir(), 'x.xlsx'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Các biểu mẫu dạng bảng: breakthrough-registration, score-sheet');
  });

  it('bieumau workbook writes the file and says which rows to fill; bad --rows is a usage error', async () => {
    const out = path.join(tmpDir(), 'don-vi', 'score.xlsx');
    const r = await cli('workbook', 'score-sheet', '--out', out, '--rows', '30', '--unit', 'Chi bộ Văn phòng');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('30 dòng nhập liệu (dòng 7–36 của trang "Dữ liệu")');
    const ws = (await load(fs.readFileSync(out))).getWorksheet('Dữ liệu')!;
    expect(ws.getCell('A1').value).toBe('CHI BỘ VĂN PHÒNG');
    expect((await cli('workbook', 'score-sheet', '--out', out, '--rows', 'abc')).code).toBe(2);
    expect((await cli('workbook', 'score-sheet', '--out', out, '--rows', '0')).code).toBe(2);
  });
});

describe('workbook: the date rule, evaluated by LibreOffice', () => {
  it('accepts dd/mm/yyyy calendar dates only: swapped, impossible and other forms fail', async () => {
    const formula = validations(await template('score-sheet', { rows: 3 })).find((d) => d.type === 'custom')!;
    const firstCell = /^([A-Z]+)7/.exec(formula.sqref)![1]! + '7';
    const inputs = ['05/01/2026', '31/12/1999', '29/02/2024', '29/02/2025', '31/04/2026', '13/25/2026', '12/13/2026', '5/1/2026', '2026-01-05', '05-01-2026', '00/01/2026', 'ab/cd/efgh'];
    const expected = [true, true, true, false, false, false, false, false, false, false, false, false];
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('T');
    inputs.forEach((v, i) => {
      ws.getCell(`A${i + 1}`).value = v;
      ws.getCell(`A${i + 1}`).numFmt = '@';
      // The validation formula is relative to the range's first cell; the same formula, pointed at A<n>.
      ws.getCell(`B${i + 1}`).value = { formula: formula.formula1!.split(firstCell).join(`A${i + 1}`) } as ExcelJS.CellFormulaValue;
    });
    const dir = tmpDir();
    const file = path.join(dir, 'dates.xlsx');
    fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
    const out = tmpDir();
    const [csv] = libreOfficeConvert([file], out, 'csv');
    const results = fs
      .readFileSync(csv!, 'utf8')
      .trim()
      .split(/\r?\n/)
      .map((line) => /,(TRUE|FALSE)$/i.test(line) && /,TRUE$/i.test(line));
    expect(results).toEqual(expected);
  });
});
