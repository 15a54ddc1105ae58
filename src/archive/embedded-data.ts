// The validated source record inside the PDF: embedded as data.json (PDF/A-3 associated file) and read back.
import { createHash } from 'node:crypto';
import {
  AFRelationship,
  PDFArray,
  PDFDict,
  PDFDocument,
  ParseSpeeds,
  PDFHexString,
  PDFName,
  PDFRawStream,
  PDFString,
  decodePDFRawStream,
} from '@cantoo/pdf-lib';
import type { FormDefinition } from '../forms/types.js';
import type { RuleSet } from '../rules/types.js';
import { VERSION } from '../version.js';
import { readVnformProperties, type VnformProperties } from './xmp.js';

export const DATA_FILE_NAME = 'data.json';
export const DATA_MEDIA_TYPE = 'application/json';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The bytes we embed: the record as pretty-printed UTF-8 JSON, so an archivist can read it as is. */
export function serializeRecord(record: unknown): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(record, null, 2)}\n`);
}

/**
 * Attaches the record as data.json (/AFRelationship /Source, listed in the catalog /AF) and returns its XMP
 * facts, with the rule set it was validated under when known.
 */
export async function embedRecord(pdf: PDFDocument, record: unknown, form: FormDefinition, date: Date, rules?: Pick<RuleSet, 'id' | 'version'>): Promise<VnformProperties> {
  const bytes = serializeRecord(record);
  await pdf.attach(bytes, DATA_FILE_NAME, {
    mimeType: DATA_MEDIA_TYPE,
    description: `Bản ghi nguồn / source record: ${form.id} ${form.version}`,
    creationDate: date,
    modificationDate: date,
    afRelationship: AFRelationship.Source,
  });
  return {
    FormId: form.id,
    ...(form.meta.code ? { FormCode: form.meta.code } : {}),
    SchemaVersion: form.version,
    SchemaSHA256: form.schemaHash,
    DataFileName: DATA_FILE_NAME,
    DataSHA256: sha256(bytes),
    Generator: `bieumau ${VERSION}`,
    ...(rules ? { RuleSetId: rules.id, RuleSetVersion: rules.version } : {}),
  };
}

/** One embedded file as found in the document's EmbeddedFiles name tree. */
export interface EmbeddedFile {
  name: string;
  mediaType?: string;
  relationship?: string;
  /** Listed in the catalog /AF array. */
  associated: boolean;
  bytes: Uint8Array;
}

function textOf(obj: unknown): string | undefined {
  if (obj instanceof PDFString || obj instanceof PDFHexString) return obj.decodeText();
  return undefined;
}

/** Every embedded file, walking the /Names /EmbeddedFiles tree (leaves and kids). */
export function listEmbeddedFiles(pdf: PDFDocument): EmbeddedFile[] {
  const names = pdf.catalog.lookupMaybe(PDFName.of('Names'), PDFDict);
  const root = names?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict);
  const af = pdf.catalog.lookupMaybe(PDFName.of('AF'), PDFArray);
  const associated = new Set(af ? af.asArray().map((r) => r.toString()) : []);
  const out: EmbeddedFile[] = [];
  const visit = (node: PDFDict, depth: number): void => {
    if (depth > 32) return;
    const leaves = node.lookupMaybe(PDFName.of('Names'), PDFArray);
    if (leaves) {
      for (let i = 0; i + 1 < leaves.size(); i += 2) {
        const specRef = leaves.get(i + 1);
        const spec = leaves.lookupMaybe(i + 1, PDFDict);
        if (!spec) continue;
        const name = textOf(spec.lookup(PDFName.of('UF'))) ?? textOf(spec.lookup(PDFName.of('F'))) ?? textOf(leaves.lookup(i)) ?? '';
        const ef = spec.lookupMaybe(PDFName.of('EF'), PDFDict);
        const stream = ef?.lookup(PDFName.of('F'));
        if (!(stream instanceof PDFRawStream)) continue;
        const subtype = stream.dict.lookupMaybe(PDFName.of('Subtype'), PDFName);
        const rel = spec.lookupMaybe(PDFName.of('AFRelationship'), PDFName);
        out.push({
          name,
          mediaType: subtype?.decodeText(),
          relationship: rel?.decodeText(),
          associated: associated.has(specRef.toString()),
          bytes: decodePDFRawStream(stream).decode(),
        });
      }
    }
    const kids = node.lookupMaybe(PDFName.of('Kids'), PDFArray);
    if (kids) for (let i = 0; i < kids.size(); i++) {
      const kid = kids.lookupMaybe(i, PDFDict);
      if (kid) visit(kid, depth + 1);
    }
  };
  if (root) visit(root, 0);
  return out;
}

/** The catalog's XMP packet as text, if any. */
export function readXmp(pdf: PDFDocument): string | undefined {
  const meta = pdf.catalog.lookup(PDFName.of('Metadata'));
  if (!(meta instanceof PDFRawStream)) return undefined;
  try {
    return new TextDecoder('utf-8').decode(decodePDFRawStream(meta).decode());
  } catch {
    return undefined;
  }
}

/** What a PDF holds of bieumau data: the XMP facts, the embedded bytes, and whether they agree. */
export interface EmbeddedRecord {
  properties: Partial<VnformProperties>;
  file?: EmbeddedFile;
  /** SHA-256 of the embedded bytes. */
  sha256?: string;
  /** The embedded bytes hash to the value the XMP declares. */
  hashMatches: boolean;
}

/** Finds the bieumau record in a loaded PDF; undefined when the PDF carries no bieumau data at all. */
export function findEmbeddedRecord(pdf: PDFDocument): EmbeddedRecord | undefined {
  const xmp = readXmp(pdf);
  const properties = xmp ? readVnformProperties(xmp) : undefined;
  if (!properties) return undefined;
  const name = properties.DataFileName ?? DATA_FILE_NAME;
  const file = listEmbeddedFiles(pdf).find((f) => f.name === name);
  const hash = file ? sha256(file.bytes) : undefined;
  return { properties, file, sha256: hash, hashMatches: hash !== undefined && hash === properties.DataSHA256?.toLowerCase() };
}

/** Loads PDF bytes for reading only (no metadata rewriting). */
export async function loadForReading(bytes: Uint8Array): Promise<PDFDocument> {
  return PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: true, parseSpeed: ParseSpeeds.Fastest });
}
