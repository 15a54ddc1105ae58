// The message catalogue: one Vietnamese and one English text per issue code, with {placeholders}.
import { fill, type Bilingual, type Lang } from '../i18n.js';

export const MESSAGES: Record<string, Bilingual> = {
  required: { vi: 'Thiếu thông tin bắt buộc.', en: 'Required value is missing.' },
  empty: { vi: 'Không được để trống.', en: 'Must not be empty.' },
  type: { vi: 'Phải là {expected}.', en: 'Must be {expected}.' },
  enum: { vi: 'Giá trị "{value}" không có trong danh sách cho phép: {allowed}.', en: 'Value "{value}" is not one of the allowed values: {allowed}.' },
  const: { vi: 'Phải là "{allowed}".', en: 'Must be "{allowed}".' },
  'range-min': { vi: 'Phải lớn hơn hoặc bằng {limit}.', en: 'Must be at least {limit}.' },
  'range-max': { vi: 'Phải nhỏ hơn hoặc bằng {limit}.', en: 'Must be at most {limit}.' },
  'range-xmin': { vi: 'Phải lớn hơn {limit}.', en: 'Must be greater than {limit}.' },
  'range-xmax': { vi: 'Phải nhỏ hơn {limit}.', en: 'Must be less than {limit}.' },
  'length-max': { vi: 'Dài quá {limit} ký tự.', en: 'Longer than {limit} characters.' },
  'length-min': { vi: 'Cần ít nhất {limit} ký tự.', en: 'Needs at least {limit} characters.' },
  pattern: { vi: 'Không đúng định dạng: {hint}.', en: 'Wrong format: {hint}.' },
  'pattern-plain': { vi: 'Không đúng định dạng quy định.', en: 'Does not have the required format.' },
  'format-date': { vi: 'Không phải ngày hợp lệ (ghi theo dạng năm-tháng-ngày, ví dụ 2026-01-05).', en: 'Not a valid date (write it as year-month-day, e.g. 2026-01-05).' },
  'format-email': { vi: 'Không phải địa chỉ thư điện tử hợp lệ.', en: 'Not a valid e-mail address.' },
  format: { vi: 'Không đúng định dạng {format}.', en: 'Not a valid {format}.' },
  'items-min': { vi: 'Cần ít nhất {limit} mục.', en: 'Needs at least {limit} item(s).' },
  'items-max': { vi: 'Nhiều nhất {limit} mục (đang có {count}).', en: 'At most {limit} item(s) allowed ({count} given).' },
  'unknown-field': { vi: 'Trường "{name}" không có trong biểu mẫu.', en: 'Field "{name}" is not part of the form.' },
  'multiple-of-decimals': { vi: 'Chỉ được có tối đa {decimals} chữ số thập phân.', en: 'At most {decimals} decimal place(s) allowed.' },
  'multiple-of': { vi: 'Phải là bội số của {limit}.', en: 'Must be a multiple of {limit}.' },
  unique: { vi: 'Mục thứ {i} và mục thứ {j} trùng nhau.', en: 'Items {i} and {j} are identical.' },
  invalid: { vi: 'Giá trị không hợp lệ.', en: 'Invalid value.' },
  'forbidden-key': { vi: 'Tên trường "{name}" không được phép.', en: 'Field name "{name}" is not allowed.' },
  'too-deep': { vi: 'Dữ liệu lồng nhau quá sâu.', en: 'Data is nested too deeply.' },
  'duplicate-key': {
    vi: 'Hai trường {first} và {raw} cùng thành tên "{name}" khi bỏ ký tự ẩn và khoảng trắng thừa; chỉ giá trị của {first} được dùng.',
    en: 'The fields {first} and {raw} both become "{name}" once invisible characters and extra spaces are removed; only the value of {first} is used.',
  },
  'not-object': { vi: 'Mỗi bản ghi phải là một đối tượng JSON {…}.', en: 'Each record must be a JSON object {…}.' },
  // Checks declared in x-form.checks
  'sum-mismatch': { vi: 'Phải bằng {expected} (tổng của {terms}), đang ghi {value}.', en: 'Must equal {expected} (the sum of {terms}); {value} was given.' },
  'sum-item-missing': {
    vi: 'Chưa ghi, trong khi {others} khác có ghi: không kiểm tra được {target} (đang ghi {value}).',
    en: 'Left blank while the other {others} entries have it: {target} ({value}) cannot be checked.',
  },
  'over-max': { vi: '{value} vượt quá điểm tối đa {limit}.', en: '{value} exceeds the maximum of {limit}.' },
  'score-over-part-max': { vi: '{value} vượt quá điểm tối đa {limit} của nhóm theo {rules}.', en: '{value} exceeds the group maximum of {limit} under {rules}.' },
  'level-above-score': {
    vi: 'Mức "{level}" không phù hợp với tổng điểm {score}: theo {rules}, mức này cần {band}; điểm này chỉ cho phép tối đa "{allowed}".',
    en: 'Level "{level}" does not match the total of {score}: under {rules} it needs {band}; this score allows at most "{allowed}".',
  },
  'level-conditions-unmet': {
    vi: 'Mức "{level}" chưa đủ điều kiện theo {rules}: {failed}.',
    en: 'Level "{level}" does not meet the conditions of {rules}: {failed}.',
  },
  'level-trigger': {
    vi: 'Thuộc trường hợp "{trigger}" nên theo {rules} chỉ được xếp mức "{allowed}".',
    en: 'The case "{trigger}" applies, so under {rules} the level can only be "{allowed}".',
  },
  'level-condition-unknown': {
    vi: 'Chưa có số liệu để xét điều kiện của mức "{level}": {missing}.',
    en: 'No figures to check the conditions of level "{level}": {missing}.',
  },
  'level-below-allowed': {
    vi: 'Điểm và điều kiện cho phép mức "{allowed}", cao hơn mức tự đề xuất "{level}".',
    en: 'The score and conditions allow "{allowed}", higher than the proposed "{level}".',
  },
  'conditions-differ-from-tasks': {
    vi: 'Ghi {value}%, nhưng bảng kết quả thực hiện nhiệm vụ cho thấy {shown}%. Hãy kiểm tra lại.',
    en: '{value}% was given, but the task-results table shows {shown}%. Check it.',
  },
  'level-unmet-by-tasks': {
    vi: 'Ghi {value}%, nhưng bảng kết quả thực hiện nhiệm vụ chỉ cho thấy {shown}%: theo bảng, mức "{level}" chưa đủ điều kiện của {rules}.',
    en: '{value}% was given, but the task-results table shows only {shown}%: by the table, level "{level}" does not meet the conditions of {rules}.',
  },
  'date-outside-year': { vi: 'Ngày {value} nằm ngoài năm {year}.', en: 'Date {value} is outside the year {year}.' },
  'date-order': { vi: 'Ngày bắt đầu {from} sau ngày kết thúc {to}.', en: 'Start date {from} is after end date {to}.' },
};

const TYPE_NAMES: Record<string, Bilingual> = {
  string: { vi: 'văn bản', en: 'text' },
  number: { vi: 'một số', en: 'a number' },
  integer: { vi: 'một số nguyên', en: 'a whole number' },
  boolean: { vi: 'có/không (true/false)', en: 'yes/no (true/false)' },
  object: { vi: 'một nhóm thông tin {…}', en: 'a group of fields {…}' },
  array: { vi: 'một danh sách […]', en: 'a list […]' },
  null: { vi: 'rỗng (null)', en: 'empty (null)' },
};

export function typeName(type: string, lang: Lang): string {
  return TYPE_NAMES[type]?.[lang] ?? type;
}

export function message(key: string, lang: Lang, params: Record<string, unknown> = {}): string {
  const text = MESSAGES[key] ?? MESSAGES.invalid!;
  return fill(text[lang], params);
}
