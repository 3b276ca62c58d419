/**
 * @module Measures JSON text before it is parsed: nesting depth and the number of values, in one linear pass
 * over the bytes. A door that takes JSON from outside refuses what is too deep or too many before
 * `JSON.parse` and the schema walk it (a million-item array once stalled a server for seconds).
 */

export interface JsonShapeLimits {
  /** Deepest nesting of arrays and objects. */
  readonly maxDepth: number;
  /** Most values (scalars, arrays, objects; an object's keys not counted) in the whole text. */
  readonly maxValues: number;
}

export type JsonShapeVerdict =
  { readonly ok: true } | { readonly ok: false; readonly what: 'depth' | 'values'; readonly limit: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;
const COMMA = 0x2c;

/**
 * Depth and value count of JSON text, or the first limit it passes. Malformed text is measured as well as
 * it can be; JSON.parse refuses it afterwards. Values are counted by separators, so `[]` counts one.
 */
export function checkJsonShape(text: Buffer | string, limits: JsonShapeLimits): JsonShapeVerdict {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  let depth = 0;
  let values = 1;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i += 1;
      else if (b === QUOTE) inString = false;
      continue;
    }
    if (b === QUOTE) inString = true;
    else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
      depth += 1;
      if (depth > limits.maxDepth) return { ok: false, what: 'depth', limit: limits.maxDepth };
    } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) depth -= 1;
    else if (b === COMMA) {
      values += 1;
      if (values > limits.maxValues) return { ok: false, what: 'values', limit: limits.maxValues };
    }
  }
  return { ok: true };
}

/**
 * The raw text of a scalar member of the top-level object (`"id": 7` → `7`), found without parsing the
 * rest: so that a frame refused for its shape is still answered with its id. Undefined when not found.
 */
export function topLevelScalar(text: string, name: string): string | undefined {
  const key = JSON.stringify(name);
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      const end = stringEnd(text, i);
      if (depth === 1 && text.startsWith(key, i) && end === i + key.length - 1) {
        const value = /^\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
          text.slice(end + 1, end + 200),
        );
        if (value) return value[1];
      }
      i = end;
    } else if (ch === '{' || ch === '[') depth += 1;
    else if (ch === '}' || ch === ']') depth -= 1;
  }
  return undefined;
}

/** Index of the quote that closes the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i;
  }
  return text.length;
}

/**
 * One field of a value that came from outside and has not been checked yet (undefined when the value is not
 * an object or lacks the field): for reading a name or a code before, or instead of, a full schema check.
 */
export function fieldOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}
