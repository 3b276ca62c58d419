/** @module Get-Help and Get-Command text, checked against the real cmdlet registry. */
import { describe, expect, it } from 'vitest';
import type { CmdletDef } from '../../cmdlets/cmdlet-def.js';
import { ALL_CMDLETS, cmdletRegistry } from '../../cmdlets/registry.js';
import { renderCommandList, renderHelp, syntaxLine, typeLabel } from './render-help.js';

function def(name: string): CmdletDef {
  const found = cmdletRegistry.find(name);
  if (!found) throw new Error(`no cmdlet ${name} in the registry`);
  return found;
}

/** The indented lines of one section of the help text, up to the next heading. */
function sectionLines(help: string, title: string): string[] {
  const lines = help.split('\n');
  const start = lines.indexOf(title);
  if (start < 0) return [];
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => /^[A-Z]/.test(line));
  return (end < 0 ? rest : rest.slice(0, end))
    .filter((line) => line.trim() !== '')
    .map((line) => line.trim());
}

describe('renderHelp', () => {
  it('prints the syntax of Invoke-CsPoolFailOver with required, optional, switch and common parameters', () => {
    const expected =
      'Invoke-CsPoolFailOver -PoolFqdn <Fqdn> [-DisasterMode] [-FlushStorageService] [-WaitTime <TimeSpan>] [-WhatIf] [-Confirm] [-Verbose] [-Force]';
    expect(syntaxLine(def('Invoke-CsPoolFailOver'))).toBe(expected);
    expect(sectionLines(renderHelp(def('Invoke-CsPoolFailOver')), 'SYNTAX')).toEqual([expected]);
  });

  it('shows positional parameters first and offers -WhatIf/-Confirm only when the cmdlet supports them', () => {
    expect(syntaxLine(def('Get-CsManagementStoreReplicationStatus'))).toBe(
      'Get-CsManagementStoreReplicationStatus [[-ReplicaFqdn] <Fqdn>] [-CentralManagementStoreStatus] [-Verbose] [-Force]',
    );
    expect(syntaxLine(def('Set-CsBackupServiceConfiguration'))).toBe(
      'Set-CsBackupServiceConfiguration [[-Identity] <Identity>] [-SyncInterval <TimeSpan>] [-Continuous] [-WhatIf] [-Confirm] [-Verbose] [-Force]',
    );
    expect(syntaxLine(def('Move-CsUser'))).toBe(
      'Move-CsUser [-Identity] <String> -Target <Fqdn> [-WhatIf] [-Confirm] [-Verbose] [-Force]',
    );
  });

  it('marks required and optional parameters and their positions', () => {
    const help = renderHelp(def('Move-CsUser'));
    expect(help).toMatch(/-Identity <String>\n[^]*?Required\? +true\n +Position\? +0\n/);
    const failover = renderHelp(def('Invoke-CsPoolFailOver'));
    expect(failover).toMatch(/-PoolFqdn <Fqdn>\n[^]*?Required\? +true\n +Position\? +named\n/);
    expect(failover).toMatch(/-DisasterMode\n[^]*?Required\? +false\n/);
  });

  it('lists the values of an enum parameter', () => {
    const help = renderHelp(def('Get-CsBackupServiceStatus'));
    expect(help).toContain('-Category <UserData|CMS>');
    expect(help).toMatch(/Accepted values\? +UserData, CMS/);
    expect(typeLabel({ name: 'X', type: 'enum', values: ['A', 'B', 'C'], description: '' })).toBe('A|B|C');
  });

  it('shows the range of a timespan parameter as TimeSpans', () => {
    const help = renderHelp(def('Set-CsBackupServiceConfiguration'));
    expect(help).toMatch(/-SyncInterval <TimeSpan>\n[^]*?Range\? +00:00:05 to 03:00:00\n/);
    expect(renderHelp(def('Get-CsUser'))).toMatch(/Range\? +1 to 1000000/);
  });

  it('says when the feature is not yet available, and only then', () => {
    const help = renderHelp(def('Set-CsPersistentChatState'));
    expect(sectionLines(help, 'AVAILABILITY').join(' ')).toBe(
      'Persistent Chat failover is not yet available in this version of Tandem; the cmdlet parses but is refused.',
    );
    expect(renderHelp(def('Invoke-CsPoolFailOver'))).not.toContain('AVAILABILITY');
    expect(renderHelp(def('Get-CsTopology'))).not.toContain('AVAILABILITY');
  });

  it('lists the roles that may run the cmdlet', () => {
    for (const name of ['Get-CsPool', 'Get-CsUser', 'Get-CsBackupServiceStatus']) {
      expect(sectionLines(renderHelp(def(name)), 'ROLES').join(' '), name).toContain(
        'CsViewOnlyAdministrator',
      );
    }
    const failover = sectionLines(renderHelp(def('Invoke-CsPoolFailOver')), 'ROLES').join(' ');
    expect(failover).toBe('CsAdministrator, CsServerAdministrator');
    expect(failover).not.toContain('CsViewOnlyAdministrator');
    expect(sectionLines(renderHelp(def('Where-Object')), 'ROLES').join(' ')).toMatch(
      /runs in the shell.*no administrator role/i,
    );
  });

  it('numbers the examples, command first, and prints only them with examplesOnly', () => {
    const help = renderHelp(def('Invoke-CsPoolFailOver'), { examplesOnly: true });
    expect(help.split('\n').filter((line) => /^[A-Z]+$/.test(line))).toEqual([
      'NAME',
      'SYNOPSIS',
      'EXAMPLES',
    ]);
    expect(help).toMatch(
      /Example 1 -+\n\n {4}PS> Invoke-CsPoolFailOver -PoolFqdn "atl-cs-001.litwareinc.com"\n\n {4}Planned failover of the Atlanta pool\./,
    );
    expect(help).toContain('Example 2');
    expect(renderHelp(def('Bootstrapper'), { examplesOnly: true })).toContain('This cmdlet has no examples.');
  });

  it('renders every registered cmdlet with its sections in order', () => {
    for (const d of ALL_CMDLETS) {
      const titles = renderHelp(d)
        .split('\n')
        .filter((line) => /^[A-Z]+$/.test(line));
      const expected = ['NAME', 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'PARAMETERS', 'ROLES'];
      if (d.notYetAvailable) expected.push('AVAILABILITY');
      expect(titles, d.name).toEqual([...expected, 'EXAMPLES']);
    }
  });
});

