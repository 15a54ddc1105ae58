// Turns a JSON pointer into the chain of field labels the schema gives it ("Nhiệm vụ 2 › Mục tiêu chung").
import type { Lang } from '../i18n.js';
import type { JsonSchema } from '../forms/types.js';

/** A schema node together with the base URI its relative references resolve against. */
interface Located {
  node: JsonSchema;
  base: string;
}

export interface FieldInfo {
  /** Labels from the root to the field. */
  labels: string[];
  /** Every schema node that applies at the pointer (the node, its $ref targets, allOf and then branches). */
  nodes: JsonSchema[];
}

const decoded = new Map<string, string[]>();

/** Splits a JSON pointer into tokens; results are cached, the same few pointers recur for every record. */
export function decodePointer(pointer: string): string[] {
  let tokens = decoded.get(pointer);
  if (tokens === undefined) {
    tokens =
      pointer === '' || pointer === '/'
        ? []
        : pointer
            .slice(1)
            .split('/')
            .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (decoded.size < 10_000) decoded.set(pointer, tokens);
  }
  return tokens;
}

function isObject(v: unknown): v is JsonSchema {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Resolves `$ref` against a document store; returns undefined for refs we cannot follow. */
function follow(ref: string, base: string, store: Map<string, JsonSchema>): Located | undefined {
  let url: URL;
  try {
    url = new URL(ref, base);
  } catch {
    return undefined;
  }
  const fragment = decodeURIComponent(url.hash.replace(/^#/, ''));
  url.hash = '';
  const docId = url.toString();
  let node: unknown = store.get(docId);
  for (const token of decodePointer(fragment)) {
    if (!isObject(node)) return undefined;
    node = node[token];
  }
  return isObject(node) ? { node, base: docId } : undefined;
}

/** Every node that applies here: the node, its $ref chain, allOf members and if/then branches (depth-bounded). */
function expand(start: Located, store: Map<string, JsonSchema>): Located[] {
  const out: Located[] = [];
  const queue: Array<{ at: Located; depth: number }> = [{ at: start, depth: 0 }];
  while (queue.length > 0) {
    const { at, depth } = queue.shift()!;
    if (depth > 12) continue;
    out.push(at);
    const { node, base } = at;
    const nodeBase = typeof node.$id === 'string' ? new URL(node.$id, base).toString() : base;
    if (typeof node.$ref === 'string') {
      const target = follow(node.$ref, nodeBase, store);
      if (target) queue.push({ at: target, depth: depth + 1 });
    }
    for (const key of ['allOf'] as const) {
      const list = node[key];
      if (Array.isArray(list)) for (const sub of list) if (isObject(sub)) queue.push({ at: { node: sub, base: nodeBase }, depth: depth + 1 });
    }
    for (const key of ['then', 'else'] as const) {
      const sub = node[key];
      if (isObject(sub)) queue.push({ at: { node: sub, base: nodeBase }, depth: depth + 1 });
    }
  }
  return out;
}

function titleOf(nodes: Located[], lang: Lang): string | undefined {
  if (lang === 'en') {
    const en = nodes.find((n) => typeof n.node['x-title-en'] === 'string');
    if (en) return en.node['x-title-en'] as string;
  }
  const vi = nodes.find((n) => typeof n.node.title === 'string');
  return vi?.node.title as string | undefined;
}

function childOf(nodes: Located[], token: string, store: Map<string, JsonSchema>): Located[] {
  const found: Located[] = [];
  const isIndex = /^(0|[1-9][0-9]*)$/.test(token);
  for (const { node, base } of nodes) {
    const nodeBase = typeof node.$id === 'string' ? new URL(node.$id, base).toString() : base;
    if (isIndex && isObject(node.items)) found.push({ node: node.items, base: nodeBase });
    if (isIndex && Array.isArray(node.prefixItems) && isObject(node.prefixItems[Number(token)])) {
      found.push({ node: node.prefixItems[Number(token)] as JsonSchema, base: nodeBase });
    }
    if (isObject(node.properties) && isObject(node.properties[token])) {
      found.push({ node: node.properties[token] as JsonSchema, base: nodeBase });
    }
  }
  return found.flatMap((f) => expand(f, store));
}

/**
 * Labels every step of `pointer` through the schema. An array index becomes the item label plus a
 * 1-based number ("Nhiệm vụ 2") in place of the array's own label; steps the schema does not describe
 * keep their raw token, so a label path is never empty where the pointer is not.
 */
export function describePointer(
  rootSchema: JsonSchema,
  rootBase: string,
  pointer: string,
  store: Map<string, JsonSchema>,
  lang: Lang,
): FieldInfo {
  const labels: string[] = [];
  let nodes = expand({ node: rootSchema, base: rootBase }, store);
  for (const token of decodePointer(pointer)) {
    const isIndex = /^(0|[1-9][0-9]*)$/.test(token);
    nodes = childOf(nodes, token, store);
    if (isIndex) {
      const explicit = nodes.map((n) => n.node['x-itemLabel']).find((v) => typeof v === 'string') as string | undefined;
      const arrayLabel = labels.pop();
      const itemLabel = explicit ?? titleOf(nodes, lang) ?? arrayLabel ?? '';
      labels.push(`${itemLabel} ${Number(token) + 1}`.trim());
    } else {
      labels.push(titleOf(nodes, lang) ?? token);
    }
  }
  return { labels, nodes: nodes.map((n) => n.node) };
}
