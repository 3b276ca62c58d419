/**
 * @module Invoke-CsPoolFailOver. Planned: the pool's users become read-only, in-flight writes finish, the
 * Backup Service drains, verification passes, then the state flips with a new epoch: nothing acknowledged
 * is lost. Disaster: wait at most WaitTime for last data, flip, and say what may have been lost.
 */
import { timedSteps } from '../timing/timed-steps.js';
import { PoolState, type PoolStateDoc } from '../cms/cms-documents.js';
import { TandemError } from '../errors/index.js';
import { checkFailover } from './failover-rules.js';
import { claimTransition, endTransition } from './pool-transition.js';
import { rollBackFailback } from './failback-rollback.js';
import type { FailoverPorts, StepLog } from './failover-ports.js';
import { pollUntil } from '../timing/poll-until.js';

export interface FailoverOptions {
  readonly disaster: boolean;
  readonly flushStorage: boolean;
  /** Disaster mode: how long to wait for last data. */
  readonly waitTimeMs: number;
  readonly force: boolean;
}

export interface FailoverReport {
  readonly pool: string;
  readonly backup: string;
  readonly mode: 'planned' | 'disaster';
  readonly epoch: number;
  readonly seconds: number;
  /** How far the backup pool had applied the pool's log at the flip. */
  readonly lastAppliedChange: number;
  readonly lastAppliedChangeWrittenAt: number;
  /** Changes the backup pool knew existed but had not received (disaster): possibly lost, kept at the pool. */
  readonly possiblyLostChanges: number;
  readonly verifiedUsers: number;
}

export interface PlanStep {
  readonly step: number;
  readonly action: string;
  readonly checks: string;
}

export const DEFAULT_DISASTER_WAIT_MS = 5_000;
const DRAIN_TIMEOUT_MS = 120_000;

export function failoverPlan(ports: FailoverPorts, poolFqdn: string, opts: FailoverOptions): PlanStep[] {
  const { pool, backup } = checkFailover(ports.topology(), ports.view, poolFqdn, opts.disaster);
  const p = pool.fqdn;
  const b = backup.fqdn;
  const steps: [string, string][] = opts.disaster
    ? [
        [
          'Check the refusals',
          `${p} has a backup pool (${b}); no Edge pool uses ${p} as next hop; ${p} carries no failed-over pool; the CMS master can be written`,
        ],
        [`Mark ${p} FailingOver (new epoch)`, 'the CMS write reaches every reachable server'],
        [
          `Wait at most ${opts.waitTimeMs / 1000} s for ${p}'s last data at ${b}`,
          `${b}'s Backup Service cursor of ${p}`,
        ],
        [
          `Flip ${p} to FailedOver, served by ${b} (new epoch)`,
          'report the last change applied and what may have been lost',
        ],
        [
          `${b} serves ${p}'s users in regular mode`,
          `users signed in at ${b} in resiliency mode switch to regular mode`,
        ],
      ]
    : [
        [
          'Check the refusals',
          `${p} has a backup pool (${b}) and answers; no Edge pool uses ${p} as next hop; ${p} carries no failed-over pool; the CMS master can be written`,
        ],
        [
          `Make ${p}'s users read-only (resiliency mode) and wait for writes in flight`,
          `every server of ${p} finished its persistent operations`,
        ],
        ...(opts.flushStorage
          ? ([[`Flush the storage service of ${p}`, 'each front end checkpoints its store']] as [
              string,
              string,
            ][])
          : []),
        [
          `Drain the Backup Service from ${p} to ${b}`,
          `${b} applied ${p}'s whole log: ExportStatus FinalState`,
        ],
        [`Verify ${p}'s users' data at ${b}`, 'per-user digests equal at both pools'],
        [
          `Flip ${p} to FailedOver, served by ${b} (new epoch)`,
          'the CMS write reaches every reachable server',
        ],
        [
          `Sign ${p}'s users out of ${p}; they sign in at ${b} in regular mode`,
          'their IM sessions and the conferences they organized end, with the reason',
        ],
      ];
  return steps.map(([action, checks], i) => ({ step: i + 1, action, checks }));
}

