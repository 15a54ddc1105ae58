// Deep, bounded clean-up of a parsed JSON value: strings normalised, dangerous keys refused, depth limited.
import { isCleanText, normalizeUncleanText } from './text.js';

/** Keys that would reach an object's prototype if copied naively. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Keys already found clean and allowed. The same few dozen keys recur in every record (a third of a record's
 * characters): looked up, not scanned again. Bounded so that hostile keys cannot grow it; emptied when full, so that
 * a long-running process that once met thousands of odd keys relearns the usual ones instead of scanning them forever.
 */
const CLEAN_KEYS = new Set<string>();
const CLEAN_KEYS_MAX = 4096;
const CLEAN_KEY_LENGTH_MAX = 64;

export interface NormalizeProblem {
  pointer: string;
  code: 'forbidden-key' | 'too-deep' | 'duplicate-key';
  key?: string;
  /** For a duplicate key: the two keys as written, quoted with what cannot be seen escaped ("fullName\u200b"). */
  raw?: string;
  first?: string;
}

export interface NormalizeResult {
  value: unknown;
  problems: NormalizeProblem[];
  /** Some string or key holds a character outside the Basic Multilingual Plane (its length in UTF-16 units is not its length in characters). */
  outsideBmp: boolean;
}

const SURROGATE = /[\uD800-\uDFFF]/;

export interface NormalizeOptions {
  /** Deepest nesting kept; deeper values are cut and reported. The form schemas nest at most ~6 levels. */
  maxDepth?: number;
}

/** A key quoted for a message, with invisible characters and odd spaces written as \uXXXX so that a reader sees them. */
function visibleKey(key: string): string {
  return JSON.stringify(key).replace(/[\u007f-\u00a0\u00ad\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Whether the walk below would return `value` as it is with nothing to report: every key one already found clean,
 * every string clean (so none holds a surrogate), nothing nested `maxDepth` deep. `for…in` also visits inherited
 * enumerable keys, a superset of the walk's own keys: a doubt sends the value to the walk.
 */
function isCleanValue(value: unknown, depth: number, maxDepth: number): boolean {
  if (depth >= maxDepth) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string') {
        if (!isCleanText(item)) return false;
      } else if (item !== null && typeof item === 'object' && !isCleanValue(item, depth + 1, maxDepth)) return false;
    }
    return true;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!CLEAN_KEYS.has(key)) return false;
    const item = record[key];
    if (typeof item === 'string') {
      if (!isCleanText(item)) return false;
    } else if (item !== null && typeof item === 'object' && !isCleanValue(item, depth + 1, maxDepth)) return false;
  }
  return true;
}

/**
 * Returns the value normalised: every string through `normalizeText`, forbidden keys dropped and reported,
 * values nested deeper than `maxDepth` replaced by `null` and reported. Never mutates the input and never
 * recurses on the JS stack deeper than `maxDepth`. Objects and arrays that need no change are returned as they
 * are (copy on write): a record that is already clean costs one read of it, not a copy.
 */
export function normalizeValue(input: unknown, options: NormalizeOptions = {}): NormalizeResult {
  const maxDepth = options.maxDepth ?? 32;
  // Nearly every record needs nothing: one read of it that allocates nothing says so, before the walk that would.
  if (input !== null && typeof input === 'object' && isCleanValue(input, 0, maxDepth)) return { value: input, problems: [], outsideBmp: false };
  const problems: NormalizeProblem[] = [];
  // The path is kept as tokens and turned into a pointer only when a problem is reported.
  const tokens: string[] = [];
  let outsideBmp = false;
  const text = (s: string): string => {
    if (isCleanText(s)) return s;
    if (!outsideBmp && SURROGATE.test(s)) outsideBmp = true;
    return normalizeUncleanText(s);
  };
  const pointerHere = (extra?: string) => [...tokens, ...(extra === undefined ? [] : [extra])].map((t) => `/${escapePointerToken(t)}`).join('');

  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return text(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth >= maxDepth) {
      problems.push({ pointer: pointerHere(), code: 'too-deep' });
      return null;
    }
    if (Array.isArray(value)) {
      let out: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        let next: unknown = item;
        if (item !== null && typeof item === 'object') {
          tokens.push(String(i));
          next = walk(item, depth + 1);
          tokens.pop();
        } else if (typeof item === 'string') {
          next = text(item);
        }
        if (next !== item && out === undefined) out = value.slice(0, i);
        if (out !== undefined) out.push(next);
      }
      return out ?? value;
    }
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    let out: Record<string, unknown> | undefined;
    // The key as written of each cleaned key that differs from it, to name both keys of a collision.
    let written: Map<string, string> | undefined;
    for (let k = 0; k < keys.length; k++) {
      const rawKey = keys[k]!;
      const known = CLEAN_KEYS.has(rawKey);
      const key = known ? rawKey : text(rawKey);
      const item = record[rawKey];
      let next: unknown = item;
      const forbidden = !known && FORBIDDEN_KEYS.has(key);
      if (!known && !forbidden && key === rawKey && rawKey.length <= CLEAN_KEY_LENGTH_MAX) {
        if (CLEAN_KEYS.size >= CLEAN_KEYS_MAX) CLEAN_KEYS.clear();
        CLEAN_KEYS.add(rawKey);
      }
      if (forbidden) {
        problems.push({ pointer: pointerHere(key), code: 'forbidden-key', key });
      } else if (item !== null && typeof item === 'object') {
        tokens.push(key);
        next = walk(item, depth + 1);
        tokens.pop();
      } else if (typeof item === 'string') {
        next = text(item);
      }
      if (out === undefined && (forbidden || key !== rawKey || next !== item)) {
        out = {};
        for (let j = 0; j < k; j++) out[keys[j]!] = record[keys[j]!];
      }
      if (out !== undefined && !forbidden) {
        // Two keys that clean up to one name ("fullName" and "fullName\u200b"): the first value stays, the other is
        // reported, never silently written over it.
        if (Object.prototype.hasOwnProperty.call(out, key)) {
          problems.push({ pointer: pointerHere(key), code: 'duplicate-key', key, first: visibleKey(written?.get(key) ?? key), raw: visibleKey(rawKey) });
        } else {
          out[key] = next;
          if (key !== rawKey) (written ??= new Map()).set(key, rawKey);
        }
      }
    }
    return out ?? value;
  };

  const value = walk(input, 0);
  return { value, problems, outsideBmp };
}
