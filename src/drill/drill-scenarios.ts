/**
 * @module The drill's scenarios: each injects faults or runs operations the way an administrator following
 * Lync's failover procedures would, checks the invariants, and leaves both pools Active so that any scenario may follow.
 */
import type { TcpProxy } from '../devkit/tcp-proxy.js';
import { harnessPeer, itemsAt } from '../devkit/cluster.js';
import { DrillCommandError, type DrillContext, type PoolName } from './drill-context.js';
import type { LedgerEntry } from './drill-ledger.js';
import { coordinatorKill } from './coordinator-kill.js';

export type ScenarioKind =
  'planned' | 'disaster' | 'cms-kill' | 'link-cut' | 'restart' | 'cms-planned' | 'coordinator-kill';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (since: number) => (Date.now() - since) / 1000;

/** Cuts (or black-holes) the links between the sites for `ms`, then heals them. */
async function cutLinks(ctx: DrillContext, ms: number): Promise<void> {
  const mode = ctx.random.chance(0.5) ? 'cut' : 'blackhole';
  ctx.count(mode === 'cut' ? 'link-cut' : 'link-blackholed');
  ctx.log(`  link ${mode} for ${ms} ms`);
  ctx.split.both((p: TcpProxy) => (mode === 'cut' ? p.cut() : p.blackhole()));
  await sleep(ms);
  ctx.split.both((p: TcpProxy) => p.heal());
}

/** Runs a failover or failback command, maybe with the link cut for a moment while it runs. */
async function commandWithCut(
  ctx: DrillContext,
  line: string,
  at?: PoolName,
): Promise<Record<string, unknown>[]> {
  if (!ctx.random.chance(0.4)) return ctx.shUntil(line, at, 60_000);
  const run = ctx.shUntil(line, at, 60_000);
  await sleep(ctx.random.int(0, 400));
  await cutLinks(ctx, ctx.random.int(500, 2_000));
  return run;
}

/**
 * The failback, maybe with the link cut while it runs. When its verification finds users whose data differs
 * between the pools, that is a violation: the drill records which items differ, then finishes the failback
 * with -Force so that the run (a soak especially) goes on.
 */
async function failBack(ctx: DrillContext, pool: PoolName, at?: PoolName): Promise<void> {
  const line = `Invoke-CsPoolFailBack -PoolFqdn ${pool} -Verbose`;
  try {
    await commandWithCut(ctx, line, at);
  } catch (err) {
    if (!(err instanceof DrillCommandError) || !err.message.includes('FAILOVER_VERIFY_FAILED')) throw err;
    ctx.log(`  failback verification failed:\n${err.message}`);
    const users = [...err.message.matchAll(/sip:[^\s,)]+/g)].map((m) => m[0]);
    ctx.violate(
      'failback-verification',
      `${err.message.split('\n')[0] ?? ''} ${await differences(ctx, users)}`,
    );
    await ctx.shUntil(`${line} -Force`, at, 60_000);
  }
}

/** What differs between the two pools' copies of these users' data (for the report). */
async function differences(ctx: DrillContext, users: readonly string[]): Promise<string> {
  const peer = harnessPeer(ctx.cluster);
  try {
    const out: string[] = [];
    for (const owner of users.slice(0, 5)) {
      const [a, b] = await Promise.all(ctx.pools.map((p) => itemsAt(peer, ctx.serverOf(p), owner)));
      const key = (i: { kind: string; key: string }) => `${i.kind}/${i.key}`;
      const mapB = new Map((b ?? []).map((i) => [key(i), i.value]));
      const mapA = new Map((a ?? []).map((i) => [key(i), i.value]));
      const diff = [...new Set([...mapA.keys(), ...mapB.keys()])].filter((k) => mapA.get(k) !== mapB.get(k));
      out.push(
        `${owner}: ${diff
          .slice(0, 4)
          .map(
            (k) => `${k} atl=${(mapA.get(k) ?? '∅').slice(0, 60)} dal=${(mapB.get(k) ?? '∅').slice(0, 60)}`,
          )
          .join('; ')}`,
      );
    }
    return out.join(' | ');
  } catch (err) {
    return `(could not read the items: ${String(err)})`;
  } finally {
    peer.close();
  }
}

