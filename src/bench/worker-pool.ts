/** @module The driver's side of benchmark workers: fork them, send commands, await their reports. */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface WorkerReport {
  evt: string;
  [k: string]: unknown;
}

export class WorkerPool {
  private constructor(private readonly workers: ChildProcess[]) {}

  static async start(n: number): Promise<WorkerPool> {
    const file = fileURLToPath(new URL('./client-worker.js', import.meta.url));
    const workers = Array.from({ length: n }, () =>
      fork(file, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
    );
    await Promise.all(workers.map((w) => once(w, 'ready')));
    return new WorkerPool(workers);
  }

  get size(): number {
    return this.workers.length;
  }

  /** Sends each worker its command and resolves with each worker's report of `evt`. */
  async all(command: (i: number) => unknown, evt: string): Promise<WorkerReport[]> {
    const waits = this.workers.map((w) => once(w, evt));
    this.workers.forEach((w, i) => w.send(command(i) as object));
    return Promise.all(waits);
  }

  waitAll(evt: string): Promise<WorkerReport[]> {
    return Promise.all(this.workers.map((w) => once(w, evt)));
  }

  async close(): Promise<void> {
    await this.all(() => ({ cmd: 'close' }), 'closed').catch(() => undefined);
    for (const w of this.workers) w.kill();
  }
}

function once(w: ChildProcess, evt: string): Promise<WorkerReport> {
  return new Promise((resolve, reject) => {
    const exit = (code: number | null) =>
      reject(new Error(`bench worker exited (${code}) while waiting for ${evt}`));
    const on = (m: WorkerReport) => {
      if (m.evt !== evt) return;
      w.off('message', on);
      w.off('exit', exit);
      resolve(m);
    };
    w.on('message', on);
    w.once('exit', exit);
  });
}
