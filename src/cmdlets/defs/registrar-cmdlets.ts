/** @module Definitions of the registrar configuration cmdlets, where Lync shows a pool's failover state. */
import type { CmdletDef } from '../cmdlet-def.js';
import { identityParam } from './param-builders.js';

export const registrarCmdlets: readonly CmdletDef[] = [
  {
    name: 'Get-CsRegistrarConfiguration',
    synopsis: "Shows each registrar pool's configuration, including its PoolState and failover epoch.",
    category: 'read',
    runsOn: 'server',
    params: [identityParam('identity', 'service:Registrar:<pool FQDN>.')],
    examples: [
      {
        command: 'Get-CsRegistrarConfiguration -Identity service:Registrar:atl-cs-001.litwareinc.com',
        description: 'Shows the Atlanta pool state (Active, FailingOver, FailedOver, FailingBack).',
      },
    ],
  },
];
