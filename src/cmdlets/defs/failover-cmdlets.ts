/** @module Definitions of the pool failover and failback cmdlets (Lync's Invoke-CsPoolFailOver reference). */
import type { CmdletDef } from '../cmdlet-def.js';
import { identityParam, poolFqdnParam } from './param-builders.js';

export const failoverCmdlets: readonly CmdletDef[] = [
  {
    name: 'Invoke-CsPoolFailOver',
    synopsis:
      "Fails a pool's users over to its backup pool (planned, or -DisasterMode when the pool is lost).",
    category: 'server',
    runsOn: 'server',
    supportsShouldProcess: true,
    params: [
      poolFqdnParam('FQDN of the pool being failed over (not its backup).'),
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
    params: [
      poolFqdnParam('FQDN of the pool that was failed over.'),
      {
        name: 'WaitTime',
        type: 'timespan',
        min: 0,
        max: 3600_000,
        description: 'How long to wait for the sync back (default 15 s).',
      },
      {
        name: 'BatchSize',
        type: 'int',
        min: 1,
        max: 100_000,
        description: 'Signed-in users moved back per batch (default 2000).',
      },
      {
        name: 'BatchInterval',
        type: 'timespan',
        min: 0,
        max: 600_000,
        description:
          "Time from one batch to the next, to spread the sign-ins at the home pool (default: the time the home pool takes a batch at its registrar's relocationRate; 1 s for 2000 users at 2000/s).",
      },
    ],
    examples: [
      {
        command: 'Invoke-CsPoolFailBack -PoolFqdn "atl-cs-001.litwareinc.com"',
        description: 'Fails the Atlanta users back.',
      },
    ],
  },
  {
    name: 'Get-CsPoolDivergentChange',
    synopsis:
      'Lists the changes a pool acknowledged that its backup pool never received, kept aside at failback.',
    description:
      'After a disaster failover, a pool that was cut off rather than dead may have accepted changes its backup pool never saw. Failback keeps them aside (the backup pool state wins) and lists them here per user, to re-apply (Restore-CsPoolDivergentChange) or discard (Remove-CsPoolDivergentChange).',
    category: 'read',
    runsOn: 'server',
    params: [
      poolFqdnParam('The pool that was failed over.'),
      identityParam('string', 'Only this user (SIP address).'),
    ],
    examples: [
      {
        command: 'Get-CsPoolDivergentChange -PoolFqdn atl-cs-001.litwareinc.com',
        description: 'Every divergent change kept at Atlanta.',
      },
    ],
  },
  {
    name: 'Restore-CsPoolDivergentChange',
    synopsis: "Re-applies a user's divergent changes as new changes at the pool that serves the user now.",
    category: 'server',
    runsOn: 'server',
    supportsShouldProcess: true,
    params: [
      poolFqdnParam('The pool that holds the divergent changes.'),
      identityParam('string', 'The user (SIP address).', { required: true }),
    ],
    examples: [
      {
        command:
          'Restore-CsPoolDivergentChange -PoolFqdn atl-cs-001.litwareinc.com -Identity sip:alice@litwareinc.com',
        description: "Re-applies Alice's kept changes.",
      },
    ],
  },
  {
    name: 'Remove-CsPoolDivergentChange',
    synopsis: "Discards a user's divergent changes.",
    category: 'server',
    runsOn: 'server',
    supportsShouldProcess: true,
    params: [
      poolFqdnParam('The pool that holds the divergent changes.'),
      identityParam('string', 'The user (SIP address).', { required: true }),
    ],
    examples: [
      {
        command:
          'Remove-CsPoolDivergentChange -PoolFqdn atl-cs-001.litwareinc.com -Identity sip:alice@litwareinc.com',
        description: "Discards Alice's kept changes.",
      },
    ],
  },
];
