/** Every command line quoted in Lync's failover pages ("Failing over a pool in Lync Server 2013", "Invoke-CsPoolFailOver", ...) must parse and bind exactly as typed there. */
import { describe, expect, it } from 'vitest';
import type { BoundParams } from '../cmdlet-def.js';
import { bindCommand, type CommonSwitches } from './binder.js';
import { parseArgv, parseCommandLine } from './parser.js';
import { testRegistry } from './test-cmdlets.fixture.js';
import { compileWhereObject } from './where-object.js';

const registry = testRegistry();
const NONE: CommonSwitches = { verbose: false, whatIf: false, confirm: false, force: false };

interface QuotedLine {
  line: string;
  cmdlet: string;
  params: BoundParams;
  common?: Partial<CommonSwitches>;
}

const LINES: QuotedLine[] = [
  {
    line: 'Invoke-CsPoolFailOver -PoolFqdn "atl-cs-001.litwareinc.com"',
    cmdlet: 'Invoke-CsPoolFailover',
    params: { PoolFqdn: 'atl-cs-001.litwareinc.com' },
  },
  {
    line: 'Invoke-CsPoolFailOver -PoolFqdn "atl-cs-001.litwareinc.com" -DisasterMode',
    cmdlet: 'Invoke-CsPoolFailover',
    params: { PoolFqdn: 'atl-cs-001.litwareinc.com', DisasterMode: true },
  },
  {
    line: 'Invoke-CsPoolFailover -PoolFQDN atl-cs-001.litwareinc.com -DisasterMode -Verbose',
    cmdlet: 'Invoke-CsPoolFailover',
    params: { PoolFqdn: 'atl-cs-001.litwareinc.com', DisasterMode: true },
    common: { verbose: true },
  },
  {
    line: 'Set-CsEdgeServer -Identity EdgeServer:atl-edge-001.litwareinc.com -Registrar Registrar:dal-cs-001.litwareinc.com',
    cmdlet: 'Set-CsEdgeServer',
    params: {
      Identity: 'EdgeServer:atl-edge-001.litwareinc.com',
      Registrar: 'Registrar:dal-cs-001.litwareinc.com',
    },
  },
  {
    line: 'Invoke-CsManagementServerFailover -Whatif',
    cmdlet: 'Invoke-CsManagementServerFailover',
    params: {},
    common: { whatIf: true },
  },
  {
    line: 'Get-CsPoolBackupRelationship -PoolFQDN atl-cs-001.litwareinc.com',
    cmdlet: 'Get-CsPoolBackupRelationship',
    params: { PoolFqdn: 'atl-cs-001.litwareinc.com' },
  },
  {
    line: 'Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus',
    cmdlet: 'Get-CsManagementStoreReplicationStatus',
    params: { CentralManagementStoreStatus: true },
  },
  {
    line: 'Get-CsDatabaseMirrorState -DatabaseType Centralmgmt -PoolFqdn dal-cs-001.litwareinc.com',
    cmdlet: 'Get-CsDatabaseMirrorState',
    params: { DatabaseType: 'CentralMgmt', PoolFqdn: 'dal-cs-001.litwareinc.com' },
  },
  {
    line: 'Invoke-CSManagementServerFailover -BackupSQLServerFqdn dal-cs-001.litwareinc.com -BackupSQLInstanceName rtc',
    cmdlet: 'Invoke-CsManagementServerFailover',
    params: { BackupSqlServerFqdn: 'dal-cs-001.litwareinc.com', BackupSqlInstanceName: 'rtc' },
  },
  {
    line: 'Invoke-CSManagementServerFailover -MirrorSQLServerFqdn dal-cs-001.litwareinc.com -MirrorSQLInstanceName rtc',
    cmdlet: 'Invoke-CsManagementServerFailover',
    params: { MirrorSqlServerFqdn: 'dal-cs-001.litwareinc.com', MirrorSqlInstanceName: 'rtc' },
  },
  {
    line: 'Install-CsDatabase -CentralManagementDatabase -Clean -SqlServerFqdn dal-cs-001.litwareinc.com -SqlInstanceName rtc',
    cmdlet: 'Install-CsDatabase',
    params: {
      CentralManagementDatabase: true,
      Clean: true,
      SqlServerFqdn: 'dal-cs-001.litwareinc.com',
      SqlInstanceName: 'rtc',
    },
  },
  {
    line: 'Move-CsManagementServer -ConfigurationFileName c:\\CsConfigurationFile.zip -LisConfigurationFileName c:\\CsLisConfigurationFile.zip -Force',
    cmdlet: 'Move-CsManagementServer',
    params: {
      ConfigurationFileName: 'c:\\CsConfigurationFile.zip',
      LisConfigurationFileName: 'c:\\CsLisConfigurationFile.zip',
      Force: true,
    },
    common: { force: true },
  },
  {
    line: 'Set-CsPersistentChatState -Identity "service:atl-cs-001.litwareinc.com" \u2013PoolState FailedOver',
    cmdlet: 'Set-CsPersistentChatState',
    params: { Identity: 'service:atl-cs-001.litwareinc.com', PoolState: 'FailedOver' },
  },
  {
    line: 'Set-CsBackupServiceConfiguration -SyncInterval 00:02:00',
    cmdlet: 'Set-CsBackupServiceConfiguration',
    params: { SyncInterval: 120_000 },
  },
];

describe("command lines quoted in Lync's pages", () => {
  it.each(LINES)('$line', ({ line, cmdlet, params, common }) => {
    const pipeline = parseCommandLine(line);
    expect(pipeline).toHaveLength(1);
    const bound = bindCommand(pipeline[0]!, registry);
    expect(bound.def.name).toBe(cmdlet);
    expect(bound.params).toEqual(params);
    expect(bound.common).toEqual({ ...NONE, ...common });
  });

  it('Get-CsAdminRole | Where-Object {$_.Cmdlets \u2013match "Invoke-CsPoolFailover"}', () => {
    const line = 'Get-CsAdminRole | Where-Object {$_.Cmdlets \u2013match "Invoke-CsPoolFailover"}';
    const [source, where] = parseCommandLine(line);
    expect(bindCommand(source!, registry).def.name).toBe('Get-CsAdminRole');
    const bound = bindCommand(where!, registry);
    expect(bound.params).toEqual({ FilterScript: '$_.Cmdlets \u2013match "Invoke-CsPoolFailover"' });

    const filter = compileWhereObject(where!.args);
    const roles = [
      { Identity: 'CsAdministrator', Cmdlets: ['Get-CsPool', 'Invoke-CsPoolFailover'] },
      { Identity: 'CsServerAdministrator', Cmdlets: ['invoke-cspoolfailover'] },
      { Identity: 'CsViewOnlyAdministrator', Cmdlets: ['Get-CsPool', 'Get-CsUser'] },
    ];
    expect(roles.filter(filter).map((r) => r.Identity)).toEqual(['CsAdministrator', 'CsServerAdministrator']);
  });

  it('binds the same from argv words as bash splits them', () => {
    for (const { line, params } of LINES) {
      const words = parseCommandLine(line)[0]!;
      const argv = [
        words.name,
        ...words.args.flatMap((a) => {
          const text = (v: typeof a.value): string =>
            v?.kind === 'text' ? v.text : v?.kind === 'bool' ? (v.value ? '$true' : '$false') : '';
          return a.kind === 'param' ? [`-${a.name}${a.value ? `:${text(a.value)}` : ''}`] : [text(a.value)];
        }),
      ];
      expect(bindCommand(parseArgv(argv)[0]!, registry).params).toEqual(params);
    }
  });
});
