/** @module Small cmdlet definitions for the grammar tests, shaped after the cmdlets of Lync's failover pages. */
import type { CmdletDef, ParamDef } from '../cmdlet-def.js';
import type { CmdletLookup } from './binder.js';

const SECOND = 1000;

function cmdlet(name: string, params: ParamDef[], extra: Partial<CmdletDef> = {}): CmdletDef {
  return {
    name,
    synopsis: `${name} (test)`,
    category: 'admin',
    params,
    examples: [],
    runsOn: 'server',
    ...extra,
  };
}

function p(name: string, type: ParamDef['type'], extra: Partial<ParamDef> = {}): ParamDef {
  return { name, type, description: name, ...extra };
}

export const TEST_CMDLETS: readonly CmdletDef[] = [
  cmdlet(
    'Invoke-CsPoolFailover',
    [
      p('PoolFqdn', 'fqdn', { required: true, position: 0 }),
      p('DisasterMode', 'switch'),
      p('FlushStorageService', 'switch'),
    ],
    { supportsShouldProcess: true },
  ),
  cmdlet('Get-CsAdminRole', [p('Identity', 'identity', { position: 0 })], { category: 'read' }),
  cmdlet('Where-Object', [p('FilterScript', 'string', { position: 0 })], {
    category: 'read',
    runsOn: 'shell',
  }),
  cmdlet(
    'Set-CsEdgeServer',
    [p('Identity', 'identity', { required: true, position: 0 }), p('Registrar', 'identity')],
    {
      supportsShouldProcess: true,
    },
  ),
  cmdlet(
    'Invoke-CsManagementServerFailover',
    [
      p('BackupSqlServerFqdn', 'fqdn'),
      p('BackupSqlInstanceName', 'string'),
      p('MirrorSqlServerFqdn', 'fqdn'),
      p('MirrorSqlInstanceName', 'string'),
    ],
    { supportsShouldProcess: true },
  ),
  cmdlet('Get-CsPoolBackupRelationship', [p('PoolFqdn', 'fqdn', { required: true, position: 0 })], {
    category: 'read',
  }),
  cmdlet(
    'Get-CsManagementStoreReplicationStatus',
    [p('CentralManagementStoreStatus', 'switch'), p('ReplicaFqdn', 'fqdn', { position: 0 })],
    { category: 'read' },
  ),
  cmdlet(
    'Get-CsDatabaseMirrorState',
    [
      p('DatabaseType', 'enum', {
        values: ['User', 'Application', 'CentralMgmt', 'Archiving', 'Monitoring'],
      }),
      p('PoolFqdn', 'fqdn', { required: true }),
    ],
    { category: 'read' },
  ),
  cmdlet(
    'Install-CsDatabase',
    [
      p('CentralManagementDatabase', 'switch'),
      p('Clean', 'switch'),
      p('SqlServerFqdn', 'fqdn'),
      p('SqlInstanceName', 'string'),
      p('DatabasePaths', 'string[]'),
    ],
    { supportsShouldProcess: true },
  ),
  cmdlet(
    'Move-CsManagementServer',
    [p('ConfigurationFileName', 'path'), p('LisConfigurationFileName', 'path'), p('Force', 'switch')],
    { supportsShouldProcess: true },
  ),
  cmdlet(
    'Set-CsPersistentChatState',
    [
      p('Identity', 'identity', { required: true, position: 0 }),
      p('PoolState', 'enum', { values: ['Active', 'FailedOver'] }),
    ],
    { supportsShouldProcess: true },
  ),
  cmdlet(
    'Set-CsBackupServiceConfiguration',
    [
      p('Identity', 'identity', { position: 0 }),
      p('SyncInterval', 'timespan', { min: 5 * SECOND, max: 3 * 3600 * SECOND, aliases: ['Interval'] }),
    ],
    { supportsShouldProcess: true },
  ),
  cmdlet(
    'Set-CsCertificate',
    [
      p('Type', 'enum', { values: ['Default', 'OAuthTokenIssuer'] }),
      p('Thumbprint', 'string'),
      p('Roll', 'switch'),
      p('EffectiveDate', 'datetime'),
    ],
    { supportsShouldProcess: true },
  ),
  cmdlet('Get-CsUserPoolInfo', [p('Identity', 'identity', { required: true, position: 0 })], {
    category: 'read',
  }),
  cmdlet(
    'Set-CsTestSetting',
    [
      p('Identity', 'identity', { position: 0 }),
      p('Pool', 'string'),
      p('PoolFqdn', 'fqdn'),
      p('Count', 'int', { min: 1, max: 10, position: 1 }),
      p('Enabled', 'bool'),
      p('Tags', 'string[]'),
      p('Description', 'string', { aliases: ['Desc'] }),
      p('Level', 'enum', { values: ['Low', 'Medium', 'High'] }),
    ],
    { supportsShouldProcess: true },
  ),
];

/** A registry whose find() is case-sensitive, so that the binder's own case-insensitivity is what is tested. */
export function testRegistry(defs: readonly CmdletDef[] = TEST_CMDLETS): CmdletLookup {
  const byName = new Map(defs.map((d) => [d.name, d]));
  return { find: (name) => byName.get(name), names: () => [...byName.keys()] };
}
