/** @module `tandem down`: stops part or all of a running deployment, gracefully or with kill -9. */
import { TandemError } from '../errors/index.js';
import { isAlive, readServerRecords, removeServerRecord } from './run-state.js';

export interface DownOptions {
  readonly dataDir: string;
  readonly pool?: string;
  readonly server?: string;
  readonly kill?: boolean;
  readonly print: (line: string) => void;
  readonly timeoutMs?: number;
}

export async function runDown(opts: DownOptions): Promise<number> {
  const records = readServerRecords(opts.dataDir).filter(
    (r) =>
      (!opts.pool || r.pool === opts.pool.toLowerCase()) &&
      (!opts.server || r.fqdn === opts.server.toLowerCase()),
  );
  const live = records.filter((r) => isAlive(r.pid));
  for (const r of records) if (!isAlive(r.pid)) removeServerRecord(opts.dataDir, r.fqdn);
  if (live.length === 0) {
    const what = opts.server ?? opts.pool ?? 'the deployment';
    opts.print(`Nothing to stop: no running server of ${what} is recorded in ${opts.dataDir}.`);
    return 0;
  }
  const signal = opts.kill ? 'SIGKILL' : 'SIGTERM';
  for (const r of live) {
    try {
      process.kill(r.pid, signal);
      opts.print(`${opts.kill ? 'Killed (kill -9)' : 'Stopping'} ${r.fqdn} (pid ${r.pid})`);
    } catch (err) {
      throw new TandemError('INTERNAL', {
        detail: `cannot signal ${r.fqdn} (pid ${r.pid}): ${(err as Error).message}`,
      });
    }
  }
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  while (live.some((r) => isAlive(r.pid)) && Date.now() < deadline)
    await new Promise((res) => setTimeout(res, 50));
  const stuck = live.filter((r) => isAlive(r.pid));
  for (const r of live) if (!stuck.includes(r)) removeServerRecord(opts.dataDir, r.fqdn);
  if (stuck.length > 0) {
    opts.print(`Still running: ${stuck.map((r) => `${r.fqdn} (pid ${r.pid})`).join(', ')}; use --kill.`);
    return 1;
  }
  return 0;
}
