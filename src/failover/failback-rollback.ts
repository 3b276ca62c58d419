/**
 * @module Rolling back a failback whose home pool is lost again: the backup pool serves the users once more
 * (FailedOver, a new epoch), in regular mode. Safe at any step of the failback: while the pool is FailingBack
 * nobody writes the users' data, so the backup pool's copy, authoritative since the failover, is still whole.
 */
import { PoolState, type PoolStateDoc } from '../cms/cms-documents.js';
import { TandemError } from '../errors/index.js';
import type { FailoverPorts } from './failover-ports.js';
import { claimTransition, endTransition } from './pool-transition.js';

/** Returns the new epoch. `failingBack` is the pool's current FailingBack state. */
export async function rollBackFailback(
  ports: FailoverPorts,
  failingBack: PoolStateDoc,
  action: string,
): Promise<number> {
  const previous = failingBack.previous;
  if (failingBack.state !== PoolState.FailingBack || !previous)
    throw new TandemError('POOL_STATE', {
      pool: failingBack.pool,
      state: failingBack.state,
      action: 'rolling a failback back',
      expected: PoolState.FailingBack,
    });
  // Claim the state first (same epoch): a coordinator still running the failback stops at its next write.
  const owned = await claimTransition(
    ports,
    failingBack,
    failingBack,
    { kind: 'failback', mode: 'disaster' },
    action,
  );
  const back: PoolStateDoc = {
    pool: owned.pool,
    state: PoolState.FailedOver,
    epoch: owned.epoch + 1,
    servedBy: previous.servedBy,
    // The backup pool served the users without a break: its changes since the failover stay authoritative.
    servedSinceEpoch: previous.servedSinceEpoch,
    since: Date.now(),
    ...(owned.failover ? { failover: owned.failover } : {}),
  };
  await endTransition(ports, owned, back, action);
  return back.epoch;
}
