/**
 * @module Splits a PowerShell-style command line into tokens with their 1-based columns: words, quoted
 * strings, parameters (`-Name`, `-Name:`), pipes, commas and script blocks. No variable expansion.
 */
import { TandemError } from '../../errors/index.js';

export type Token =
  | { readonly kind: 'text'; readonly text: string; readonly quoted: boolean; readonly column: number }
  | { readonly kind: 'bool'; readonly value: boolean; readonly column: number }
  | { readonly kind: 'null'; readonly column: number }
  /** `colon` is set for `-Name:value`: the value is the next token. */
  | { readonly kind: 'param'; readonly name: string; readonly colon: boolean; readonly column: number }
  | { readonly kind: 'pipe'; readonly column: number }
  | { readonly kind: 'comma'; readonly column: number }
  /** The text between the outer braces, as written. */
  | { readonly kind: 'script'; readonly text: string; readonly column: number };

/** Hyphen-minus, EN DASH, EM DASH, HORIZONTAL BAR: documents pasted from Word turn `-` into the others. */
const DASHES = '-\u2013\u2014\u2015';
/** PowerShell also takes typographic quotes, which the same documents are full of. */
const SINGLE_QUOTES = "'\u2018\u2019\u201a\u201b";
const DOUBLE_QUOTES = '"\u201c\u201d\u201e';
const BACKTICK_ESCAPES: Readonly<Record<string, string>> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

export function isDash(ch: string | undefined): boolean {
  return ch !== undefined && ch.length === 1 && DASHES.includes(ch);
}
export function isSingleQuote(ch: string | undefined): boolean {
  return ch !== undefined && ch.length === 1 && SINGLE_QUOTES.includes(ch);
}
export function isDoubleQuote(ch: string | undefined): boolean {
  return ch !== undefined && ch.length === 1 && DOUBLE_QUOTES.includes(ch);
}
function isNewline(ch: string | undefined): boolean {
  return ch === '\n' || ch === '\r';
}
function isBlank(ch: string | undefined): boolean {
  return ch !== undefined && !isNewline(ch) && /\s/.test(ch);
}
/** Characters that end a bare word or a parameter name. */
function endsWord(ch: string | undefined): boolean {
  return ch === undefined || /\s/.test(ch) || ch === '|' || ch === ',' || ch === ';';
}
const PARAM_START = /[\p{L}_?]/u;
const PARAM_CHAR = /[\p{L}\p{N}_?-]/u;

export function syntaxError(column: number, detail: string): TandemError {
  return new TandemError('SHELL_SYNTAX', { column, detail });
}

/** The character a backtick turns `ch` into, inside double quotes and bare words. */
export function unescapeBacktick(ch: string): string {
  return BACKTICK_ESCAPES[ch] ?? ch;
}

/**
 * Reads the quoted string that opens at `start`; returns its value and the index after the closing quote.
 * Single quotes: `''` is a quote. Double quotes: backtick escapes, and `""` is a quote.
 */
export function readQuoted(line: string, start: number): { text: string; end: number } {
  const double = isDoubleQuote(line[start]);
  const isQuote = double ? isDoubleQuote : isSingleQuote;
  let text = '';
  let i = start + 1;
  while (i < line.length) {
    const ch = line[i] as string;
    if (isQuote(ch)) {
      if (!isQuote(line[i + 1])) return { text, end: i + 1 };
      text += ch;
      i += 2;
    } else if (double && ch === '`' && i + 1 < line.length) {
      text += unescapeBacktick(line[i + 1] as string);
      i += 2;
    } else {
      text += ch;
      i += 1;
    }
  }
  const kind = double ? 'double' : 'single';
  throw syntaxError(start + 1, `the ${kind}-quoted string that starts here has no closing quote.`);
}

/** The index after the `}` that closes the script block opening at `start`; quotes inside are respected. */
function scriptEnd(line: string, start: number): number {
  let depth = 0;
  let i = start;
  while (i < line.length) {
    const ch = line[i] as string;
    if (isSingleQuote(ch) || isDoubleQuote(ch)) {
      i = readQuoted(line, i).end;
      continue;
    }
    if (ch === '`') i += 1;
    else if (ch === '{') depth += 1;
    else if (ch === '}' && --depth === 0) return i + 1;
    i += 1;
  }
  throw syntaxError(start + 1, "the script block that starts here has no closing '}'.");
}

