/**
 * @module Invoke-CsPoolFailBack, following the failback tables of Lync's "User experience during pool failure": every user of the pool goes read-only
 * (resiliency mode) while the pool's divergent writes are set aside, the backup pool's changes sync back and
 * are verified; signed-in users then move back in batches, and the pool is Active again.
 */
import { timedSteps } from '../timing/timed-steps.js';
import { PoolState, type PoolStateDoc } from '../cms/cms-documents.js';
import { TandemError } from '../errors/index.js';
import { checkFailback } from './failover-rules.js';
import { claimTransition, endTransition } from './pool-transition.js';
import type { FailoverPorts, StepLog } from './failover-ports.js';
import type { PlanStep } from './pool-failover.js';
import { relocationWindowMs } from './relocation-pace.js';

export interface FailbackOptions {
  readonly waitTimeMs: number;
  readonly force: boolean;
  readonly batchSize?: number;
  readonly batchIntervalMs?: number;
}

export interface FailbackReport {
  readonly pool: string;
  readonly backup: string;
  readonly epoch: number;
  readonly seconds: number;
  readonly usersMoved: number;
  readonly divergentUsers: readonly string[];
  readonly verifiedUsers: number;
}

export const DEFAULT_FAILBACK_WAIT_MS = 15_000;
const SYNC_TIMEOUT_MS = 120_000;

export function failbackPlan(ports: FailoverPorts, poolFqdn: string): PlanStep[] {
  const { pool, backup } = checkFailback(ports.topology(), ports.view, poolFqdn);
  const p = pool.fqdn;
  const b = backup.fqdn;
  return [
    ['Check the refusals', `${p} is FailedOver and answers; the CMS master can be written`],
    [
      `Mark ${p} FailingBack (new epoch); its users go read-only at both pools`,
      `new sign-ins go to ${p} in resiliency mode; legacy clients wait`,
    ],
    [
      `Set aside the changes ${p} acknowledged that ${b} never received`,
      'listed per user by Get-CsPoolDivergentChange',
    ],
    [`Sync back what ${p}'s users changed at ${b}`, `${p} applied ${b}'s whole log`],
    [`Verify ${p}'s users' data at ${p}`, 'per-user digests equal at both pools'],
    [
      `Move the users signed in at ${b} back in batches`,
      'progress: users moved, time left; conferences they organized end',
    ],
    [
      `Mark ${p} Active (new epoch)`,
      'users at their home pool switch to regular mode; conference content is home',
    ],
  ].map(([action, checks], i) => ({ step: i + 1, action: action ?? '', checks: checks ?? '' }));
}

