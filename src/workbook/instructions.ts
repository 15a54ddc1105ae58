// The texts of the generated workbook: instructions, input prompts and alerts, in Vietnamese and English.
import type { Lang } from '../i18n.js';
import { formatNumber } from '../rules/format.js';
import type { SheetColumn } from './columns.js';

export const PROFILE_HEADER = {
  party: { right: ['ĐẢNG CỘNG SẢN VIỆT NAM'], mark: '*' },
  state: { right: ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc'], mark: '' },
} as const;

export const TEXT = {
  vi: {
    title: (form: string) => `BIỂU THU THẬP DỮ LIỆU: ${form.toLocaleUpperCase('vi')}`,
    subtitle: (code: string | undefined, version: string) => `${code ? `${code} — ` : ''}phiên bản biểu mẫu ${version}`,
    unitPlaceholder: 'TÊN CƠ QUAN, ĐƠN VỊ',
    banner: (first: number, last: number, sheet: string) =>
      `Mỗi người một dòng, từ dòng ${first} đến dòng ${last}. Ngày ghi ngày/tháng/năm (05/01/2026). Cột tiêu đề màu cam: bắt buộc; màu vàng: bắt buộc khi điền nhóm đó. Xem trang "${sheet}".`,
    instructionsTitle: 'HƯỚNG DẪN ĐIỀN BIỂU THU THẬP DỮ LIỆU',
    facts: (p: { form: string; code?: string; version: string; rules: string; unit?: string; generated: string }) => [
      ['Biểu mẫu', `${p.form}${p.code ? ` (${p.code})` : ''}, phiên bản ${p.version}`],
      ['Bộ quy tắc xếp loại', p.rules],
      ['Đơn vị', p.unit ?? '(chưa ghi)'],
      ['Ngày tạo', p.generated],
    ],
    steps: (p: { data: string; first: number; last: number; header: number }) => [
      `Điền trên trang "${p.data}": mỗi người một dòng, bắt đầu từ dòng ${p.first}; biểu có sẵn đến dòng ${p.last}. Không để dòng trống xen giữa.`,
      `Không sửa, xoá, chèn hay đổi chỗ các cột, không sửa dòng tiêu đề (dòng ${p.header}) và không đổi tên trang tính: phần mềm đọc dữ liệu theo đúng các cột này.`,
      'Cột có tiêu đề màu cam là bắt buộc. Cột màu vàng chỉ bắt buộc khi đã điền nhóm đó (ví dụ đã ghi "Nhiệm vụ 2" thì phải ghi đủ các cột vàng của Nhiệm vụ 2).',
      'Ngày ghi theo dạng ngày/tháng/năm đủ 2-2-4 chữ số, ví dụ 05/01/2026. Ô ngày được để dạng văn bản nên máy không tự đảo ngày và tháng.',
      'Ô có mũi tên: bấm để chọn trong danh sách, không gõ giá trị khác.',
      'Số: gõ số bình thường (dấu thập phân theo cài đặt của máy); điểm ghi tối đa 2 chữ số thập phân.',
      'Số CCCD, số điện thoại: ô đã để dạng văn bản, gõ đủ các chữ số kể cả số 0 ở đầu.',
      'Các nhóm cột đánh số (Tiêu chí 1, 2, …; Nhiệm vụ 1, 2, …): điền lần lượt từ nhóm 1; nhóm không dùng thì để trống.',
      'Dùng phông chữ Unicode (Times New Roman, Arial); không dùng phông .VnTime hay VNI.',
      'Lưu tệp dạng Sổ làm việc Excel (.xlsx); không đặt mật khẩu mở tệp. Mở được bằng Excel, LibreOffice, WPS; Google Trang tính có thể không hiện danh sách chọn.',
      'Nếu dữ liệu có lỗi, đơn vị sẽ nhận lại tệp của mình với các ô lỗi tô màu đỏ (cảnh báo: màu vàng) kèm ghi chú, và trang "Lỗi" liệt kê từng lỗi. Sửa trực tiếp trên tệp đó rồi gửi lại.',
      'Bảng tính được khoá phần tiêu đề (không cần mật khẩu) để tránh sửa nhầm; các ô nhập liệu vẫn sửa được bình thường.',
    ],
    columnsTitle: 'CÁC CỘT CỦA TRANG DỮ LIỆU',
    columnsHeader: ['Cột', 'Tiêu đề', 'Bắt buộc', 'Cách ghi', 'Ghi chú'],
    required: { always: 'Bắt buộc', group: 'Khi điền nhóm' },
    yes: 'Có',
    no: 'Không',
    hint: {
      date: 'Ngày/tháng/năm, ví dụ 05/01/2026.',
      enum: 'Chọn trong danh sách.',
      boolean: 'Chọn Có hoặc Không.',
      idText: 'Gõ đủ chữ số, kể cả số 0 ở đầu.',
      maxLength: (n: number) => `Tối đa ${formatNumber(n, { decimals: 0, rounding: 'half-up', trimZeros: true })} ký tự.`,
      number: (min?: string, max?: string) => (min !== undefined && max !== undefined ? `Số từ ${min} đến ${max}.` : min !== undefined ? `Số từ ${min} trở lên.` : max !== undefined ? `Số không quá ${max}.` : 'Ghi số.'),
      integer: (min?: string, max?: string) => (min !== undefined && max !== undefined ? `Số nguyên từ ${min} đến ${max}.` : 'Ghi số nguyên.'),
      decimals: (n: number) => `Tối đa ${n} chữ số thập phân.`,
      exactLength: (n: number) => `Đúng ${n} chữ số.`,
      options: (labels: string) => `Các giá trị: ${labels}.`,
    },
    requiredPrompt: { always: 'Bắt buộc. ', group: 'Bắt buộc khi điền nhóm này. ' },
    errorTitle: 'Giá trị không hợp lệ',
  },
  en: {
    title: (form: string) => `DATA COLLECTION SHEET: ${form.toUpperCase()}`,
    subtitle: (code: string | undefined, version: string) => `${code ? `${code} — ` : ''}form version ${version}`,
    unitPlaceholder: 'NAME OF THE UNIT',
    banner: (first: number, last: number, sheet: string) =>
      `One person per row, rows ${first} to ${last}. Dates as day/month/year (05/01/2026). Orange headers: required; yellow: required when the group is used. See sheet "${sheet}".`,
    instructionsTitle: 'HOW TO FILL IN THE DATA COLLECTION SHEET',
    facts: (p: { form: string; code?: string; version: string; rules: string; unit?: string; generated: string }) => [
      ['Form', `${p.form}${p.code ? ` (${p.code})` : ''}, version ${p.version}`],
      ['Classification rules', p.rules],
      ['Unit', p.unit ?? '(not given)'],
      ['Generated', p.generated],
    ],
    steps: (p: { data: string; first: number; last: number; header: number }) => [
      `Fill in sheet "${p.data}": one person per row from row ${p.first}; rows up to ${p.last} are prepared. Leave no blank rows in between.`,
      `Do not edit, delete, insert or move columns, do not change the header row (row ${p.header}) and do not rename sheets: the data is read by these columns.`,
      'Orange headers are required. Yellow ones are required once their group is used (e.g. if "Task 2" is filled, its yellow columns must be too).',
      'Write dates as day/month/year with 2-2-4 digits, e.g. 05/01/2026. Date cells are text cells, so the computer cannot swap day and month.',
      'Cells with an arrow: pick from the list, do not type other values.',
      'Numbers: type them normally; points take at most 2 decimals.',
      'ID and phone numbers: the cells are text cells; type every digit including leading zeros.',
      'Numbered column groups (Criterion 1, 2, …; Task 1, 2, …): fill them in order from group 1; leave unused groups empty.',
      'Use Unicode fonts (Times New Roman, Arial), not .VnTime or VNI fonts.',
      'Save as an Excel Workbook (.xlsx) without an open password. Excel, LibreOffice and WPS work; Google Sheets may not show the dropdowns.',
      'If the data has problems, the unit gets its own file back with the cells marked red (warnings: yellow) and noted, and an "Errors" sheet listing each problem. Fix that file and send it again.',
      'The header area is locked (no password) against accidental edits; input cells can be edited as usual.',
    ],
    columnsTitle: 'COLUMNS OF THE DATA SHEET',
    columnsHeader: ['Column', 'Header', 'Required', 'How to fill', 'Notes'],
    required: { always: 'Required', group: 'With its group' },
    yes: 'Yes',
    no: 'No',
    hint: {
      date: 'Day/month/year, e.g. 05/01/2026.',
      enum: 'Pick from the list.',
      boolean: 'Pick Yes or No.',
      idText: 'Type every digit, leading zeros included.',
      maxLength: (n: number) => `At most ${n} characters.`,
      number: (min?: string, max?: string) => (min !== undefined && max !== undefined ? `A number from ${min} to ${max}.` : min !== undefined ? `A number of at least ${min}.` : max !== undefined ? `A number up to ${max}.` : 'A number.'),
      integer: (min?: string, max?: string) => (min !== undefined && max !== undefined ? `A whole number from ${min} to ${max}.` : 'A whole number.'),
      decimals: (n: number) => `At most ${n} decimal place(s).`,
      exactLength: (n: number) => `Exactly ${n} digits.`,
      options: (labels: string) => `Values: ${labels}.`,
    },
    requiredPrompt: { always: 'Required. ', group: 'Required when this group is used. ' },
    errorTitle: 'Invalid value',
  },
} as const;

export function numberText(n: number, lang: Lang): string {
  return lang === 'vi' ? formatNumber(n, { decimals: 2, rounding: 'half-up', trimZeros: true }) : String(n);
}

/** Decimal places allowed by a `multipleOf` such as 0.01. */
export function decimalsOf(multipleOf: number | undefined): number | undefined {
  if (multipleOf === undefined || multipleOf >= 1) return undefined;
  const d = Math.round(-Math.log10(multipleOf));
  return Math.abs(10 ** -d - multipleOf) < 1e-12 ? d : undefined;
}

/** "How to fill" for a column: one short sentence or two. */
export function columnHint(c: SheetColumn, lang: Lang, max: number | undefined, exactLength: number | undefined): string {
  const t = TEXT[lang].hint;
  const min = c.minimum ?? c.exclusiveMinimum;
  const upper = max ?? c.maximum ?? c.exclusiveMaximum;
  switch (c.kind) {
    case 'date':
      return t.date;
    case 'enum':
      return t.enum;
    case 'boolean':
      return t.boolean;
    case 'number': {
      const d = decimalsOf(c.multipleOf);
      const base = t.number(min !== undefined ? numberText(min, lang) : undefined, upper !== undefined ? numberText(upper, lang) : undefined);
      return d !== undefined ? `${base} ${t.decimals(d)}` : base;
    }
    case 'integer':
      return t.integer(min !== undefined ? String(min) : undefined, upper !== undefined ? String(upper) : undefined);
    default:
      if (exactLength !== undefined) return `${t.exactLength(exactLength)} ${t.idText}`;
      if (c.textFormat) return t.idText;
      return c.maxLength !== undefined ? t.maxLength(c.maxLength) : '';
  }
}

/** Cuts a text to `n` characters (Excel's limits on prompts and alerts), ending with "…". */
export function clip(text: string, n: number): string {
  return text.length <= n ? text : `${text.slice(0, n - 1).trimEnd()}…`;
}