async function planned(ctx: DrillContext): Promise<void> {
  const pool = ctx.random.pick(ctx.pools);
  const backup = ctx.partner(pool);
  ctx.step = `planned failover of ${pool}`;
  await ctx.moveEdgeOff(pool);
  let t = Date.now();
  await commandWithCut(ctx, `Invoke-CsPoolFailOver -PoolFqdn ${pool}`);
  ctx.timings.plannedFailover.push(seconds(t));
  ctx.count('planned-failover');
  ctx.servedBy.set(pool, backup);
  await ctx.settle(t);
  await ctx.verify();

  ctx.step = `planned failback of ${pool}`;
  t = Date.now();
  await failBack(ctx, pool);
  ctx.timings.plannedFailback.push(seconds(t));
  ctx.count('failback');
  ctx.servedBy.set(pool, pool);
  await ctx.settle(t);
  await ctx.verify();
}

/** Lync's pool failover procedure when the CMS pool is lost: the disaster form of the CMS failover, at the backup pool. */
async function failOverCms(ctx: DrillContext, lost: PoolName): Promise<void> {
  const to = ctx.partner(lost);
  const t = Date.now();
  await ctx.sh(
    `Invoke-CsManagementServerFailover -BackupSqlServerFqdn ${to} -BackupSqlInstanceName rtc -Force`,
    to,
  );
  ctx.timings.cmsFailover.push(seconds(t));
  ctx.count('cms-failover');
  ctx.cmsPool = to;
  // The CMS can be written at once.
  await ctx.writeCms(to);
}

async function disaster(ctx: DrillContext): Promise<void> {
  const pool = ctx.random.pick(ctx.pools);
  const backup = ctx.partner(pool);
  ctx.step = `kill -9 of ${pool}, disaster failover`;
  const lostAt = Date.now();
  await ctx.cluster.kill(ctx.serverOf(pool), 'SIGKILL');
  ctx.count('kill-9');
  if (ctx.cmsPool === pool) await failOverCms(ctx, pool);
  await ctx.moveEdgeOff(pool);
  const t = Date.now();
  const [r] = await ctx.sh(`Invoke-CsPoolFailOver -PoolFqdn ${pool} -DisasterMode`, backup);
  ctx.timings.disasterFailover.push(seconds(t));
  ctx.count('disaster-failover');
  ctx.servedBy.set(pool, backup);
  const writtenAt =
    Date.parse(typeof r?.LastAppliedChangeWrittenAt === 'string' ? r.LastAppliedChangeWrittenAt : '') || 0;
  ctx.log(
    `  disaster failover reports changes up to ${String(r?.LastAppliedChange)} (written ${writtenAt ? new Date(writtenAt).toISOString() : 'never'}), ${String(r?.PossiblyLostChanges)} more possibly lost`,
  );
  await ctx.settle(lostAt);
  // What the backup pool never received was acknowledged after the last change it applied was written.
  const lost = await ctx.verify((e) => ctx.homeOf(e.owner) === pool && e.ackAt >= writtenAt);
  ctx.lost.reportedPossiblyLost += lost.length;
  for (const e of lost.slice(0, 50))
    ctx.log(`  possibly lost: ${e.owner} ${e.kind}/${e.key} acknowledged ${new Date(e.ackAt).toISOString()}`);
  await ctx.fleet.forgive(lost);

  ctx.step = `restart of ${pool}, failback`;
  await ctx.cluster.startServer(ctx.serverOf(pool));
  ctx.count('restart');
  const tb = Date.now();
  await failBack(ctx, pool, backup);
  ctx.timings.disasterFailback.push(seconds(tb));
  ctx.count('failback');
  ctx.servedBy.set(pool, pool);
  await ctx.settle(tb);
  await ctx.verify();
  if (lost.length > 0) await restoreDivergent(ctx, pool, lost);
}

/** The changes a disaster reported lost must be listed at failback; restoring them brings them back. */
async function restoreDivergent(
  ctx: DrillContext,
  pool: PoolName,
  lost: readonly LedgerEntry[],
): Promise<void> {
  ctx.step = `divergent changes of ${pool}`;
  const listed = await ctx.sh(`Get-CsPoolDivergentChange -PoolFqdn ${pool}`);
  const has = new Set(listed.map((x) => `${String(x.Identity)} ${String(x.Kind)} ${String(x.Key)}`));
  const found = lost.filter((e) => has.has(`${e.owner} ${e.kind} ${e.key}`));
  ctx.lost.listedAtFailback += found.length;
  if (found.length < lost.length)
    ctx.violate(
      'lost-change-not-listed',
      `${lost.length - found.length} change(s) missing after the disaster are not listed by Get-CsPoolDivergentChange, e.g. ${lost
        .filter((e) => !found.includes(e))
        .slice(0, 3)
        .map((e) => `${e.owner} ${e.kind}/${e.key}`)
        .join('; ')}`,
    );
  for (const owner of new Set(found.map((e) => e.owner)))
    await ctx.sh(`Restore-CsPoolDivergentChange -PoolFqdn ${pool} -Identity ${owner}`);
  await ctx.fleet.reinstate(found);
  ctx.lost.restored += found.length;
  await ctx.verify();
}

