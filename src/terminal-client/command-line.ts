/**
 * @module Reading what the user typed: a `/command` with arguments (shell-like quoting), or chat text.
 * Free-text arguments (a note, a message) are taken raw from the line so that apostrophes survive.
 */

export interface ParsedCommand {
  /** Lower-cased, without the slash. */
  readonly name: string;
  readonly args: readonly string[];
  /** The text after the command name, as typed. */
  readonly argsText: string;
  /** Where each argument starts in argsText, and whether it was quoted. */
  readonly tokens: readonly { readonly start: number; readonly quoted: boolean }[];
}

export type ParsedLine =
  | { readonly kind: 'empty' }
  | { readonly kind: 'text'; readonly text: string }
  | ({ readonly kind: 'command' } & ParsedCommand);

interface Token {
  readonly value: string;
  readonly start: number;
  readonly quoted: boolean;
}

/**
 * Splits on whitespace. A token that starts with a quote runs to the matching quote (`\"` and `\\` escape
 * inside double quotes); a quote inside a word, or one never closed, is literal: `it's` stays `it's`.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i] ?? '')) i++;
    if (i >= text.length) break;
    const start = i;
    const quote = text[i];
    if (quote === '"' || quote === "'") {
      const closed = readQuoted(text, i, quote);
      if (closed !== undefined) {
        tokens.push({ value: closed.value, start, quoted: true });
        i = closed.end;
        continue;
      }
    }
    while (i < text.length && !/\s/.test(text[i] ?? '')) i++;
    tokens.push({ value: text.slice(start, i), start, quoted: false });
  }
  return tokens;
}

function readQuoted(text: string, open: number, quote: string): { value: string; end: number } | undefined {
  let value = '';
  for (let i = open + 1; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (quote === '"' && ch === '\\' && (text[i + 1] === '"' || text[i + 1] === '\\')) {
      value += text[++i];
    } else if (ch === quote) {
      const after = text[i + 1];
      if (after === undefined || /\s/.test(after)) return { value, end: i + 1 };
      value += ch;
    } else {
      value += ch;
    }
  }
  return undefined;
}

/** A `/command` line as name and arguments; undefined for anything else. */
export function parseCommand(line: string): ParsedCommand | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('/') || trimmed.startsWith('//')) return undefined;
  const match = /^\/(\S*)\s*/.exec(trimmed);
  const name = (match?.[1] ?? '').toLowerCase();
  const argsText = trimmed.slice(match?.[0].length ?? 1);
  const tokens = tokenize(argsText);
  return {
    name,
    args: tokens.map((t) => t.value),
    argsText,
    tokens: tokens.map(({ start, quoted }) => ({ start, quoted })),
  };
}

/** Classifies a line: blank, a command, or text for the current chat (`//x` sends `/x`). */
export function parseLine(line: string): ParsedLine {
  const trimmed = line.trim();
  if (trimmed === '') return { kind: 'empty' };
  const command = parseCommand(trimmed);
  if (command !== undefined) return { kind: 'command', ...command };
  return { kind: 'text', text: trimmed.startsWith('//') ? trimmed.slice(1) : trimmed };
}

/**
 * The free text from argument `index` on, as typed (`/im bob it's late` → `it's late`); a single quoted
 * argument is unquoted (`/presence Busy "in a meeting"` → `in a meeting`). Empty when there is none.
 */
export function textFrom(command: ParsedCommand, index: number): string {
  const token = command.tokens[index];
  if (token === undefined) return '';
  if (token.quoted && command.tokens.length === index + 1) return command.args[index] ?? '';
  return command.argsText.slice(token.start).trim();
}

/** The edit distance between two words (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost));
    }
    previous = row;
  }
  return previous[b.length] ?? 0;
}

/** The candidate a mistyped word most likely meant: the only one it starts, else the nearest close one. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  const w = word.toLowerCase();
  if (w === '') return undefined;
  const prefixed = candidates.filter((c) => c.startsWith(w));
  if (prefixed.length === 1) return prefixed[0];
  let best: { name: string; distance: number } | undefined;
  for (const c of candidates) {
    const distance = editDistance(w, c);
    if (best === undefined || distance < best.distance) best = { name: c, distance };
  }
  const limit = Math.max(1, Math.floor(w.length / 2));
  return best !== undefined && best.distance <= limit ? best.name : undefined;
}
