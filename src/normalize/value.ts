// Deep, bounded clean-up of a parsed JSON value: strings normalised, dangerous keys refused, depth limited.
import { normalizeText } from './text.js';

/** Keys that would reach an object's prototype if copied naively. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface NormalizeProblem {
  pointer: string;
  code: 'forbidden-key' | 'too-deep';
  key?: string;
}

export interface NormalizeResult {
  value: unknown;
  problems: NormalizeProblem[];
}

export interface NormalizeOptions {
  /** Deepest nesting kept; deeper values are cut and reported. The form schemas nest at most ~6 levels. */
  maxDepth?: number;
}

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * Returns a normalised copy: every string through `normalizeText`, forbidden keys dropped and reported,
 * values nested deeper than `maxDepth` replaced by `null` and reported. Never mutates the input and never
 * recurses on the JS stack deeper than `maxDepth`.
 */
export function normalizeValue(input: unknown, options: NormalizeOptions = {}): NormalizeResult {
  const maxDepth = options.maxDepth ?? 32;
  const problems: NormalizeProblem[] = [];
  // The path is kept as tokens and turned into a pointer only when a problem is reported.
  const tokens: string[] = [];
  const pointerHere = (extra?: string) => [...tokens, ...(extra === undefined ? [] : [extra])].map((t) => `/${escapePointerToken(t)}`).join('');

  const walk = (value: unknown, depth: number): unknown => {
    if (typeof value === 'string') return normalizeText(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth >= maxDepth) {
      problems.push({ pointer: pointerHere(), code: 'too-deep' });
      return null;
    }
    if (Array.isArray(value)) {
      const out = new Array<unknown>(value.length);
      for (let i = 0; i < value.length; i++) {
        tokens.push(String(i));
        out[i] = walk(value[i], depth + 1);
        tokens.pop();
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const rawKey of Object.keys(value)) {
      const key = normalizeText(rawKey);
      if (FORBIDDEN_KEYS.has(key)) {
        problems.push({ pointer: pointerHere(key), code: 'forbidden-key', key });
        continue;
      }
      tokens.push(key);
      out[key] = walk((value as Record<string, unknown>)[rawKey], depth + 1);
      tokens.pop();
    }
    return out;
  };

  return { value: walk(input, 0), problems };
}
