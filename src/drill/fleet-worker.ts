/**
 * @module A drill worker process: holds one ActivityFleet and runs the driver's commands over IPC. The
 * drill spreads its users over several such processes (one process may hold only as many sockets as its
 * open-files limit, and the clients' CPU is then spread too).
 */
import { ActivityFleet, type FleetOptions } from './activity-fleet.js';
import type { LedgerEntry } from './drill-ledger.js';

export type FleetCommand =
  | { readonly id: number; readonly cmd: 'init'; readonly options: FleetOptions }
  | { readonly id: number; readonly cmd: 'signIn' }
  | { readonly id: number; readonly cmd: 'start' }
  | { readonly id: number; readonly cmd: 'stop' }
  | { readonly id: number; readonly cmd: 'status' }
  | { readonly id: number; readonly cmd: 'verify' }
  | { readonly id: number; readonly cmd: 'forgive'; readonly entries: LedgerEntry[] }
  | { readonly id: number; readonly cmd: 'reinstate'; readonly entries: LedgerEntry[] }
  | { readonly id: number; readonly cmd: 'memory' }
  | { readonly id: number; readonly cmd: 'close' };

export interface FleetReply {
  readonly id: number;
  readonly result?: unknown;
  readonly error?: string;
}

let fleet: ActivityFleet | undefined;

function need(): ActivityFleet {
  if (!fleet) throw new Error('the worker has no fleet yet (init first)');
  return fleet;
}

async function run(m: FleetCommand): Promise<unknown> {
  switch (m.cmd) {
    case 'init':
      fleet = new ActivityFleet(m.options);
      return undefined;
    case 'signIn':
      return need().signIn();
    case 'start':
      return need().start();
    case 'stop':
      return need().stop();
    case 'status':
      return need().status();
    case 'verify':
      return need().verify();
    case 'forgive':
      return need().forgive(m.entries);
    case 'reinstate':
      return need().reinstate(m.entries);
    case 'memory':
      return process.memoryUsage().rss;
    case 'close':
      await fleet?.close();
      return undefined;
  }
}

process.on('message', (m: FleetCommand) => {
  run(m).then(
    (result) => {
      process.send?.({ id: m.id, result } satisfies FleetReply);
      if (m.cmd === 'close') process.exit(0);
    },
    (err: unknown) => process.send?.({ id: m.id, error: String(err) } satisfies FleetReply),
  );
});
// The driver is gone (killed, or crashed): nobody will ever close these clients.
process.on('disconnect', () => process.exit(1));
process.send?.({ id: 0, result: 'ready' } satisfies FleetReply);
