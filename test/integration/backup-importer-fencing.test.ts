/**
 * The importer judges a partner's change only with a view of the pool states at least as new as the change:
 * a page from a newer epoch waits (nothing consumed) until the view catches up, then applies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { BackupExporter } from '../../src/backup-service/exporter.js';
import { BackupImporter } from '../../src/backup-service/importer.js';
import { ContentStore } from '../../src/conferencing/content-store.js';
import { eventually } from '../../src/devkit/cluster.js';
import { openSqliteStore } from '../../src/storage/sqlite/open-sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'tandem-importer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('holds back a page from a newer epoch until the view catches up, then applies it', async () => {
  const src = await openSqliteStore(join(dir, 'src.sqlite'));
  const dst = await openSqliteStore(join(dir, 'dst.sqlite'));
  const files = new ContentStore(join(dir, 'files'));
  const exporter = new BackupExporter('dal', src.userData, files);
  let knownEpoch = 1;
  const importer = new BackupImporter({
    source: 'dal',
    self: 'atl',
    store: dst.userData,
    files,
    pull: (req) => exporter.pull(req),
    head: () => src.userData.headSeq(),
    syncIntervalMs: () => 0,
    // Authority as the view tells it: only changes of the epoch the view knows are accepted.
    accept: (c) => c.epoch === knownEpoch,
    notReady: (changes) =>
      changes.some((c) => c.epoch > knownEpoch) ? `view at epoch ${knownEpoch}` : undefined,
    longPollMs: 50,
  });
  await importer.start();
  try {
    await src.userData.write([{ owner: 'sip:a@x', kind: 'setting', key: 'k', op: 'put', value: '"v2"' }], 2);
    exporter.notifyWrite();
    expect(await eventually(() => importer.status().waitingFor === 'view at epoch 1', 5_000)).toBe(true);
    expect(importer.status().cursor).toBe(0);
    expect(await dst.userData.list('sip:a@x')).toEqual([]);

    knownEpoch = 2;
    expect(await eventually(() => importer.status().cursor === 1, 5_000)).toBe(true);
    expect(importer.status().waitingFor).toBeUndefined();
    expect((await dst.userData.list('sip:a@x')).map((i) => i.value)).toEqual(['"v2"']);
  } finally {
    await importer.stop();
    await src.close();
    await dst.close();
  }
});
