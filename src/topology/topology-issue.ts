/**
 * @module One problem found in a topology document, named by the path of the field at fault
 * (`pools[1].backupPool`), and the helpers that build those paths.
 */

export interface TopologyIssue {
  /** Path of the field at fault, `pools[1].servers[0].address`; `(document)` for the document as a whole. */
  readonly path: string;
  readonly message: string;
}

/** Path of the document itself, used when no field can be named (an empty document). */
export const DOCUMENT_PATH = '(document)';

/** Formats a path such as `['pools', 1, 'backupPool']` as `pools[1].backupPool`. */
export function formatIssuePath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const segment of segments) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? String(segment) : `.${String(segment)}`;
  }
  return out === '' ? DOCUMENT_PATH : out;
}

/** Renders issues one per line, as the `details` of TOPOLOGY_INVALID. */
export function formatIssues(issues: readonly TopologyIssue[]): string {
  // A value quoted in a message may hold line breaks; escaped, each issue stays on its own line.
  return issues.map((issue) => `${issue.path}: ${issue.message.replace(/\r?\n/g, '\\n')}`).join('\n');
}
