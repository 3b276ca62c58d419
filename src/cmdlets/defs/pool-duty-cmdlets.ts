/** @module Definitions of the cmdlets that show a pool's front ends and who holds each of its duties. */
import type { CmdletDef } from '../cmdlet-def.js';
import { poolFqdnParam } from './param-builders.js';

export const poolDutyCmdlets: readonly CmdletDef[] = [
  {
    name: 'Get-CsPoolFabricState',
    synopsis:
      "Shows a pool's front ends (up or down, users served) and which one holds each duty of the pool.",
    description:
      'Every front end of the pool is asked at once; one that does not answer is shown Down. A duty (the Backup Service importer, the CMS master) is held by one front end at a time under a lease in the pool\'s store, with an epoch that grows at every change of holder: the duty records show the last holder, its epoch, since when, and whether it holds the lease now. See docs/enterprise.md, "Duties and leases".',
    category: 'read',
    runsOn: 'server',
    params: [
      poolFqdnParam('FQDN of the pool.', { position: 0 }),
      {
        name: 'Type',
        type: 'enum',
        values: ['All', 'MCUFactory', 'MCU', 'ConferenceDirectory', 'LYSS'],
        description:
          "Lync's Windows Fabric service to report on. Tandem's front ends keep no per-service replicas: every type shows the same front ends and duties.",
      },
    ],
    examples: [
      {
        command: 'Get-CsPoolFabricState -PoolFqdn atl-cs-001.litwareinc.com',
        description: 'Shows the Atlanta front ends and the holder of each duty of the pool.',
      },
    ],
  },
  {
    name: 'Reset-CsPoolRegistrarState',
    synopsis:
      "Makes a pool's front ends give their duties up and take them again (Lync: resets the pool's registrar state).",
    description:
      "A Tandem pool has no quorum of front ends to lose: PostgreSQL arbitrates its duties and the users' data lives in the pool's store, not on the front ends. ServiceReset (the default) makes each front end named (-MachineFqdn, or every front end of the pool) stop the duties it holds and give their leases up; the next round takes them again, at any front end, with new epochs. -NoReStart keeps those front ends from asking for duties again until a ServiceReset without it. FullReset is a ServiceReset of every front end of the pool. QuorumLossRecovery changes nothing and says why. MachineStateRemoved is refused: the topology says which servers a pool has (remove the server from it and publish it). -ResetLocalDatabases changes nothing: front ends keep no local user databases. See docs/enterprise.md.",
    category: 'server',
    runsOn: 'server',
    supportsShouldProcess: true,
    params: [
      poolFqdnParam('FQDN of the pool.'),
      {
        name: 'ResetType',
        type: 'enum',
        values: ['ServiceReset', 'QuorumLossRecovery', 'FullReset', 'MachineStateRemoved'],
        description: 'What to reset (default ServiceReset).',
      },
      { name: 'MachineFqdn', type: 'fqdn', description: 'Only this front end of the pool (ServiceReset).' },
      {
        name: 'NoReStart',
        type: 'switch',
        description: 'The front ends reset do not ask for duties again until a ServiceReset without it.',
      },
      {
        name: 'ResetLocalDatabases',
        type: 'switch',
        description: 'Accepted for Lync command lines; Tandem front ends keep no local user databases.',
      },
    ],
    examples: [
      {
        command:
          'Reset-CsPoolRegistrarState -PoolFqdn atl-cs-001.litwareinc.com -ResetType ServiceReset -MachineFqdn atl-fe-001.litwareinc.com',
        description:
          'atl-fe-001 gives its duties up; another front end (or it again) takes them with new epochs.',
      },
      {
        command:
          'Reset-CsPoolRegistrarState -PoolFqdn atl-cs-001.litwareinc.com -ResetType QuorumLossRecovery',
        description: 'Says that the pool has no quorum to recover, and changes nothing.',
      },
    ],
  },
];
