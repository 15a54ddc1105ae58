// Hand-built document models for the PDF writer tests: a state-profile page and the styles a template would use.
import type { Block, DocumentModel, LineSpacing, Paragraph, ResolvedStyle, Run } from '../../../src/model/types.js';

const MM = 72 / 25.4;
export const mm = (v: number): number => v * MM;

export function style(over: Partial<ResolvedStyle> = {}): ResolvedStyle {
  return {
    font: 'Times New Roman',
    size: 14,
    bold: false,
    italic: false,
    underline: false,
    uppercase: false,
    align: 'left',
    firstLineIndent: 0,
    indentLeft: 0,
    indentRight: 0,
    spaceBefore: 0,
    spaceAfter: 0,
    lineSpacing: { kind: 'multiple', value: 1 } as LineSpacing,
    keepWithNext: false,
    keepTogether: false,
    color: '000000',
    ...over,
  };
}

export const STYLES: Record<string, ResolvedStyle> = {
  body: style({ align: 'justify', firstLineIndent: mm(12.7), spaceAfter: 6 }),
  plain: style(),
  heading: style({ bold: true, align: 'left', spaceBefore: 6, spaceAfter: 6, keepWithNext: true }),
  title: style({ bold: true, align: 'center', size: 15 }),
  agency: style({ size: 13, align: 'center', uppercase: true }),
  agencyBold: style({ size: 13, bold: true, align: 'center', uppercase: true }),
  motto: style({ size: 14, bold: true, align: 'center' }),
  date: style({ italic: true, align: 'center' }),
  cell: style({ size: 13 }),
  cellHead: style({ size: 13, bold: true, align: 'center' }),
  signer: style({ bold: true, align: 'center' }),
  recipients: style({ size: 11 }),
  recipientsHead: style({ size: 12, bold: true, italic: true }),
  pageNumber: style({ size: 14, align: 'center' }),
};

export function doc(body: Block[], over: Partial<DocumentModel> = {}): DocumentModel {
  return {
    profile: 'state',
    meta: { title: 'Bản kiểm điểm cá nhân', author: 'Trần Quốc Khánh', subject: 'Kiểm điểm năm 2025', keywords: ['kiểm điểm', 'đảng viên'], language: 'vi-VN' },
    page: { width: mm(210), height: mm(297), margins: { top: mm(20), bottom: mm(20), left: mm(30), right: mm(15) } },
    pageNumbering: { show: true, fromPage: 2, format: '{page}', style: 'pageNumber', offsetTop: mm(10) },
    styles: STYLES,
    body,
    ...over,
  };
}

export function p(styleName: string, text: string | Run[], extra: Partial<Paragraph> = {}): Paragraph {
  return { kind: 'paragraph', style: styleName, runs: typeof text === 'string' ? [{ text }] : text, ...extra };
}

/** A long Vietnamese paragraph, `n` sentences. */
export function lorem(n: number, seed = 0): string {
  const s = [
    'Giữ vững lập trường, bản lĩnh chính trị; chấp hành nghiêm chủ trương của Đảng, chính sách, pháp luật của Nhà nước.',
    'Chỉ đạo hoàn thành 14/14 chỉ tiêu kinh tế - xã hội năm 2025, trong đó 7 chỉ tiêu vượt kế hoạch.',
    'Thu ngân sách nhà nước đạt 118,6% dự toán; 98,7% hồ sơ thủ tục hành chính được giải quyết trước và đúng hạn.',
    'Việc kiểm tra, xử lý vi phạm trật tự xây dựng ở một số tổ dân phố chưa kịp thời, cần khắc phục trong năm tới.',
    'Lãnh đạo Ủy ban nhân dân phường hoàn thành kiện toàn tổ chức bộ máy sau hợp nhất đúng thời hạn.',
  ];
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(s[(i + seed) % s.length]!);
  return out.join(' ');
}

/** The state header: agency left, quốc hiệu and tiêu ngữ right, each with its rule. */
export function stateHeader(): Block {
  return {
    kind: 'columns',
    widths: [1, 1.4],
    columns: [
      [
        p('agency', 'ĐẢNG BỘ PHƯỜNG HẢI DƯƠNG'),
        p('agencyBold', 'CHI BỘ ỦY BAN NHÂN DÂN PHƯỜNG'),
        { kind: 'rule', width: 60, align: 'center', thickness: 0.5, spaceBefore: 2, spaceAfter: 6 },
      ],
      [
        p('agencyBold', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'),
        p('motto', 'Độc lập - Tự do - Hạnh phúc'),
        { kind: 'rule', width: 170, align: 'center', thickness: 0.5, spaceBefore: 2, spaceAfter: 6 },
        p('date', 'Hải Dương, ngày 15 tháng 12 năm 2025'),
      ],
    ],
  };
}

export function signature(field = 'signer'): Block {
  return {
    kind: 'signature',
    widths: [1, 1],
    left: [p('recipientsHead', 'Nơi nhận:'), p('recipients', '- Chi bộ;\n- Lưu hồ sơ đảng viên.')],
    right: [p('signer', 'NGƯỜI TỰ KIỂM ĐIỂM'), { kind: 'signature-space', height: 60, field }, p('signer', 'Trần Quốc Khánh')],
  };
}
