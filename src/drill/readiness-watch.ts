/**
 * @module Which servers of the drill's deployment were not ready, and when: sampled from /readyz while the
 * fuzzers run. A fuzz answer that came late while a server was restarting (refused connections) or starting
 * (/readyz answered 503) has that reason; a late answer while every server said it was ready has none, and stays
 * a violation. A /readyz that does not answer in time is no reason: a server frozen by an input looks like that.
 * Nor is a busy server. But the drill's own process may be the one that stood still (a loaded machine deschedules
 * it): the watch's sampling timer then fires late, and the time it stood still is not the server's to answer for.
 */
import { httpRequest } from '../devkit/fuzz/http-request.js';

interface NotReady {
  readonly at: number;
  readonly server: string;
  readonly why: string;
}

/** A span during which the drill's own event loop did not run. */
interface Stall {
  readonly from: number;
  readonly to: number;
}

/** A sampling tick this much later than its interval counts as the drill's own process standing still. */
const STALL_MS = 1_000;

export class ReadinessWatch {
  private readonly seen: NotReady[] = [];
  private readonly stalls: Stall[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sampling = false;

  /** `hangMs`: how late an answer must come to count as a hang once the drill's own stalls are taken out. */
  constructor(
    private readonly servers: readonly { readonly fqdn: string; readonly address: string }[],
    private readonly hangMs: number,
    /** The deployment CA the servers' certificates chain to. */
    private readonly ca: string,
  ) {}

  /** Resolves once every server answers /readyz with 200 (false after `timeoutMs`). */
  async allReady(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answers = await Promise.all(this.servers.map((s) => readyz(s, this.ca)));
      if (answers.every((a) => a === 'ready')) return true;
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  start(intervalMs = 250): void {
    let last = Date.now();
    this.timer = setInterval(() => {
      const now = Date.now();
      if (now - last > intervalMs + STALL_MS) this.stalls.push({ from: last + intervalMs, to: now });
      last = now;
      void this.sample();
    }, intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Why an answer between `from` and `to` may have waited: a server not ready meanwhile; undefined if none. */
  reason(from: number, to: number): string | undefined {
    const hit = this.seen.find((n) => n.at >= from && n.at <= to);
    if (hit) return `${hit.server} ${hit.why} meanwhile`;
    const stood = this.stalledWithin(from, to);
    return stood > 0 && to - from - stood <= this.hangMs
      ? `the drill's own process stood still ${stood} ms meanwhile (a loaded machine)`
      : undefined;
  }

  /** How long, between `from` and `to`, the drill's own event loop did not run. */
  stalledWithin(from: number, to: number): number {
    let total = 0;
    for (const s of this.stalls) total += Math.max(0, Math.min(to, s.to) - Math.max(from, s.from));
    return total;
  }

  private async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      await Promise.all(
        this.servers.map(async (s) => {
          const at = Date.now();
          const answer = await readyz(s, this.ca);
          if (answer === 'refused') this.seen.push({ at, server: s.fqdn, why: 'was down (restarting)' });
          if (answer === 'starting') this.seen.push({ at, server: s.fqdn, why: 'was starting (not ready)' });
        }),
      );
    } finally {
      this.sampling = false;
    }
  }
}

async function readyz(
  server: { readonly fqdn: string; readonly address: string },
  ca: string,
): Promise<'ready' | 'starting' | 'refused' | 'no-answer'> {
  const a = await httpRequest(
    server.address,
    { ca, servername: server.fqdn },
    { method: 'GET', path: '/readyz', timeoutMs: 5_000 },
  );
  if (a.status === 200) return 'ready';
  if (a.status === 503) return 'starting';
  if (a.failure === 'reset' && /ECONNREFUSED/.test(a.detail ?? '')) return 'refused';
  return 'no-answer';
}
