// A hand-built document model for the XLSX writer tests: Party header halves with a rule, title, body, a table
// with live numbers and total formulas, and a signature block. Styles written out here, not from a profile.
import type { Block, DocumentModel, Paragraph, ResolvedStyle, TableCell, TableRow } from '../../../src/model/types.js';
import { mm, style } from '../pdf/model.js';

// The same full style shape as the PDF writer's fixtures.
const MM = mm(1);

export const STYLES: Record<string, ResolvedStyle> = {
  body: style({ align: 'justify', firstLineIndent: 36, spaceAfter: 6 }),
  parentBody: style({ align: 'center', uppercase: true }),
  agency: style({ align: 'center', bold: true, uppercase: true }),
  partyName: style({ size: 15, align: 'center', bold: true, uppercase: true }),
  placeDate: style({ align: 'center', italic: true }),
  number: style({ align: 'center' }),
  docType: style({ size: 16, align: 'center', bold: true, uppercase: true, spaceBefore: 18 }),
  subject: style({ align: 'center', bold: true }),
  tableHeader: style({ size: 13, align: 'center', bold: true }),
  cell: style({ size: 13 }),
  cellNumber: style({ size: 13, align: 'center' }),
  signer: style({ align: 'center', bold: true }),
  recipients: style({ size: 12 }),
  pageNumber: style({ size: 14, align: 'center' }),
};

export const p = (style: string, text: string, extra: Partial<Paragraph> = {}): Paragraph => ({ kind: 'paragraph', style, runs: [{ text }], ...extra });
const td = (style: string, text: string, extra: Partial<TableCell> = {}): TableCell => ({ blocks: [p(style, text)], ...extra });

/** Units with their counts; the table ends in a total row of SUM formulas whose cached results are given. */
export function summaryTable(units: Array<[string, number, number]>): Block {
  const rows: TableRow[] = [
    { cells: [td('tableHeader', 'STT'), td('tableHeader', 'Đơn vị'), td('tableHeader', 'Xuất sắc'), td('tableHeader', 'Tốt'), td('tableHeader', 'Tổng số')] },
  ];
  units.forEach(([name, a, b], i) => {
    rows.push({
      cells: [
        td('cellNumber', String(i + 1)),
        td('cell', name),
        td('cellNumber', String(a), { value: { kind: 'number', value: a } }),
        td('cellNumber', String(b), { value: { kind: 'number', value: b } }),
        td('cellNumber', String(a + b), { value: { kind: 'formula', formula: 'SUM(RC[-2]:RC[-1])', result: a + b } }),
      ],
    });
  });
  const n = units.length;
  const sa = units.reduce((s, u) => s + u[1], 0);
  const sb = units.reduce((s, u) => s + u[2], 0);
  rows.push({
    cells: [
      td('tableHeader', 'Tổng cộng', { colSpan: 2 }),
      td('tableHeader', String(sa), { value: { kind: 'formula', formula: `SUM(R[-${n}]C:R[-1]C)`, result: sa } }),
      td('tableHeader', String(sb), { value: { kind: 'formula', formula: `SUM(R[-${n}]C:R[-1]C)`, result: sb } }),
      td('tableHeader', String(sa + sb), { value: { kind: 'formula', formula: `SUM(R[-${n}]C:R[-1]C)`, result: sa + sb } }),
    ],
  });
  return { kind: 'table', columns: [6, 44, 16, 16, 18], headerRows: 1, rows, borders: true };
}

export function handBuiltDocument(body: Block[] = [summaryTable([['Chi bộ Ủy ban nhân dân phường', 3, 16], ['Chi bộ Tổ dân phố 3', 5, 29]])]): DocumentModel {
  return {
    profile: 'party',
    meta: { title: 'Tổng hợp kết quả đánh giá, xếp loại chất lượng', subject: 'Kiểm thử', language: 'vi-VN', formId: 'test' },
    page: { width: 210 * MM, height: 297 * MM, margins: { top: 20 * MM, bottom: 20 * MM, left: 30 * MM, right: 15 * MM } },
    pageNumbering: { show: true, fromPage: 2, format: '{page}', style: 'pageNumber', offsetTop: 10 * MM },
    styles: STYLES,
    body: [
      {
        kind: 'columns',
        widths: [45, 55],
        columns: [
          [p('parentBody', 'ĐẢNG BỘ THÀNH PHỐ HẢI PHÒNG'), p('agency', 'ĐẢNG ỦY PHƯỜNG HẢI DƯƠNG'), p('number', '*')],
          [p('partyName', 'ĐẢNG CỘNG SẢN VIỆT NAM'), { kind: 'rule', width: 190, align: 'center', thickness: 0.75, spaceBefore: 1, spaceAfter: 4 }],
        ],
      },
      { kind: 'columns', widths: [45, 55], columns: [[p('number', 'Số 215-BC/ĐU')], [p('placeDate', 'Hải Dương, ngày 12 tháng 01 năm 2026')]] },
      p('docType', 'BÁO CÁO'),
      p('subject', 'Kết quả đánh giá, xếp loại chất lượng đảng viên năm 2025'),
      { kind: 'rule', width: 60, align: 'center', thickness: 0.75, spaceBefore: 2, spaceAfter: 6 },
      p('body', 'Thực hiện Quy định số 366-QĐ/TW của Bộ Chính trị, Đảng ủy phường tổng hợp kết quả như sau; tỷ lệ "Hoàn thành xuất sắc nhiệm vụ" không quá 20% số "Hoàn thành tốt nhiệm vụ" trong từng nhóm tương đồng.'),
      ...body,
      {
        kind: 'signature',
        widths: [45, 55],
        left: [p('recipients', 'Nơi nhận:'), p('recipients', '- Ban Tổ chức Thành ủy,'), p('recipients', '- Lưu Văn phòng.')],
        right: [p('signer', 'T/M ĐẢNG ỦY'), p('signer', 'BÍ THƯ'), { kind: 'signature-space', height: 60 }, p('signer', 'Bùi Văn Trường')],
      },
    ],
  };
}
