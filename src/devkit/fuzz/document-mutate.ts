/**
 * @module Mutations of text documents (topology YAML, user CSV): line edits, YAML features that strain a
 * parser (alias bombs, unresolved aliases, tags, deep flow nesting, duplicate keys), and byte damage.
 */
import type { SeededRandom } from '../seeded-random.js';
import { edgeString, randomWord } from './fuzz-values.js';
import { mutateText } from './mutate.js';

/** Nine anchors of nine aliases each: 9^6 nodes once expanded. */
const ALIAS_BOMB = `a: &a ["x","x","x","x","x","x","x","x","x"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]
`;

const YAML_SNIPPETS = [
  '*undefinedAlias',
  '&anchor',
  '!!binary aGVsbG8=',
  '!!js/function "x"',
  '!custom tag',
  '<<: *nothing',
  '? complex key',
  '{',
  '[',
  '- ',
  ': ',
  '|',
  '>-',
  '---',
  '...',
  '%YAML 1.1',
  '~',
  '.nan',
  '.inf',
  '0o777',
  '0x1F',
  '1_000',
  '2001-12-14t21:59:43.10-05:00',
  '__proto__: { polluted: true }',
  'constructor: { prototype: { polluted: true } }',
  '\t',
];

function lines(text: string): string[] {
  return text.split('\n');
}

/** One change to a line-based document. */
function mutateLines(r: SeededRandom, text: string): string {
  const ls = lines(text);
  const i = r.int(0, Math.max(0, ls.length - 1));
  const line = ls[i] ?? '';
  const op = r.int(0, 8);
  if (op === 0) ls.splice(i, 1);
  else if (op === 1) ls.splice(i, 0, line);
  else if (op === 2) ls.splice(i, 0, `${' '.repeat(r.int(0, 6))}${r.pick(YAML_SNIPPETS)}`);
  else if (op === 3) ls[i] = line.replace(/:\s.*$/, `: ${r.pick(YAML_SNIPPETS)}`);
  else if (op === 4) ls[i] = line.replace(/:\s.*$/, `: ${JSON.stringify(edgeString(r, 20_000))}`);
  else if (op === 5) ls[i] = line.replace(/^(\s*)/, `$1${' '.repeat(r.int(1, 3))}`);
  else if (op === 6) ls[i] = line.replace(/[A-Za-z]+/, randomWord(r, 8));
  else if (op === 7) ls[i] = line.replace(/,/g, r.pick([';', ',,', '', '","']));
  else ls[i] = line.replace(/\d+/, String(r.pick([-1, 0, 2 ** 53, 1e308, 99_999_999])));
  return ls.join('\n');
}

/** A damaged variant of a valid document. */
export function mutateDocument(r: SeededRandom, text: string): string {
  return r.weighted<() => string>([
    [
      () => {
        let out = text;
        for (let n = r.int(1, 4); n > 0; n--) out = mutateLines(r, out);
        return out;
      },
      12,
    ],
    [() => mutateText(r, text).toString('utf8'), 3],
    [() => `${text}\n${ALIAS_BOMB}`, 1],
    [() => ALIAS_BOMB, 1],
    [() => `${text.slice(0, r.int(0, text.length))}\n${'['.repeat(r.int(100, 5_000))}`, 1],
    [() => `${'  '.repeat(r.int(0, 2))}${text.replace(/\n/g, '\r\n')}`, 1],
    [() => '', 1],
    [() => randomWord(r, 200), 1],
  ])();
}
