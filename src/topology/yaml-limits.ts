/**
 * @module The size limits of a topology document, checked in linear time. yaml's own duplicate-key check
 * compares each key with every earlier one (300,000 keys in one mapping kept a CMS master busy for 19
 * minutes), and its composer recurses once per level (200,000 levels overflowed the stack): so the text's
 * flow nesting is measured before parsing, and the parsed tree is walked once, without recursion, for
 * depth, keys per mapping, items per sequence and duplicate keys.
 */
import { isMap, isPair, isScalar, isSeq, type Document } from 'yaml';
import type { TopologyIssue } from './topology-issue.js';

export const TopologyLimits = {
  /** The document's size in bytes (UTF-8). */
  maxBytes: 1024 * 1024,
  /** Nesting of mappings and sequences. */
  maxDepth: 32,
  /** Keys of one mapping. */
  maxKeysPerMapping: 1_000,
  /** Items of one sequence (pools, servers, sites). */
  maxItemsPerSequence: 10_000,
} as const;

const issue = (where: string, message: string): TopologyIssue => ({ path: where, message });

/** Size and flow nesting (`[[[…`), from the text alone: what must be refused before the parser runs. */
export function textLimitIssues(text: string, where: string): TopologyIssue[] {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > TopologyLimits.maxBytes)
    return [
      issue(
        where,
        `the document is ${bytes} bytes; the limit is ${TopologyLimits.maxBytes} bytes (docs/operations.md, Limits)`,
      ),
    ];
  const depth = flowDepth(text);
  if (depth > TopologyLimits.maxDepth) return [tooDeep(where)];
  return [];
}

function tooDeep(where: string): TopologyIssue {
  return issue(
    where,
    `the document nests more than ${TopologyLimits.maxDepth} levels deep (docs/operations.md, Limits)`,
  );
}

/**
 * The deepest `[`/`{` nesting outside quoted text and comments. Approximate where plain text holds brackets,
 * which only ever counts too much for a document far outside any real topology.
 */
function flowDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let quote = '';
  let previous = '\n';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote) {
      if (ch === quote) quote = '';
      else if (ch === '\\' && quote === '"') i += 1;
    } else if (ch === '#' && /\s/.test(previous)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
    } else if ((ch === '"' || ch === "'") && /[\s[{,:]/.test(previous)) quote = ch;
    else if (ch === '[' || ch === '{') max = Math.max(max, ++depth);
    else if (ch === ']' || ch === '}') depth = Math.max(0, depth - 1);
    previous = ch;
  }
  return max;
}

/** Depth, counts and duplicate keys of the parsed tree, in one pass without recursion. */
export function treeLimitIssues(doc: Document, text: string, where: string): TopologyIssue[] {
  const at = (offset: number | undefined): string => {
    if (offset === undefined) return where;
    let line = 1;
    let start = 0;
    for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) [line, start] = [line + 1, i + 1];
    return `${where} line ${line}, column ${offset - start + 1}`;
  };
  const issues: TopologyIssue[] = [];
  const stack: { node: unknown; depth: number }[] = [{ node: doc.contents, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > TopologyLimits.maxDepth) return [tooDeep(where)];
    if (isSeq(node)) {
      if (node.items.length > TopologyLimits.maxItemsPerSequence)
        return [
          issue(
            where,
            `a list has ${node.items.length} items; the limit is ${TopologyLimits.maxItemsPerSequence} (docs/operations.md, Limits)`,
          ),
        ];
      for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
      continue;
    }
    if (node.items.length > TopologyLimits.maxKeysPerMapping)
      return [
        issue(
          where,
          `a mapping has ${node.items.length} keys; the limit is ${TopologyLimits.maxKeysPerMapping} (docs/operations.md, Limits)`,
        ),
      ];
    const seen = new Set<string>();
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = keyText(pair.key);
      if (key !== undefined) {
        // Reported at most a few times: each report counts lines, and the pass must stay linear.
        if (seen.has(key) && issues.length < MAX_DUPLICATES_REPORTED)
          issues.push(
            issue(
              at(keyOffset(pair.key)),
              `YAML syntax error: map keys must be unique; '${key.slice(0, 80)}' appears twice in one mapping`,
            ),
          );
        seen.add(key);
      }
      stack.push({ node: pair.value, depth: depth + 1 });
    }
  }
  return issues;
}

const MAX_DUPLICATES_REPORTED = 10;

function keyText(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value) : undefined;
}

function keyOffset(key: unknown): number | undefined {
  return isScalar(key) ? key.range?.[0] : undefined;
}
