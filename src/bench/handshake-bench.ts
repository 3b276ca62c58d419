/**
 * @module Benchmark: what a TLS handshake costs a front-end server, full and resumed. Connections are opened to
 * one server and closed once the handshake is done (no HTTP); the server's CPU time over a phase, divided by its
 * handshakes, is its cost per handshake. A resumed handshake offers the session of an earlier connection, as a
 * client reconnecting after a failover does. The `bare-node` target runs the same phases against a bare Node TLS
 * server with the front end's certificate and options (bare-tls-server.ts): the floor Node's TLS sets.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import tls from 'node:tls';
import { benchDeployment } from './bench-deployment.js';
import { handshakesBetween, metric, scrape } from './server-probe.js';
import { round } from './stats.js';
import { eachLimited } from '../timing/each-limited.js';
import { splitAddress } from '../s2s/peer-client.js';
import { secureContextFor } from '../client-sdk/tls-context.js';
import type { Cluster } from '../devkit/cluster.js';
import type { BareServerMessage } from './bare-tls-server.js';

export interface HandshakePhase {
  readonly handshakes: number;
  readonly perSecond: number;
  readonly serverCpuMsPerHandshake: number;
  /** The connecting side's CPU per handshake (this process, one shared TLS context as the SDK keeps it). */
  readonly clientCpuMsPerHandshake: number;
  /** As the server counted them: confirms each phase was the kind it claims. */
  readonly seenByServer: { readonly full: number; readonly resumed: number };
}

export interface HandshakeBenchResult {
  /** `front-end`: a Tandem server; `bare-node`: Node's TLS alone, with the same certificate and options. */
  readonly target: HandshakeTarget;
  readonly full: HandshakePhase;
  readonly resumed: HandshakePhase;
  /** Server CPU per full handshake over per resumed one. */
  readonly fullOverResumedCpu: number;
}

export type HandshakeTarget = 'front-end' | 'bare-node';

interface Counters {
  readonly cpuSeconds: number;
  readonly handshakes: { readonly full: number; readonly resumed: number };
}

/** The server under test: where to connect, and its CPU time and handshake counts at any moment. */
interface Subject {
  readonly host: string;
  readonly port: number;
  read(): Promise<Counters>;
  close(): Promise<void>;
}

export interface HandshakeBenchOptions {
  readonly count?: number;
  readonly concurrency?: number;
  /** The front end's accept fan-out (its default is 16); 1 measures what the fan-out costs TLS. */
  readonly acceptors?: number;
  readonly target?: HandshakeTarget;
}

export async function handshakeBench(opts: HandshakeBenchOptions = {}): Promise<HandshakeBenchResult> {
  const { count = 4_000, concurrency = 32, acceptors, target = 'front-end' } = opts;
  const c = await benchDeployment({
    start: ['atl'],
    ...(acceptors ? { serverEnv: { TANDEM_ACCEPTORS: String(acceptors) } } : {}),
  });
  const servername = c.fixture.atl.server;
  const subject = target === 'bare-node' ? await bareNode(c) : frontEnd(c);
  const secureContext = secureContextFor([c.ca]);
  try {
    const handshake = (session?: Buffer) =>
      new Promise<Buffer | undefined>((resolve, reject) => {
        let kept: Buffer | undefined;
        const socket = tls.connect({
          host: subject.host,
          port: subject.port,
          secureContext,
          servername,
          session,
        });
        socket.on('session', (s: Buffer) => (kept ??= s));
        socket.once('secureConnect', () => socket.end());
        socket.on('data', () => undefined);
        socket.once('error', reject);
        socket.once('close', () => resolve(kept));
      });
    const session = await handshake();
    if (!session) throw new Error('the server offered no TLS session to resume');
    const phase = async (resume: boolean): Promise<HandshakePhase> => {
      const before = await subject.read();
      const start = performance.now();
      const client = process.cpuUsage();
      await eachLimited(
        Array.from({ length: count }, (_, i) => i),
        concurrency,
        async () => void (await handshake(resume ? session : undefined)),
      );
      const seconds = (performance.now() - start) / 1000;
      const { user, system } = process.cpuUsage(client);
      const after = await subject.read();
      return {
        handshakes: count,
        perSecond: Math.round(count / seconds),
        serverCpuMsPerHandshake: round(((after.cpuSeconds - before.cpuSeconds) * 1000) / count, 3),
        clientCpuMsPerHandshake: round((user + system) / 1000 / count, 3),
        seenByServer: {
          full: after.handshakes.full - before.handshakes.full,
          resumed: after.handshakes.resumed - before.handshakes.resumed,
        },
      };
    };
    const full = await phase(false);
    const resumed = await phase(true);
    return {
      target,
      full,
      resumed,
      fullOverResumedCpu: round(full.serverCpuMsPerHandshake / resumed.serverCpuMsPerHandshake, 2),
    };
  } finally {
    await subject.close();
    await c.stop();
  }
}

function frontEnd(c: Cluster): Subject {
  const address = c.fixture.atl.address;
  const [host, port] = splitAddress(address);
  const zero = new Map<string, number>();
  return {
    host,
    port: Number(port),
    read: async () => {
      const m = await scrape(address, c.ca);
      return {
        cpuSeconds: metric(m, 'tandem_process_cpu_seconds_total'),
        handshakes: handshakesBetween(zero, m),
      };
    },
    close: async () => undefined,
  };
}

async function bareNode(c: Cluster): Promise<Subject> {
  const file = fileURLToPath(new URL('./bare-tls-server.js', import.meta.url));
  const child = fork(file, [c.dataDir, c.fixture.atl.server], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = () =>
    new Promise<BareServerMessage>((resolve, reject) => {
      child.once('message', (m) => resolve(m as BareServerMessage));
      child.once('exit', (code) => reject(new Error(`the bare TLS server exited (${code})`)));
    });
  const ready = await next();
  if (!('port' in ready)) throw new Error('the bare TLS server did not report its port');
  return {
    host: '127.0.0.1',
    port: ready.port,
    read: async () => {
      const answer = next();
      child.send('cpu');
      const m = await answer;
      if (!('cpuSeconds' in m)) throw new Error('the bare TLS server answered without its CPU time');
      return m;
    },
    close: async () => {
      const gone = new Promise<void>((r) => child.once('exit', () => r()));
      child.disconnect();
      await gone;
    },
  };
}
