// The validation error contract shared by validate, render, ingest and summarize.

export type Severity = 'error' | 'warning';

/** Where a value came from in a spreadsheet, for ingest reports. */
export interface CellRef {
  sheet: string;
  /** A1-style address, e.g. "D7". */
  address: string;
  /** 1-based row number in the file. */
  row: number;
  /** Column letter(s), e.g. "D". */
  column: string;
  /** Header text of the column as the user wrote it. */
  header?: string;
}

/** One problem found in one record. Messages are already in the requested language. */
export interface ValidationIssue {
  /** Stable code: `required`, `type`, `enum`, `range`, … or a rule code such as `level-above-score`. */
  code: string;
  severity: Severity;
  form: string;
  /** JSON pointer into the record, e.g. "/tasks/1/generalGoal". */
  pointer: string;
  /** Field labels from the root, e.g. ["Nhiệm vụ 2", "Mục tiêu chung"]. */
  labelPath: string[];
  /** `labelPath` joined with " › ". */
  label: string;
  message: string;
  /** The offending value, when there is one. */
  value?: unknown;
  params?: Record<string, unknown>;
  /** 0-based position of the record in a batch. */
  record?: number;
  /** 1-based line of the record in an NDJSON file. */
  line?: number;
  cell?: CellRef;
}

export const LABEL_SEPARATOR = ' › ';
