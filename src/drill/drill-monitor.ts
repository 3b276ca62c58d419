/**
 * @module What the drill watches continuously while it runs: which servers claim write access for each
 * pool's users (two at once breaks fencing), each server's memory, and the Backup Service's exposure (the
 * replication lag) of each pool.
 */
import { readFileSync } from 'node:fs';
import type { Cluster } from '../devkit/cluster.js';
import { isReady } from '../supervisor/up.js';

export interface MemorySample {
  readonly at: number;
  readonly server: string;
  /** The process (a restart starts a new one). */
  readonly pid: number;
  readonly rssBytes: number;
}

export interface FencingBreach {
  readonly at: number;
  readonly homePool: string;
  readonly claimants: readonly string[];
}

/** Pool states in which the serving pool may write its users' data. */
const WRITABLE = new Set(['Active', 'FailedOver']);

export class DrillMonitor {
  readonly memory: MemorySample[] = [];
  readonly breaches: FencingBreach[] = [];
  peakExposureSeconds = 0;
  fencingSamples = 0;
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly cluster: Cluster,
    private readonly servers: readonly { readonly fqdn: string; readonly pool: string }[],
  ) {}

  start(): void {
    this.running = true;
    this.loop = (async () => {
      let round = 0;
      while (this.running) {
        await this.sampleFencing().catch(() => undefined);
        if (round % 4 === 0) {
          this.sampleMemory();
          await this.sampleLag().catch(() => undefined);
        }
        round += 1;
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private live(): { fqdn: string; pool: string; pid: number }[] {
    return this.servers.flatMap((s) => {
      const pid = this.cluster.pid(s.fqdn);
      return pid === undefined ? [] : [{ ...s, pid }];
    });
  }

  /** Asks every live server which pool it believes serves each home pool, and whether writably. */
  async sampleFencing(): Promise<void> {
    const claims = new Map<string, string[]>();
    await Promise.all(
      this.live().map(async (s) => {
        // A server that is still starting serves nobody (it refuses sign-ins until its view is confirmed).
        if (!(await isReady({ fqdn: s.fqdn, address: this.cluster.addressOf(s.fqdn) }, this.cluster.ca)))
          return;
        const r = await this.cluster.shell('Get-CsRegistrarConfiguration', { server: s.fqdn });
        if (r.code !== 0) return;
        for (const rec of r.json()) {
          const home = String(rec.Identity).replace(/^service:Registrar:/, '');
          if (rec.ServedByPool === s.pool && WRITABLE.has(String(rec.PoolState)))
            claims.set(home, [...(claims.get(home) ?? []), s.fqdn]);
        }
      }),
    );
    this.fencingSamples += 1;
    for (const [homePool, claimants] of claims)
      if (claimants.length > 1) this.breaches.push({ at: Date.now(), homePool, claimants });
  }

  sampleMemory(): void {
    for (const s of this.live()) {
      const rss = rssOf(s.pid);
      if (rss !== undefined) this.memory.push({ at: Date.now(), server: s.fqdn, pid: s.pid, rssBytes: rss });
    }
  }

  /** The Backup Service's exposure while both sites are up (a lost site's exposure grows until it returns). */
  private async sampleLag(): Promise<void> {
    const live = this.live();
    if (live.length < this.servers.length) return;
    for (const s of live) {
      const r = await this.cluster.shell(`Get-CsBackupServiceStatus -PoolFqdn ${s.pool} -Category UserData`, {
        server: s.fqdn,
      });
      if (r.code !== 0) continue;
      for (const rec of r.json())
        if (typeof rec.ExposureSeconds === 'number')
          this.peakExposureSeconds = Math.max(this.peakExposureSeconds, rec.ExposureSeconds);
    }
  }
}

/** Resident memory of a process, from /proc (Linux); undefined elsewhere or when it is gone. */
export function rssOf(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
