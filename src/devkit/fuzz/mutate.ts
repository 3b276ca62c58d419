/**
 * @module Mutations of valid examples: a few structural changes to a JSON value (drop, rename, retype,
 * enlarge a field) or byte-level damage to its text (truncation, invalid UTF-8, stray characters).
 */
import type { SeededRandom } from '../seeded-random.js';
import {
  NASTY_KEYS,
  deepNest,
  edgeNumber,
  edgeString,
  randomJson,
  setKey,
  type Json,
} from './fuzz-values.js';

const INVALID_UTF8 = [
  [0xff],
  [0xc0, 0x80],
  [0x80],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
];

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A value of another JSON type than `v`. */
function wrongType(r: SeededRandom, v: Json): Json {
  const options: (() => Json)[] = [
    () => null,
    () => r.chance(0.5),
    () => edgeNumber(r),
    () => edgeString(r, 2_000),
    () => [v],
    () => ({ value: v }),
    () => [],
    () => ({}),
  ];
  for (let i = 0; i < 8; i++) {
    const candidate = r.pick(options)();
    if (typeof candidate !== typeof v || Array.isArray(candidate) !== Array.isArray(v)) return candidate;
  }
  return null;
}

function renamed(r: SeededRandom, key: string): string {
  return r.weighted<() => string>([
    [() => key.toUpperCase(), 1],
    [() => `${key}_`, 1],
    [() => key.slice(0, -1), 1],
    [() => ` ${key}`, 1],
    [() => r.pick(NASTY_KEYS), 2],
  ])();
}

/** Paths to every node of `v` (the root too), so that a deep field is as likely a target as a shallow one. */
function nodePaths(
  v: Json,
  at: readonly (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push([...at]);
  if (at.length >= 6) return out;
  if (Array.isArray(v)) v.slice(0, 20).forEach((item, i) => nodePaths(item, [...at, i], out));
  else if (isObject(v)) for (const [k, item] of Object.entries(v)) nodePaths(item, [...at, k], out);
  return out;
}

/** `v` with the node at `path` replaced by `change(node)`; copies only along the path. */
function replaceAt(v: Json, path: readonly (string | number)[], change: (node: Json) => Json): Json {
  const [head, ...rest] = path;
  if (head === undefined) return change(v);
  if (Array.isArray(v) && typeof head === 'number')
    return v.map((item, i) => (i === head ? replaceAt(item, rest, change) : item));
  if (isObject(v) && typeof head === 'string') {
    const copy = copyObject(v);
    setKey(copy, head, replaceAt(v[head] ?? null, rest, change));
    return copy;
  }
  return v;
}

/** One change at a random node of `v`; returns the changed copy. */
function mutateOnce(r: SeededRandom, v: Json): Json {
  return replaceAt(v, r.pick(nodePaths(v)), (node) =>
    r.weighted<() => Json>([
      [() => wrongType(r, node), 5],
      [
        () =>
          typeof node === 'string'
            ? edgeString(r)
            : typeof node === 'number'
              ? edgeNumber(r)
              : randomJson(r, 2),
        4,
      ],
      [() => structural(r, node), 4],
      [() => deepNest(r, r.int(20, 2_000)), 1],
    ])(),
  );
}

function copyObject(v: Record<string, Json>): Record<string, Json> {
  const copy: Record<string, Json> = {};
  for (const [k, item] of Object.entries(v)) setKey(copy, k, item);
  return copy;
}

/** Drops, renames, adds or duplicates a field or element. */
function structural(r: SeededRandom, v: Json): Json {
  if (Array.isArray(v)) {
    return r.weighted<() => Json>([
      [() => [], 1],
      [() => v.slice(1), 1],
      [() => [...v, randomJson(r, 2)], 1],
      [() => Array.from({ length: r.int(100, 2_000) }, () => v[0] ?? 'x'), 1],
    ])();
  }
  if (!isObject(v)) return wrongType(r, v);
  const copy = copyObject(v);
  const keys = Object.keys(copy);
  const key = keys.length > 0 ? r.pick(keys) : undefined;
  const op = r.int(0, 3);
  if (op === 0 && key !== undefined) delete copy[key];
  else if (op === 1 && key !== undefined) {
    const value = copy[key] ?? null;
    delete copy[key];
    setKey(copy, renamed(r, key), value);
  } else if (op === 2)
    setKey(copy, r.chance(0.5) ? r.pick(NASTY_KEYS) : `extra${r.int(0, 9)}`, randomJson(r, 2));
  else return {};
  return copy;
}

/** One to three structural or type mutations of a valid example. */
export function mutateJson(r: SeededRandom, v: Json): Json {
  let out = v;
  for (let n = r.int(1, 3); n > 0; n--) out = mutateOnce(r, out);
  return out;
}

/** Byte-level damage to a serialized value: truncation, invalid UTF-8, stray or doubled characters. */
export function mutateText(r: SeededRandom, text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const at = r.int(0, bytes.length);
  return r.weighted<() => Buffer>([
    [() => bytes.subarray(0, at), 3],
    [() => Buffer.concat([bytes.subarray(0, at), Buffer.from(r.pick(INVALID_UTF8)), bytes.subarray(at)]), 2],
    [
      () =>
        Buffer.concat([
          bytes.subarray(0, at),
          Buffer.from(r.pick(['"', '{', '}', ',', '\\', '\u0000', ']', ':'])),
          bytes.subarray(at),
        ]),
      3,
    ],
    [() => Buffer.concat([bytes, bytes.subarray(0, at)]), 1],
    [() => Buffer.from(text.replace(/"/g, "'"), 'utf8'), 1],
    [() => Buffer.concat([Buffer.from('\ufeff'), bytes]), 1],
  ])();
}
