/** @module Definitions of the topology cmdlets (Get-/Publish-/Export-CsTopology, pools, Edge next hop). */
import type { CmdletDef } from '../cmdlet-def.js';
import { identityParam, poolFqdnParam } from './param-builders.js';

export const topologyCmdlets: readonly CmdletDef[] = [
  {
    name: 'Get-CsTopology',
    synopsis: 'Shows the topology currently published in the Central Management Store.',
    description:
      'Reads the local CMS replica of the server that answers, so it works while the CMS master is unreachable. -AsYaml prints the published document itself, with its secrets (the demo password, a password in a PostgreSQL connection string) shown as [redacted].',
    category: 'read',
    runsOn: 'server',
    params: [{ name: 'AsYaml', type: 'switch', description: 'Prints the published YAML document.' }],
    examples: [
      { command: 'Get-CsTopology', description: 'Summarizes sites, pools, pairing and the CMS location.' },
      { command: 'Get-CsTopology -AsYaml', description: 'Prints the topology document as published.' },
    ],
  },
  {
    name: 'Publish-CsTopology',
    synopsis: 'Validates a topology file and stores it in the CMS as the new current topology.',
    description:
      'The file is read by the shell and validated by the server. Removing a pool that still homes users is refused, and so is moving the store or content folder of a pool that homes users or holds the Central Management Store: move them first. Listen addresses that change take effect when the server restarts.',
    category: 'admin',
    runsOn: 'server',
    supportsShouldProcess: true,
    params: [
      {
        name: 'FileName',
        type: 'path',
        required: true,
        position: 0,
        file: 'read',
        description: 'Path of the topology YAML file.',
      },
    ],
    examples: [
      {
        command: 'Publish-CsTopology -FileName examples/litware.yaml',
        description: 'Publishes a new topology revision.',
      },
    ],
  },
  {
    name: 'Export-CsTopology',
    synopsis: 'Writes the current topology document to a file.',
    description:
      'The shell writes the file at the -FileName path its user typed (mode 0600), never at a path the server names. A CsAdministrator gets the document whole, to edit and publish again; other roles get it with its secrets shown as [redacted].',
    category: 'read',
    runsOn: 'server',
    params: [
      {
        name: 'FileName',
        type: 'path',
        required: true,
        position: 0,
        file: 'write',
        description: 'Path of the file to write.',
      },
    ],
    examples: [
      { command: 'Export-CsTopology -FileName current.yaml', description: 'Saves the published topology.' },
    ],
  },
  {
    name: 'Get-CsPool',
    synopsis: 'Lists the front-end and Edge pools of the topology with their servers and pairing.',
    category: 'read',
    runsOn: 'server',
    params: [identityParam('fqdn', 'FQDN of one pool.')],
    examples: [
      { command: 'Get-CsPool', description: 'Lists every pool.' },
      { command: 'Get-CsPool -Identity atl-cs-001.litwareinc.com', description: 'Shows one pool.' },
    ],
  },
  {
    name: 'Get-CsSite',
    synopsis: 'Lists the sites of the topology and the pools in each.',
    category: 'read',
    runsOn: 'server',
    params: [identityParam('string', 'Name of one site.')],
    examples: [{ command: 'Get-CsSite', description: 'Lists every site.' }],
  },
  {
    name: 'Get-CsPoolBackupRelationship',
    synopsis: 'Shows the backup pool paired with a pool.',
    category: 'read',
    runsOn: 'server',
    params: [poolFqdnParam('FQDN of the pool.', { position: 0 })],
    examples: [
      {
        command: 'Get-CsPoolBackupRelationship -PoolFqdn atl-cs-001.litwareinc.com',
        description: 'Shows that atl-cs-001 is backed up by dal-cs-001 in the demo.',
      },
    ],
  },
  {
    name: 'Get-CsEdgeServer',
    synopsis: 'Lists Edge pools with their internal next-hop pool.',
    category: 'read',
    runsOn: 'server',
    params: [identityParam('identity', 'EdgeServer:<Edge pool FQDN>.')],
    examples: [{ command: 'Get-CsEdgeServer', description: 'Shows each Edge pool and its next hop.' }],
  },
  {
    name: 'Set-CsEdgeServer',
    synopsis: "Changes an Edge pool's internal next-hop front-end pool.",
    description:
      'Publishes a new topology revision in which the Edge pool uses another next hop, as Lync\'s "Failing over a pool in Lync Server 2013" does before failing over the next-hop pool.',
    category: 'server',
    runsOn: 'server',
    supportsShouldProcess: true,
    params: [
      identityParam('identity', 'EdgeServer:<Edge pool FQDN>.', { required: true }),
      { name: 'Registrar', type: 'identity', required: true, description: 'Registrar:<next-hop pool FQDN>.' },
    ],
    examples: [
      {
        command:
          'Set-CsEdgeServer -Identity EdgeServer:atl-edge-001.litwareinc.com -Registrar Registrar:dal-cs-001.litwareinc.com',
        description: 'Points the Atlanta Edge pool at the Dallas pool.',
      },
    ],
  },
];
