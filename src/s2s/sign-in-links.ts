/**
 * @module Sign-in failures shared across the deployment (docs/sign-in.md): each server tells every other
 * server of the topology about the password failures it saw, over the signed server-to-server links, so a
 * user slowed down at one pool is slowed down at the other too. Best-effort and bounded: one batch in flight,
 * a cap on what waits, a short timeout; an unreachable server simply misses failures (its own limits still
 * hold). A failure is answered to the client once its batch was delivered or given up.
 */
import { z } from 'zod';
import type { PeerClient } from './peer-client.js';
import { pathsOf, s2sContract } from './s2s-contract.js';
import { route, routeTable, type S2sRoutes } from './s2s-route-table.js';

const MAX_BATCH = 200;
const MAX_PENDING = 2_000;
const SEND_TIMEOUT_MS = 2_000;

const FailureSchema = z.object({
  user: z.string().min(1).max(512),
  source: z.string().min(1).max(64),
  at: z.number().int().nonnegative(),
});
export type SharedFailure = z.infer<typeof FailureSchema>;

export const SignInContracts = {
  failures: s2sContract({
    path: '/s2s/v1/signin/failures',
    request: z.object({ failures: z.array(FailureSchema).max(MAX_BATCH) }),
    response: z.object({ accepted: z.number() }),
  }),
};
export const SignInPaths = pathsOf(SignInContracts);

export interface FailureSharingStats {
  /** Failures received from other servers. */
  readonly received: number;
  /** Failures not shared because the queue was full. */
  readonly dropped: number;
  /** Batches a server did not take (unreachable, refused, timed out). */
  readonly unsent: number;
}

export class FailureSharing {
  private pending: { failure: SharedFailure; done: () => void }[] = [];
  private flushing = false;
  private readonly counts = { received: 0, dropped: 0, unsent: 0 };

  constructor(
    private readonly self: string,
    private readonly peer: PeerClient,
    /** Every front-end server of the deployment (this one included; it is skipped). */
    private readonly servers: () => readonly string[],
    private readonly record: (failure: SharedFailure) => void,
  ) {}

  /** Resolves when the failure reached the other servers or they were given up on; never rejects. */
  share(failure: SharedFailure): Promise<void> {
    if (this.pending.length >= MAX_PENDING) {
      this.counts.dropped++;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.pending.push({ failure, done: resolve });
      if (!this.flushing) void this.flush();
    });
  }

  routes(): S2sRoutes {
    return routeTable(
      route(SignInContracts.failures, async ({ failures }) => {
        for (const f of failures) this.record(f);
        this.counts.received += failures.length;
        return { accepted: failures.length };
      }),
    );
  }

  stats(): FailureSharingStats {
    return { ...this.counts };
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0, MAX_BATCH);
        const body = { failures: batch.map((b) => b.failure) };
        await Promise.all(
          this.servers()
            .filter((s) => s !== this.self)
            .map((s) =>
              this.peer
                .call(s, SignInContracts.failures, body, { timeoutMs: SEND_TIMEOUT_MS })
                .catch(() => void this.counts.unsent++),
            ),
        );
        for (const b of batch) b.done();
      }
    } finally {
      this.flushing = false;
    }
  }
}
