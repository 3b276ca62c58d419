/**
 * @module A benchmark worker process: runs thousands of SDK clients (one per simulated user) on command of
 * the benchmark driver, and reports timings. Several workers spread the clients over processes, since one
 * process may hold at most as many sockets as its open-files limit.
 */
import { TandemClient } from '../client-sdk/index.js';
import type { BenchUser } from './bench-deployment.js';
import { eachLimited } from '../timing/each-limited.js';
import { loopbackSourceFor } from '../devkit/loopback-sources.js';

type Command =
  | {
      cmd: 'signin';
      url: string;
      /** The deployment CA (PEM) the servers' certificates chain to. */
      ca: string;
      users: BenchUser[];
      concurrency: number;
      reconnect?: { maxDelayMs: number };
      /** Resume the TLS session each user's client had before the last `drop`. */
      resume?: boolean;
      /** False: every reconnection makes a full TLS handshake (default true). */
      resumeTls?: boolean;
    }
  | { cmd: 'drop' }
  | { cmd: 'status' }
  | { cmd: 'subscribe'; targets: string[]; concurrency: number }
  | { cmd: 'count'; expected: number }
  | { cmd: 'close' };

/** The request and opening-handshake timeout of the simulated clients (an SDK client's default is 10 s). */
const SIMULATED_CLIENT_PATIENCE_MS = 60_000;

let clients: TandemClient[] = [];
/** Each dropped client's TLS session, by user: what the next `signin` with `resume` offers. */
const sessions = new Map<string, Buffer>();
/**
 * Clients by where and how they are signed in (`server|mode`, else their state), kept current from their
 * events: the driver asks ten times a second, and walking every client each time cost a tenth of the
 * workers' CPU during a failover.
 */
const tally = new Map<string, number>();
const tallied = new Map<TandemClient, string>();

function tallyKey(cl: TandemClient): string {
  return cl.state() === 'signed-in' ? `${cl.servedBy() ?? '?'}|${cl.mode() ?? '?'}` : cl.state();
}

function retally(cl: TandemClient): void {
  const before = tallied.get(cl);
  if (before === undefined) return;
  const now = tallyKey(cl);
  if (now === before) return;
  tally.set(before, (tally.get(before) ?? 1) - 1);
  tally.set(now, (tally.get(now) ?? 0) + 1);
  tallied.set(cl, now);
}

function track(cl: TandemClient): void {
  const key = tallyKey(cl);
  tallied.set(cl, key);
  tally.set(key, (tally.get(key) ?? 0) + 1);
  cl.on('state', () => retally(cl));
  cl.on('mode', () => retally(cl));
}
let received = 0;
let expected = Number.POSITIVE_INFINITY;
const latencies: number[] = [];
/** Why clients had to retry, by error code (and detail for unreachable servers): shown when a wait fails. */
const retryCauses: Record<string, number> = {};

function send(msg: unknown): void {
  process.send?.(msg);
}

async function signIn(m: Extract<Command, { cmd: 'signin' }>): Promise<void> {
  const { url, ca, users, concurrency, reconnect } = m;
  const lat: number[] = [];
  let errors = 0;
  const firstStart = Date.now();
  let n = 0;
  await eachLimited(users, concurrency, async (u) => {
    const cl = new TandemClient({
      urls: [url],
      ca,
      user: u.sip,
      token: u.token,
      localAddress: loopbackSourceFor(url, n++),
      reconnect: reconnect
        ? { enabled: true, initialDelayMs: 100, maxDelayMs: reconnect.maxDelayMs }
        : { enabled: false },
      keepaliveIntervalMs: 300_000,
      // Thousands of simulated clients share this process's CPU, which a real client has to itself: a handshake
      // that waits for this process, not for the server, must not time out and retry as if the server were slow.
      requestTimeoutMs: SIMULATED_CLIENT_PATIENCE_MS,
      resumeTlsSessions: m.resumeTls ?? true,
      tlsSession: m.resume ? sessions.get(u.sip) : undefined,
    });
    cl.on('presence.changed', (p) => {
      received += 1;
      if (received % 50 === 0) latencies.push(Date.now() - p.at);
      if (received === expected) send({ evt: 'counted', at: Date.now(), latencies });
    });
    cl.on('retrying', (_delay, _attempt, err) => {
      const detail = err.code === 'SERVER_UNREACHABLE' ? ` ${String(err.params.detail ?? '')}` : '';
      const key = `${err.code}${detail}`.slice(0, 80);
      retryCauses[key] = (retryCauses[key] ?? 0) + 1;
    });
    const t0 = performance.now();
    try {
      await cl.connect();
      lat.push(performance.now() - t0);
      clients.push(cl);
      track(cl);
    } catch {
      errors += 1;
      await cl.close();
    }
  });
  send({ evt: 'signed-in', latencies: lat, errors, firstStart, lastEnd: Date.now() });
}

process.on('message', (m: Command) => {
  void (async () => {
    switch (m.cmd) {
      case 'signin':
        return signIn(m);
      case 'drop': {
        // Signs everyone out and keeps their TLS sessions for a later sign-in with `resume`.
        for (const cl of clients) {
          const session = cl.tlsSession();
          if (session) sessions.set(cl.sip(), session);
        }
        await eachLimited(clients, 200, (cl) => cl.close());
        clients = [];
        tally.clear();
        tallied.clear();
        return send({ evt: 'dropped', sessions: sessions.size });
      }
      case 'status': {
        // How many clients are signed in where, in which mode: the driver waits for all to be back at work.
        const counts: Record<string, number> = {};
        for (const [k, n] of tally) if (n > 0) counts[k] = n;
        // CPU seconds this worker used so far: the driver splits a phase's cost between clients and servers.
        const { user, system } = process.cpuUsage();
        return send({ evt: 'status', counts, retryCauses, cpuSeconds: (user + system) / 1e6 });
      }
      case 'subscribe': {
        await eachLimited(clients, m.concurrency, async (cl) => {
          await cl.subscribePresence(m.targets);
        });
        return send({ evt: 'subscribed' });
      }
      case 'count':
        expected = m.expected;
        received = 0;
        latencies.length = 0;
        return send({ evt: 'counting' });
      case 'close':
        await eachLimited(clients, 200, (cl) => cl.close());
        send({ evt: 'closed' });
        return process.exit(0);
    }
  })();
});
// The driver is gone: nobody will ever close these clients.
process.on('disconnect', () => process.exit(1));
send({ evt: 'ready' });
