/**
 * @module Which servers of the drill's deployment were not ready, and when: sampled from /readyz while the
 * fuzzers run. A fuzz answer that came late while a server was restarting (refused connections) or starting
 * (/readyz answered 503) has that reason; a late answer while every server said it was ready has none, and stays
 * a violation. A /readyz that does not answer in time is no reason: a server frozen by an input looks like that.
 */
import { httpRequest } from '../devkit/fuzz/http-request.js';

interface NotReady {
  readonly at: number;
  readonly server: string;
  readonly why: string;
}

export class ReadinessWatch {
  private readonly seen: NotReady[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sampling = false;

  constructor(private readonly servers: readonly { readonly fqdn: string; readonly address: string }[]) {}

  /** Resolves once every server answers /readyz with 200 (false after `timeoutMs`). */
  async allReady(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answers = await Promise.all(this.servers.map((s) => readyz(s.address)));
      if (answers.every((a) => a === 'ready')) return true;
      if (Date.now() > deadline) return false;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  start(intervalMs = 250): void {
    this.timer = setInterval(() => void this.sample(), intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Why an answer between `from` and `to` may have waited: a server not ready meanwhile; undefined if none. */
  reason(from: number, to: number): string | undefined {
    const hit = this.seen.find((n) => n.at >= from && n.at <= to);
    return hit ? `${hit.server} ${hit.why} meanwhile` : undefined;
  }

  private async sample(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      await Promise.all(
        this.servers.map(async (s) => {
          const at = Date.now();
          const answer = await readyz(s.address);
          if (answer === 'refused') this.seen.push({ at, server: s.fqdn, why: 'was down (restarting)' });
          if (answer === 'starting') this.seen.push({ at, server: s.fqdn, why: 'was starting (not ready)' });
        }),
      );
    } finally {
      this.sampling = false;
    }
  }
}

async function readyz(address: string): Promise<'ready' | 'starting' | 'refused' | 'no-answer'> {
  const a = await httpRequest(address, { method: 'GET', path: '/readyz', timeoutMs: 5_000 });
  if (a.status === 200) return 'ready';
  if (a.status === 503) return 'starting';
  if (a.failure === 'reset' && /ECONNREFUSED/.test(a.detail ?? '')) return 'refused';
  return 'no-answer';
}
