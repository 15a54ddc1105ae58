// Public API of the ingest side: returned workbooks and CSV files in, validated records and reports out.
export { ingestWorkbook, readReturnedFile, type IngestInput, type IngestOptions, type IngestResult, type IngestSession, type PersonKeyIndex } from './ingest.js';
export { ingestToDirectory, OUTPUT_FILES, type IngestToDirectoryResult } from './output.js';
export { annotate } from './annotate.js';
export { DEFAULT_LIMITS, type IngestLimits } from './limits.js';
export { IngestError, INGEST_MESSAGES } from './messages.js';
export type { IngestIssue, IngestSummary, RawCell, RejectedRow, RowResult } from './types.js';
