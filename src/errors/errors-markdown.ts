/**
 * @module Generates docs/errors.md from the error registry: how errors reach people and machines, then one
 * table of codes per area. Deterministic, so a test can compare it with the committed file.
 */
import { ErrorCodes, type ErrorArea, type ErrorCode, type ErrorSpec } from './registry.js';

/** Areas in the order the document lists them, with their titles. */
const AREA_TITLES: Readonly<Record<ErrorArea, string>> = {
  general: 'General',
  topology: 'Topology',
  shell: 'Management shell',
  admin: 'Admin API and access control',
  directory: 'Directory (users)',
  cms: 'Central Management Store',
  failover: 'Pool failover and failback',
  storage: 'Storage',
  protocol: 'Client protocol',
  s2s: 'Server-to-server links',
  certificates: 'Certificates (TLS)',
  duties: 'Pool duties (held by one front end at a time)',
};

const AREA_ORDER = Object.keys(AREA_TITLES) as ErrorArea[];

/**
 * Shows text verbatim in a table cell: a code span fenced by more backticks than it contains, pipes escaped
 * (GitHub splits cells at `|` even inside code), line breaks written as `\n`.
 */
function codeCell(text: string): string {
  const flat = text.replace(/\r?\n/g, '\\n').replace(/\|/g, '\\|');
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A table with its columns padded to one width, as Prettier lays Markdown tables out (docs/ is checked). */
function alignedTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, j) => Math.max(3, h.length, ...rows.map((row) => (row[j] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((c, j) => c.padEnd(widths[j] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

function areaTable(entries: readonly [ErrorCode, ErrorSpec][]): string[] {
  return alignedTable(
    ['Code', 'HTTP', 'Retryable', 'Message template'],
    entries.map(([code, spec]) => [
      `\`${code}\``,
      String(spec.http),
      spec.retryable ? 'yes' : 'no',
      codeCell(spec.message),
    ]),
  );
}

const INTRO: readonly string[] = [
  '# Tandem error codes',
  '',
  '<!-- Generated from src/errors/registry.ts. Do not edit by hand. -->',
  '',
  'This file is generated from the error registry (`src/errors/registry.ts`); do not edit it by hand.',
  'A test (`src/errors/errors-markdown.test.ts`) fails when it no longer matches the registry; regenerate it with',
  '`UPDATE_DOCS=1 npx vitest run src/shell/help src/errors`.',
  '',
  'Every error Tandem reports carries a stable code from the tables below, a message built from the',
  "code's template (each `{name}` is replaced by the error's parameter of that name), and whether it is retryable.",
  'Scripts and programs should test the code, never the message: messages may be reworded, codes are not.',
  '',
  '## Where errors are seen',
  '',
  '- **Management shell**: the shell prints `Cmdlet-Name : message` (for example',
  '  `Move-CsUser : There is no user sip:bob@litwareinc.com.`) and exits with a non-zero status.',
  '- **Admin API**: a refused request is answered with the HTTP status of the code and the body',
  '  `{ "error": { "code": "UNKNOWN_POOL", "message": "...", "retryable": false, "params": { ... } } }`.',
  '  An error met while a cmdlet already runs arrives as a `{ "type": "error", "error": { ... } }` line of',
  '  its NDJSON stream.',
  '- **Client protocol and server-to-server links**: the same wire error (`code`, `message`, `retryable`,',
  '  `params`) travels in the protocol frame or HTTP response, so a peer server or the client SDK rebuilds',
  '  the error the other side raised.',
  '',
  '## Retryable',
  '',
  '`retryable: yes` means the same request may succeed later without anyone changing it: the condition is',
  'expected to pass (a store or peer is briefly unreachable, the CMS is read-only during a failover). Machines',
  'decide from this field, not from the message: the client SDK and the Backup Service retry such a request',
  'later on their own. A person running a cmdlet sees the error and may run it again. `retryable: no` means',
  'that retrying unchanged fails the same way: fix the request, the topology or the credential first.',
  '',
];

/** The whole of docs/errors.md, ending with one newline. */
export function errorsMarkdown(): string {
  const entries = Object.entries(ErrorCodes) as [ErrorCode, ErrorSpec][];
  const lines: string[] = [...INTRO];
  for (const area of AREA_ORDER) {
    const inArea = entries.filter(([, spec]) => spec.area === area);
    if (inArea.length === 0) continue;
    lines.push(`## ${AREA_TITLES[area]}`, '', ...areaTable(inArea), '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}