export async function failover(
  ports: FailoverPorts,
  poolFqdn: string,
  opts: FailoverOptions,
  log: StepLog,
): Promise<FailoverReport> {
  const started = Date.now();
  const timed = timedSteps((m) => log.verbose(m));
  const { pool, backup } = checkFailover(ports.topology(), ports.view, poolFqdn, opts.disaster);
  const p = pool.fqdn;
  const b = backup.fqdn;
  await timed('The CMS master can be written', () => ports.checkCmsWritable('Invoke-CsPoolFailOver'));
  const before = ports.view.poolState(p);
  if (!opts.disaster || before.state === PoolState.FailingBack) {
    const r = await ports.reachable(p);
    if (!r.ok && !opts.disaster)
      throw new TandemError('POOL_UNREACHABLE', {
        pool: p,
        detail: r.detail,
        hint: 'A planned failover needs the pool up; if it is lost, use -DisasterMode.',
      });
    if (r.ok) refuseFailingBackThatAnswers(p, before.state);
  }
  if (before.state === PoolState.FailingBack) {
    const epoch = await timed(`Rolled the interrupted failback of ${p} back`, () =>
      rollBackFailback(ports, before, 'Invoke-CsPoolFailOver'),
    );
    return {
      ...emptyReport(p, b, epoch, started),
      lastAppliedChange: before.failover?.backupCursor ?? 0,
      lastAppliedChangeWrittenAt: before.failover?.backupCursorWrittenAt ?? 0,
    };
  }
  if (before.state === PoolState.FailingOver)
    log.verbose(`Resuming the failover of ${p} begun at epoch ${before.epoch}`);
  const failingOver = await timed(`${p} is FailingOver; its users are read-only`, () =>
    claimTransition(
      ports,
      before,
      { ...before, state: PoolState.FailingOver },
      { kind: 'failover', mode: opts.disaster ? 'disaster' : 'planned' },
      'Invoke-CsPoolFailOver',
    ),
  );
  await ports.stepDone('failover-claimed');

  let cursor = 0;
  let cursorWrittenAt = 0;
  let possiblyLost = 0;
  let verifiedUsers = 0;
  try {
    if (!opts.disaster) {
      await timed(`Writes in flight at ${p} finished`, () => ports.quiesce(p, p, failingOver.epoch));
      if (opts.flushStorage)
        await timed(`Flushed the storage of ${p}`, async () => void (await ports.flushStorage(p)));
      const synced = await timed(`Backup Service drained from ${p} to ${b}`, () =>
        ports.sync(b, p, DRAIN_TIMEOUT_MS),
      );
      if (synced.cursor < synced.sourceHead) {
        throw new TandemError('FAILOVER_DRAIN_FAILED', {
          pool: p,
          backup: b,
          seconds: DRAIN_TIMEOUT_MS / 1000,
          detail: synced.linkError ?? synced.applyError ?? 'timed out',
        });
      }
      cursor = synced.cursor;
      cursorWrittenAt = synced.cursorWrittenAt;
      await ports.stepDone('failover-drained');
      const users = [...ports.view.allUsers()].filter((u) => u.homePool === p).map((u) => u.sip);
      const differing = await timed(`Verified ${users.length} user(s) at ${b}`, () =>
        ports.differing(p, b, users),
      );
      if (differing.length > 0 && !opts.force) {
        throw new TandemError('FAILOVER_VERIFY_FAILED', {
          count: differing.length,
          pool: p,
          backup: b,
          users: differing.slice(0, 5).join(', '),
        });
      }
      verifiedUsers = users.length;
    } else {
      const last = await timed(`Waited for ${p}'s last data at ${b}`, () =>
        waitForLastData(ports, b, opts.waitTimeMs),
      );
      cursor = last?.cursor ?? 0;
      cursorWrittenAt = last?.cursorWrittenAt ?? 0;
      possiblyLost = last ? Math.max(0, last.sourceHead - last.cursor) : 0;
      log.warn(
        `Disaster failover: ${b} holds ${p}'s changes up to #${cursor}${cursorWrittenAt ? ` (written ${new Date(cursorWrittenAt).toISOString()})` : ''}; it knew of ${possiblyLost} more it never received. Changes ${p} acknowledged after that are kept at ${p} and listed at failback (Get-CsPoolDivergentChange).`,
      );
    }
  } catch (err) {
    // Nothing was switched: the pool goes back to Active (a new epoch), writable again.
    if (!opts.disaster)
      await rollBackFailover(ports, failingOver, 'Invoke-CsPoolFailOver').catch(() => undefined);
    throw err;
  }

  await ports.stepDone('failover-verified');
  const epoch = failingOver.epoch + 1;
  const failedOver: PoolStateDoc = {
    pool: p,
    state: PoolState.FailedOver,
    epoch,
    servedBy: b,
    servedSinceEpoch: epoch,
    since: Date.now(),
    failover: {
      mode: opts.disaster ? 'disaster' : 'planned',
      at: Date.now(),
      backupCursor: cursor,
      backupCursorWrittenAt: cursorWrittenAt,
      knownBacklog: possiblyLost,
    },
  };
  await timed(`${p} is FailedOver, served by ${b} (epoch ${epoch})`, () =>
    endTransition(ports, failingOver, failedOver, 'Invoke-CsPoolFailOver'),
  );
  return {
    ...emptyReport(p, b, epoch, started),
    mode: opts.disaster ? 'disaster' : 'planned',
    lastAppliedChange: cursor,
    lastAppliedChangeWrittenAt: cursorWrittenAt,
    possiblyLostChanges: possiblyLost,
    verifiedUsers,
  };
}

