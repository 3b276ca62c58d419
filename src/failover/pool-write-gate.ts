/**
 * @module The write guard of a server's pool: only the pool serving a user writes the user's data, and not
 * while a failover or failback of the user's home pool runs. It counts writes in flight per home pool, so a
 * failover can wait until they finished before it takes the pool's last change-log position.
 */
import type { CmsView } from '../cms/cms-view.js';
import { PoolState } from '../cms/cms-documents.js';
import type { WriteGuard } from '../user-data/user-data-access.js';
import { TandemError } from '../errors/index.js';
import { pollUntil } from '../timing/poll-until.js';

export class PoolWriteGate implements WriteGuard {
  private readonly inflight = new Map<string, number>();

  constructor(
    private readonly ownPool: string,
    private readonly view: Pick<CmsView, 'user' | 'poolState'>,
  ) {}

  /** Throws POOL_READ_ONLY when this pool may not write the owner's data now, else returns the release. */
  enter(owner: string): () => void {
    const user = this.view.user(owner);
    if (!user) return () => undefined;
    const s = this.view.poolState(user.homePool);
    if (
      s.servedBy !== this.ownPool ||
      s.state === PoolState.FailingOver ||
      s.state === PoolState.FailingBack
    ) {
      throw new TandemError('POOL_READ_ONLY', { owner, pool: user.homePool, state: s.state });
    }
    const home = user.homePool;
    this.inflight.set(home, (this.inflight.get(home) ?? 0) + 1);
    return () => this.inflight.set(home, (this.inflight.get(home) ?? 1) - 1);
  }

  /**
   * Resolves once this server refuses new writes for users of `homePool` (its CMS replica holds the pool's
   * transitional state at `epoch` or later) and no such write is in flight here. The coordinator's CMS write
   * waits for every copy only for a bounded time, so a server may learn of the state after it is asked to
   * quiesce: counting its writes in flight before then would miss a write it still lets in. Fails with
   * CMS_STATE_NOT_SEEN or WRITES_IN_FLIGHT after `timeoutMs`: the caller must not take the pool's last
   * change-log position while a write that may yet be acknowledged is outside it.
   */
  async quiesce(homePool: string, epoch: number, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const seconds = String(timeoutMs / 1000);
    const seen = await pollUntil(() => this.view.poolState(homePool).epoch >= epoch, {
      timeoutMs,
      backoff: 5,
    });
    if (!seen)
      throw new TandemError('CMS_STATE_NOT_SEEN', {
        pool: homePool,
        epoch: String(epoch),
        at: this.ownPool,
        known: String(this.view.poolState(homePool).epoch),
        seconds,
      });
    const quiet = await pollUntil(() => (this.inflight.get(homePool) ?? 0) <= 0, {
      timeoutMs: Math.max(0, deadline - Date.now()),
      backoff: 5,
    });
    if (!quiet) throw new TandemError('WRITES_IN_FLIGHT', { pool: homePool, at: this.ownPool, seconds });
  }
}
