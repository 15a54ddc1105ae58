// The classification summary: counts per level per unit and comparable group, shares, and the quota check.
export { summarize, fileSource, arraySource, levelBasis, type RecordSource } from './summarize.js';
export { summaryRecord, type DocumentParts, type FormRecordOptions } from './form-record.js';
export { loadGrants, grantFor } from './exceptions.js';
export { quotaStatement, roundingText } from './quota.js';
export * from './types.js';
