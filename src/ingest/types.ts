// The ingest result contract: issues with cells, rows accepted or rejected, and the summary every caller reports.
import type { ValidationIssue } from '../validate/issue.js';

/** A validation issue from a returned file: always says where (sheet, cell, row) when the problem has a place. */
export interface IngestIssue extends ValidationIssue {
  /** The cell's content as the user sees it (cut to 200 characters). */
  raw?: string | number | boolean;
  /** 1-based row in the file; also set for row-level problems that have no single cell. */
  row?: number;
}

/** One non-empty cell of a row, as read, for the rejected-rows report. */
export interface RawCell {
  address: string;
  header: string;
  value: string | number | boolean | null;
}

export interface RowResult {
  /** Sheet the row was read from. */
  sheet: string;
  /** 1-based row number in the file. */
  row: number;
  /** 0-based position among the data rows. */
  index: number;
  ok: boolean;
  record: Record<string, unknown>;
  issues: IngestIssue[];
  /** Filled for rows with issues (the others can be rebuilt from the record). */
  cells?: RawCell[];
  /** Normalised person key, for duplicate detection. */
  key?: string;
  /** Human-readable key for messages. */
  keyText?: string;
}

export interface IngestSummary {
  form: string;
  rules: string;
  file: string;
  /** Kind of file read: "xlsx" or "csv". */
  kind: 'xlsx' | 'csv';
  sheet: string;
  headerRow: number;
  /** Whether the column map came from the workbook's metadata. */
  usedMetadata: boolean;
  /** Non-blank data rows. */
  rows: number;
  accepted: number;
  rejected: number;
  errors: number;
  warnings: number;
}

export interface RejectedRow {
  sheet: string;
  row: number;
  cells: RawCell[];
  issues: IngestIssue[];
}
