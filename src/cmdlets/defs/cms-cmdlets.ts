/** @module Definitions of the Central Management Store cmdlets (seed 001). */
import type { CmdletDef } from '../cmdlet-def.js';

const CMS_FAILOVER = 'Central Management Store failover';

export const cmsCmdlets: readonly CmdletDef[] = [
  {
    name: 'Get-CsManagementStoreReplicationStatus',
    synopsis: 'Shows, per replica, whether it is up to date with the CMS master; or where the master is.',
    description:
      'Asks the active master. When the master is unreachable, the per-replica form fails and the -CentralManagementStoreStatus form shows ActiveMasterFqdn and ActiveFileTransferAgents empty: the signal of seed 001 to fail the CMS over.',
    category: 'read',
    runsOn: 'server',
    params: [
      {
        name: 'ReplicaFqdn',
        type: 'fqdn',
        position: 0,
        description: 'Only this replica (a front-end server FQDN).',
      },
      {
        name: 'CentralManagementStoreStatus',
        type: 'switch',
        description: 'Shows the active master and file-transfer agents.',
      },
    ],
    examples: [
      {
        command: 'Get-CsManagementStoreReplicationStatus',
        description: 'Every replica with UpToDate True/False.',
      },
      {
        command: 'Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus',
        description: 'Where the CMS master is.',
      },
    ],
  },
  {
    name: 'Invoke-CsManagementServerFailover',
    synopsis:
      'Moves the CMS master to the standby copy in the backup pool (planned, or disaster with -Force).',
    category: 'server',
    runsOn: 'server',
    supportsShouldProcess: true,
    notYetAvailable: CMS_FAILOVER,
    params: [
      {
        name: 'BackupSqlServerFqdn',
        type: 'fqdn',
        description: "The backup pool's store (Tandem: the backup pool FQDN).",
      },
      {
        name: 'BackupSqlInstanceName',
        type: 'string',
        description: 'Instance name (accepted for Lync runbooks).',
      },
      { name: 'MirrorSqlServerFqdn', type: 'fqdn', description: "The backup pool's mirror store." },
      { name: 'MirrorSqlInstanceName', type: 'string', description: 'Mirror instance name.' },
    ],
    examples: [
      {
        command: 'Invoke-CsManagementServerFailover -WhatIf',
        description: 'Shows which pool hosts the CMS (seed 001 step 1).',
      },
    ],
  },
  {
    name: 'Move-CsManagementServer',
    synopsis: 'Lync Server 2010 path of seed 001 step 6: moves the CMS from configuration files.',
    category: 'server',
    runsOn: 'server',
    notYetAvailable:
      'Move-CsManagementServer (the Lync 2010 path; Tandem uses Invoke-CsManagementServerFailover)',
    params: [
      { name: 'ConfigurationFileName', type: 'path', description: 'Exported configuration file.' },
      { name: 'LisConfigurationFileName', type: 'path', description: 'Exported LIS configuration file.' },
    ],
    examples: [],
  },
  {
    name: 'Install-CsDatabase',
    synopsis: 'Lync Server 2010 path of seed 001 step 6: installs a CMS database.',
    category: 'server',
    runsOn: 'server',
    notYetAvailable:
      'Install-CsDatabase (Tandem stores need no installation: each server migrates its store at start)',
    params: [
      { name: 'CentralManagementDatabase', type: 'switch', description: 'Install the CMS database.' },
      { name: 'Clean', type: 'switch', description: 'Start from an empty database.' },
      { name: 'SqlServerFqdn', type: 'fqdn', description: 'Database server.' },
      { name: 'SqlInstanceName', type: 'string', description: 'Instance name.' },
    ],
    examples: [],
  },
  {
    name: 'Bootstrapper',
    synopsis: 'The Lync Server setup program of seed 001 step 6.',
    category: 'server',
    runsOn: 'server',
    notYetAvailable:
      'Bootstrapper (Tandem servers need no setup step; start them with `tandem up` or `tandem server`)',
    params: [{ name: 'Mode', type: 'string', position: 0, description: '/Setup' }],
    examples: [],
  },
];
