/** @module Keeps docs/errors.md equal to what the error registry generates; UPDATE_DOCS=1 rewrites it instead. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../files/package-root.js';
import { errorsMarkdown } from './errors-markdown.js';
import { ErrorCodes } from './registry.js';

const DOC = join(packageRoot(), 'docs', 'errors.md');
const OUT_OF_DATE =
  'docs/errors.md is out of date: run `UPDATE_DOCS=1 npx vitest run src/shell/help src/errors` and commit the result.';

describe('docs/errors.md', () => {
  const generated = errorsMarkdown();

  it('matches the error registry', () => {
    if (process.env.UPDATE_DOCS === '1') writeFileSync(DOC, generated);
    const committed = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '';
    expect(committed, OUT_OF_DATE).toBe(generated);
  });

  it('is deterministic', () => {
    expect(errorsMarkdown()).toBe(generated);
  });

  it('lists every code once with its status and retryability', () => {
    const rows = generated
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.split(' | ').map((cell) => cell.replace(/^\|/, '').trim()));
    for (const [code, spec] of Object.entries(ErrorCodes)) {
      const matching = rows.filter((row) => row[0] === `\`${code}\``);
      expect(matching, code).toHaveLength(1);
      expect(matching[0]?.slice(1, 3), code).toEqual([String(spec.http), spec.retryable ? 'yes' : 'no']);
    }
  });

  it('keeps templates intact inside table cells', () => {
    expect(generated).toContain(
      '``No server of the deployment answered ({tried}). Start it with `npm start`',
    );
    expect(generated).toContain('`The topology is invalid:\\n{details}`');
  });
});
