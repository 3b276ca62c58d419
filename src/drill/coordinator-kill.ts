/**
 * @module The drill's coordinator-kill scenario (issue: a failover interrupted by a crash must be recoverable):
 * the server coordinating a failover or failback is stopped at a step boundary (a failpoint) and killed -9,
 * then restarted. Its recovery must leave the transitional state (rolled back or finished, docs/failover.md),
 * and the usual invariants hold: no acknowledged write lost, nobody writable at two pools, everyone back.
 */
import { FailoverSteps, type FailoverStep } from '../failover/failover-ports.js';
import { failpointLine } from '../failover/failpoints.js';
import type { DrillContext, PoolName } from './drill-context.js';

const RECOVERY_WAIT_MS = 180_000;

export async function coordinatorKill(ctx: DrillContext): Promise<void> {
  const steps: readonly FailoverStep[] =
    ctx.options.coordinatorKillSteps === 'all' ? FailoverSteps : [ctx.random.pick(FailoverSteps)];
  for (const step of steps) await killAt(ctx, step);
}

async function killAt(ctx: DrillContext, step: FailoverStep): Promise<void> {
  const pool = ctx.random.pick(ctx.pools);
  const backup = ctx.partner(pool);
  const failback = step.startsWith('failback');
  await ctx.moveEdgeOff(pool);
  const t = Date.now();
  if (failback) {
    ctx.step = `planned failover of ${pool} (before a failback whose coordinator is killed)`;
    await ctx.shUntil(`Invoke-CsPoolFailOver -PoolFqdn ${pool}`, undefined, 60_000);
    ctx.count('planned-failover');
    ctx.servedBy.set(pool, backup);
    await ctx.settle(t);
  }
  // A failover is coordinated by the pool itself (it may host the CMS too); a failback by either pool.
  const coordinator: PoolName = failback ? ctx.random.pick(ctx.pools) : pool;
  const server = ctx.serverOf(coordinator);
  ctx.step = `kill -9 of ${coordinator}, coordinating the ${failback ? 'failback' : 'failover'} of ${pool}, at ${step}`;
  await ctx.cluster.kill(server, 'SIGTERM');
  await ctx.cluster.startServer(server, true, { TANDEM_FAILPOINTS: step });
  const from = ctx.cluster.logs.get(server)?.length ?? 0;
  const line = failback
    ? `Invoke-CsPoolFailBack -PoolFqdn ${pool}`
    : `Invoke-CsPoolFailOver -PoolFqdn ${pool}`;
  const command = ctx.sh(line, coordinator).catch(() => undefined);
  const reached = await ctx.cluster.waitForLine(server, failpointLine(step), 120_000, from);
  if (!reached) ctx.violate('coordinator-kill', `the ${step} step was never reached (${line})`);
  const killedAt = Date.now();
  await ctx.cluster.kill(server, 'SIGKILL');
  ctx.count('kill-9');
  ctx.count('coordinator-kill');
  await command;
  await ctx.cluster.startServer(server);
  ctx.count('restart');

  // The restarted coordinator recovers: a failover is rolled back (nothing was switched), a failback finished.
  const state = await leftTransition(ctx, pool);
  const expected = 'Active';
  if (state !== expected)
    ctx.violate(
      'coordinator-kill',
      `${pool} is ${state} after the recovery of ${step}, expected ${expected}`,
    );
  ctx.servedBy.set(pool, pool);
  await ctx.settle(killedAt);
  await ctx.verify();
}

/** Waits until the pool's state is no longer transitional; returns it ('' when it stays transitional). */
async function leftTransition(ctx: DrillContext, pool: PoolName): Promise<string> {
  const deadline = Date.now() + RECOVERY_WAIT_MS;
  for (;;) {
    const [s] = await ctx
      .sh(`Get-CsRegistrarConfiguration -Identity service:Registrar:${pool}`)
      .catch(() => [undefined]);
    const state = typeof s?.PoolState === 'string' ? s.PoolState : '';
    if (state !== '' && state !== 'FailingOver' && state !== 'FailingBack') return state;
    if (Date.now() > deadline)
      return `${state || 'unknown'} (still, ${RECOVERY_WAIT_MS / 1000} s after the restart)`;
    await new Promise((r) => setTimeout(r, 500));
  }
}