/**
 * Ends a failover that switched nothing: the pool is Active again, writable, at a new epoch. Used when a step
 * fails and when an interrupted planned failover is recovered.
 */
export async function rollBackFailover(
  ports: FailoverPorts,
  failingOver: PoolStateDoc,
  action: string,
): Promise<number> {
  const back: PoolStateDoc = {
    ...failingOver,
    state: PoolState.Active,
    epoch: failingOver.epoch + 1,
    since: Date.now(),
    operation: undefined,
  };
  await endTransition(ports, failingOver, back, action);
  return back.epoch;
}

/** A failback that answers can be finished; only a lost home pool's failback is rolled back by a failover. */
function refuseFailingBackThatAnswers(pool: string, state: PoolState): void {
  if (state !== PoolState.FailingBack) return;
  throw new TandemError('POOL_STATE', {
    pool,
    state,
    action: 'a disaster failover while the pool answers',
    expected: `lost; run Invoke-CsPoolFailBack -PoolFqdn ${pool} to finish the failback instead`,
  });
}

function emptyReport(pool: string, backup: string, epoch: number, started: number): FailoverReport {
  return {
    pool,
    backup,
    mode: 'disaster',
    epoch,
    seconds: (Date.now() - started) / 1000,
    lastAppliedChange: 0,
    lastAppliedChangeWrittenAt: 0,
    possiblyLostChanges: 0,
    verifiedUsers: 0,
  };
}

/** Disaster mode: the backup pool keeps pulling; stop when it holds what it knew of, or when time is up. */
async function waitForLastData(ports: FailoverPorts, backup: string, waitMs: number) {
  let status: Awaited<ReturnType<FailoverPorts['importerStatus']>>;
  await pollUntil(
    async () => {
      status = await ports.importerStatus(backup);
      if (!status) return true;
      const caughtUp = status.cursor >= status.sourceHead;
      // A pool that refuses connections is down: nothing more can come, so there is no point in waiting.
      const down = !status.connected && /ECONNREFUSED/.test(status.linkError ?? '');
      return (status.connected && caughtUp) || down;
    },
    { timeoutMs: waitMs, backoff: 100 },
  );
  return status;
}
