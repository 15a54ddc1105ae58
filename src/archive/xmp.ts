// The `vnform:` XMP properties that tie a PDF to its form and embedded record, with their PDF/A extension schema.
import { SaxesParser } from 'saxes';

export const VNFORM_NAMESPACE = 'urn:bieumau:vnform:1p0#';
export const VNFORM_PREFIX = 'vnform';

/** What the XMP says about the embedded record. */
export interface VnformProperties {
  /** Form id in the registry ("self-review"). */
  FormId: string;
  /** Official form code ("Mẫu 02-HD KĐ.ĐG"), when the form has one. */
  FormCode?: string;
  /** Version of the form's schema (`x-form.version`). */
  SchemaVersion: string;
  /** SHA-256 (hex) of the canonical schema, to recognise the exact definition. */
  SchemaSHA256: string;
  /** Name of the embedded file ("data.json"). */
  DataFileName: string;
  /** SHA-256 (hex) of the embedded file's bytes. */
  DataSHA256: string;
  /** Toolkit that wrote the file ("bieumau 0.1.0"). */
  Generator: string;
  /** Rule set the record was validated and rendered under ("hp212-2025"), so extract re-validates under it. */
  RuleSetId?: string;
  /** Version of that rule set. */
  RuleSetVersion?: string;
}

const PROPERTY_DESCRIPTIONS: Record<keyof VnformProperties, string> = {
  FormId: 'identifier of the bieumau form the document was rendered from',
  FormCode: 'official code of the form',
  SchemaVersion: 'version of the form schema the embedded record was validated against',
  SchemaSHA256: 'SHA-256 of the canonical JSON of the form schema',
  DataFileName: 'name of the embedded source record (associated file)',
  DataSHA256: 'SHA-256 of the bytes of the embedded source record',
  Generator: 'software and version that embedded the record',
  RuleSetId: 'identifier of the classification rule set the embedded record was validated under',
  RuleSetVersion: 'version of that classification rule set',
};

const PROPERTY_ORDER = Object.keys(PROPERTY_DESCRIPTIONS) as Array<keyof VnformProperties>;

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The `rdf:Description` carrying the values. */
export function vnformDescription(props: VnformProperties): string {
  const items = PROPERTY_ORDER.filter((k) => props[k] !== undefined).map((k) => `<${VNFORM_PREFIX}:${k}>${escapeXml(String(props[k]))}</${VNFORM_PREFIX}:${k}>`);
  return `<rdf:Description rdf:about="" xmlns:${VNFORM_PREFIX}="${VNFORM_NAMESPACE}">${items.join('')}</rdf:Description>`;
}

/**
 * The PDF/A extension schema declaring every `vnform:` property (ISO 19005-3 §6.6.2.3): without it a
 * validator rejects the custom properties, the same way Factur-X declares its `fx:` ones.
 */
export function vnformExtensionSchema(): string {
  const props = PROPERTY_ORDER.map(
    (k) =>
      '<rdf:li rdf:parseType="Resource">' +
      `<pdfaProperty:name>${k}</pdfaProperty:name>` +
      '<pdfaProperty:valueType>Text</pdfaProperty:valueType>' +
      '<pdfaProperty:category>external</pdfaProperty:category>' +
      `<pdfaProperty:description>${escapeXml(PROPERTY_DESCRIPTIONS[k])}</pdfaProperty:description>` +
      '</rdf:li>',
  ).join('');
  return (
    '<rdf:Description rdf:about="" ' +
    'xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" ' +
    'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" ' +
    'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">' +
    '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">' +
    '<pdfaSchema:schema>bieumau form data</pdfaSchema:schema>' +
    `<pdfaSchema:namespaceURI>${VNFORM_NAMESPACE}</pdfaSchema:namespaceURI>` +
    `<pdfaSchema:prefix>${VNFORM_PREFIX}</pdfaSchema:prefix>` +
    `<pdfaSchema:property><rdf:Seq>${props}</rdf:Seq></pdfaSchema:property>` +
    '</rdf:li></rdf:Bag></pdfaExtension:schemas>' +
    '</rdf:Description>'
  );
}

/**
 * Reads the `vnform:` properties from an XMP packet, in element or attribute form (other tools may
 * rewrite the packet either way). Returns undefined when the packet has none or is not well-formed.
 */
export function readVnformProperties(xml: string): Partial<VnformProperties> | undefined {
  const found: Record<string, string> = {};
  const parser = new SaxesParser({ xmlns: true });
  let current: string | undefined;
  let text = '';
  let failed = false;
  parser.on('error', () => {
    failed = true;
  });
  parser.on('opentag', (tag) => {
    for (const attr of Object.values(tag.attributes)) {
      if (attr.uri === VNFORM_NAMESPACE) found[attr.local] = attr.value;
    }
    if (tag.uri === VNFORM_NAMESPACE) {
      current = tag.local;
      text = '';
    }
  });
  parser.on('text', (t) => {
    if (current) text += t;
  });
  parser.on('closetag', (tag) => {
    if (current && tag.uri === VNFORM_NAMESPACE && tag.local === current) {
      found[current] = text.trim();
      current = undefined;
    }
  });
  try {
    // The xpacket processing instructions and BOM are legal XML; strip a leading BOM for saxes.
    parser.write(xml.replace(/^\uFEFF/, '')).close();
  } catch {
    failed = true;
  }
  if (failed || Object.keys(found).length === 0) return undefined;
  return found as Partial<VnformProperties>;
}
