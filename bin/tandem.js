#!/usr/bin/env node
// Entry point of the `tandem` command: runs the compiled CLI (built by `npm ci` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  process.stderr.write('tandem: the compiled code is missing; run `npm run build` (or `npm ci`) first.\n');
  process.exit(1);
}
await import(main);
