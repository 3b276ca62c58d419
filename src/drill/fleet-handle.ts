/**
 * @module The driver's view of the simulated users: the fleet in this process (small drills), or spread
 * over worker processes (20,000 users), behind one interface that sums their answers.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  ActivityFleet,
  type FleetOptions,
  type FleetStatus,
  type FleetVerification,
} from './activity-fleet.js';
import type { LedgerEntry } from './drill-ledger.js';
import type { FleetCommand, FleetReply } from './fleet-worker.js';

export interface Fleet {
  signIn(): Promise<Record<string, number>>;
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): Promise<FleetStatus>;
  verify(): Promise<FleetVerification>;
  forgive(entries: readonly LedgerEntry[]): Promise<void>;
  reinstate(entries: readonly LedgerEntry[]): Promise<void>;
  close(): Promise<void>;
}

/** Starts the fleet: in this process when `workers` is 0, else split over that many processes. */
export async function startFleet(options: FleetOptions, workers: number): Promise<Fleet> {
  if (workers <= 0) return inProcess(new ActivityFleet(options));
  const parts = Array.from({ length: workers }, (_, i) => ({
    ...options,
    users: options.users.filter((_, j) => j % workers === i),
    ratePerSecond: options.ratePerSecond / workers,
    seed: options.seed + i,
  }));
  const procs = await Promise.all(parts.map(() => WorkerProcess.start()));
  await Promise.all(procs.map((p, i) => p.call({ cmd: 'init', options: parts[i] as FleetOptions })));
  return new ForkedFleet(procs);
}

function inProcess(f: ActivityFleet): Fleet {
  return {
    signIn: () => f.signIn(),
    start: () => Promise.resolve(f.start()),
    stop: () => f.stop(),
    status: () => Promise.resolve(f.status()),
    verify: () => f.verify(),
    forgive: (e) => Promise.resolve(f.forgive(e)),
    reinstate: (e) => Promise.resolve(f.reinstate(e)),
    close: () => f.close(),
  };
}

type CommandBody = FleetCommand extends infer C ? (C extends FleetCommand ? Omit<C, 'id'> : never) : never;

class WorkerProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: FleetReply) => {
      const w = this.waiting.get(m.id);
      if (!w) return;
      this.waiting.delete(m.id);
      if (m.error !== undefined) w.reject(new Error(`drill worker: ${m.error}`));
      else w.resolve(m.result);
    });
    child.on('exit', (code) => {
      for (const w of this.waiting.values()) w.reject(new Error(`drill worker exited (${code})`));
      this.waiting.clear();
    });
  }

  static async start(): Promise<WorkerProcess> {
    const file = fileURLToPath(new URL('./fleet-worker.js', import.meta.url));
    const child = fork(file, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    await new Promise<void>((resolve, reject) => {
      child.once('message', () => resolve());
      child.once('exit', (code) => reject(new Error(`drill worker exited (${code}) while starting`)));
    });
    return new WorkerProcess(child);
  }

  call<T = unknown>(body: CommandBody): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(id, { resolve: (v) => resolve(v as T), reject });
      this.child.send({ ...body, id });
    });
  }

  kill(): void {
    this.child.kill();
  }
}

class ForkedFleet implements Fleet {
  constructor(private readonly procs: readonly WorkerProcess[]) {}

  private all<T>(body: CommandBody): Promise<T[]> {
    return Promise.all(this.procs.map((p) => p.call<T>(body)));
  }

  async signIn(): Promise<Record<string, number>> {
    return sumRecords(await this.all<Record<string, number>>({ cmd: 'signIn' }));
  }
  async start(): Promise<void> {
    await this.all({ cmd: 'start' });
  }
  async stop(): Promise<void> {
    await this.all({ cmd: 'stop' });
  }
  async status(): Promise<FleetStatus> {
    const parts = await this.all<FleetStatus>({ cmd: 'status' });
    return {
      counts: sumRecords(parts.map((p) => p.counts)),
      actions: parts.reduce((s, p) => s + p.actions, 0),
      acked: parts.reduce((s, p) => s + p.acked, 0),
      refused: sumRecords(parts.map((p) => p.refused)),
      ledgerEntries: parts.reduce((s, p) => s + p.ledgerEntries, 0),
    };
  }
  async verify(): Promise<FleetVerification> {
    const parts = await this.all<FleetVerification>({ cmd: 'verify' });
    return {
      checked: parts.reduce((s, p) => s + p.checked, 0),
      unverified: parts.reduce((s, p) => s + p.unverified, 0),
      missing: parts.flatMap((p) => p.missing),
      readErrors: sumRecords(parts.map((p) => p.readErrors)),
    };
  }
  async forgive(entries: readonly LedgerEntry[]): Promise<void> {
    await this.all({ cmd: 'forgive', entries: [...entries] });
  }
  async reinstate(entries: readonly LedgerEntry[]): Promise<void> {
    await this.all({ cmd: 'reinstate', entries: [...entries] });
  }
  async close(): Promise<void> {
    await Promise.all(this.procs.map((p) => p.call({ cmd: 'close' }).catch(() => undefined)));
    for (const p of this.procs) p.kill();
  }
}

export function sumRecords(parts: readonly Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of parts) for (const [k, v] of Object.entries(p)) out[k] = (out[k] ?? 0) + v;
  return out;
}
