/**
 * @module Reads a topology document (YAML) into the frozen Topology: YAML syntax, then the schema, then the
 * semantic checks. Every problem found is reported at once in one TOPOLOGY_INVALID error.
 */
import { safeParse } from '../json/safe-parse.js';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { TandemError } from '../errors/index.js';
import { compileTopology } from './compile-topology.js';
import { issuesFromZod, schemaErrorMap } from './schema-issues.js';
import { semanticChecks } from './semantic-checks.js';
import { DOCUMENT_PATH, formatIssues, type TopologyIssue } from './topology-issue.js';
import { topologySchema, type TopologyDocument } from './topology-schema.js';
import { textLimitIssues, treeLimitIssues } from './yaml-limits.js';
import type { Topology } from './topology-types.js';

export type { TopologyIssue } from './topology-issue.js';

export interface ParseTopologyOptions {
  /** Folder that relative SQLite files and file stores are resolved against. */
  readonly dataDir: string;
  /** Name of the document in messages, usually its file path. */
  readonly sourceName?: string;
}

type Checked =
  | { readonly doc: TopologyDocument; readonly issues: readonly [] }
  | { readonly doc: undefined; readonly issues: readonly TopologyIssue[] };

function check(raw: unknown, dataDir: string): Checked {
  if (raw === null || raw === undefined) {
    return {
      doc: undefined,
      issues: [
        {
          path: DOCUMENT_PATH,
          message: 'the topology document is empty; it needs name, sipDomain, cmsPool, sites and pools',
        },
      ],
    };
  }
  const result = safeParse(topologySchema, raw, { error: schemaErrorMap });
  // The semantic rules read cross-references, so they run only on a document whose shape is right.
  if (!result.success) return { doc: undefined, issues: issuesFromZod(result.error) };
  const issues = semanticChecks(result.data, dataDir);
  return issues.length === 0 ? { doc: result.data, issues: [] } : { doc: undefined, issues };
}

/**
 * All problems of a document already read from YAML (schema first, then semantic rules), or an empty list.
 * `dataDir` matters only to tell whether two pools share a storage path; it defaults to the current folder.
 */
export function validateTopologyDocument(
  raw: unknown,
  options: { readonly dataDir?: string } = {},
): TopologyIssue[] {
  return [...check(raw, path.resolve(options.dataDir ?? '.')).issues];
}

function invalid(issues: readonly TopologyIssue[], sourceName: string | undefined): TandemError {
  return new TandemError('TOPOLOGY_INVALID', { details: formatIssues(issues), source: sourceName });
}

/** Parses and validates a topology document; throws TandemError TOPOLOGY_INVALID listing every problem. */
export function parseTopology(yamlText: string, options: ParseTopologyOptions): Topology {
  const where = options.sourceName ?? 'topology';
  const tooLarge = textLimitIssues(yamlText, where);
  if (tooLarge.length > 0) throw invalid(tooLarge, options.sourceName);
  // yaml's own unique-key check is quadratic in a mapping's keys; treeLimitIssues checks them in one pass.
  const document = parseDocument(yamlText, { uniqueKeys: false });
  if (document.errors.length > 0) {
    const issues = document.errors.map((error) => {
      const at = error.linePos?.[0];
      // yaml appends "at line L, column C:" and a code frame; one line per problem keeps `details` readable.
      const message = error.message.split(/ at line \d+, column \d+:/)[0] ?? error.message;
      return {
        path: at ? `${where} line ${at.line}, column ${at.col}` : where,
        message: `YAML syntax error: ${message}`,
      };
    });
    throw invalid(issues, options.sourceName);
  }
  const treeIssues = treeLimitIssues(document, yamlText, where);
  if (treeIssues.length > 0) throw invalid(treeIssues, options.sourceName);
  let raw: unknown;
  try {
    raw = document.toJS();
  } catch (err) {
    // yaml refuses an alias bomb or an unresolved alias only when it builds the value, with a ReferenceError.
    const message = err instanceof Error ? err.message : String(err);
    throw invalid([{ path: where, message: `YAML error: ${message}` }], options.sourceName);
  }
  const dataDir = path.resolve(options.dataDir);
  const checked = check(raw, dataDir);
  if (checked.doc === undefined) throw invalid(checked.issues, options.sourceName);
  return compileTopology(checked.doc, dataDir);
}

/** Reads and parses a topology file; throws TOPOLOGY_FILE_UNREADABLE when the file cannot be read. */
export function readTopologyFile(filePath: string, options: ParseTopologyOptions): Topology {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new TandemError('TOPOLOGY_FILE_UNREADABLE', { path: filePath, reason }, { cause: err });
  }
  return parseTopology(text, { ...options, sourceName: options.sourceName ?? filePath });
}
