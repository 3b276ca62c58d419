/** @module Definitions of the Backup Service cmdlets. */
import type { CmdletDef } from '../cmdlet-def.js';
import { identityParam, poolFqdnParam } from './param-builders.js';

export const backupServiceCmdlets: readonly CmdletDef[] = [
  {
    name: 'Get-CsBackupServiceStatus',
    synopsis: 'Shows per module and direction the export and import status of the Backup Service.',
    category: 'read',
    runsOn: 'server',
    params: [
      poolFqdnParam(),
      {
        name: 'Category',
        type: 'enum',
        values: ['UserData', 'CMS'],
        description: 'Only this category of modules.',
      },
    ],
    examples: [
      {
        command: 'Get-CsBackupServiceStatus -PoolFqdn atl-cs-001.litwareinc.com',
        description: 'Shows replication status.',
      },
    ],
  },
  {
    name: 'Invoke-CsBackupServiceSync',
    synopsis: 'Forces an immediate sync and returns when the backlog present at the call is applied.',
    category: 'server',
    runsOn: 'server',
    params: [
      poolFqdnParam(),
      {
        name: 'BackupModule',
        type: 'enum',
        values: ['All', 'PresenceFocus', 'DataConf', 'CMSMaster'],
        description: 'Module to sync (default All).',
      },
    ],
    examples: [
      {
        command: 'Invoke-CsBackupServiceSync -PoolFqdn atl-cs-001.litwareinc.com',
        description: 'Syncs every module now.',
      },
    ],
  },
  {
    name: 'Get-CsBackupServiceConfiguration',
    synopsis: 'Shows the Backup Service configuration (SyncInterval).',
    category: 'read',
    runsOn: 'server',
    params: [],
    examples: [{ command: 'Get-CsBackupServiceConfiguration', description: 'Shows the sync interval.' }],
  },
  {
    name: 'Set-CsBackupServiceConfiguration',
    synopsis: 'Sets the Backup Service sync interval (5 s to 3 h, as in Lync), or continuous shipping.',
    description:
      'Tandem ships every change as it happens by default. With a SyncInterval, the backup pool pulls once per interval and applies the whole backlog then: the recovery point becomes the interval.',
    category: 'server',
    runsOn: 'server',
    supportsShouldProcess: true,
    params: [
      {
        name: 'SyncInterval',
        type: 'timespan',
        min: 5_000,
        max: 3 * 3600_000,
        description: 'Ship changes in batches once per interval (5 s to 3 h, as in Lync).',
      },
      { name: 'Continuous', type: 'switch', description: 'Ship each change as it happens (the default).' },
      identityParam('identity', 'global (the only scope).'),
    ],
    examples: [
      {
        command: 'Set-CsBackupServiceConfiguration -SyncInterval 00:02:00',
        description: "Lync's default: batches every 2 minutes.",
      },
      {
        command: 'Set-CsBackupServiceConfiguration -Continuous',
        description: 'Back to continuous shipping.',
      },
    ],
  },
  {
    name: 'Test-CsBackupServiceData',
    synopsis: "Compares, user by user, a digest of the home pool's data with the backup copy.",
    category: 'server',
    runsOn: 'server',
    params: [poolFqdnParam('FQDN of the home pool.')],
    examples: [
      {
        command: 'Test-CsBackupServiceData -PoolFqdn atl-cs-001.litwareinc.com',
        description: 'Lists users whose copy differs.',
      },
    ],
  },
  {
    name: 'Invoke-CsStorageServiceFlush',
    synopsis: "Flushes each front end's pending storage writes to disk.",
    category: 'server',
    runsOn: 'server',
    params: [poolFqdnParam('FQDN of the pool.', { required: false })],
    examples: [
      {
        command: 'Invoke-CsStorageServiceFlush -PoolFqdn atl-cs-001.litwareinc.com',
        description: 'Flushes pending writes.',
      },
    ],
  },
];
