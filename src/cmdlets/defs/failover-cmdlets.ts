/** @module Definitions of the pool failover and failback cmdlets (seed 000). */
import type { CmdletDef } from '../cmdlet-def.js';

const POOL_FAILOVER = 'Pool failover and failback';

export const failoverCmdlets: readonly CmdletDef[] = [
  {
    name: 'Invoke-CsPoolFailOver',
    synopsis:
      "Fails a pool's users over to its backup pool (planned, or -DisasterMode when the pool is lost).",
    category: 'server',
    runsOn: 'server',
    supportsShouldProcess: true,
    notYetAvailable: POOL_FAILOVER,
    params: [
      {
        name: 'PoolFqdn',
        type: 'fqdn',
        required: true,
        description: 'FQDN of the pool being failed over (not its backup).',
      },
      {
        name: 'DisasterMode',
        type: 'switch',
        description: 'The pool is unreachable: fail over with what the backup pool holds.',
      },
      {
        name: 'FlushStorageService',
        type: 'switch',
        description: 'Flush pending storage writes on each front end first.',
      },
      {
        name: 'WaitTime',
        type: 'timespan',
        min: 0,
        max: 3600_000,
        description: 'How long to wait for the last data to sync.',
      },
    ],
    examples: [
      {
        command: 'Invoke-CsPoolFailOver -PoolFqdn "atl-cs-001.litwareinc.com"',
        description: 'Planned failover of the Atlanta pool.',
      },
      {
        command: 'Invoke-CsPoolFailOver -PoolFqdn "atl-cs-001.litwareinc.com" -DisasterMode',
        description: 'Disaster failover.',
      },
    ],
  },
  {
    name: 'Invoke-CsPoolFailBack',
    synopsis: 'Moves the users of a failed-over pool back to their home pool.',
    category: 'server',
    runsOn: 'server',
    supportsShouldProcess: true,
    notYetAvailable: POOL_FAILOVER,
    params: [
      {
        name: 'PoolFqdn',
        type: 'fqdn',
        required: true,
        description: 'FQDN of the pool that was failed over.',
      },
      {
        name: 'WaitTime',
        type: 'timespan',
        min: 0,
        max: 3600_000,
        description: 'How long to wait for the sync back (default 15 s).',
      },
    ],
    examples: [
      {
        command: 'Invoke-CsPoolFailBack -PoolFqdn "atl-cs-001.litwareinc.com"',
        description: 'Fails the Atlanta users back.',
      },
    ],
  },
];
