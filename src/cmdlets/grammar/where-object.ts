/**
 * @module Where-Object on the client: compiles a script block such as `{$_.PoolState -eq 'Active'}`, or
 * the simplified `Where-Object Prop -eq value`, into a predicate over output records.
 */
import { TandemError } from '../../errors/index.js';
import type { Arg, RawValue } from './parser.js';
import { isDash, isDoubleQuote, isSingleQuote, readQuoted, syntaxError } from './tokenizer.js';
import { compare, matchRegExp, member, parseOperator, truthy, type Comparison } from './where-compare.js';

export type RecordFilter = (record: Readonly<Record<string, unknown>>) => boolean;
type Expr = (record: Readonly<Record<string, unknown>>) => unknown;

type FilterToken =
  | { readonly kind: 'prop'; readonly path: readonly string[]; readonly column: number }
  | { readonly kind: 'literal'; readonly value: unknown; readonly column: number }
  | { readonly kind: 'op'; readonly name: string; readonly column: number }
  | { readonly kind: '(' | ')' | '!' | ','; readonly column: number };

const LOGICAL = new Set(['and', 'or', 'xor', 'not']);
/**
 * Bounds that no real condition comes near. Past them, parsing (nesting) or evaluating (long chains build
 * nested closures) would overflow the stack with a RangeError instead of a syntax error; -Filter runs on the server.
 */
const MAX_NESTING = 100;
const MAX_TOKENS = 1_000;
/** Characters of one condition (a -Filter runs on the server, on every user). */
export const MAX_CONDITION_CHARS = 4_096;
const NUMBER = /^\d+(?:\.\d+)?(?:e[+-]?\d+)?/i;

function lex(script: string, base: number, bareProperties = false): FilterToken[] {
  const tokens: FilterToken[] = [];
  let i = 0;
  while (i < script.length) {
    const ch = script[i] as string;
    const column = base + i;
    const rest = script.slice(i);
    if (/\s/.test(ch)) {
      i += 1;
    } else if (ch === '(' || ch === ')' || ch === '!' || ch === ',') {
      tokens.push({ kind: ch, column });
      i += 1;
    } else if (isSingleQuote(ch) || isDoubleQuote(ch)) {
      const q = readQuoted(script, i);
      tokens.push({ kind: 'literal', value: q.text, column });
      i = q.end;
    } else if (ch === '$') {
      const name = /^\$([\p{L}_][\p{L}\p{N}_]*)/u.exec(rest)?.[1] ?? '';
      i += 1 + name.length;
      const lower = name.toLowerCase();
      if (lower === 'true' || lower === 'false')
        tokens.push({ kind: 'literal', value: lower === 'true', column });
      else if (lower === 'null') tokens.push({ kind: 'literal', value: null, column });
      else if (lower === '_' || lower === 'psitem') {
        const path: string[] = [];
        let m: RegExpExecArray | null;
        while ((m = /^\.([\p{L}_][\p{L}\p{N}_]*)/u.exec(script.slice(i))) !== null) {
          path.push(m[1] as string);
          i += m[0].length;
        }
        if (script[i] === '(')
          throw syntaxError(base + i, 'method calls are not supported in Where-Object here.');
        tokens.push({ kind: 'prop', path, column });
      } else {
        throw syntaxError(
          column,
          `only $_ (the record), $true, $false and $null can be used here, not $${name}.`,
        );
      }
    } else if (NUMBER.test(rest) || (isDash(ch) && NUMBER.test(rest.slice(1)))) {
      const m = NUMBER.exec(isDash(ch) ? rest.slice(1) : rest)?.[0] ?? '';
      tokens.push({ kind: 'literal', value: (isDash(ch) ? -1 : 1) * Number(m), column });
      i += m.length + (isDash(ch) ? 1 : 0);
    } else if (isDash(ch) && /^[a-z]/i.test(rest.slice(1))) {
      const name = (/^[a-z]+/i.exec(rest.slice(1))?.[0] ?? '').toLowerCase();
      if (!LOGICAL.has(name) && parseOperator(name) === undefined) {
        throw syntaxError(
          column,
          `unknown operator -${name}; use -eq, -ne, -like, -match, -contains, -gt … -and, -or, -not.`,
        );
      }
      tokens.push({ kind: 'op', name, column });
      i += 1 + name.length;
    } else if (bareProperties && /^[\p{L}_]/u.test(ch)) {
      // Lync's -Filter syntax names properties without `$_.`: {RegistrarPool -eq 'x'}.
      const m = /^[\p{L}_][\p{L}\p{N}_]*(?:\.[\p{L}_][\p{L}\p{N}_]*)*/u.exec(rest)?.[0] ?? ch;
      tokens.push({ kind: 'prop', path: m.split('.'), column });
      i += m.length;
    } else {
      const word = /^[^\s()]+/.exec(rest)?.[0] ?? ch;
      throw syntaxError(column, `'${word}' is not a value here; quote text, as in '${word}'.`);
    }
  }
  return tokens;
}

