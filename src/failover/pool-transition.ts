/**
 * @module How a failover or failback owns a pool's transitional state: it writes its coordinator and run into
 * the FailingOver / FailingBack document (a new epoch to begin, the same epoch to resume an interrupted one),
 * and every later write checks that the document is still its own. Two commands can therefore never both
 * move a pool on: the one whose run was replaced stops without writing.
 */
import { randomUUID } from 'node:crypto';
import { PoolState, type PoolOperation, type PoolStateDoc } from '../cms/cms-documents.js';
import { TandemError } from '../errors/index.js';
import type { FailoverPorts } from './failover-ports.js';
import { pollUntil } from '../timing/poll-until.js';

/** How long a coordinator waits for its own CMS replica to show what it wrote before it gives up its claim. */
const OWN_WRITE_VISIBLE_MS = 5_000;

export function isTransitional(s: PoolStateDoc): boolean {
  return s.state === PoolState.FailingOver || s.state === PoolState.FailingBack;
}

/**
 * Claims `state` for this command: from `before` with a new epoch, or, when `before` already is `state` (an
 * interrupted operation), at the same epoch with this command's run. Returns the document written.
 */
export async function claimTransition(
  ports: FailoverPorts,
  before: PoolStateDoc,
  next: Omit<PoolStateDoc, 'epoch' | 'since' | 'operation'>,
  op: Pick<PoolOperation, 'kind' | 'mode'>,
  action: string,
): Promise<PoolStateDoc> {
  const resuming = before.state === next.state;
  const doc: PoolStateDoc = {
    ...next,
    epoch: resuming ? before.epoch : before.epoch + 1,
    since: Date.now(),
    // One run per command: two commands of one server process never pass for each other.
    operation: {
      ...op,
      coordinator: ports.coordinator.server,
      run: `${ports.coordinator.run}/${randomUUID()}`,
      at: Date.now(),
    },
  };
  await ports.writePoolState(doc, action);
  return doc;
}

/**
 * Writes the state that ends (or rolls back) the operation `owned` began, if `owned` is still the pool's
 * state; otherwise another command resumed or ended it, and this one must not write (POOL_OPERATION_SUPERSEDED).
 */
export async function endTransition(
  ports: FailoverPorts,
  owned: PoolStateDoc,
  next: PoolStateDoc,
  action: string,
): Promise<void> {
  await requireOwned(ports, owned);
  await ports.writePoolState(next, action);
}

export async function requireOwned(ports: FailoverPorts, owned: PoolStateDoc): Promise<void> {
  const same = () => {
    const now = ports.view.poolState(owned.pool);
    return (
      now.epoch === owned.epoch && now.state === owned.state && now.operation?.run === owned.operation?.run
    );
  };
  // The replica shows this command's own write within moments; a lagging replica must not read as a takeover.
  await pollUntil(() => same() || ports.view.poolState(owned.pool).epoch > owned.epoch, {
    timeoutMs: OWN_WRITE_VISIBLE_MS,
    backoff: 50,
  });
  if (same()) return;
  const now = ports.view.poolState(owned.pool);
  throw new TandemError('POOL_OPERATION_SUPERSEDED', {
    action: owned.operation?.kind ?? 'operation',
    pool: owned.pool,
    state: now.state,
    epoch: now.epoch,
  });
}

/** The operation of a transitional state that this server coordinated in an earlier run (it restarted). */
export function interruptedHere(ports: FailoverPorts, s: PoolStateDoc): PoolOperation | undefined {
  const op = s.operation;
  if (!isTransitional(s) || !op) return undefined;
  const thisProcess = op.run.startsWith(`${ports.coordinator.run}/`);
  return op.coordinator === ports.coordinator.server && !thisProcess ? op : undefined;
}
