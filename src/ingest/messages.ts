// Every ingest message in Vietnamese and English: file-level refusals, column problems and per-cell findings.
import { fill, type Bilingual, type Lang } from '../i18n.js';
import { InputError } from '../errors.js';

export const INGEST_MESSAGES: Record<string, Bilingual> = {
  // The file cannot be read at all (exit 2).
  'file-empty': { vi: 'Tệp rỗng (0 byte).', en: 'The file is empty (0 bytes).' },
  'file-too-large': {
    vi: 'Tệp nặng {size}, vượt giới hạn {limit}. Hãy chia dữ liệu thành nhiều tệp.',
    en: 'The file is {size}, over the limit of {limit}. Split the data into several files.',
  },
  'file-unreadable': { vi: 'Không đọc được tệp: {detail}', en: 'Cannot read the file: {detail}' },
  'file-xls': {
    vi: 'Tệp có định dạng Excel 97–2003 (.xls), không đọc được. Hãy mở tệp và chọn Lưu thành › Sổ làm việc Excel (.xlsx), rồi gửi lại.',
    en: 'The file is in the Excel 97–2003 format (.xls), which is not read. Open it, choose Save As › Excel Workbook (.xlsx), and send it again.',
  },
  'file-encrypted': {
    vi: 'Tệp được đặt mật khẩu mở nên đã bị mã hoá. Hãy mở tệp, gỡ mật khẩu (Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hoá bằng mật khẩu, xoá trống mật khẩu), lưu lại rồi gửi lại.',
    en: 'The file has an open password, so it is encrypted. Open it, remove the password (File › Info › Protect Workbook › Encrypt with Password, clear it), save, and send it again.',
  },
  'file-ole': {
    vi: 'Tệp là định dạng Office cũ (OLE), không phải bảng tính .xlsx. Hãy mở bằng Excel và lưu lại dưới dạng .xlsx.',
    en: 'The file is an old Office (OLE) container, not an .xlsx workbook. Open it in Excel and save it as .xlsx.',
  },
  'file-ods': {
    vi: 'Tệp có định dạng OpenDocument (.ods). Hãy mở tệp và lưu lại dưới dạng Excel 2007–365 (.xlsx), rồi gửi lại.',
    en: 'The file is in the OpenDocument format (.ods). Open it and save it as Excel 2007–365 (.xlsx), then send it again.',
  },
  'file-xlsb': {
    vi: 'Tệp có định dạng Excel nhị phân (.xlsb). Hãy mở tệp và chọn Lưu thành › Sổ làm việc Excel (.xlsx), rồi gửi lại.',
    en: 'The file is an Excel binary workbook (.xlsb). Open it, choose Save As › Excel Workbook (.xlsx), and send it again.',
  },
  'file-not-spreadsheet': {
    vi: 'Tệp không phải bảng tính Excel (.xlsx) hay CSV: {detail}.',
    en: 'The file is neither an Excel workbook (.xlsx) nor CSV: {detail}.',
  },
  'file-truncated': {
    vi: 'Tệp .xlsx bị hỏng hoặc không đầy đủ (có thể tải về hay sao chép chưa xong): {detail}. Hãy gửi lại tệp gốc.',
    en: 'The .xlsx file is damaged or incomplete (perhaps not fully downloaded or copied): {detail}. Send the original file again.',
  },
  'zip-too-many-entries': { vi: 'Tệp chứa {count} thành phần, vượt giới hạn {limit}.', en: 'The file holds {count} parts, over the limit of {limit}.' },
  'zip-entry-too-large': {
    vi: 'Thành phần {part} khi giải nén nặng {size}, vượt giới hạn {limit}.',
    en: 'Part {part} would inflate to {size}, over the limit of {limit}.',
  },
  'zip-too-large': { vi: 'Nội dung giải nén của tệp nặng {size}, vượt giới hạn {limit}.', en: 'The file would inflate to {size}, over the limit of {limit}.' },
  'zip-ratio': {
    vi: 'Thành phần {part} nén với tỷ lệ {ratio}:1 (giới hạn {limit}:1) — dấu hiệu "bom nén"; tệp bị từ chối.',
    en: 'Part {part} is compressed {ratio}:1 (limit {limit}:1), the mark of a zip bomb; the file is refused.',
  },
  'zip-size-mismatch': {
    vi: 'Thành phần {part} giải nén ra nhiều hơn kích thước khai báo; tệp bị hỏng hoặc bị làm giả và bị từ chối.',
    en: 'Part {part} inflates to more than its declared size; the file is damaged or forged and is refused.',
  },
  'xml-dtd': {
    vi: 'Thành phần {part} có khai báo DTD/thực thể XML, điều bảng tính không bao giờ cần (có thể là tấn công "billion laughs" hoặc XXE); tệp bị từ chối.',
    en: 'Part {part} declares a DTD or XML entities, which spreadsheets never need (possibly a "billion laughs" or XXE attack); the file is refused.',
  },
  'xml-malformed': { vi: 'Thành phần {part} của tệp bị hỏng: {detail}.', en: 'Part {part} of the file is damaged: {detail}.' },
  'no-workbook': {
    vi: 'Tệp nén không chứa sổ làm việc Excel (thiếu xl/workbook.xml){detail}.',
    en: 'The archive holds no Excel workbook (xl/workbook.xml is missing){detail}.',
  },
  'too-many-sheets': { vi: 'Sổ làm việc có {count} trang tính, vượt giới hạn {limit}.', en: 'The workbook has {count} sheets, over the limit of {limit}.' },
  'too-many-rows': {
    vi: 'Trang "{sheet}" có hơn {limit} dòng dữ liệu; hãy chia thành nhiều tệp.',
    en: 'Sheet "{sheet}" has more than {limit} data rows; split it into several files.',
  },
  'beyond-excel-limits': {
    vi: 'Trang "{sheet}" có ô {cell} nằm ngoài giới hạn của Excel (1.048.576 dòng, 16.384 cột); tệp bị làm giả hoặc hỏng.',
    en: 'Sheet "{sheet}" has a cell {cell} beyond Excel\'s limits (1,048,576 rows, 16,384 columns); the file is forged or damaged.',
  },
  'no-data-sheet': {
    vi: 'Không tìm thấy trang tính có dòng tiêu đề của biểu mẫu "{form}" (đã xem các trang: {sheets}). Tệp không phải biểu mẫu này, hoặc dòng tiêu đề đã bị sửa/xoá — hãy dùng biểu mẫu mới tải về.',
    en: 'No sheet has the header row of form "{form}" (sheets looked at: {sheets}). The file is not this form, or its header row was edited or deleted: use a freshly generated workbook.',
  },
  'wrong-form': {
    vi: 'Tệp này được tạo cho biểu mẫu "{other}", không phải "{form}".',
    en: 'This file was made for form "{other}", not "{form}".',
  },
  'csv-malformed': { vi: 'Tệp CSV không đọc được: {detail}.', en: 'The CSV file cannot be read: {detail}.' },
  'not-tabular': {
    vi: 'Biểu mẫu "{form}" không phải dạng bảng (mỗi người một dòng) nên không có bảng tính thu thập dữ liệu. Các biểu mẫu dạng bảng: {tabular}.',
    en: 'Form "{form}" is not tabular (one person per row), so it has no data-collection workbook. Tabular forms: {tabular}.',
  },

  // File- and column-level findings, reported in errors.json.
  'csv-encoding': {
    vi: 'Tệp CSV không phải UTF-8; đã đọc theo bảng mã {encoding}. Hãy kiểm tra chữ có dấu; lần sau lưu dạng "CSV UTF-8".',
    en: 'The CSV file is not UTF-8; it was read as {encoding}. Check the accented letters; next time save as "CSV UTF-8".',
  },
  'meta-missing': {
    vi: 'Tệp không có thông tin mẫu ẩn (dữ liệu được dán sang sổ làm việc khác?); các cột được nhận theo tiêu đề.',
    en: 'The file has no hidden template information (data pasted into another workbook?); columns were matched by header.',
  },
  'meta-altered': {
    vi: 'Thông tin mẫu ẩn bị hỏng hoặc bị sửa ({detail}); các cột được nhận theo tiêu đề.',
    en: 'The hidden template information is damaged or altered ({detail}); columns were matched by header.',
  },
  'meta-version': {
    vi: 'Tệp được tạo từ phiên bản khác của biểu mẫu (phiên bản {version}, tạo lúc {generated}); các cột được nhận theo tiêu đề. Nên dùng biểu mẫu mới tải về.',
    en: 'The file was made from another version of the form (version {version}, made {generated}); columns were matched by header. Use a freshly generated workbook.',
  },
  'meta-columns-moved': {
    vi: 'Tiêu đề cột {column} ("{found}") khác với mẫu ("{expected}"): cột đã bị chèn, xoá hoặc đổi chỗ; các cột được nhận theo tiêu đề.',
    en: 'The header of column {column} ("{found}") differs from the template ("{expected}"): columns were inserted, deleted or moved; columns were matched by header.',
  },
  'header-row': {
    vi: 'Dòng tiêu đề nằm ở dòng {row} của trang "{sheet}".',
    en: 'The header row is row {row} of sheet "{sheet}".',
  },
  'other-data-sheet': {
    vi: 'Trang "{sheet}" cũng có tiêu đề cột của biểu mẫu và có dữ liệu, nhưng chỉ trang "{read}" được đọc. Hãy chép các dòng đó sang trang "{read}" hoặc gửi thành tệp riêng.',
    en: 'Sheet "{sheet}" also has the form\'s column headers and data, but only sheet "{read}" is read. Copy those rows into "{read}" or send them as a file of their own.',
  },
  'sheet-hidden': { vi: 'Trang dữ liệu "{sheet}" đang bị ẩn.', en: 'The data sheet "{sheet}" is hidden.' },
  'header-fuzzy': {
    vi: 'Tiêu đề "{found}" được hiểu là cột "{expected}" (khác dấu, hoa/thường hoặc chính tả). Hãy kiểm tra.',
    en: 'Header "{found}" was taken as column "{expected}" (accents, case or spelling differ). Please check.',
  },
  'header-unknown': {
    vi: 'Cột "{found}" không thuộc biểu mẫu; giá trị trong cột này không được đọc.',
    en: 'Column "{found}" is not part of the form; its values were not read.',
  },
  'header-ambiguous': {
    vi: 'Tiêu đề "{found}" giống nhiều cột ({candidates}); cột này không được đọc — hãy sửa tiêu đề cho đúng mẫu.',
    en: 'Header "{found}" resembles several columns ({candidates}); it was not read. Fix the header to match the template.',
  },
  'header-duplicate': {
    vi: 'Cột "{expected}" xuất hiện hai lần (cột {first} và cột {column}); giá trị được lấy ở cột {first}, cột {column} chỉ được so sánh.',
    en: 'Column "{expected}" appears twice (columns {first} and {column}); values are taken from column {first}; column {column} is only compared.',
  },
  'header-missing': {
    vi: 'Thiếu cột bắt buộc "{expected}".',
    en: 'Required column "{expected}" is missing.',
  },
  'header-split-name': {
    vi: 'Họ và tên đang tách thành hai cột ("{family}" và "{given}"); cột "{given}" không được hiểu là họ và tên. Hãy gộp thành một cột "{expected}" rồi gửi lại.',
    en: 'The name is split into two columns ("{family}" and "{given}"); "{given}" is not read as the full name. Merge them into one column "{expected}" and send the file again.',
  },
  'unmapped-data': {
    vi: 'Cột {column} không có tiêu đề của biểu mẫu nhưng có dữ liệu ở {count} dòng (ví dụ ô {cell}); các giá trị này không được đọc.',
    en: 'Column {column} has no form header but holds data in {count} row(s) (e.g. cell {cell}); these values were not read.',
  },
  'formula-only-rows': {
    vi: '{count} dòng (từ dòng {row}) chỉ có công thức cho kết quả 0 hoặc rỗng, không có dữ liệu nhập: được coi là dòng trống.',
    en: '{count} row(s) (from row {row}) hold only formulas giving 0 or nothing, no typed data: they were read as blank.',
  },
  'no-rows': {
    vi: 'Không có dòng dữ liệu nào dưới dòng tiêu đề (dòng {row}) của trang "{sheet}".',
    en: 'There are no data rows under the header row (row {row}) of sheet "{sheet}".',
  },

  // Per-cell findings.
  'merged-cells': {
    vi: 'Ô bị gộp ({range}) trong vùng dữ liệu: chỉ ô đầu giữ giá trị. Hãy bỏ gộp ô và điền đủ từng dòng.',
    en: 'Merged cells ({range}) in the data area: only the first cell holds a value. Unmerge them and fill every row.',
  },
  'filled-down-rows': {
    vi: '{count} dòng (từ dòng {first} đến dòng {last}, trang "{sheet}") không có người nào, chỉ có giá trị chép xuống từ dòng trên ({columns}); không đọc như dữ liệu.',
    en: '{count} row(s) (rows {first} to {last}, sheet "{sheet}") hold no person, only values copied down from the row above ({columns}); they were not read as data.',
  },
  'column-numbers-row': {
    vi: 'Dòng {row} (trang "{sheet}") chỉ đánh số thứ tự các cột (1, 2, 3…); không đọc như dữ liệu.',
    en: 'Row {row} (sheet "{sheet}") only numbers the columns (1, 2, 3…); it was not read as data.',
  },
  'hidden-column': {
    vi: 'Cột {column} ({header}) đang bị ẩn nhưng có dữ liệu ở {count} dòng (ví dụ ô {cell}); dữ liệu vẫn được đọc. Hãy kiểm tra.',
    en: 'Column {column} ({header}) is hidden but holds data in {count} row(s) (e.g. cell {cell}); it was read. Please check it.',
  },
  'hidden-row': { vi: 'Dòng {row} đang bị ẩn nhưng có dữ liệu; dữ liệu vẫn được đọc.', en: 'Row {row} is hidden but holds data; it was read.' },
  formula: {
    vi: 'Giá trị được tính bằng công thức; đã lấy kết quả lưu trong tệp ({value}).',
    en: 'The value is computed by a formula; the result saved in the file was used ({value}).',
  },
  'formula-error': {
    vi: 'Công thức trả về lỗi {value}; hãy sửa công thức hoặc gõ giá trị.',
    en: 'The formula returns the error {value}; fix the formula or type the value.',
  },
  'formula-no-value': {
    vi: 'Ô có công thức nhưng tệp không lưu kết quả; hãy mở bằng Excel, lưu lại, hoặc gõ giá trị thay công thức.',
    en: 'The cell holds a formula whose result was not saved; open and save the file in Excel, or type the value instead.',
  },
  'cell-error': { vi: 'Ô chứa giá trị lỗi {value}.', en: 'The cell holds the error value {value}.' },
  'cell-too-long': {
    vi: 'Ô dài hơn giới hạn {limit} ký tự của Excel.',
    en: "The cell is longer than Excel's limit of {limit} characters.",
  },
  'not-a-number': { vi: '"{raw}" không phải là số.', en: '"{raw}" is not a number.' },
  'number-from-text': {
    vi: 'Số được gõ dưới dạng văn bản ("{raw}"); đã đọc là {value}.',
    en: 'The number was typed as text ("{raw}"); read as {value}.',
  },
  'decimal-comma': {
    vi: '"{raw}" được đọc là {value} (dấu phẩy thập phân).',
    en: '"{raw}" was read as {value} (decimal comma).',
  },
  'number-in-text': {
    vi: 'Ô chứa số {raw} thay vì văn bản: số 0 ở đầu (nếu có) đã mất. Hãy gõ lại dưới dạng văn bản (ví dụ thêm dấu \' ở đầu).',
    en: "The cell holds the number {raw} instead of text: any leading zero is lost. Type it again as text (e.g. start with ').",
  },
  'precision-lost': {
    vi: 'Số {raw} dài quá 15 chữ số nên Excel đã làm mất các chữ số cuối. Hãy định dạng ô là Văn bản và gõ lại.',
    en: 'The number {raw} has more than 15 digits, so Excel lost its last digits. Format the cell as Text and type it again.',
  },
  'not-a-boolean': {
    vi: '"{raw}" không phải Có/Không.',
    en: '"{raw}" is not Yes/No.',
  },
  'boolean-from-number': { vi: 'Số {raw} được đọc là "{value}".', en: 'The number {raw} was read as "{value}".' },
  'date-invalid': {
    vi: '"{raw}" không phải ngày hợp lệ theo dạng ngày/tháng/năm (ví dụ 05/01/2026).',
    en: '"{raw}" is not a valid date in day/month/year form (e.g. 05/01/2026).',
  },
  'date-month-first': {
    vi: '"{raw}" không phải ngày hợp lệ theo dạng ngày/tháng/năm: không có tháng {month} (có thể đã gõ tháng trước ngày). Hãy gõ theo dạng ngày/tháng/năm, ví dụ 05/01/2026.',
    en: '"{raw}" is not a valid day/month/year date: there is no month {month} (month typed first?). Type it as day/month/year, e.g. 05/01/2026.',
  },
  'date-text': {
    vi: 'Ngày "{raw}" được đọc là {value} (ngày/tháng/năm). Hãy kiểm tra.',
    en: 'The date "{raw}" was read as {value} (day/month/year). Please check.',
  },
  'date-from-number': {
    vi: 'Số {raw} được hiểu là ngày {value} theo cách Excel đếm ngày. Hãy kiểm tra.',
    en: "The number {raw} was taken as the date {value} by Excel's day count. Please check.",
  },
  'date-time-dropped': {
    vi: 'Giá trị có cả giờ ({raw}); chỉ lấy ngày {value}.',
    en: 'The value includes a time ({raw}); only the date {value} was kept.',
  },
  'date-month-first-format': {
    vi: 'Ô ngày có định dạng tháng trước ngày ("{format}"), thường do tệp được mở và lưu lại trên máy cài đặt kiểu Mỹ, nên ngày và tháng có thể đã bị đảo. Đã đọc là {value} (ngày/tháng/năm); nếu đúng ra là {swapped} thì hãy sửa lại.',
    en: 'The date cell has a month-first format ("{format}"), usually because the file was opened and saved on a computer set up for the US, so day and month may have been swapped. It was read as {value} (day/month/year); if it should be {swapped}, correct it.',
  },
  'number-grouped': {
    vi: '"{raw}" được đọc là {value}: dấu ngăn các nhóm ba chữ số được hiểu là dấu phân cách hàng nghìn. Hãy kiểm tra.',
    en: '"{raw}" was read as {value}: the marks between groups of three digits were taken as thousands separators. Please check.',
  },
  'number-ambiguous': {
    vi: '"{raw}" có thể hiểu theo hai cách: {value} (dấu phẩy thập phân, cách viết Việt Nam) hoặc {alternative} (dấu phẩy phân cách hàng nghìn, cách viết tiếng Anh). Đã đọc là {value}; hãy kiểm tra và sửa nếu sai.',
    en: '"{raw}" can be read two ways: {value} (decimal comma, Vietnamese style) or {alternative} (comma as thousands separator, English style). It was read as {value}; check it and correct it if wrong.',
  },
  'percent-format': {
    vi: 'Ô có định dạng phần trăm: giá trị lưu trong tệp là {raw}, tức {value}%; đã đọc là {value} vì cột tính theo %. Hãy kiểm tra.',
    en: 'The cell has a percentage format: the file stores {raw}, that is {value}%; it was read as {value}, as the column is in %. Please check.',
  },
  'percent-format-kept': {
    vi: 'Ô có định dạng phần trăm (hiển thị {percent}) nhưng cột này không tính theo %; đã giữ giá trị lưu trong tệp là {value}. Hãy kiểm tra.',
    en: 'The cell has a percentage format (shown as {percent}) but this column is not in %; the stored value {value} was kept. Please check.',
  },
  'percent-text': {
    vi: '"{raw}" được đọc là {value} (cột tính theo %).',
    en: '"{raw}" was read as {value} (the column is in %).',
  },
  'number-format-restored': {
    vi: 'Ô chứa số {raw} với định dạng hiển thị "{format}"; đã lấy đúng dãy số hiển thị trên bảng tính là {value} (kể cả số 0 ở đầu). Hãy kiểm tra; lần sau nên định dạng ô là Văn bản.',
    en: 'The cell holds the number {raw} with the display format "{format}"; the digits shown in the sheet, {value} (leading zeros included), were taken. Please check; next time format the cell as Text.',
  },
  'date-serial-1900': {
    vi: 'Số ngày {raw} rơi vào trước 01/03/1900, nơi Excel tính sai (ngày 29/02/1900 không có thật); hãy gõ lại ngày.',
    en: 'Day number {raw} falls before 1 March 1900, where Excel counts wrongly (29/02/1900 never existed); type the date again.',
  },
  'not-a-date': { vi: 'Giá trị {raw} không phải là ngày.', en: 'The value {raw} is not a date.' },
  'enum-unknown': {
    vi: 'Giá trị "{raw}" không có trong danh sách. Chọn một trong: {allowed}.',
    en: 'Value "{raw}" is not in the list. Choose one of: {allowed}.',
  },
  'enum-fuzzy': {
    vi: '"{raw}" được hiểu là "{value}" (khác dấu hoặc chính tả). Hãy kiểm tra.',
    en: '"{raw}" was taken as "{value}" (accents or spelling differ). Please check.',
  },
  'legacy-encoding': {
    vi: 'Chữ có vẻ được gõ bằng bảng mã cũ {encoding} (phông {font}), không phải Unicode: "{raw}". Hãy chuyển mã sang Unicode (Unikey: Công cụ chuyển mã) rồi gửi lại.',
    en: 'The text seems typed in the legacy {encoding} encoding (font {font}), not Unicode: "{raw}". Convert it to Unicode (e.g. Unikey\'s converter) and send it again.',
  },
  'duplicate-person': {
    vi: 'Trùng người với dòng {other} ({key}).',
    en: 'Same person as row {other} ({key}).',
  },
  'duplicate-person-file': {
    vi: 'Trùng người với dòng {other} của tệp {file} ({key}).',
    en: 'Same person as row {other} of file {file} ({key}).',
  },
  'duplicate-column-conflict': {
    vi: 'Cột trùng {column} ghi "{raw}", khác với giá trị "{value}" ở cột {first}.',
    en: 'Duplicate column {column} says "{raw}", unlike "{value}" in column {first}.',
  },
};

/** A parameter given in both languages ({ vi, en }) is filled in the message's language. */
function inLang(params: Record<string, unknown>, lang: Lang): Record<string, unknown> {
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(params)) {
    if (v !== null && typeof v === 'object' && typeof (v as Bilingual).vi === 'string' && typeof (v as Bilingual).en === 'string') {
      out ??= { ...params };
      out[k] = (v as Bilingual)[lang];
    }
  }
  return out ?? params;
}

export function ingestMessage(code: string, lang: Lang, params: Record<string, unknown> = {}): string {
  const text = INGEST_MESSAGES[code];
  return text ? fill(text[lang], inLang(params, lang)) : code;
}

export function ingestText(code: string, params: Record<string, unknown> = {}): Bilingual {
  return { vi: ingestMessage(code, 'vi', params), en: ingestMessage(code, 'en', params) };
}

/** The file cannot be ingested at all: wrong container, damaged, hostile, or not this form. Exit code 2. */
export class IngestError extends InputError {
  constructor(code: string, params: Record<string, unknown> = {}) {
    super(code, ingestText(code, params), params);
  }
}

/** "1,5 MB" style sizes for messages. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}
