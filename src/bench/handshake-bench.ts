/**
 * @module Benchmark: what a TLS handshake costs a front-end server, full and resumed. Connections are opened to
 * one server and closed once the handshake is done (no HTTP); the server's CPU time over a phase, divided by its
 * handshakes, is its cost per handshake. A resumed handshake offers the session of an earlier connection, as a
 * client reconnecting after a failover does.
 */
import tls from 'node:tls';
import { benchDeployment } from './bench-deployment.js';
import { handshakesBetween, metric, scrape } from './server-probe.js';
import { round } from './stats.js';
import { eachLimited } from '../timing/each-limited.js';
import { splitAddress } from '../s2s/peer-client.js';

export interface HandshakePhase {
  readonly handshakes: number;
  readonly perSecond: number;
  readonly serverCpuMsPerHandshake: number;
  /** As the server counted them: confirms each phase was the kind it claims. */
  readonly seenByServer: { readonly full: number; readonly resumed: number };
}

export interface HandshakeBenchResult {
  readonly full: HandshakePhase;
  readonly resumed: HandshakePhase;
  /** Server CPU per full handshake over per resumed one. */
  readonly fullOverResumedCpu: number;
}

/** `acceptors`: the server's accept fan-out (its default is 16); 1 measures what the fan-out costs TLS. */
export async function handshakeBench(
  count = 4_000,
  concurrency = 32,
  acceptors?: number,
): Promise<HandshakeBenchResult> {
  const c = await benchDeployment({
    start: ['atl'],
    ...(acceptors ? { serverEnv: { TANDEM_ACCEPTORS: String(acceptors) } } : {}),
  });
  try {
    const address = c.fixture.atl.address;
    const [host, port] = splitAddress(address);
    const handshake = (session?: Buffer) =>
      new Promise<Buffer | undefined>((resolve, reject) => {
        let kept: Buffer | undefined;
        const servername = c.fixture.atl.server;
        const socket = tls.connect({ host, port: Number(port), ca: c.ca, servername, session });
        socket.on('session', (s: Buffer) => (kept ??= s));
        socket.once('secureConnect', () => socket.end());
        socket.on('data', () => undefined);
        socket.once('error', reject);
        socket.once('close', () => resolve(kept));
      });
    const session = await handshake();
    if (!session) throw new Error('the server offered no TLS session to resume');
    const phase = async (resume: boolean): Promise<HandshakePhase> => {
      const before = await scrape(address, c.ca);
      const start = performance.now();
      await eachLimited(
        Array.from({ length: count }, (_, i) => i),
        concurrency,
        async () => void (await handshake(resume ? session : undefined)),
      );
      const seconds = (performance.now() - start) / 1000;
      const after = await scrape(address, c.ca);
      const cpu = (m: Map<string, number>) => metric(m, 'tandem_process_cpu_seconds_total');
      return {
        handshakes: count,
        perSecond: Math.round(count / seconds),
        serverCpuMsPerHandshake: round(((cpu(after) - cpu(before)) * 1000) / count, 3),
        seenByServer: handshakesBetween(before, after),
      };
    };
    const full = await phase(false);
    const resumed = await phase(true);
    return {
      full,
      resumed,
      fullOverResumedCpu: round(full.serverCpuMsPerHandshake / resumed.serverCpuMsPerHandshake, 2),
    };
  } finally {
    await c.stop();
  }
}
