/** @module Definitions of the Central Management Store cmdlets (Lync's "Failing over a pool in Lync Server 2013"). */
import type { CmdletDef } from '../cmdlet-def.js';
import { poolFqdnParam } from './param-builders.js';

export const cmsCmdlets: readonly CmdletDef[] = [
  {
    name: 'Get-CsManagementStoreReplicationStatus',
    synopsis: 'Shows, per replica, whether it is up to date with the CMS master; or where the master is.',
    description:
      'Asks the active master. When the master is unreachable, the per-replica form fails and the -CentralManagementStoreStatus form shows ActiveMasterFqdn and ActiveFileTransferAgents empty: the signal, in Lync\'s "Failing over a pool in Lync Server 2013", to fail the CMS over.',
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
      'Moves the CMS master to the standby copy in the backup pool: planned while the master answers, disaster when it is lost.',
    description:
      "Without parameters: a planned failover (the master drains to its standby, becomes read-only, and the standby is promoted with a new epoch): nothing is lost. When the master does not answer, name the standby as Lync names a back-end server: -BackupSqlServerFqdn (or -MirrorSqlServerFqdn) is the backup pool's FQDN or one of its servers, and the instance name (for example rtc) is accepted and ignored; the standby is promoted with what it holds, and what replicas held beyond it is reported. -WhatIf shows which pool hosts the CMS now and what a failover would do.",
    category: 'server',
    runsOn: 'server',
    supportsShouldProcess: true,
    params: [
      {
        name: 'BackupSqlServerFqdn',
        type: 'fqdn',
        description: "The store holding the standby: the backup pool's FQDN, or one of its servers.",
      },
      {
        name: 'BackupSqlInstanceName',
        type: 'string',
        description: 'Instance name; accepted for Lync runbooks and ignored.',
      },
      {
        name: 'MirrorSqlServerFqdn',
        type: 'fqdn',
        description: 'Same as -BackupSqlServerFqdn: a Tandem pool has one store, and the standby is in it.',
      },
      { name: 'MirrorSqlInstanceName', type: 'string', description: 'Instance name; accepted and ignored.' },
    ],
    examples: [
      {
        command: 'Invoke-CsManagementServerFailover -WhatIf',
        description: "Shows which pool hosts the CMS (step 1 of Lync's pool failover procedure).",
      },
      {
        command: 'Invoke-CsManagementServerFailover',
        description: 'Planned failover to the standby: nothing is lost.',
      },
      {
        command:
          'Invoke-CsManagementServerFailover -BackupSqlServerFqdn dal-cs-001.litwareinc.com -BackupSqlInstanceName rtc -Force',
        description:
          "Disaster failover to the standby in the Dallas pool (step 5 of Lync's pool failover procedure).",
      },
    ],
  },
  {
    name: 'Move-CsManagementServer',
    synopsis:
      "Lync Server 2010 path of step 6 of Lync's pool failover procedure: moves the CMS from configuration files.",
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
    synopsis: "Lync Server 2010 path of step 6 of Lync's pool failover procedure: installs a CMS database.",
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
    synopsis: "The Lync Server setup program of step 6 of Lync's pool failover procedure.",
    category: 'server',
    runsOn: 'server',
    notYetAvailable:
      'Bootstrapper (Tandem servers need no setup step; start them with `tandem up` or `tandem server`)',
    params: [{ name: 'Mode', type: 'string', position: 0, description: '/Setup' }],
    examples: [],
  },
  {
    name: 'Get-CsManagementStoreDivergentChange',
    synopsis:
      'Lists the CMS writes a former master made that its successor never received, kept aside when it was fenced.',
    category: 'read',
    runsOn: 'server',
    params: [poolFqdnParam('The pool that hosted the former master.')],
    examples: [
      {
        command: 'Get-CsManagementStoreDivergentChange -PoolFqdn atl-cs-001.litwareinc.com',
        description: "The writes Atlanta's master kept aside.",
      },
    ],
  },
];
