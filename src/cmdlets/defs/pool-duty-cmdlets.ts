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
    params: [poolFqdnParam('FQDN of the pool.', { position: 0 })],
    examples: [
      {
        command: 'Get-CsPoolFabricState -PoolFqdn atl-cs-001.litwareinc.com',
        description: 'Shows the Atlanta front ends and the holder of each duty of the pool.',
      },
    ],
  },
];
