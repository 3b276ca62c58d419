/**
 * @module The drill's running state: the deployment (two sites with a TCP proxy on the link between them),
 * the simulated users, what the drill believes each pool's state to be, and the checks it runs after
 * every step: everyone back at work in the prescribed mode, and no acknowledged change missing.
 */
import type { DrillDeployment } from './drill-deployment.js';
import type { Fleet } from './fleet-handle.js';
import type { LedgerEntry } from './drill-ledger.js';
import type { DrillOptions } from './drill-options.js';
import type { SeededRandom } from '../devkit/seeded-random.js';
import type { DrillMonitor } from './drill-monitor.js';

/** A pool's FQDN. */
export type PoolName = string;
/** Drill users' SIP addresses start with their home pool's prefix: the first pool's, or the second's. */
export const USER_PREFIXES = ['sip:drill-a-', 'sip:drill-b-'] as const;

export interface Violation {
  readonly cycle: number;
  readonly step: string;
  readonly invariant: string;
  readonly detail: string;
}

export class DrillCommandError extends Error {}

export interface Timings {
  plannedFailover: number[];
  plannedFailback: number[];
  disasterFailover: number[];
  disasterFailback: number[];
  cmsFailover: number[];
  /** From a fault or command until every user is back at work in regular mode. */
  recovery: number[];
}

export class DrillContext {
  cycle = 0;
  step = '';
  /** Home pool → the pool serving its users now (both pools serve themselves between scenarios). */
  readonly servedBy: Map<PoolName, PoolName>;
  cmsPool: PoolName;
  edgeNextHop: PoolName | undefined;
  readonly violations: Violation[] = [];
  readonly faults: Record<string, number> = {};
  readonly timings: Timings = {
    plannedFailover: [],
    plannedFailback: [],
    disasterFailover: [],
    disasterFailback: [],
    cmsFailover: [],
    recovery: [],
  };
  readonly lost = {
    /** Reported possibly lost by a disaster failover, and missing then. */
    reportedPossiblyLost: 0,
    /** Of those, found set aside and listed at failback. */
    listedAtFailback: 0,
    /** Restored from the divergent changes and found again by their users. */
    restored: 0,
    /** Missing without any report: each one is also a violation. */
    unexplained: 0,
  };
  readonly commandErrors: Record<string, number> = {};
  /** Inputs the fuzzers sent, by target (the long mode of the fuzzers, between cycles). */
  readonly fuzzInputs: Record<string, number> = {};

  constructor(
    readonly deployment: DrillDeployment,
    readonly fleet: Fleet,
    readonly usersAt: ReadonlyMap<PoolName, number>,
    readonly options: DrillOptions,
    readonly random: SeededRandom,
    readonly monitor: DrillMonitor,
    readonly log: (line: string) => void,
  ) {
    this.servedBy = new Map(deployment.pools.map((p) => [p, p]));
    this.cmsPool = deployment.cmsPool;
    this.edgeNextHop = deployment.edge?.nextHop;
  }

  get split() {
    return this.deployment.split;
  }

  get cluster() {
    return this.deployment.split.cluster;
  }

  get pools(): readonly [PoolName, PoolName] {
    return this.deployment.pools;
  }

  /** The server of a pool (the drill runs one per pool). */
  serverOf(pool: PoolName): string {
    return this.deployment.serverOf.get(pool) ?? pool;
  }

  partner(pool: PoolName): PoolName {
    return pool === this.pools[0] ? this.pools[1] : this.pools[0];
  }

  /** The home pool of a drill user (its SIP address starts with the pool's prefix). */
  homeOf(sip: string): PoolName {
    return sip.startsWith(USER_PREFIXES[0]) ? this.pools[0] : this.pools[1];
  }

  alive(pool: PoolName): boolean {
    return this.cluster.pid(this.serverOf(pool)) !== undefined;
  }

  count(fault: string): void {
    this.faults[fault] = (this.faults[fault] ?? 0) + 1;
  }

  violate(invariant: string, detail: string): void {
    this.violations.push({ cycle: this.cycle, step: this.step, invariant, detail });
    this.log(`  VIOLATION ${invariant}: ${detail}`);
  }

  /** Runs a cmdlet line at `server` (a live one by default); throws with the shell's message when it fails. */
  async sh(line: string, server?: PoolName): Promise<Record<string, unknown>[]> {
    const at = server ?? (this.alive(this.cmsPool) ? this.cmsPool : this.pools.find((p) => this.alive(p)));
    const r = await this.cluster.shell(line, at ? { server: this.serverOf(at) } : {});
    if (r.code !== 0) {
      const code = /ErrorCode: ([A-Z][A-Z0-9_]+)/.exec(r.err)?.[1] ?? 'FAILED';
      this.commandErrors[code] = (this.commandErrors[code] ?? 0) + 1;
      throw new DrillCommandError(`\`${line}\` failed at ${at ?? '?'}: ${r.err.trim()}`);
    }
    return r.out.trim() ? r.json() : [];
  }

