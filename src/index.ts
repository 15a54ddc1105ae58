// The public API: a small typed surface over the pipeline stages; the CLI is one client of it.
import { loadRegistry, type FormRegistry } from './forms/registry.js';
import type { Lang } from './i18n.js';
import { loadRules, type RuleRegistry } from './rules/registry.js';
import { FormValidator, type ValidationResult } from './validate/validator.js';

export type { Lang, Bilingual } from './i18n.js';
export { BieumauError, UsageError, InputError, DefinitionError, isBieumauError } from './errors.js';
export type { FormDefinition, FormMeta, FormCheck, JsonSchema } from './forms/types.js';
export { loadRegistry, type FormRegistry } from './forms/registry.js';
export { loadRules, loadRuleSetFile, DEFAULT_RULES, type RuleRegistry } from './rules/registry.js';
export type { RuleSet, LevelRule, QuotaRule, RuleCondition, TriggerRule } from './rules/types.js';
export { classify, type ClassifyResult } from './rules/classify.js';
export { formatNumber, formatPercent, quotaCeiling, type NumberDisplay, type RoundingMode } from './rules/format.js';
export { FormValidator, type ValidationResult, type ValidateOptions } from './validate/validator.js';
export type { ValidationIssue, CellRef, Severity } from './validate/issue.js';
export { normalizeText, slugify } from './normalize/text.js';
export { readRecords, type RecordEntry } from './io/records.js';
export type * from './model/types.js';
export type { DocumentWriter, OutputFormat, WriteContext, PdfFinisher, PdfLayoutInfo, PdfSignatureArea } from './render/writers.js';
export { createWriter, OUTPUT_FORMATS } from './render/writers.js';
export { DocumentBuilder, buildDocument, type BuilderOptions, type BuildOptions, type LayoutSource } from './render/document.js';
export { readLayoutOverride } from './model/profile.js';
export { createDocxWriter } from './render/docx/writer.js';
export { createPdfWriter, type PdfWriterOptions } from './render/pdf/index.js';
export { createXlsxWriter, type XlsxOptions } from './render/xlsx/index.js';
// Data-collection workbooks out, returned spreadsheets in.
export { createWorkbook, type CreateWorkbookOptions, type CreatedWorkbook } from './workbook/index.js';
export { ingestWorkbook, ingestToDirectory, readReturnedFile, DEFAULT_LIMITS, type IngestInput, type IngestOptions, type IngestResult, type IngestLimits, type IngestIssue, type IngestSummary, type RejectedRow } from './ingest/index.js';
// Level counts and the quota check.
export { summarize, summaryRecord, fileSource, arraySource, type RecordSource } from './summary/index.js';
export type * from './summary/types.js';
// Archive PDFs: PDF/A-3b with the record inside, signatures, verification, bags.
export {
  archiveFinisher,
  createArchiveFinisher,
  createSignatureFieldsFinisher,
  extractRecord,
  signPdf,
  prepareSignature,
  completeSignature,
  checkPreparedCms,
  SignatureDataError,
  loadPkcs12,
  verifyPdf,
  readPemCertificates,
  createBag,
  verifyBag,
  type ArchiveOptions,
  type ExtractedRecord,
  type SignOptions,
  type PreparedSignature,
  type SigningCredentials,
  type VerifyReport,
  type SignatureReport,
  type VerifyOptions,
  type BagOptions,
  type BagResult,
  type BagCheck,
} from './archive/index.js';
export { VERSION } from './version.js';

export interface Toolkit {
  forms: FormRegistry;
  rules: RuleRegistry;
  validator: FormValidator;
}

/** Loads the shipped forms and rule sets plus those in `formDirs`, and a validator bound to them. */
export function createToolkit(formDirs: string[] = []): Toolkit {
  const forms = loadRegistry(formDirs);
  const rules = loadRules(forms.ruleDirs);
  return { forms, rules, validator: new FormValidator(forms, rules) };
}

let shared: Toolkit | undefined;

/** Validates one record against a shipped form (normalised copy, schema, then the form's rules). */
export function validate(formId: string, record: unknown, options: { lang?: Lang; rules?: string } = {}): ValidationResult {
  shared ??= createToolkit();
  return shared.validator.validate(formId, record, options);
}
