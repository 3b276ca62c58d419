/**
 * @module The heartbeat between pools: a server probes the other pools every second. The backup registrar
 * serves a partner pool's users only after the partner has been silent for the failure detection interval,
 * and sends them home after it has been back for the fallback detection interval. The same interval is when
 * a pool is declared lost (`lost`): servers then end their users' sessions with its users and show those
 * users' presence as unknown, instead of leaving them to find out when they next send.
 */
import { EventEmitter } from 'node:events';

export interface LivenessEvents {
  /** The pool has been silent for its failure detection interval (once per outage). */
  lost: [pool: string];
  /** A pool declared lost answers again. */
  back: [pool: string];
}

export class PoolLiveness extends EventEmitter<LivenessEvents> {
  private readonly lastAlive = new Map<string, number>();
  private readonly aliveSince = new Map<string, number>();
  private readonly lost = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt = Date.now();

  constructor(
    private readonly pools: () => readonly string[],
    private readonly probe: (pool: string) => Promise<boolean>,
    private readonly intervalMs = 1_000,
    /** How long a pool may be silent before it is declared lost: its failure detection interval. */
    private readonly lossAfterMs: (pool: string) => number = () => Number.POSITIVE_INFINITY,
  ) {
    super();
  }

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
    void this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** How long the pool has not answered (since this server started, if never). */
  silentForMs(pool: string, now = Date.now()): number {
    return now - (this.lastAlive.get(pool) ?? this.startedAt);
  }

  /** How long the pool has answered without a gap (0 when it does not answer now). */
  aliveForMs(pool: string, now = Date.now()): number {
    const since = this.aliveSince.get(pool);
    return since === undefined ? 0 : now - since;
  }

  /** Whether the pool is declared lost now. */
  isLost(pool: string): boolean {
    return this.lost.has(pool);
  }

  heartbeatMs(): number {
    return this.intervalMs;
  }

  private async tick(): Promise<void> {
    await Promise.all(
      this.pools().map(async (pool) => {
        const now = Date.now();
        if (await this.probe(pool).catch(() => false)) {
          this.lastAlive.set(pool, now);
          if (!this.aliveSince.has(pool)) this.aliveSince.set(pool, now);
          if (this.lost.delete(pool)) this.emit('back', pool);
        } else {
          this.aliveSince.delete(pool);
          if (!this.lost.has(pool) && this.silentForMs(pool, Date.now()) >= this.lossAfterMs(pool)) {
            this.lost.add(pool);
            this.emit('lost', pool);
          }
        }
      }),
    );
  }
}
