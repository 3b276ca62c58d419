/** @module Definitions of the database mirroring and Persistent Chat cmdlets (Lync's "Failing over a pool in Lync Server 2013" and "Failing over Persistent Chat Server in Lync Server 2013"). */
import type { CmdletDef } from '../cmdlet-def.js';
import { identityParam, poolFqdnParam } from './param-builders.js';

const MIRRORING = 'Database mirroring';
const PERSISTENT_CHAT = 'Persistent Chat failover';

export const databaseCmdlets: readonly CmdletDef[] = [
  {
    name: 'Get-CsDatabaseMirrorState',
    synopsis: "Shows the mirroring state of a pool's database (a Tandem pool has one store: the principal).",
    category: 'read',
    runsOn: 'server',

    params: [
      poolFqdnParam(),
      {
        name: 'DatabaseType',
        type: 'enum',
        values: ['User', 'Application', 'CentralMgmt', 'Archiving', 'Monitoring', 'PersistentChat'],
        required: true,
        description: 'Which database.',
      },
    ],
    examples: [
      {
        command: 'Get-CsDatabaseMirrorState -DatabaseType Centralmgmt -PoolFqdn dal-cs-001.litwareinc.com',
        description: 'Step 5 of Lync\'s "Failing over a pool in Lync Server 2013".',
      },
    ],
  },
  {
    name: 'Invoke-CsDatabaseFailover',
    synopsis: "Fails a pool's database over to its mirror.",
    category: 'server',
    runsOn: 'server',
    notYetAvailable: MIRRORING,
    params: [
      poolFqdnParam(),
      { name: 'DatabaseType', type: 'string', required: true, description: 'Which database.' },
      {
        name: 'NewPrincipal',
        type: 'enum',
        values: ['Primary', 'Mirror'],
        required: true,
        description: 'The new principal.',
      },
    ],
    examples: [],
  },
  {
    name: 'Install-CsMirrorDatabase',
    synopsis: 'Sets up a mirror for a database.',
    category: 'server',
    runsOn: 'server',
    notYetAvailable: MIRRORING,
    params: [
      { name: 'DatabaseType', type: 'string', description: 'Which database.' },
      { name: 'SqlServerFqdn', type: 'fqdn', description: 'Principal server.' },
      { name: 'MirrorSqlServerFqdn', type: 'fqdn', description: 'Mirror server.' },
    ],
    examples: [],
  },
  {
    name: 'Set-CsPersistentChatState',
    synopsis:
      'Sets a Persistent Chat pool to Normal or FailedOver (step 5 of Lync\'s "Failing over Persistent Chat Server in Lync Server 2013").',
    category: 'server',
    runsOn: 'server',
    notYetAvailable: PERSISTENT_CHAT,
    params: [
      identityParam('identity', 'service:<Persistent Chat pool FQDN>.', { required: true }),
      {
        name: 'PoolState',
        type: 'enum',
        values: ['Normal', 'FailedOver'],
        required: true,
        description: 'The new state.',
      },
    ],
    examples: [
      {
        command:
          'Set-CsPersistentChatState -Identity "service:atl-cs-001.litwareinc.com" –PoolState FailedOver',
        description:
          'Step 5 of Lync\'s "Failing over Persistent Chat Server in Lync Server 2013" (note the en dash, accepted as written).',
      },
    ],
  },
  {
    name: 'Set-CsPersistentChatActiveServer',
    synopsis:
      'Sets the active Persistent Chat servers (step 7 of Lync\'s "Failing over Persistent Chat Server in Lync Server 2013").',
    category: 'server',
    runsOn: 'server',
    notYetAvailable: PERSISTENT_CHAT,
    params: [
      identityParam('identity', 'service:<Persistent Chat pool FQDN>.'),
      { name: 'ActiveServers', type: 'string[]', description: 'The servers to make active.' },
    ],
    examples: [],
  },
];
