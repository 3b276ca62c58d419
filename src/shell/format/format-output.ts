/**
 * @module Renders output records for people as PowerShell's Format-List / Format-Table would: a list of
 * `Name : Value` for one record or wide records, otherwise a table sized to fit the console.
 */

export type View = 'list' | 'table' | 'auto';

export interface FormatOptions {
  readonly view?: View;
  /** Console width to fit; 120 by default. */
  readonly width?: number;
}

const DEFAULT_WIDTH = 120;
/** PowerShell switches to a list when an object has more than this many properties. */
const MAX_TABLE_PROPERTIES = 5;
const ELLIPSIS = '…';
const MIN_COLUMN = 4;

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

/** `2026-11-23 10:48:09`, in local time. */
export function formatDate(date: Date): string {
  if (Number.isNaN(date.getTime())) return 'Invalid Date';
  const day = `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`;
  return `${day} ${pad2(date.getHours())}:${pad2(date.getMinutes())}:${pad2(date.getSeconds())}`;
}

/** One value as PowerShell shows it: `{a, b}` for arrays, True/False, `key=value; …` for objects. */
export function formatValue(value: unknown, nested = false): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (value instanceof Date) return formatDate(value);
  if (Array.isArray(value)) return `{${value.map((item: unknown) => formatValue(item, true)).join(', ')}}`;
  if (typeof value === 'object') {
    const body = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${formatValue(v, true)}`)
      .join('; ');
    return nested ? `{${body}}` : body;
  }
  return typeof value === 'number' || typeof value === 'bigint' ? value.toString() : '';
}

/** The property names of all records, in order of first appearance. */
function columnsOf(records: readonly Record<string, unknown>[]): string[] {
  const seen = new Set<string>();
  for (const record of records) for (const key of Object.keys(record)) seen.add(key);
  return [...seen];
}

/** Shortens `text` to `width` characters, marking the cut with an ellipsis. */
export function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? ELLIPSIS.slice(0, width) : `${text.slice(0, width - 1)}${ELLIPSIS}`;
}

/** Wraps `text` into lines of at most `width`, at spaces where it can, hard where it must. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let rest = paragraph;
    while (rest.length > width) {
      const space = rest.lastIndexOf(' ', width);
      const cut = space > 0 ? space : width;
      lines.push(rest.slice(0, cut).trimEnd());
      rest = rest.slice(cut).trimStart();
    }
    lines.push(rest);
  }
  return lines;
}

function formatList(records: readonly Record<string, unknown>[], width: number): string {
  const blocks = records.map((record) => {
    const names = Object.keys(record);
    const nameWidth = Math.max(0, ...names.map((n) => n.length));
    const valueWidth = Math.max(20, width - nameWidth - 3);
    const indent = ' '.repeat(nameWidth + 3);
    return names
      .map((name) => {
        const [first = '', ...more] = wrap(formatValue(record[name]), valueWidth);
        const head = `${name.padEnd(nameWidth)} : ${first}`.trimEnd();
        return [head, ...more.map((line) => `${indent}${line}`)].join('\n');
      })
      .join('\n');
  });
  return blocks.join('\n\n');
}

function isNumeric(value: unknown): boolean {
  return typeof value === 'number' || typeof value === 'bigint';
}

function formatTable(records: readonly Record<string, unknown>[], width: number): string {
  const columns = columnsOf(records);
  const cells = records.map((record) =>
    columns.map((c) => formatValue(record[c]).replace(/\s*\r?\n\s*/g, ' ')),
  );
  const widths = columns.map((c, j) => Math.max(c.length, ...cells.map((row) => (row[j] ?? '').length)));
  // Shrink the widest column until the table fits; as in PowerShell, a table too wide even then overflows.
  const total = (): number => widths.reduce((a, b) => a + b, 0) + widths.length - 1;
  while (total() > width) {
    const widest = widths.indexOf(Math.max(...widths));
    if ((widths[widest] ?? 0) <= MIN_COLUMN) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
  // Numbers align right, as PowerShell aligns them.
  const right = columns.map(
    (c) => records.some((r) => isNumeric(r[c])) && records.every((r) => r[c] == null || isNumeric(r[c])),
  );
  const line = (row: readonly string[]): string =>
    row
      .map((cell, j) => {
        const w = widths[j] ?? 0;
        const text = truncate(cell, w);
        return right[j] ? text.padStart(w) : text.padEnd(w);
      })
      .join(' ')
      .trimEnd();
  const header = line(columns);
  const underline = line(columns.map((c, j) => '-'.repeat(Math.min(c.length, widths[j] ?? 0))));
  return [header, underline, ...cells.map(line)].join('\n');
}

/**
 * Formats records for the console. `auto` (the default) picks a list for one record or for records with more
 * than five properties, and a table otherwise. Returns '' for no records; the text has no final newline.
 */
export function formatRecords(
  records: readonly Record<string, unknown>[],
  options: FormatOptions = {},
): string {
  if (records.length === 0) return '';
  const width = options.width ?? DEFAULT_WIDTH;
  const view = options.view ?? 'auto';
  switch (view) {
    case 'list':
      return formatList(records, width);
    case 'table':
      return formatTable(records, width);
    case 'auto':
      return records.length === 1 || columnsOf(records).length > MAX_TABLE_PROPERTIES
        ? formatList(records, width)
        : formatTable(records, width);
    default:
      return assertNever(view);
  }
}

function assertNever(value: never): never {
  throw new Error(`Unexpected view: ${String(value)}`);
}