/** Recursive descent over the tokens: -or/-xor, -and, comparisons, comma lists, -not/!, then operands. */
function parse(tokens: readonly FilterToken[], end: number): Expr {
  let i = 0;
  let depth = 0;
  const nested = (column: number, inner: () => Expr): Expr => {
    if (++depth > MAX_NESTING)
      throw syntaxError(column, `the condition nests more than ${MAX_NESTING} levels deep.`);
    const expr = inner();
    depth -= 1;
    return expr;
  };
  const peekOp = (...names: string[]): string | undefined => {
    const t = tokens[i];
    return t?.kind === 'op' && names.includes(t.name) ? t.name : undefined;
  };

  const or = (): Expr => {
    let left = and();
    for (let op = peekOp('or', 'xor'); op !== undefined; op = peekOp('or', 'xor')) {
      i += 1;
      const [l, r] = [left, and()];
      left =
        op === 'or' ? (rec) => truthy(l(rec)) || truthy(r(rec)) : (rec) => truthy(l(rec)) !== truthy(r(rec));
    }
    return left;
  };
  const and = (): Expr => {
    let left = comparison();
    while (peekOp('and') !== undefined) {
      i += 1;
      const [l, r] = [left, comparison()];
      left = (rec) => truthy(l(rec)) && truthy(r(rec));
    }
    return left;
  };
  const comparison = (): Expr => {
    let left = list();
    for (let t = tokens[i]; t?.kind === 'op' && !LOGICAL.has(t.name); t = tokens[i]) {
      i += 1;
      const cmp = parseOperator(t.name) as Comparison;
      const rightToken = tokens[i];
      const [l, r] = [left, list()];
      const regex = literalRegex(cmp, rightToken);
      left = (rec) => compare(cmp, l(rec), r(rec), regex);
    }
    return left;
  };
  const list = (): Expr => {
    const items = [unary()];
    while (tokens[i]?.kind === ',') {
      i += 1;
      items.push(unary());
    }
    const [only] = items;
    return items.length === 1 && only ? only : (rec) => items.map((item) => item(rec));
  };
  const unary = (): Expr => {
    const t = tokens[i];
    if (t?.kind === '!' || peekOp('not') !== undefined) {
      i += 1;
      const inner = nested(t?.column ?? end, unary);
      return (rec) => !truthy(inner(rec));
    }
    return primary();
  };
  const primary = (): Expr => {
    const t = tokens[i];
    i += 1;
    switch (t?.kind) {
      case undefined:
        throw syntaxError(end, 'the condition ends where a value was expected.');
      case '(': {
        const inner = nested(t.column, or);
        if (tokens[i]?.kind !== ')') throw syntaxError(tokens[i]?.column ?? end, "a ')' is missing.");
        i += 1;
        return inner;
      }
      case 'prop': {
        const path = t.path;
        return (rec) => path.reduce<unknown>(member, rec);
      }
      case 'literal': {
        const value = t.value;
        return () => value;
      }
      case 'op':
        throw syntaxError(t.column, `-${t.name} needs a value before it.`);
      case ')':
      case '!':
      case ',':
        throw syntaxError(t.column, `'${t.kind}' is not expected here.`);
      default:
        return assertNever(t);
    }
  };

  const expr = or();
  const extra = tokens[i];
  if (extra !== undefined)
    throw syntaxError(extra.column, 'this is not expected here; join conditions with -and or -or.');
  return expr;
}

function assertNever(value: never): never {
  throw new Error(`Unexpected token: ${JSON.stringify(value)}`);
}

/** Compiles a constant -match pattern once, so that a bad pattern is a syntax error rather than no match. */
function literalRegex(cmp: Comparison, token: FilterToken | undefined): RegExp | undefined {
  if ((cmp.op !== 'match' && cmp.op !== 'notmatch') || token?.kind !== 'literal') return undefined;
  try {
    return matchRegExp(token.value, cmp.caseSensitive);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw syntaxError(token.column, `the regular expression is invalid: ${reason}`);
  }
}

/**
 * Compiles a Where-Object script block (with or without its braces). `column` is where `scriptText` starts
 * on the command line, so that errors point into the line the user typed.
 */
