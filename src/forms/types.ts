// The form definition contract: what the registry hands to the validator, the templates and the workbook code.

/** A rule the schema cannot express, checked after the schema; declared as data in `x-form.checks`. */
export type FormCheck =
  | { kind: 'sum'; target: string; terms: string[]; tolerance?: number }
  /** `target` equals the sum of `field` over `items`; with the field blank on some items but not all, each blank one is an error. */
  | { kind: 'sum-items'; target: string; items: string; field: string; tolerance?: number }
  | { kind: 'item-max'; items: string; value: string; max: string }
  | { kind: 'score-parts'; parts: Record<string, string> }
  | {
      kind: 'level';
      level: string;
      /** Where the scores are; with several, the first present (the verified scores, else the self-given). */
      scores: string | string[];
      conditions?: string;
      category?: string;
      /** The task-results table: shares it shows fill conditions left blank and are checked against declared ones. */
      tasks?: string;
      /** 'warning' for a level someone else sets (the verifier's, the competent level's): flagged, not refused. */
      severity?: 'error' | 'warning';
    }
  | { kind: 'dates-in-year'; dates: string; year: string }
  | { kind: 'date-order'; from: string; to: string };

/** The `x-form` block at the top of a form schema. */
export interface FormMeta {
  id: string;
  version: string;
  /** Official form code, e.g. "Mẫu 05-HD KĐ.ĐG". */
  code?: string;
  /** Default layout profile. */
  profile: 'state' | 'party';
  /** Template name under templates/ (defaults to the id). */
  template?: string;
  /** One record per person fits one spreadsheet row: a data-collection workbook can be generated. */
  tabular?: boolean;
  /** JSON pointers whose values together identify a person, for duplicate detection. */
  personKey?: string[];
  checks?: FormCheck[];
  /** Rule set used when none is chosen. */
  defaultRules?: string;
}

export type JsonSchema = Record<string, unknown>;

/** A loaded form: its schema, metadata and where it came from. */
export interface FormDefinition {
  id: string;
  version: string;
  title: string;
  titleEn: string;
  description?: string;
  meta: FormMeta;
  schema: JsonSchema;
  /** `$id` of the schema, used to compile and resolve references. */
  schemaId: string;
  /** SHA-256 (hex) of the canonical JSON of the schema, to recognise the exact version in workbooks and PDFs. */
  schemaHash: string;
  /** Folder the schema was found in. */
  dir: string;
  /** Path of the Handlebars template, when one exists. */
  templatePath?: string;
}
