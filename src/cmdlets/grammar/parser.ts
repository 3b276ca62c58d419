/**
 * @module Turns a command line (or the words the operating system's shell already split) into a pipeline of
 * commands with their raw arguments. Knows no cmdlets: binding them is binder.ts's job.
 */
import { TandemError } from '../../errors/index.js';
import { isDash, syntaxError, tokenize, type Token } from './tokenizer.js';

export type RawValue =
  | { readonly kind: 'text'; readonly text: string; readonly quoted: boolean }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'script'; readonly text: string }
  | { readonly kind: 'null' };

export type Arg =
  /** `value` is present when written `-Name:value`. */
  | { readonly kind: 'param'; readonly name: string; readonly value?: RawValue; readonly column: number }
  | { readonly kind: 'value'; readonly value: RawValue; readonly column: number };

export interface ParsedCommand {
  readonly name: string;
  readonly args: readonly Arg[];
  /** Column of the command name, for messages. */
  readonly column: number;
}

/** The commands of a line, in pipeline order; empty for a blank line. */
export type Pipeline = readonly ParsedCommand[];

/** How a raw value reads back in a message: `$true`, `a,b`, `{ … }`. */
export function describeRaw(value: RawValue): string {
  switch (value.kind) {
    case 'text':
      return value.text;
    case 'bool':
      return value.value ? '$true' : '$false';
    case 'list':
      return value.items.join(',');
    case 'script':
      return `{${value.text}}`;
    case 'null':
      return '$null';
    default:
      return assertNever(value);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}

/** Parses one command line into its pipeline. Throws SHELL_SYNTAX (or SHELL_BAD_VALUE for `-Name:` alone). */
export function parseCommandLine(line: string): Pipeline {
  const tokens = tokenize(line);
  if (tokens.length === 0) return [];
  const commands: ParsedCommand[] = [];
  let segment: Token[] = [];
  for (const token of tokens) {
    if (token.kind === 'pipe') {
      if (segment.length === 0) throw syntaxError(token.column, "a pipe '|' needs a command on each side.");
      commands.push(parseSegment(segment));
      segment = [];
    } else {
      segment.push(token);
    }
  }
  if (segment.length === 0) {
    throw syntaxError(line.trimEnd().length, "a pipe '|' needs a command on each side.");
  }
  commands.push(parseSegment(segment));
  return commands;
}

type ValueToken = Extract<Token, { kind: 'text' | 'bool' | 'null' | 'script' }>;

function isValueToken(token: Token | undefined): token is ValueToken {
  return (
    token !== undefined &&
    (token.kind === 'text' || token.kind === 'bool' || token.kind === 'null' || token.kind === 'script')
  );
}

function parseSegment(tokens: readonly Token[]): ParsedCommand {
  const [first, ...rest] = tokens;
  if (first?.kind !== 'text') {
    const found = first?.kind === 'param' ? `the parameter -${first.name}` : 'no command name';
    throw syntaxError(first?.column ?? 1, `expected a cmdlet name, found ${found}.`);
  }
  const name = first.text;
  const args: Arg[] = [];
  let i = 0;
  while (i < rest.length) {
    const token = rest[i] as Token;
    if (token.kind === 'param') {
      if (!token.colon) {
        args.push({ kind: 'param', name: token.name, column: token.column });
        i += 1;
        continue;
      }
      if (!isValueToken(rest[i + 1])) throw emptyColonValue(name, token.name, false);
      const group = readGroup(rest, i + 1);
      args.push({ kind: 'param', name: token.name, value: group.value, column: token.column });
      i = group.next;
    } else if (isValueToken(token)) {
      const group = readGroup(rest, i);
      args.push({ kind: 'value', value: group.value, column: token.column });
      i = group.next;
    } else {
      throw syntaxError(token.column, "a ',' must stand between two values, as in a,b,c.");
    }
  }
  return { name, args, column: first.column };
}

/** A value, or a comma list of values (`a, 'b', c`), starting at `start`. */
function readGroup(tokens: readonly Token[], start: number): { value: RawValue; next: number } {
  const first = tokens[start] as ValueToken;
  const items: ValueToken[] = [first];
  let i = start + 1;
  while (tokens[i]?.kind === 'comma') {
    const item = tokens[i + 1];
    if (!isValueToken(item)) throw syntaxError(tokens[i]?.column ?? 1, "a value must follow this ','.");
    items.push(item);
    i += 2;
  }
  if (items.length === 1) return { value: toRaw(first), next: i };
  return { value: { kind: 'list', items: items.map(listItem) }, next: i };
}

function toRaw(token: ValueToken): RawValue {
  switch (token.kind) {
    case 'text':
      return { kind: 'text', text: token.text, quoted: token.quoted };
    case 'bool':
      return { kind: 'bool', value: token.value };
    case 'null':
      return { kind: 'null' };
    case 'script':
      return { kind: 'script', text: token.text };
    default:
      return assertNever(token);
  }
}

function listItem(token: ValueToken): string {
  switch (token.kind) {
    case 'text':
      return token.text;
    case 'bool':
      return token.value ? 'True' : 'False';
    case 'null':
      return '';
    case 'script':
      throw syntaxError(token.column, 'a script block cannot be an item of a list.');
    default:
      return assertNever(token);
  }
}

function emptyColonValue(cmdlet: string, name: string, fromArgv: boolean): TandemError {
  const reason = fromArgv
    ? "the value after ':' is empty. Your shell (bash) probably expanded $false or $true to nothing: " +
      "quote the word, like '-Force:$false'."
    : "no value follows the ':'.";
  return new TandemError('SHELL_BAD_VALUE', { value: '', name, cmdlet, reason });
}

const ARGV_PARAM = /^([\p{L}_?][\p{L}\p{N}_?-]*)(?::([\s\S]*))?$/u;

/**
 * Parses words the operating system's shell already split (each one word, never re-split). A single word
 * holding whitespace is a whole command line, as in `tandem shell "Get-CsPool | Where-Object {…}"`.
 */
export function parseArgv(argv: readonly string[]): Pipeline {
  if (argv.length === 1 && /\s/.test(argv[0] as string)) return parseCommandLine(argv[0] as string);
  const commands: ParsedCommand[] = [];
  let current: { name: string; args: Arg[]; column: number } | undefined;
  let column = 1;
  for (const word of argv) {
    const param = isDash(word[0]) ? ARGV_PARAM.exec(word.slice(1)) : null;
    if (word === '|') {
      if (current === undefined) throw syntaxError(column, "a pipe '|' needs a command on each side.");
      commands.push(current);
      current = undefined;
    } else if (current === undefined) {
      if (param) throw syntaxError(column, `expected a cmdlet name, found the parameter ${word}.`);
      current = { name: word, args: [], column };
    } else if (param) {
      const name = param[1] as string;
      const after = param[2];
      if (after === undefined) current.args.push({ kind: 'param', name, column });
      else if (after === '') throw emptyColonValue(current.name, name, true);
      else current.args.push({ kind: 'param', name, value: argvValue(after, true), column });
    } else {
      current.args.push({ kind: 'value', value: argvValue(word, false), column });
    }
    column += word.length + 1;
  }
  if (current === undefined) {
    if (commands.length === 0) return [];
    throw syntaxError(column, "a pipe '|' needs a command on each side.");
  }
  commands.push(current);
  return commands;
}

/** One argv word as a value: `$true`/`$false`/`$null`, a `{script}`, or text (quotes kept, except after `-Name:`). */
function argvValue(word: string, afterColon: boolean): RawValue {
  const special = /^\$(true|false|null)$/i.exec(word)?.[1]?.toLowerCase();
  if (special === 'null') return { kind: 'null' };
  if (special !== undefined) return { kind: 'bool', value: special === 'true' };
  if (word.startsWith('{') && word.endsWith('}')) return { kind: 'script', text: word.slice(1, -1) };
  // `'-Identity:"service:x"'` reaches us with the inner quotes still on.
  const quotedInner = afterColon && /^(["'])([\s\S]*)\1$/.exec(word);
  if (quotedInner) return { kind: 'text', text: quotedInner[2] as string, quoted: true };
  return { kind: 'text', text: word, quoted: false };
}
