/** @module Where Tandem is installed: the folder holding its package.json, found from this file. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the Tandem package root');
    dir = up;
  }
  cached = dir;
  return dir;
}

/** The default data folder (`<package>/data`), or TANDEM_DATA. */
export function defaultDataDir(): string {
  return process.env.TANDEM_DATA ?? join(packageRoot(), 'data');
}

/** The demo topology shipped with Tandem. */
export function demoTopologyPath(): string {
  return join(packageRoot(), 'examples', 'litware.yaml');
}
