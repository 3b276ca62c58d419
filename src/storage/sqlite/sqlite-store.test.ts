import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { runStoreConformance } from '../store.conformance.js';
import { openSqliteStore } from './open-sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'tandem-sqlite-'));
let n = 0;
let last = '';
afterAll(() => rmSync(dir, { recursive: true, force: true }));

runStoreConformance('sqlite', {
  open: () => openSqliteStore((last = join(dir, `store-${++n}.sqlite`))),
  reopen: () => openSqliteStore(last),
});
