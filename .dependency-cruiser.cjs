// Tandem's layers point down only (docs/ARCHITECTURE.md). Each layer may import its own and lower layers.
const LAYERS = [
  ['util', 'errors'],
  ['topology', 'cmdlets', 'security', 'protocol'],
  ['storage'],
  ['cms', 'routing', 'user-data'],
  [
    'directory',
    'deployment',
    'registrar',
    'presence',
    'contacts',
    'im',
    'conferencing',
    'settings',
    'address-book',
  ],
  ['management', 'links', 'gateway', 'client-sdk'],
  ['server', 'shell', 'supervisor', 'terminal-client'],
  ['cli', 'devkit', 'bench', 'drill'],
];

const folder = (names) => `^src/(${names.join('|')})/`;
const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `layer-${layer.join('-')}-points-down`,
  comment: `${layer.join(', ')} may not import a higher layer (${LAYERS.slice(i + 1)
    .flat()
    .join(', ')}).`,
  severity: 'error',
  from: { path: folder(layer) },
  to: { path: folder(LAYERS.slice(i + 1).flat()) },
}));

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    ...layerRules,
    {
      name: 'sqlite-driver-only-in-its-backend',
      comment: 'Everything outside storage/sqlite is backend-agnostic.',
      severity: 'error',
      // The benchmark measures the raw-insert ceiling with the driver itself.
      from: { pathNot: '^src/(storage/sqlite|bench)/' },
      to: { path: 'node_modules/better-sqlite3' },
    },
    {
      name: 'postgres-driver-only-in-its-backend',
      severity: 'error',
      from: { pathNot: '^(src/storage/postgres/|test/)' },
      to: { path: 'node_modules/pg/' },
    },
    {
      name: 'domain-knows-no-sockets',
      comment: 'The domain core knows neither sockets nor HTTP: transports adapt to it.',
      severity: 'error',
      from: {
        path: folder([
          'topology',
          'cmdlets',
          'protocol',
          'storage',
          'cms',
          'routing',
          'user-data',
          'directory',
          'deployment',
          'registrar',
          'presence',
          'contacts',
          'im',
          'conferencing',
          'settings',
          'address-book',
        ]),
      },
      to: { path: '^(ws|http|https|net|node:http|node:https|node:net)$', dependencyTypes: ['core', 'npm'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$|\\.conformance\\.ts$|\\.fixture\\.ts$' },
  },
};
