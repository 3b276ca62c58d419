/** @module Keeps docs/cmdlets.md equal to what the registry generates; UPDATE_DOCS=1 rewrites it instead. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CMDLETS } from '../../cmdlets/registry.js';
import { packageRoot } from '../../files/package-root.js';
import { cmdletsMarkdown, groupCmdlets } from './cmdlets-markdown.js';

const DOC = join(packageRoot(), 'docs', 'cmdlets.md');
const OUT_OF_DATE =
  'docs/cmdlets.md is out of date: run `UPDATE_DOCS=1 npx vitest run src/shell/help src/errors` and commit the result.';

describe('docs/cmdlets.md', () => {
  const generated = cmdletsMarkdown(ALL_CMDLETS);

  it('matches the cmdlet registry', () => {
    if (process.env.UPDATE_DOCS === '1') writeFileSync(DOC, generated);
    const committed = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '';
    expect(committed, OUT_OF_DATE).toBe(generated);
  });

  it('is deterministic', () => {
    expect(cmdletsMarkdown(ALL_CMDLETS)).toBe(generated);
  });

  it('documents every cmdlet once, in a named section', () => {
    for (const def of ALL_CMDLETS) {
      expect(generated.split('\n').filter((line) => line === `### ${def.name}`)).toHaveLength(1);
    }
    const titles = groupCmdlets(ALL_CMDLETS).map(([title]) => title);
    expect(titles).not.toContain('Other');
    expect(titles[0]).toBe('Topology');
  });

  it('puts cmdlets missing from the section map under Other, last', () => {
    const stray = { ...ALL_CMDLETS[0]!, name: 'Get-CsSomethingNew' };
    const groups = groupCmdlets([stray, ...ALL_CMDLETS]);
    expect(groups.at(-1)).toEqual(['Other', [stray]]);
  });

  it('escapes enum pipes in parameter tables and fences examples as PowerShell', () => {
    expect(generated).toContain('| `-Category` | UserData\\|CMS | no | named |');
    expect(generated).toContain(
      'Example 1:\n\n```powershell\nInvoke-CsPoolFailOver -PoolFqdn "atl-cs-001.litwareinc.com"\n```\n\nPlanned failover',
    );
    expect(generated).toContain('Range: 00:00:05 to 03:00:00.');
  });

  it('escapes prose that Markdown would take for HTML or emphasis, but not code spans', () => {
    expect(generated).toContain('service:\\<Persistent Chat pool FQDN\\>.');
    expect(generated).toContain('e.g. \\*Failover\\*.');
    expect(generated).toContain('start them with `tandem up` or `tandem server`');
  });
});
