/** Test fixture: a topology of examples/ (litware.yaml, litware-enterprise.yaml), compiled for a test data folder. */
import { readFileSync } from 'node:fs';
import { parseTopology } from './parse-topology.js';
import type { Topology } from './topology-types.js';

export function exampleTopology(name: string, dataDir = '/tmp/tandem-example'): Topology {
  return parseTopology(readFileSync(new URL(`../../examples/${name}`, import.meta.url), 'utf8'), { dataDir });
}
