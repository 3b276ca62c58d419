// Tandem's layers, lowest first: the one list from which dependency-cruiser (.dependency-cruiser.cjs) checks
// that imports point down, ESLint (eslint.config.js) keeps sockets and SQL drivers out of the domain, the layer
// test (test/architecture/layers.test.ts) checks that every folder of src/ has a layer, and the table of
// docs/ARCHITECTURE.md is generated. A folder belongs to exactly one layer; each layer may import its own and
// lower layers.

/** @type {{ folders: string[], knows: string, domain: boolean }[]} */
const LAYERS = [
  {
    folders: ['logging', 'timing', 'json', 'files', 'errors'],
    knows:
      'nothing of Tandem: the logger and its redaction, TimeSpans and paced waits, JSON checks, private files, errors',
    domain: true,
  },
  {
    folders: ['topology', 'cmdlets', 'security', 'certificates', 'protocol'],
    knows:
      'pure rules: topology validation, the cmdlet language and registry, RBAC, hashing, signatures and random bytes, TLS certificates and the deployment CA, the client protocol catalog',
    domain: true,
  },
  {
    folders: ['storage'],
    knows:
      'the one store interface; `storage/sqlite/` and `storage/postgres/` are the only places with a SQL driver',
    domain: true,
  },
  {
    folders: ['cms', 'delivery', 'user-data', 'duties'],
    knows:
      'CMS documents, replica, master and fencing; delivering events to the endpoints where users are signed in; user data and user settings; the pool-wide duties a front end holds under a lease',
    domain: true,
  },
  {
    folders: ['directory', 'deployment', 'registrar', 'presence', 'contacts', 'im', 'conferencing'],
    knows:
      'domain services: users and the address book, topology publication, sign-in and resiliency mode, the communications services',
    domain: true,
  },
  {
    folders: ['backup-service', 'failover'],
    knows:
      'disaster recovery over the services: the Backup Service, pool failover and failback, the pool agent',
    domain: true,
  },
  {
    folders: ['management', 's2s', 'gateway', 'client-sdk'],
    knows:
      'adapters: admin-API cmdlet handlers, server-to-server calls and their route table, the client WebSocket gateway, the client SDK',
    domain: false,
  },
  {
    folders: ['server', 'shell', 'supervisor', 'terminal-client'],
    knows: 'a running server (HTTP, WebSocket); the management shell; `tandem up/down`; the terminal client',
    domain: false,
  },
  {
    folders: ['cli', 'devkit', 'bench', 'drill'],
    knows: 'the `tandem` command; the multi-process test kit, fuzzers, benchmarks and the disaster drill',
    domain: false,
  },
];

/** Modules the domain may not import: it knows neither sockets nor HTTP, transports adapt to it. */
const SOCKET_MODULES = ['ws', 'http', 'https', 'net', 'tls', 'dgram', 'http2'].flatMap((m) =>
  m === 'ws' ? [m] : [m, `node:${m}`],
);

/** SQL drivers and the query builder: only storage/ uses them (and the benchmark's raw-insert ceiling). */
const SQL_MODULES = ['pg', 'better-sqlite3', 'kysely'];

module.exports = { LAYERS, SOCKET_MODULES, SQL_MODULES };
