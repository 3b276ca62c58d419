/**
 * @module The presence notifications a server owes the servers that watch its users: batched per watching
 * server (one call carries every change of a tick), and sent again when the call fails, because a lost
 * notification would leave a subscriber on another server with a stale state until the next watch refresh.
 * Only the latest state of a user is ever sent again, so a retry never overtakes a newer change.
 */
import type { PresenceState } from '../protocol/model.js';

/** The waits before each new attempt of a failed notification; after the last, the watcher's lease decides. */
export const NOTIFY_RETRY_DELAYS_MS = [250, 1_000, 2_000, 4_000, 8_000] as const;

interface Owed {
  readonly state: PresenceState;
  /** Order of queueing: the latest one per (server, user) is the only one worth sending again. */
  readonly seq: number;
}

export class NotifyOutbox {
  readonly #queued = new Map<string, Owed[]>();
  /** server → user → seq of the latest state queued for it. */
  readonly #latest = new Map<string, Map<string, number>>();
  #seq = 0;
  #scheduled = false;

  constructor(
    private readonly self: string,
    /** Delivers to the watching server; rejects when it did not take them. */
    private readonly send: (server: string, states: PresenceState[]) => Promise<unknown>,
    /** Delivers to this server's own subscribers. */
    private readonly deliverHere: (state: PresenceState) => void,
    private readonly delaysMs: readonly number[] = NOTIFY_RETRY_DELAYS_MS,
  ) {}

  queue(server: string, state: PresenceState): void {
    const owed = { state, seq: ++this.#seq };
    const q = this.#queued.get(server) ?? [];
    q.push(owed);
    this.#queued.set(server, q);
    const latest = this.#latest.get(server) ?? new Map<string, number>();
    latest.set(state.sip, owed.seq);
    this.#latest.set(server, latest);
    if (this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    const batches = [...this.#queued];
    this.#queued.clear();
    for (const [server, owed] of batches) {
      if (server === this.self) {
        for (const o of owed) this.deliverHere(o.state);
        this.#settle(server, owed);
      } else this.#attempt(server, owed, 0);
    }
  }

  #attempt(server: string, owed: readonly Owed[], failures: number): void {
    this.send(
      server,
      owed.map((o) => o.state),
    ).then(
      () => this.#settle(server, owed),
      () => {
        const wait = this.delaysMs[failures];
        if (wait === undefined) return this.#settle(server, owed);
        const timer = setTimeout(() => {
          const still = owed.filter((o) => this.#isLatest(server, o));
          if (still.length > 0) this.#attempt(server, still, failures + 1);
        }, wait);
        timer.unref();
      },
    );
  }

  #isLatest(server: string, o: Owed): boolean {
    return this.#latest.get(server)?.get(o.state.sip) === o.seq;
  }

  /** Forgets what was delivered (or given up on) unless a newer state was queued meanwhile. */
  #settle(server: string, owed: readonly Owed[]): void {
    const latest = this.#latest.get(server);
    if (!latest) return;
    for (const o of owed) if (latest.get(o.state.sip) === o.seq) latest.delete(o.state.sip);
    if (latest.size === 0) this.#latest.delete(server);
  }
}
