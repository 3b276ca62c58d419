// Tandem's layers point down only (docs/ARCHITECTURE.md). The layer list is layers.cjs; which modules the domain
// may import is checked by ESLint (eslint.config.js), which sees module names as they are written.
const { LAYERS: LAYER_LIST } = require('./layers.cjs');

const LAYERS = LAYER_LIST.map((layer) => layer.folders);

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
  forbidden: [{ name: 'no-circular', severity: 'error', from: {}, to: { circular: true } }, ...layerRules],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$|\\.conformance\\.ts$|\\.fixture\\.ts$' },
  },
};
