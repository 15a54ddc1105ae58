// What a writer needs for one paragraph or run: the named style merged with the block's own overrides.
import type { Align, DocumentModel, LineSpacing, Paragraph, ResolvedStyle, Run } from './types.js';

export interface EffectiveParagraph {
  style: ResolvedStyle;
  align: Align;
  firstLineIndent: number;
  indentLeft: number;
  indentRight: number;
  spaceBefore: number;
  spaceAfter: number;
  lineSpacing: LineSpacing;
  keepWithNext: boolean;
  keepTogether: boolean;
}

/** How a run looks once its style and overrides are merged: what every writer sets on a piece of text. */
export interface RunFormat {
  font: string;
  size: number;
  bold: boolean;
  italic: boolean;
  underline: boolean;
  color: string;
}

export interface EffectiveRun extends RunFormat {
  text: string;
  field?: 'page' | 'pages';
}

export function styleOf(doc: DocumentModel, name: string): ResolvedStyle {
  const style = doc.styles[name];
  if (!style) throw new Error(`document uses undefined style "${name}"`);
  return style;
}

export function effectiveParagraph(doc: DocumentModel, p: Paragraph): EffectiveParagraph {
  const s = styleOf(doc, p.style);
  return {
    style: s,
    align: p.align ?? s.align,
    firstLineIndent: p.indent?.firstLine ?? s.firstLineIndent,
    indentLeft: p.indent?.left ?? s.indentLeft,
    indentRight: p.indent?.right ?? s.indentRight,
    spaceBefore: p.spacing?.before ?? s.spaceBefore,
    spaceAfter: p.spacing?.after ?? s.spaceAfter,
    lineSpacing: p.spacing?.line ?? s.lineSpacing,
    keepWithNext: p.keepWithNext ?? s.keepWithNext,
    keepTogether: p.keepTogether ?? s.keepTogether,
  };
}

export function effectiveRun(style: ResolvedStyle, run: Run): EffectiveRun {
  return {
    text: run.text,
    font: style.font,
    size: run.size ?? style.size,
    bold: run.bold ?? style.bold,
    italic: run.italic ?? style.italic,
    underline: run.underline ?? style.underline,
    color: style.color,
    field: run.field,
  };
}
