/**
 * @module Registrar resiliency's heartbeat: a server watches its partner pool (the pool whose users it backs
 * up). The backup registrar serves those users only after the partner has been silent for the failure
 * detection interval, and sends them home after it has been back for the fallback detection interval.
 */
export class PoolLiveness {
  private readonly lastAlive = new Map<string, number>();
  private readonly aliveSince = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private readonly startedAt = Date.now();

  constructor(
    private readonly pools: () => readonly string[],
    private readonly probe: (pool: string) => Promise<boolean>,
    private readonly intervalMs = 1_000,
  ) {}

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
        } else {
          this.aliveSince.delete(pool);
        }
      }),
    );
  }
}