export async function failback(
  ports: FailoverPorts,
  poolFqdn: string,
  opts: FailbackOptions,
  log: StepLog,
): Promise<FailbackReport> {
  const started = Date.now();
  const timed = timedSteps((m) => log.verbose(m));
  const { pool, backup } = checkFailback(ports.topology(), ports.view, poolFqdn);
  const p = pool.fqdn;
  const b = backup.fqdn;
  await timed('The CMS master can be written', () => ports.checkCmsWritable('Invoke-CsPoolFailBack'));
  const up = await ports.reachable(p);
  if (!up.ok)
    throw new TandemError('POOL_UNREACHABLE', {
      pool: p,
      detail: up.detail,
      hint: 'Fail back once the home pool is up again.',
    });
  const before = ports.view.poolState(p);
  const backupCursor = before.failover?.backupCursor ?? 0;

  // Every step below can run again: an interrupted failback (the pool stays FailingBack, its users
  // read-only) is finished by running the command again, at the same epoch, under this command's run.
  const resuming = before.state === PoolState.FailingBack;
  if (resuming) log.verbose(`Resuming the failback of ${p} begun at epoch ${before.epoch}`);
  const failingBack = await timed(`${p} is FailingBack; its users are read-only`, () =>
    claimTransition(
      ports,
      before,
      resuming
        ? before
        : {
            ...before,
            state: PoolState.FailingBack,
            servedBy: p,
            servedSinceEpoch: before.epoch + 1,
            // What the backup pool changed while it served the users is synced back: still authoritative.
            previous: { servedBy: b, servedSinceEpoch: before.servedSinceEpoch },
          },
      { kind: 'failback', mode: 'planned' },
      'Invoke-CsPoolFailBack',
    ),
  );
  const epoch1 = failingBack.epoch;
  await ports.stepDone('failback-claimed');
  await timed(`Writes in flight at ${b} finished`, () => ports.quiesce(b, p, epoch1));

  const divergent = await timed(`Set aside ${p}'s changes after #${backupCursor}`, () =>
    ports.setAsideDivergent(p, backupCursor, epoch1),
  );
  if (divergent.length > 0)
    log.warn(
      `${divergent.length} user(s) of ${p} had changes ${b} never received; they are kept aside: Get-CsPoolDivergentChange -PoolFqdn ${p}.`,
    );
  await ports.stepDone('failback-set-aside');
  const synced = await timed(`Synced ${b}'s changes back to ${p}`, () =>
    ports.sync(p, b, Math.max(opts.waitTimeMs, SYNC_TIMEOUT_MS)),
  );
  if (synced.cursor < synced.sourceHead) {
    throw new TandemError('FAILOVER_DRAIN_FAILED', {
      pool: b,
      backup: p,
      seconds: SYNC_TIMEOUT_MS / 1000,
      detail: synced.linkError ?? 'timed out',
    });
  }
  if (divergent.length > 0)
    await timed(`Restored ${divergent.length} user(s) at ${p} from ${b}`, () =>
      ports.restoreOwners(p, b, divergent),
    );
  const users = [...ports.view.allUsers()].filter((u) => u.homePool === p).map((u) => u.sip);
  const differing = await timed(`Verified ${users.length} user(s) at ${p}`, () =>
    ports.differing(b, p, users),
  );
  if (differing.length > 0 && !opts.force) {
    throw new TandemError('FAILOVER_VERIFY_FAILED', {
      count: differing.length,
      pool: b,
      backup: p,
      users: differing.slice(0, 5).join(', '),
    });
  }

  await ports.stepDone('failback-synced');
  const signedIn = await ports.signedIn(b, p);
  const batch = opts.batchSize ?? 2_000;
  // Pacing: a batch every interval, by default the time P takes a batch at its relocation rate. Users keep
  // working where they are until their batch's turn comes.
  const interval = opts.batchIntervalMs ?? relocationWindowMs(ports.topology(), p, batch);
  let moved = 0;
  const moveStart = Date.now();
  for (let i = 0; i < signedIn.length; i += batch) {
    const due = moveStart + (i / batch) * interval;
    if (Date.now() < due) await new Promise((r) => setTimeout(r, due - Date.now()));
    moved += await ports.relocate(b, signedIn.slice(i, i + batch), 'failback');
    const done = Math.min(signedIn.length, i + batch);
    const elapsed = Date.now() - moveStart;
    log.progress({
      activity: `Moving ${p}'s users back from ${b}`,
      done,
      total: signedIn.length,
      etaMs: done > 0 ? (elapsed / done) * (signedIn.length - done) : 0,
    });
  }
  log.verbose(
    `Moved ${signedIn.length} signed-in user(s) back, ${moved} endpoint(s) (${Date.now() - moveStart} ms)`,
  );

  await ports.stepDone('failback-moved');
  const epoch2 = epoch1 + 1;
  const active: PoolStateDoc = {
    pool: p,
    state: PoolState.Active,
    epoch: epoch2,
    servedBy: p,
    servedSinceEpoch: epoch1,
    since: Date.now(),
  };
  await timed(`${p} is Active (epoch ${epoch2}); conference content is back home`, () =>
    endTransition(ports, failingBack, active, 'Invoke-CsPoolFailBack'),
  );
  return {
    pool: p,
    backup: b,
    epoch: epoch2,
    seconds: (Date.now() - started) / 1000,
    usersMoved: signedIn.length,
    divergentUsers: divergent,
    verifiedUsers: users.length,
  };
}
