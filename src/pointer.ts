// JSON pointers over plain data, with `*` wildcards that match every array index.
import { decodePointer } from './validate/labels.js';
import { escapePointerToken } from './normalize/value.js';

export function getAt(root: unknown, pointer: string): unknown {
  let node: unknown = root;
  for (const token of decodePointer(pointer)) {
    if (node === null || typeof node !== 'object') return undefined;
    if (!Object.prototype.hasOwnProperty.call(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

export interface PointerMatch {
  pointer: string;
  value: unknown;
  /** The array indices the wildcards matched, in order. */
  indices: number[];
}

/** Every existing location matching a pattern such as "/tasks/*\/milestones/*\/date". */
export function matchPointer(root: unknown, pattern: string): PointerMatch[] {
  if (!pattern.includes('*')) {
    // No wildcard: one location at most (the common case of a form's checks).
    const value = getAt(root, pattern);
    return value === undefined ? [] : [{ pointer: pattern === '/' ? '' : pattern, value, indices: [] }];
  }
  let frontier: PointerMatch[] = [{ pointer: '', value: root, indices: [] }];
  for (const token of decodePointer(pattern)) {
    const next: PointerMatch[] = [];
    for (const m of frontier) {
      const v = m.value;
      if (token === '*') {
        if (!Array.isArray(v)) continue;
        v.forEach((item, i) => next.push({ pointer: `${m.pointer}/${i}`, value: item, indices: [...m.indices, i] }));
      } else if (v !== null && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, token)) {
        next.push({ pointer: `${m.pointer}/${escapePointerToken(token)}`, value: (v as Record<string, unknown>)[token], indices: m.indices });
      }
    }
    frontier = next;
  }
  return frontier.filter((m) => m.value !== undefined);
}

/** Replaces the wildcards of a pattern, left to right, with the given indices. */
export function bindPointer(pattern: string, indices: number[]): string {
  if (indices.length === 0) return pattern;
  let i = 0;
  return pattern.replace(/\/\*(?=\/|$)/g, () => (i < indices.length ? `/${indices[i++]}` : '/*'));
}
