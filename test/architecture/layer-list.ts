/**
 * @module The layer list of layers.cjs, typed, and the table of docs/ARCHITECTURE.md generated from it.
 */
import { createRequire } from 'node:module';
import * as prettier from 'prettier';

export interface Layer {
  readonly folders: readonly string[];
  readonly knows: string;
  readonly domain: boolean;
}

interface LayerFile {
  readonly LAYERS: readonly Layer[];
  readonly SOCKET_MODULES: readonly string[];
  readonly SQL_MODULES: readonly string[];
}

const layerFile = createRequire(import.meta.url)('../../layers.cjs') as LayerFile;
export const { LAYERS, SOCKET_MODULES, SQL_MODULES } = layerFile;

/**
 * The name of a file the layer tests write into src/ for a moment, to see a rule fire on it. Other tests that
 * list src/ run at the same time in other workers, and leave these out.
 */
export function layerProbeName(tag: string): string {
  return `zz-layer-probe-${tag}.ts`;
}
export const isLayerProbe = (name: string): boolean => /(^|\/)zz-layer-probe-[0-9a-f]+\.ts$/.test(name);

export const TABLE_START =
  '<!-- layer table: generated from layers.cjs by test/architecture/layers.test.ts -->';
export const TABLE_END = '<!-- end of layer table -->';

/** The markdown between the markers: one row per layer, then which layers are the domain. */
export function layerTable(layers: readonly Layer[] = LAYERS): string {
  const rows = layers.map(
    (l, i) => `| ${i} | ${l.folders.map((f) => `\`${f}/\``).join(', ')} | ${l.knows} |`,
  );
  const domain = layers.map((l, i) => (l.domain ? i : -1)).filter((i) => i >= 0);
  return [
    '| layer | folders | knows |',
    '| ----- | ------- | ----- |',
    ...rows,
    '',
    `The domain (layers ${domain[0]}–${domain.at(-1)}) imports neither \`ws\`, nor \`http\`, \`net\`, \`tls\` or ` +
      '`dgram`, nor a SQL driver or Kysely outside `storage/`: ESLint checks the module names as written. ' +
      'Transports hold no business rule.',
  ].join('\n');
}

/** The document at `path` with its table replaced by the generated one, formatted as `npm run lint` wants it. */
export async function withLayerTable(doc: string, path: string): Promise<string> {
  const start = doc.indexOf(TABLE_START);
  const end = doc.indexOf(TABLE_END);
  if (start < 0 || end < start)
    throw new Error(`docs/ARCHITECTURE.md lacks the markers ${TABLE_START} … ${TABLE_END}`);
  const text = `${doc.slice(0, start + TABLE_START.length)}\n\n${layerTable()}\n\n${doc.slice(end)}`;
  return prettier.format(text, { ...(await prettier.resolveConfig(path)), filepath: path });
}