/** Tokenizes one command line (a pipeline). Throws SHELL_SYNTAX with the column of the fault. */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;

  const readWord = (): void => {
    const start = i;
    let text = '';
    let quoted = false;
    while (!endsWord(line[i])) {
      const ch = line[i] as string;
      if (isSingleQuote(ch) || isDoubleQuote(ch)) {
        const q = readQuoted(line, i);
        text += q.text;
        quoted = true;
        i = q.end;
      } else if (ch === '`') {
        const next = line[i + 1];
        if (next === undefined)
          throw syntaxError(i + 1, 'a backtick at the end of the line escapes nothing.');
        if (isNewline(next)) break;
        text += unescapeBacktick(next);
        i += 2;
      } else {
        text += ch;
        i += 1;
      }
    }
    const column = start + 1;
    const special = quoted ? undefined : /^\$(true|false|null)$/i.exec(text)?.[1]?.toLowerCase();
    if (special === 'null') tokens.push({ kind: 'null', column });
    else if (special !== undefined) tokens.push({ kind: 'bool', value: special === 'true', column });
    else tokens.push({ kind: 'text', text, quoted, column });
  };

  /** `-Name` or `-Name:`; returns false when the text is not a parameter after all (then it is a word). */
  const readParam = (): boolean => {
    let j = i + 1;
    while (j < line.length && PARAM_CHAR.test(line[j] as string)) j += 1;
    const colon = line[j] === ':';
    const name = line.slice(i + 1, j);
    if (line[j] === '=')
      throw syntaxError(j + 1, `write -${name}:value or -${name} value, not -${name}=value.`);
    if (!colon && !endsWord(line[j])) return false;
    tokens.push({ kind: 'param', name, colon, column: i + 1 });
    i = colon ? j + 1 : j;
    return true;
  };

  /** `<Pool1 FQDN>` copied from the documentation: one word, so the binder can say what it is. */
  const readPlaceholder = (): boolean => {
    const close = line.indexOf('>', i + 1);
    const inner = close < 0 ? '' : line.slice(i + 1, close);
    if (inner.trim() === '' || /[<|\r\n]/.test(inner) || !endsWord(line[close + 1])) return false;
    tokens.push({ kind: 'text', text: line.slice(i, close + 1), quoted: false, column: i + 1 });
    i = close + 1;
    return true;
  };

  while (i < line.length) {
    const ch = line[i] as string;
    const column = i + 1;
    if (isBlank(ch)) {
      i += 1;
    } else if (isNewline(ch) || (ch === '`' && isNewline(line[i + 1]))) {
      // A newline continues the command after a backtick or a pipe, as in PowerShell; otherwise it would
      // silently start a second command, which this shell does not run.
      const continued = ch === '`' || tokens.at(-1)?.kind === 'pipe' || tokens.length === 0;
      i += ch === '`' ? 1 : 0;
      while (isNewline(line[i]) || isBlank(line[i])) i += 1;
      if (!continued && i < line.length && line[i] !== '#') {
        throw syntaxError(column, 'give one command at a time (end a line with ` or | to continue it).');
      }
    } else if (ch === '#') {
      break;
    } else if (ch === '|') {
      tokens.push({ kind: 'pipe', column });
      i += 1;
    } else if (ch === ',') {
      tokens.push({ kind: 'comma', column });
      i += 1;
    } else if (ch === ';') {
      throw syntaxError(column, "give one command at a time; quote a value that contains ';'.");
    } else if (ch === '{') {
      const end = scriptEnd(line, i);
      tokens.push({ kind: 'script', text: line.slice(i + 1, end - 1), column });
      i = end;
    } else if (ch === '}') {
      throw syntaxError(column, "this '}' closes no script block.");
    } else if (isDash(ch) && isDash(line[i + 1]) && PARAM_START.test(line[i + 2] ?? '')) {
      throw syntaxError(
        column,
        'a parameter takes one dash, as in -PoolFqdn; quote a value that starts with --.',
      );
    } else if (isDash(ch) && PARAM_START.test(line[i + 1] ?? '') && readParam()) {
      // read as a parameter
    } else if (ch === '<' && readPlaceholder()) {
      // read as one word, spaces included
    } else {
      readWord();
    }
  }
  return tokens;
}