export function compileFilter(
  scriptText: string,
  options: { column?: number; bareProperties?: boolean } = {},
): RecordFilter {
  let text = scriptText;
  let column = options.column ?? 1;
  const trimmed = text.trim();
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
    column += text.indexOf('{') + 1;
    text = trimmed.slice(1, -1);
  }
  if (text.length > MAX_CONDITION_CHARS)
    throw syntaxError(column, `the condition is too long: at most ${MAX_CONDITION_CHARS} characters.`);
  const tokens = lex(text, column, options.bareProperties);
  if (tokens.length === 0) throw syntaxError(column, 'the Where-Object script block is empty.');
  if (tokens.length > MAX_TOKENS)
    throw syntaxError(
      column,
      `the condition is too long: at most ${MAX_TOKENS} values, operators and brackets.`,
    );
  const expr = parse(tokens, column + text.length);
  return (record) => truthy(expr(record));
}

/**
 * `Where-Object PoolState -eq Active`: property (dotted for nested), operator (dash optional, as `-eq` or
 * `eq`), value. Without an operator the property's truthiness decides, as in `Where-Object IsActive`.
 */
export function compileSimpleFilter(prop: string, op?: string, value?: unknown, column = 1): RecordFilter {
  const path = prop.replace(/^\$(_|psitem)\./i, '').split('.');
  const get = (record: Readonly<Record<string, unknown>>): unknown => path.reduce<unknown>(member, record);
  if (op === undefined) return (record) => truthy(get(record));
  const name = isDash(op[0]) ? op.slice(1) : op;
  const cmp = parseOperator(name);
  if (cmp === undefined) {
    throw syntaxError(
      column,
      `Where-Object has no operator -${name}; use -eq, -ne, -like, -match, -contains, -gt ….`,
    );
  }
  const regex = literalRegex(cmp, { kind: 'literal', value, column });
  return (record) => compare(cmp, get(record), value, regex);
}

function plain(value: RawValue, column: number): unknown {
  switch (value.kind) {
    case 'text':
      return value.text;
    case 'bool':
      return value.value;
    case 'null':
      return null;
    case 'list':
      return value.items;
    case 'script':
      throw syntaxError(column, 'a script block cannot be compared; give a value.');
    default:
      return assertNever(value);
  }
}

/**
 * Compiles Where-Object's arguments as the parser gave them: `{script}`, `-FilterScript {script}`, or the
 * simplified `Prop -op value` (also `-Property Prop -op -Value value`).
 */
export function compileWhereObject(args: readonly Arg[]): RecordFilter {
  let script: { text: string; column: number } | undefined;
  let prop: { text: string; column: number } | undefined;
  let op: { name: string; column: number } | undefined;
  let value: { value: unknown } | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as Arg;
    const name = arg.kind === 'param' ? arg.name.toLowerCase() : '';
    const takeValue = (): RawValue => {
      if (arg.kind === 'param' && arg.value !== undefined) return arg.value;
      const next = args[i + 1];
      if (next?.kind !== 'value')
        throw syntaxError(arg.column, `-${arg.kind === 'param' ? arg.name : ''} needs a value.`);
      i += 1;
      return next.value;
    };
    if (arg.kind === 'value' && arg.value.kind === 'script' && !script && !prop) {
      script = { text: arg.value.text, column: arg.column + 1 };
    } else if (arg.kind === 'value' && !prop && !script) {
      prop = { text: String(plain(arg.value, arg.column)), column: arg.column };
    } else if (arg.kind === 'value' && prop && !value) {
      value = { value: plain(arg.value, arg.column) };
    } else if (name.length >= 2 && 'filterscript'.startsWith(name)) {
      const raw = takeValue();
      if (raw.kind !== 'script')
        throw syntaxError(arg.column, '-FilterScript needs a script block, like {$_.Name -eq "x"}.');
      script = { text: raw.text, column: arg.column };
    } else if (name.length >= 2 && 'property'.startsWith(name)) {
      prop = { text: String(plain(takeValue(), arg.column)), column: arg.column };
    } else if (name.length >= 1 && 'value'.startsWith(name)) {
      value = { value: plain(takeValue(), arg.column) };
    } else if (arg.kind === 'param' && parseOperator(name) && !op) {
      op = { name, column: arg.column };
      if (arg.value !== undefined) value = { value: plain(arg.value, arg.column) };
    } else {
      const what = arg.kind === 'param' ? `-${arg.name}` : JSON.stringify(plain(arg.value, arg.column));
      throw new TandemError('SHELL_TOO_MANY_ARGUMENTS', { cmdlet: 'Where-Object', value: what });
    }
  }
  if (script && (prop || op))
    throw syntaxError(script.column, 'give either a script block or Property -op Value, not both.');
  if (script) return compileFilter(script.text, { column: script.column });
  if (!prop)
    throw new TandemError('SHELL_MISSING_PARAMETER', {
      cmdlet: 'Where-Object',
      name: 'FilterScript',
      type: 'script block',
    });
  if (op && !value) throw syntaxError(op.column, `-${op.name} needs a value after it.`);
  return compileSimpleFilter(prop.text, op?.name, value?.value, op?.column ?? prop.column);
}