async function cmsKill(ctx: DrillContext): Promise<void> {
  const pool = ctx.cmsPool;
  ctx.step = `kill -9 of the CMS pool ${pool}, CMS failover`;
  const lostAt = Date.now();
  await ctx.cluster.kill(ctx.serverOf(pool), 'SIGKILL');
  ctx.count('kill-9');
  await failOverCms(ctx, pool);
  await sleep(ctx.random.int(0, 2_000));
  ctx.step = `restart of ${pool}`;
  await ctx.cluster.startServer(ctx.serverOf(pool));
  ctx.count('restart');
  await ctx.settle(lostAt);
  await ctx.verify();
  await expectMaster(ctx, ctx.partner(pool));
}

async function expectMaster(ctx: DrillContext, master: PoolName): Promise<void> {
  for (const at of ctx.pools) {
    const [s] = await ctx.sh('Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus', at);
    if (s?.ActiveMasterFqdn !== master)
      ctx.violate(
        'cms-master',
        `${at} reports CMS master ${String(s?.ActiveMasterFqdn)}, expected ${master}`,
      );
  }
}

async function cmsPlanned(ctx: DrillContext): Promise<void> {
  const to = ctx.partner(ctx.cmsPool);
  ctx.step = `planned CMS failover to ${to}`;
  const t = Date.now();
  await ctx.shUntil('Invoke-CsManagementServerFailover', undefined, 30_000);
  ctx.timings.cmsFailover.push(seconds(t));
  ctx.count('cms-planned-failover');
  ctx.cmsPool = to;
  await ctx.writeCms(to);
  await expectMaster(ctx, to);
  await ctx.verify();
}

async function linkCut(ctx: DrillContext): Promise<void> {
  ctx.step = 'link between the sites cut, then healed';
  const t = Date.now();
  await cutLinks(ctx, ctx.random.int(1_000, 4_000));
  // Replication resumes: a forced sync of each pool succeeds once the link is back.
  for (const p of ctx.pools) await ctx.shUntil(`Invoke-CsBackupServiceSync -PoolFqdn ${p}`, p, 30_000);
  await ctx.settle(t);
  await ctx.verify();
}

async function restart(ctx: DrillContext): Promise<void> {
  const server = ctx.random.pick(ctx.pools);
  const signal = ctx.random.chance(0.5) ? 'SIGKILL' : 'SIGTERM';
  const midSync = ctx.random.chance(0.5);
  ctx.step = `restart of ${server} (${signal}${midSync ? ', in the middle of a sync' : ''})`;
  let sync: Promise<unknown> = Promise.resolve();
  if (midSync) {
    const synced = ctx.random.pick(ctx.pools);
    sync = ctx
      .sh(`Invoke-CsBackupServiceSync -PoolFqdn ${synced}`, ctx.partner(server))
      .catch((err: unknown) => {
        // Refused or cut off by the restart: the error must say what happened, never crash or hang.
        if (!(err instanceof DrillCommandError) || !/[A-Z_]{4,}/.test(err.message))
          ctx.violate('clear-error', `sync interrupted without a clear error: ${String(err)}`);
      });
    await sleep(ctx.random.int(0, 300));
    ctx.count('restart-mid-sync');
  }
  const t = Date.now();
  await ctx.cluster.kill(ctx.serverOf(server), signal);
  ctx.count(signal === 'SIGKILL' ? 'kill-9' : 'sigterm');
  await sleep(ctx.random.int(200, 1_500));
  await ctx.cluster.startServer(ctx.serverOf(server));
  ctx.count('restart');
  await sync;
  await ctx.settle(t);
  await ctx.verify();
}

export const SCENARIOS: Record<ScenarioKind, (ctx: DrillContext) => Promise<void>> = {
  planned,
  disaster,
  'cms-kill': cmsKill,
  'link-cut': linkCut,
  restart,
  'cms-planned': cmsPlanned,
  'coordinator-kill': coordinatorKill,
};

export const SCENARIO_KINDS = Object.keys(SCENARIOS) as ScenarioKind[];

/** The n-th scenario: every kind once (in a seeded order) first, then seeded random ones. */
export function scenarioAt(ctx: DrillContext, order: readonly ScenarioKind[], n: number): ScenarioKind {
  return (
    order[n] ??
    ctx.random.weighted(SCENARIO_KINDS.map((k) => [k, k === 'planned' || k === 'disaster' ? 3 : 1]))
  );
}
