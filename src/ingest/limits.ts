// Safety limits for returned files, checked before anything is inflated or parsed; every one can be overridden.

export interface IngestLimits {
  /** Largest file accepted, in bytes (compressed size for .xlsx). */
  maxFileBytes: number;
  /** Most entries in the ZIP central directory. */
  maxEntries: number;
  /** Largest declared uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Largest sum of declared uncompressed sizes. */
  maxTotalBytes: number;
  /** Highest uncompressed:compressed ratio of an entry (Apache POI refuses below 1:100 by default). */
  maxRatio: number;
  /** Entries smaller than this are not ratio-checked (tiny parts compress absurdly well and are harmless). */
  ratioGraceBytes: number;
  /** Most non-blank data rows read from the data sheet. */
  maxRows: number;
  /** Most worksheets in a workbook. */
  maxSheets: number;
  /** Rows scanned at the top of each sheet to find the header row when there is no metadata. */
  headerScanRows: number;
  /** Longest text kept for one cell (Excel's own limit is 32,767 characters). */
  maxCellChars: number;
}

export const DEFAULT_LIMITS: IngestLimits = {
  maxFileBytes: 100 * 1024 * 1024,
  maxEntries: 10_000,
  maxEntryBytes: 1024 * 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024 * 1024,
  maxRatio: 200,
  ratioGraceBytes: 1024 * 1024,
  maxRows: 100_000,
  maxSheets: 255,
  headerScanRows: 30,
  maxCellChars: 32_767,
};

/** Excel's own grid: rows and columns past these cannot come from a real spreadsheet program. */
export const EXCEL_MAX_ROWS = 1_048_576;
export const EXCEL_MAX_COLUMNS = 16_384;

export function resolveLimits(overrides: Partial<IngestLimits> = {}): IngestLimits {
  return { ...DEFAULT_LIMITS, ...overrides };
}
