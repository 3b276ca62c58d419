/**
 * @module Random JSON-ish values for the fuzzers: plain random values, and the edge cases parsers get wrong
 * (huge, empty and unicode strings, number-looking text, extreme numbers, prototype keys, deep nesting).
 */
import type { SeededRandom } from '../seeded-random.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Keys that break code which treats a parsed object as a plain dictionary. */
export const NASTY_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  ' ',
  'a.b',
  '0',
  'length',
] as const;

const UNICODE = [
  'é',
  'Ω',
  '漢字',
  '😀',
  '👩‍👩‍👧',
  'e\u0301',
  '\u202eevil',
  '\u200b',
  '\u0000',
  '\ufeff',
  '\ud800',
  '\udfff',
  '\uffff',
  '\r\n',
  '\t',
];

const TRICKY_TEXT = [
  'NaN',
  'Infinity',
  '-Infinity',
  '-0',
  '1e309',
  '0x10',
  '9007199254740993',
  '-1',
  'null',
  'undefined',
  'true',
  '[object Object]',
  '{detail}',
  '${x}',
  '%s%n',
  '../../etc/passwd',
  "'; DROP TABLE users; --",
  '<script>',
  'sip:',
  'sip:@',
  'sip:a@b',
  '*',
  '?',
  '`',
  '"',
  "'",
  '\\',
  '2026-13-45T25:61:61Z',
];

/** A short random word, sometimes with punctuation. */
export function randomWord(r: SeededRandom, max = 12): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.@:/ ';
  let s = '';
  for (let i = r.int(0, max); i > 0; i--) s += alphabet[r.int(0, alphabet.length - 1)] ?? 'x';
  return s;
}

/** A string that is awkward to validate. Large ones stay under `maxLength` (default 100 000). */
export function edgeString(r: SeededRandom, maxLength = 100_000): string {
  return r.weighted<() => string>([
    [() => '', 2],
    [() => r.pick(TRICKY_TEXT), 6],
    [() => r.pick(UNICODE).repeat(r.int(1, 40)), 4],
    [() => r.pick(NASTY_KEYS), 2],
    [() => 'x'.repeat(r.int(65, 300)), 3],
    [() => 'y'.repeat(r.int(1_000, maxLength)), 1],
    [() => randomWord(r, 40), 4],
  ])();
}

/** A number at or past a boundary. JSON has no NaN or Infinity: those reach a server as strings or null. */
export function edgeNumber(r: SeededRandom): number {
  return r.pick([
    0,
    -0,
    -1,
    1,
    0.5,
    -2.5,
    2 ** 31,
    -(2 ** 31),
    2 ** 32,
    2 ** 53,
    2 ** 53 + 2,
    -(2 ** 53),
    1e21,
    1e308,
    -1e308,
    Number.MIN_VALUE,
    r.int(-1_000_000, 1_000_000),
  ]);
}

/** Sets a key as an own property, even `__proto__` (plain assignment would change the prototype). */
export function setKey(target: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A random JSON value of at most `depth` levels. */
export function randomJson(r: SeededRandom, depth = 3): Json {
  const leaf = (): Json =>
    r.weighted<() => Json>([
      [() => null, 1],
      [() => r.chance(0.5), 1],
      [() => edgeNumber(r), 2],
      [() => edgeString(r, 5_000), 3],
    ])();
  if (depth <= 0 || r.chance(0.5)) return leaf();
  if (r.chance(0.4)) return Array.from({ length: r.int(0, 5) }, () => randomJson(r, depth - 1));
  const obj: Record<string, Json> = {};
  for (let i = r.int(0, 5); i > 0; i--)
    setKey(obj, r.chance(0.2) ? r.pick(NASTY_KEYS) : randomWord(r, 10), randomJson(r, depth - 1));
  return obj;
}

/** A value nested `depth` levels deep, as arrays or objects. */
export function deepNest(r: SeededRandom, depth: number): Json {
  let v: Json = r.chance(0.5) ? 1 : 'x';
  const asArray = r.chance(0.5);
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

/** The same nesting as text, for depths where building the value itself would cost too much. */
export function deepNestText(r: SeededRandom, depth: number): string {
  return r.chance(0.5)
    ? `${'['.repeat(depth)}1${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

/** Random bytes; often not valid UTF-8. */
export function randomBytes(r: SeededRandom, max = 256): Buffer {
  return Buffer.from(Array.from({ length: r.int(0, max) }, () => r.int(0, 255)));
}
