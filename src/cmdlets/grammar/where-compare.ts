/**
 * @module PowerShell's comparison semantics for Where-Object: type conversion to the left operand's type,
 * case-insensitive text, wildcards, and "any element" matching when the left operand is an array.
 */
import { setFlagsFromString } from 'node:v8';

let linearEngineOn = false;

/**
 * A regular expression on V8's linear-time engine (the `l` flag), which Node 20 keeps behind a V8 flag. The flag
 * is set here, where the first -match pattern is compiled, so only a process that runs Where-Object has it (it
 * used to be set by importing this module, which the server does for other reasons).
 */
function linearRegExp(source: string): RegExp {
  if (!linearEngineOn) {
    setFlagsFromString('--enable-experimental-regexp-engine');
    linearEngineOn = true;
  }
  return new RegExp(source, 'l');
}

export const COMPARISON_OPERATORS = [
  'eq',
  'ne',
  'gt',
  'ge',
  'lt',
  'le',
  'like',
  'notlike',
  'match',
  'notmatch',
  'contains',
  'notcontains',
  'in',
  'notin',
] as const;
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

export interface Comparison {
  readonly op: ComparisonOperator;
  /** Set by the `c` prefix (`-ceq`, `-cmatch`); PowerShell compares text case-insensitively otherwise. */
  readonly caseSensitive: boolean;
}

function isOperator(word: string): word is ComparisonOperator {
  return (COMPARISON_OPERATORS as readonly string[]).includes(word);
}

/** `eq`, `ceq`, `ieq` … (without the dash, any case) → the comparison, or undefined. */
export function parseOperator(word: string): Comparison | undefined {
  const lower = word.toLowerCase();
  if (isOperator(lower)) return { op: lower, caseSensitive: false };
  const rest = lower.slice(1);
  if ((lower.startsWith('c') || lower.startsWith('i')) && isOperator(rest)) {
    return { op: rest, caseSensitive: lower.startsWith('c') };
  }
  return undefined;
}

/** PowerShell's truthiness: empty text, 0, $null and empty arrays are false; a one-item array is its item. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 1 || (value.length === 1 && truthy(value[0]));
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'boolean') return value;
  return true;
}

/**
 * `value.name`, with case-insensitive property names and PowerShell's member enumeration: on an array it
 * collects the property of every element, except Count and Length, which are the array's own.
 */
export function member(value: unknown, name: string): unknown {
  const lower = name.toLowerCase();
  if (Array.isArray(value)) {
    if (lower === 'count' || lower === 'length') return value.length;
    return value.flatMap((item: unknown) => {
      const m = member(item, name);
      return m === undefined ? [] : [m];
    });
  }
  if (typeof value === 'string') return lower === 'length' ? value.length : undefined;
  if (typeof value !== 'object' || value === null || value instanceof Date) return undefined;
  const record = value as Record<string, unknown>;
  if (Object.hasOwn(record, name)) return record[name];
  const key = Object.keys(record).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : record[key];
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(text).join(' ');
  if (typeof value === 'object') return JSON.stringify(value);
  return typeof value === 'number' || typeof value === 'bigint' ? value.toString() : '';
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : undefined;
}

function toTime(value: unknown): number | undefined {
  if (value instanceof Date) return value.getTime();
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const t = new Date(value).getTime();
  return Number.isNaN(t) ? undefined : t;
}

/** Orders `left` against `right` converted to left's type; undefined when they cannot be compared. */
function order(left: unknown, right: unknown, caseSensitive: boolean): number | undefined {
  if (left === null || left === undefined || right === null || right === undefined) return undefined;
  if (left instanceof Date) {
    const t = toTime(right);
    return t === undefined ? undefined : left.getTime() - t;
  }
  if (typeof left === 'number' || (typeof right === 'number' && toNumber(left) !== undefined)) {
    const l = toNumber(left);
    const r = toNumber(right);
    return l === undefined || r === undefined ? undefined : l - r;
  }
  const a = caseSensitive ? text(left) : text(left).toLowerCase();
  const b = caseSensitive ? text(right) : text(right).toLowerCase();
  return a < b ? -1 : a > b ? 1 : 0;
}