  /** Retries a command that a cut link or a restart may refuse, until it succeeds or the time is up. */
  async shUntil(
    line: string,
    server: PoolName | undefined,
    timeoutMs: number,
  ): Promise<Record<string, unknown>[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await this.sh(line, server);
      } catch (err) {
        if (Date.now() > deadline) throw err;
        this.log(`  retrying: ${(err as Error).message.split('\n')[0] ?? ''}`);
        await new Promise((r) => setTimeout(r, 1_000));
      }
    }
  }

  /** Points the Edge pool's next hop away from `pool` (Lync's pool failover procedure: before failing that pool over). */
  async moveEdgeOff(pool: PoolName): Promise<void> {
    const edge = this.deployment.edge;
    if (!edge || this.edgeNextHop !== pool) return;
    const to = this.partner(pool);
    await this.sh(`Set-CsEdgeServer -Identity EdgeServer:${edge.fqdn} -Registrar Registrar:${to}`, to);
    this.edgeNextHop = to;
  }

  /** A harmless CMS change, to show the CMS can be written (the Edge next hop set to what it is). */
  async writeCms(at: PoolName): Promise<void> {
    const edge = this.deployment.edge;
    if (edge && this.edgeNextHop)
      await this.sh(
        `Set-CsEdgeServer -Identity EdgeServer:${edge.fqdn} -Registrar Registrar:${this.edgeNextHop}`,
        at,
      );
    else await this.sh('Set-CsBackupServiceConfiguration -Continuous', at);
  }

  /** How many users each server should serve in regular mode now. */
  expectedCounts(): Map<PoolName, number> {
    const m = new Map<PoolName, number>();
    for (const home of this.pools) {
      const by = this.servedBy.get(home) ?? home;
      m.set(by, (m.get(by) ?? 0) + (this.usersAt.get(home) ?? 0));
    }
    return m;
  }

  /**
   * Waits until every user is signed in in regular mode where the pool states say, and records the time
   * since `since`; a violation when it takes longer than the recovery target.
   */
  async settle(since: number): Promise<number> {
    const target = this.options.recoveryTargetSeconds * 1000;
    const want = this.expectedCounts();
    let last = '';
    for (;;) {
      const s = await this.fleet.status();
      const ok = this.pools.every((p) => (s.counts[`${p}|regular`] ?? 0) === (want.get(p) ?? 0));
      if (ok) {
        const seconds = (Date.now() - since) / 1000;
        this.timings.recovery.push(seconds);
        return seconds;
      }
      last = JSON.stringify(s.counts);
      if (Date.now() - since > target) {
        this.violate(
          'back-in-service',
          `users not all back at work within ${this.options.recoveryTargetSeconds} s; want ${JSON.stringify(Object.fromEntries(want))} regular, have ${last}`,
        );
        return (Date.now() - since) / 1000;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /**
   * Each user reads their own data back. Missing entries are violations unless `explain` accounts for them
   * (a disaster failover's reported window); returns the entries it explained.
   */
  async verify(explain?: (e: LedgerEntry) => boolean): Promise<LedgerEntry[]> {
    const v = await this.fleet.verify();
    if (v.unverified > 0 || Object.keys(v.readErrors).length > 0)
      this.violate(
        'verify',
        `${v.unverified} users not in regular mode and read errors ${JSON.stringify(v.readErrors)} at verification`,
      );
    const explained: LedgerEntry[] = [];
    const unexplained: LedgerEntry[] = [];
    for (const e of v.missing) (explain?.(e) ? explained : unexplained).push(e);
    if (unexplained.length > 0) {
      this.lost.unexplained += unexplained.length;
      this.violate(
        'acknowledged-change-missing',
        `${unexplained.length} acknowledged change(s) missing, e.g. ${unexplained
          .slice(0, 3)
          .map((e) => `${e.owner} ${e.kind}/${e.key} (acknowledged ${new Date(e.ackAt).toISOString()})`)
          .join('; ')}`,
      );
      // Counted once: take them out so later checks report only new losses.
      await this.fleet.forgive(unexplained);
    }
    this.log(`  verified ${v.checked} users: ${v.missing.length} missing (${explained.length} explained)`);
    return explained;
  }
}
