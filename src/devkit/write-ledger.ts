/**
 * @module A ledger of acknowledged writes, for failure tests and the drill: simulated users keep writing
 * (settings with unique keys) through the SDK, and every write the server acknowledged is recorded, so that
 * a check can prove none was lost wherever the user's data now lives.
 */
import { TandemClient } from '../client-sdk/index.js';
import type { PeerClient } from '../s2s/peer-client.js';
import { eventually, itemsAt } from './cluster.js';

export interface LedgerWriter {
  readonly sip: string;
  readonly client: TandemClient;
}

export class WriteLedger {
  /** owner → key → value acknowledged. */
  readonly acked = new Map<string, Map<string, string>>();
  refused = 0;
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(readonly writers: readonly LedgerWriter[]) {}

  static async start(
    urls: readonly string[],
    users: readonly string[],
    password: string,
    ca: string,
  ): Promise<WriteLedger> {
    const writers: LedgerWriter[] = [];
    for (const sip of users) {
      const client = new TandemClient({
        urls: [...urls],
        ca,
        user: sip,
        password,
        reconnect: { initialDelayMs: 50, maxDelayMs: 300 },
      });
      await client.connect();
      writers.push({ sip, client });
    }
    return new WriteLedger(writers);
  }

  /** Starts writing: each writer writes one setting after another, with a pause between. */
  run(pauseMs = 5): void {
    this.running = true;
    this.loops = this.writers.map(async (w) => {
      let n = 0;
      while (this.running) {
        const key = `ledger-${n++}`;
        const value = `${w.sip} ${n} ${Date.now()}`;
        try {
          await w.client.setSetting(key, value);
          const mine = this.acked.get(w.sip) ?? new Map<string, string>();
          mine.set(key, value);
          this.acked.set(w.sip, mine);
        } catch {
          // Refused or cut off: not acknowledged, so nothing is owed. Retry after a pause.
          this.refused += 1;
          await new Promise((r) => setTimeout(r, 50));
        }
        await new Promise((r) => setTimeout(r, pauseMs));
      }
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  /** Waits until the writers have `n` more acknowledged writes than now; false if they did not in time. */
  async waitForMore(n: number, timeoutMs = 30_000): Promise<boolean> {
    const mark = this.count();
    return eventually(() => this.count() >= mark + n, timeoutMs);
  }

  count(): number {
    let n = 0;
    for (const m of this.acked.values()) n += m.size;
    return n;
  }

  /**
   * Every write acknowledged before this call that is missing (or changed) in the data `server`'s pool holds.
   * The writers may go on meanwhile: what they have acknowledged is taken first, then the server is read, so
   * a write acknowledged after the read began is not counted as missing from a copy read before it.
   */
  async missingAt(peer: PeerClient, server: string): Promise<string[]> {
    const owed = [...this.acked].map(([owner, keys]) => [owner, new Map(keys)] as const);
    const missing: string[] = [];
    for (const [owner, keys] of owed) {
      const items = new Map(
        (await itemsAt(peer, server, owner)).filter((i) => i.kind === 'setting').map((i) => [i.key, i.value]),
      );
      for (const [key, value] of keys)
        if (items.get(key) !== JSON.stringify(value)) missing.push(`${owner}/${key}`);
    }
    return missing;
  }

  async close(): Promise<void> {
    await this.stop();
    await Promise.all(this.writers.map((w) => w.client.close()));
  }
}
