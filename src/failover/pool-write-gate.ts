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
   * Resolves once no write for users of `homePool` is in flight here. A write still running after `timeoutMs`
   * fails the wait (WRITES_IN_FLIGHT): the caller must not take the pool's last change-log position while a
   * write that may yet be acknowledged is outside it.
   */
  async quiesce(homePool: string, timeoutMs = 10_000): Promise<void> {
    const quiet = await pollUntil(() => (this.inflight.get(homePool) ?? 0) <= 0, { timeoutMs, backoff: 5 });
    if (!quiet)
      throw new TandemError('WRITES_IN_FLIGHT', {
        pool: homePool,
        at: this.ownPool,
        seconds: String(timeoutMs / 1000),
      });
  }
}
