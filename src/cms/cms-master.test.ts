import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteStore, type Store } from '../storage/index.js';
import { CmsRole, type CmsBatch, type CmsMeta } from '../storage/store.js';
import { CmsMaster } from './cms-master.js';

const dirs: string[] = [];
const stores: Store[] = [];
const masters: CmsMaster[] = [];
afterEach(async () => {
  for (const m of masters.splice(0)) {
    m.stop();
    // Let pushes under way end before their store closes.
    await m.firstRound(0);
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A standby copy over a link that can fail pushes; it holds what the pushes that got through carried. */
class StandbyLink {
  held = 0;
  failing = false;
  inFlight = 0;
  async push(_target: unknown, batch: CmsBatch): Promise<{ ok: true; meta: CmsMeta }> {
    // A push takes a moment, as over a WAN: a commit that does not wait for it returns before it lands.
    this.inFlight += 1;
    await new Promise((r) => setTimeout(r, 30));
    this.inFlight -= 1;
    if (this.failing) throw new Error('the link dropped the push');
    this.held = Math.max(this.held, batch.toVersion);
    return { ok: true, meta: { ...metaOf(this.held), role: CmsRole.Standby } };
  }
}

function metaOf(version: number): CmsMeta {
  return { version, epoch: 1, role: CmsRole.Master, masterPool: 'p', epochBase: 0, updatedAt: 0 };
}

async function masterWith(link: StandbyLink): Promise<CmsMaster> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-cms-master-'));
  dirs.push(dir);
  const store = await openSqliteStore(join(dir, 'cms.sqlite'));
  stores.push(store);
  await store.cms.initialize({ version: 0, epoch: 1, role: CmsRole.Master, masterPool: 'p', epochBase: 0 });
  const master = await CmsMaster.open({
    store: store.cms,
    transport: link,
    targets: () => [{ server: 'standby.example.com', kind: 'standby' }],
    heartbeatMs: 3_600_000,
    settleMs: 30_000,
    onSuperseded: () => undefined,
  });
  masters.push(master);
  await master.firstRound(30_000);
  return master;
}

describe('CmsMaster.commit', () => {
  it('waits for a standby whose last push failed but that answered lately', async () => {
    const link = new StandbyLink();
    const master = await masterWith(link);
    await master.commit([{ key: 'a', value: '1', ifVersion: 0 }]);
    expect(link.held).toBe(master.meta().version);
    // One push is dropped (a moment of congestion on the WAN); the link is back for the next write.
    link.failing = true;
    await master.drain(100).catch(() => undefined);
    while (link.inFlight > 0) await new Promise((r) => setTimeout(r, 5));
    link.failing = false;
    const version = await master.commit([{ key: 'c', value: '3', ifVersion: 0 }]);
    // Acknowledged only once the standby holds it: a disaster CMS failover now would keep it.
    expect(link.held).toBe(version);
  });

  it('does not wait for a copy that never answered this master', async () => {
    const link = new StandbyLink();
    link.failing = true;
    const master = await masterWith(link);
    const version = await master.commit([{ key: 'a', value: '1', ifVersion: 0 }]);
    expect(version).toBeGreaterThan(0);
    expect(link.held).toBe(0);
  });
});
