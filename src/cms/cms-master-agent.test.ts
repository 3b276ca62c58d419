import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { CmsRole, openSqliteStore, type CmsApplyResult, type CmsMeta, type Store } from '../storage/index.js';
import { exampleTopology } from '../topology/example-topology.fixture.js';
import { TandemError } from '../errors/index.js';
import type { CmsMaster, CmsPushTarget, CmsTransport } from './cms-master.js';
import { CmsMasterAgent, pushTargets } from './cms-master-agent.js';

const ATL = 'atl-cs-001.litwareinc.com';
const DAL = 'dal-cs-001.litwareinc.com';
const topology = exampleTopology('litware.yaml');

describe('pushTargets', () => {
  it('pushes to every server’s replica and to the standby through the backup pool’s servers, first one first', () => {
    const targets = pushTargets(topology, ATL);
    const replicas = targets.filter((t) => t.kind === 'replica').map((t) => t.server);
    expect(replicas.sort()).toEqual(topology.pools.flatMap((p) => p.servers.map((s) => s.fqdn)).sort());
    const dal = topology.pools.find((p) => p.fqdn === DAL);
    expect(targets.filter((t) => t.kind === 'standby')).toEqual([
      {
        server: dal?.servers[0]?.fqdn,
        kind: 'standby',
        alternates: dal?.servers.slice(1).map((s) => s.fqdn),
      },
    ]);
  });

  it('has no standby when the master pool is not paired', () => {
    const edge = topology.pools.find((p) => p.backupPool === undefined);
    if (!edge) return;
    expect(pushTargets(topology, edge.fqdn).some((t) => t.kind === 'standby')).toBe(false);
  });
});

describe('CmsMasterAgent', () => {
  let dir: string;
  let store: Store;
  let agent: CmsMasterAgent | undefined;
  const attached: (CmsMaster | undefined)[] = [];
  const fenced: string[] = [];
  /** Every copy answers as configured; by default it holds whatever it was sent. */
  let answer: (meta: CmsMeta, target: CmsPushTarget) => CmsApplyResult = (meta) => ({ ok: true, meta });

  const transport: CmsTransport = {
    push: async (target, batch) => {
      const meta = (await store.cms.meta())!;
      return answer({ ...meta, version: batch.toVersion }, target);
    },
  };

  function newAgent(): CmsMasterAgent {
    agent = new CmsMasterAgent({
      store: store.cms,
      cms: {
        attachMaster: (m) => void attached.push(m),
        fence: (pool) => void fenced.push(pool),
        topology: () => topology,
      },
      transport,
      poolFqdn: DAL,
      heartbeatMs: 60_000,
      log: pino({ level: 'silent' }),
    });
    return agent;
  }

  async function initialize(role: CmsRole, epoch: number, masterPool: string): Promise<void> {
    await store.cms.initialize({ version: 0, epoch, role, masterPool, epochBase: 0 });
  }

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tandem-cms-agent-'));
    store = await openSqliteStore(join(dir, 'pool.sqlite'));
    attached.length = 0;
    fenced.length = 0;
    answer = (meta) => ({ ok: true, meta });
  });

  afterEach(async () => {
    agent?.stop();
    agent = undefined;
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('does not act as master while its pool holds a standby copy', async () => {
    await initialize(CmsRole.Standby, 2, ATL);
    await newAgent().startIfHeld();
    expect(attached).toEqual([]);
  });

  it('promotes the standby copy: master of its own pool at the next epoch, attached to the CMS service', async () => {
    await initialize(CmsRole.Standby, 2, ATL);
    const promoted = await newAgent().promote();
    expect(promoted).toMatchObject({ role: CmsRole.Master, epoch: 3, masterPool: DAL });
    expect(await store.cms.meta()).toMatchObject({ role: CmsRole.Master, epoch: 3 });
    expect(attached).toHaveLength(1);
    expect(attached[0]?.meta().epoch).toBe(3);
  });

  it('a second promotion of a running master changes nothing', async () => {
    await initialize(CmsRole.Standby, 2, ATL);
    const a = newAgent();
    await a.promote();
    expect(await a.promote()).toMatchObject({ epoch: 3 });
    expect(attached).toHaveLength(1);
  });

  it('refuses to promote a fenced copy or a pool without a copy', async () => {
    const a = newAgent();
    await expect(a.promote()).rejects.toMatchObject({ code: 'CMS_NOT_MASTER' });
    await initialize(CmsRole.Fenced, 2, ATL);
    const err: unknown = await a.promote().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TandemError);
    expect((err as TandemError).code).toBe('CMS_NOT_MASTER');
  });

  it('demotes the master to the standby of the new master at the same epoch, detaching it', async () => {
    await initialize(CmsRole.Master, 4, DAL);
    const a = newAgent();
    await a.startIfHeld();
    expect(attached).toHaveLength(1);
    const standby = await a.demote(ATL);
    expect(standby).toMatchObject({ role: CmsRole.Standby, epoch: 4, masterPool: ATL });
    expect(attached.at(-1)).toBeUndefined();
  });

  it('fences itself when a copy answers with a newer epoch', async () => {
    await initialize(CmsRole.Master, 4, DAL);
    // The standby copy follows a newer master (ATL's, promoted while this one was cut off).
    answer = (meta, target) =>
      target.kind === 'standby'
        ? { ok: false, reason: 'stale-epoch', meta: { ...meta, epoch: 5, masterPool: ATL } }
        : { ok: true, meta };
    await newAgent().startIfHeld();
    await vi.waitFor(async () => expect((await store.cms.meta())?.role).toBe(CmsRole.Fenced));
    expect(fenced).toEqual([ATL]);
    expect(await store.cms.meta()).toMatchObject({ epoch: 4, masterPool: ATL });
  });
});
