/** @module Definitions of the cmdlets the shell runs itself. */
import type { CmdletDef } from '../cmdlet-def.js';

export const shellCmdlets: readonly CmdletDef[] = [
  {
    name: 'Get-Help',
    synopsis: 'Shows the synopsis, parameters and examples of a cmdlet.',
    category: 'read',
    runsOn: 'shell',
    params: [
      { name: 'Name', type: 'string', position: 0, description: 'The cmdlet.' },
      { name: 'Examples', type: 'switch', description: 'Only the examples.' },
    ],
    examples: [{ command: 'Get-Help Invoke-CsPoolFailOver', description: 'Help on pool failover.' }],
  },
  {
    name: 'Get-Command',
    synopsis: 'Lists the cmdlets the shell knows, with whether each is available yet.',
    category: 'read',
    runsOn: 'shell',
    params: [
      {
        name: 'Name',
        type: 'string',
        position: 0,
        description: 'Name or wildcard pattern, e.g. *Failover*.',
      },
    ],
    examples: [{ command: 'Get-Command *Backup*', description: 'Lists the Backup Service cmdlets.' }],
  },
  {
    name: 'Where-Object',
    synopsis: 'Keeps the output records that match a condition.',
    category: 'read',
    runsOn: 'shell',
    params: [
      {
        name: 'FilterScript',
        type: 'string',
        position: 0,
        description: 'A script block such as {$_.PoolState -eq "Active"}, or a property name.',
      },
      {
        name: 'Operator',
        type: 'string',
        position: 1,
        description: 'With the simple form: -eq, -like, -match, ...',
      },
      {
        name: 'Value',
        type: 'string',
        position: 2,
        description: 'With the simple form: the value compared.',
      },
    ],
    examples: [
      {
        command: 'Get-CsAdminRole | Where-Object {$_.Cmdlets -match "Invoke-CsPoolFailover"}',
        description: 'Roles that may fail a pool over.',
      },
    ],
  },
];
