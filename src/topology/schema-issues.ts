/**
 * @module Turns zod's findings on a topology document into TopologyIssues whose messages speak to an
 * administrator: a missing field, a wrong type, a misspelt key (with the keys allowed there).
 */
import { z } from 'zod';
import { formatIssuePath, type TopologyIssue } from './topology-issue.js';
import { topologySchema } from './topology-schema.js';

const EXPECTED: Readonly<Record<string, string>> = {
  object: 'a mapping',
  array: 'a list',
  int: 'a whole number',
};

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'string') {
    // A whole document can arrive as one string: quote only its start.
    return `the string '${input.length > 60 ? `${input.slice(0, 60)}…` : input}'`;
  }
  return `${typeof input} ${JSON.stringify(input) ?? ''}`;
}

/** Error map passed to `safeParse`: it only rewords zod's defaults; messages set in the schema win. */
export const schemaErrorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required but missing';
      return `expected ${EXPECTED[issue.expected] ?? issue.expected}, got ${describe(issue.input)}`;
    case 'invalid_union':
      return `expected a number of seconds or a TimeSpan string, got ${describe(issue.input)}`;
    case 'too_small':
      return `must be at least ${String(issue.minimum)}, got ${String(issue.input)}`;
    case 'too_big':
      return `must be at most ${String(issue.maximum)}, got ${String(issue.input)}`;
    default:
      return undefined;
  }
};

/** The schema found at a path of the document, or undefined; used to list the keys allowed there. */
function schemaAt(path: readonly PropertyKey[]): z.ZodType | undefined {
  let node: z.ZodType | undefined = topologySchema;
  for (const segment of path) {
    node = unwrap(node);
    if (node instanceof z.ZodArray && typeof segment === 'number') node = node.element as z.ZodType;
    else if (node instanceof z.ZodObject && typeof segment === 'string')
      node = node.shape[segment] as z.ZodType | undefined;
    else return undefined;
  }
  return unwrap(node);
}

function unwrap(node: z.ZodType | undefined): z.ZodType | undefined {
  let current = node;
  for (;;) {
    if (current instanceof z.ZodOptional) current = current.unwrap() as z.ZodType;
    else if (current instanceof z.ZodPipe) current = current.in as z.ZodType;
    else return current;
  }
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
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

function unknownKeyMessage(key: string, allowed: readonly string[]): string {
  const close =
    allowed.find((k) => k.toLowerCase() === key.toLowerCase()) ??
    allowed.find((k) => editDistance(k, key) <= 2);
  const hint = close === undefined ? '' : ` Did you mean '${close}'?`;
  const list = allowed.length > 0 ? ` Allowed here: ${allowed.join(', ')}.` : '';
  return `unknown key '${key}'.${hint}${list}`;
}

/** One TopologyIssue per zod issue; an unknown-keys issue becomes one issue per key, at that key's path. */
export function issuesFromZod(error: z.ZodError): TopologyIssue[] {
  const out: TopologyIssue[] = [];
  // zod may run a value's checks after its type failed (min length of a list given for a string): say it once.
  const wrongType = new Set(
    error.issues.filter((i) => i.code === 'invalid_type').map((i) => formatIssuePath(i.path)),
  );
  for (const issue of error.issues) {
    if (issue.code !== 'invalid_type' && wrongType.has(formatIssuePath(issue.path))) continue;
    if (issue.code === 'unrecognized_keys') {
      const node = schemaAt(issue.path);
      const allowed = node instanceof z.ZodObject ? Object.keys(node.shape) : [];
      for (const key of issue.keys) {
        out.push({ path: formatIssuePath([...issue.path, key]), message: unknownKeyMessage(key, allowed) });
      }
    } else {
      out.push({ path: formatIssuePath(issue.path), message: issue.message });
    }
  }
  return out;
}