describe('renderCommandList', () => {
  function names(table: string): string[] {
    return table
      .split('\n')
      .slice(2)
      .map((line) => line.split(' ')[0] ?? '');
  }

  it('lists every cmdlet with its availability', () => {
    const table = renderCommandList(ALL_CMDLETS);
    expect(table.split('\n')[0]).toMatch(/^Name +Available +Synopsis$/);
    expect(names(table)).toEqual(ALL_CMDLETS.map((d) => d.name));
    expect(table).toMatch(/^Get-CsTopology +Yes +Shows/m);
    expect(table).toMatch(/^Invoke-CsPoolFailOver +Yes +Fails/m);
    expect(table).toMatch(/^Set-CsPersistentChatState +Not yet +Sets/m);
  });

  it('filters with a case-insensitive wildcard pattern', () => {
    expect(names(renderCommandList(ALL_CMDLETS, '*failover*'))).toEqual([
      'Invoke-CsPoolFailOver',
      'Invoke-CsManagementServerFailover',
      'Invoke-CsDatabaseFailover',
    ]);
    expect(names(renderCommandList(ALL_CMDLETS, 'get-csadmin*'))).toEqual([
      'Get-CsAdminRole',
      'Get-CsAdminCredential',
    ]);
    expect(names(renderCommandList(ALL_CMDLETS, 'GET-CSPOOL'))).toEqual(['Get-CsPool']);
  });

  it('treats other characters literally and says when nothing matches', () => {
    expect(renderCommandList(ALL_CMDLETS, 'Get-Cs.*')).toBe("No cmdlet matches 'Get-Cs.*'.");
  });
});
