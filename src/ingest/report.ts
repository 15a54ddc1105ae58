// The error report's columns, shared by errors.csv and the errors sheet of the annotated copy.
import type { Lang } from '../i18n.js';
import type { IngestIssue } from './types.js';

export const REPORT_HEADERS: Record<Lang, string[]> = {
  vi: ['Trang', 'Ô', 'Dòng', 'Tiêu đề cột', 'Trường', 'Mã', 'Nội dung', 'Giá trị', 'Mức độ'],
  en: ['Sheet', 'Cell', 'Row', 'Column header', 'Field', 'Code', 'Message', 'Value', 'Severity'],
};

export const SEVERITY_NAMES: Record<Lang, Record<'error' | 'warning', string>> = {
  vi: { error: 'Lỗi', warning: 'Cảnh báo' },
  en: { error: 'Error', warning: 'Warning' },
};

/** One report line: sheet, cell, row, column header, field label, code, message, raw value, severity. */
export function reportRow(issue: IngestIssue, lang: Lang): string[] {
  const row = issue.row ?? issue.cell?.row;
  return [
    issue.cell?.sheet ?? '',
    issue.cell?.address ?? '',
    row !== undefined ? String(row) : '',
    issue.cell?.header ?? '',
    issue.label,
    issue.code,
    issue.message,
    issue.raw === undefined ? '' : String(issue.raw),
    SEVERITY_NAMES[lang][issue.severity],
  ];
}

/** A CSV field: quoted when needed; text a spreadsheet would run as a formula (= + - @) is defused with a quote mark. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+([.,]\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n;]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvLine(fields: string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}