function equals(left: unknown, right: unknown, caseSensitive: boolean): boolean {
  if (left === null || left === undefined || right === null || right === undefined) {
    return (left === null || left === undefined) && (right === null || right === undefined);
  }
  if (typeof left === 'boolean' && typeof right === 'boolean') return left === right;
  return order(left, right, caseSensitive) === 0;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * A PowerShell wildcard (`*`, `?`, `[a-c]`, backtick escapes) as an anchored regular expression.
 * One `.*` per star would backtrack exponentially on patterns such as `**********x` (Get-CsUser runs them
 * on the server), so each part between two stars is matched at its first occurrence inside a lookahead,
 * which the engine never re-enters: matching stays linear in the text.
 */
export function wildcardToRegExp(pattern: string, caseSensitive = false): RegExp {
  const parts = [''];
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    const close = ch === '[' ? pattern.indexOf(']', i + 2) : -1;
    let piece: string;
    if (ch === '*') {
      parts.push('');
      continue;
    } else if (ch === '?') piece = '[\\s\\S]';
    else if (ch === '`' && i + 1 < pattern.length) piece = escapeRegExp(pattern[++i] as string);
    else if (close > 0) {
      piece = `[${pattern.slice(i + 1, close).replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else piece = escapeRegExp(ch);
    parts[parts.length - 1] += piece;
  }
  const flags = caseSensitive ? '' : 'i';
  if (parts.length === 1) return new RegExp(`^${parts[0] ?? ''}$`, flags);
  const middle = parts
    .slice(1, -1)
    .filter((p) => p !== '')
    .map((p, k) => `(?=([\\s\\S]*?${p}))\\${k + 1}`);
  return new RegExp(`^${parts[0] ?? ''}${middle.join('')}[\\s\\S]*${parts.at(-1) ?? ''}$`, flags);
}

/**
 * A -match pattern, run by V8's linear-time engine (flag `l`): an administrator's pattern runs on the server
 * (`Get-CsUser -Filter`), and a backtracking engine would let `(a+)+$` stall it. Throws the RegExp SyntaxError
 * when the pattern is invalid, or needs backtracking (backreferences, lookaround).
 */
export function matchRegExp(pattern: unknown, caseSensitive = false): RegExp {
  const source = text(pattern);
  const tooComplex = patternTooComplex(source);
  if (tooComplex) throw new SyntaxError(tooComplex);
  // The linear engine has no `i` flag: letters become both-case classes instead.
  return linearRegExp(caseSensitive ? source : bothCases(source));
}

/** The limits of a -match pattern: linear matching still costs the pattern's size on every record. */
export const PatternLimits = { maxChars: 256, maxGroupDepth: 8, maxAlternatives: 32 } as const;

/**
 * Why a pattern is over the limits, or undefined. A 12 KB nested alternation in Get-CsUser -Filter once
 * held a server for minutes: the linear engine pays the pattern's size on every user.
 */
export function patternTooComplex(source: string): string | undefined {
  const { maxChars, maxGroupDepth, maxAlternatives } = PatternLimits;
  const limits = `at most ${maxChars} characters, ${maxGroupDepth} nested groups and ${maxAlternatives} alternatives (|)`;
  if (source.length > maxChars) return `the pattern is too long: ${limits}`;
  let depth = 0;
  let alternatives = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '\\') i += 1;
    else if (inClass) inClass = ch !== ']';
    else if (ch === '[') inClass = true;
    else if (ch === '(' && ++depth > maxGroupDepth) return `the pattern nests too deeply: ${limits}`;
    else if (ch === ')') depth -= 1;
    else if (ch === '|' && ++alternatives > maxAlternatives)
      return `the pattern has too many alternatives: ${limits}`;
  }
  return undefined;
}

const otherCase = (ch: string) => (ch === ch.toLowerCase() ? ch.toUpperCase() : ch.toLowerCase());
const isLetter = (ch: string | undefined) => ch !== undefined && /^[a-zA-Z]$/.test(ch);

/** Rewrites a pattern so that ASCII letters match either case: `ab[c-d]` → `[aA][bB][c-dC-D]`. */
export function bothCases(pattern: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\') {
      out += ch + (pattern[i + 1] ?? '');
      i++;
    } else if (!inClass && pattern.startsWith('(?<', i) && !/^\(\?<[=!]/.test(pattern.slice(i, i + 4))) {
      const end = pattern.indexOf('>', i); // a group's name stays as written
      out += end < 0 ? pattern.slice(i) : pattern.slice(i, end + 1);
      i = end < 0 ? pattern.length : end;
    } else if (inClass) {
      if (ch === ']') inClass = false;
      const to = pattern[i + 2];
      if (isLetter(ch) && pattern[i + 1] === '-' && isLetter(to)) {
        out += `${ch}-${to}${otherCase(ch)}-${otherCase(to as string)}`;
        i += 2;
      } else out += isLetter(ch) ? ch + otherCase(ch) : ch;
    } else if (ch === '[') {
      inClass = true;
      out += ch;
      if (pattern[i + 1] === '^') out += pattern[++i];
    } else out += isLetter(ch) ? `[${ch.toLowerCase()}${ch.toUpperCase()}]` : ch;
  }
  return out;
}

function scalar(cmp: Comparison, left: unknown, right: unknown, regex: RegExp | undefined): boolean {
  const cs = cmp.caseSensitive;
  const ordered = (): number | undefined => order(left, right, cs);
  const matches = (): boolean => {
    try {
      return (regex ?? matchRegExp(right, cs)).test(text(left));
    } catch {
      return false; // a pattern read from a record that is not a valid regular expression matches nothing
    }
  };
  switch (cmp.op) {
    case 'eq':
      return equals(left, right, cs);
    case 'ne':
      return !equals(left, right, cs);
    case 'gt':
      return (ordered() ?? 0) > 0;
    case 'ge':
      return (ordered() ?? -1) >= 0;
    case 'lt':
      return (ordered() ?? 0) < 0;
    case 'le':
      return (ordered() ?? 1) <= 0;
    case 'like':
      return wildcardToRegExp(text(right), cs).test(text(left));
    case 'notlike':
      return !wildcardToRegExp(text(right), cs).test(text(left));
    case 'match':
      return matches();
    case 'notmatch':
      return !matches();
    case 'contains':
    case 'notcontains':
    case 'in':
    case 'notin':
      return collection(cmp, left, right);
    default:
      return assertNever(cmp.op);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unexpected operator: ${String(value)}`);
}

function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [value];
}

function collection(cmp: Comparison, left: unknown, right: unknown): boolean {
  const cs = cmp.caseSensitive;
  const inLeft = (): boolean => asArray(left).some((item) => equals(item, right, cs));
  const inRight = (): boolean => asArray(right).some((item) => equals(item, left, cs));
  if (cmp.op === 'contains') return inLeft();
  if (cmp.op === 'notcontains') return !inLeft();
  if (cmp.op === 'in') return inRight();
  return !inRight();
}

/**
 * Evaluates `left -op right`. With an array on the left, PowerShell filters the array and a non-empty
 * result counts as true: so `-eq`/`-match`/`-like` mean "any element", and `-ne`/`-notmatch` "any element not".
 */
export function compare(cmp: Comparison, left: unknown, right: unknown, regex?: RegExp): boolean {
  const isCollectionOp =
    cmp.op === 'contains' || cmp.op === 'notcontains' || cmp.op === 'in' || cmp.op === 'notin';
  if (isCollectionOp || !Array.isArray(left)) return scalar(cmp, left, right, regex);
  return left.some((item: unknown) => scalar(cmp, item, right, regex));
}
