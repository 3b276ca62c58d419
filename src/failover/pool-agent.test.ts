import { describe, expect, it } from 'vitest';
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { parseTopology } from '../topology/parse-topology.js';
import { EndpointRegistry, type Endpoint } from '../delivery/endpoint-registry.js';
import { DocPrefix, PoolState, type PoolStateDoc } from '../cms/cms-documents.js';
import type { CmsView } from '../cms/cms-view.js';
import type { PoolLiveness } from '../registrar/pool-liveness.js';
import { ClientMode } from '../protocol/model.js';
import { CloseCode } from '../protocol/limits.js';
import { PoolAgent } from './pool-agent.js';
import { relocationWindowMs } from './relocation-pace.js';

const ATL = 'atl-cs-001.litwareinc.com';
const DAL = 'dal-cs-001.litwareinc.com';
const litware = readFileSync(new URL('../../examples/litware.yaml', import.meta.url), 'utf8');

interface Sent {
  readonly sip: string;
  readonly at: number;
  readonly frame: { push: string; payload: { reconnectWithinMs: number } };
}

/** Atlanta's agent with `users` signed in, a view whose pool states the test sets, and a slow fake clock. */
function atlanta(users: number) {
  const topology = parseTopology(litware, { dataDir: '/tmp/tandem-agent' });
  const states = new Map<string, PoolStateDoc>();
  const state = (pool: string, s: PoolState, servedBy: string, epoch: number): PoolStateDoc => ({
    pool,
    state: s,
    epoch,
    servedBy,
    servedSinceEpoch: epoch,
    since: 0,
  });
  for (const p of topology.pools) states.set(p.fqdn, state(p.fqdn, PoolState.Active, p.fqdn, 1));
  const view = Object.assign(new EventEmitter(), {
    poolState: (pool: string) => states.get(pool),
    user: (sip: string) => ({ sip, homePool: ATL }),
  });
  // Every reading of the clock moves it on by a quarter of a millisecond: signing out takes "time".
  let clock = 1_000_000;
  const now = () => (clock += 0.25);
  const endpoints = new EndpointRegistry(4);
  const sent: Sent[] = [];
  const closes: number[] = [];
  for (let i = 0; i < users; i++) {
    const sip = `sip:u${i}@litwareinc.com`;
    const ep: Endpoint = {
      id: `ep-${i}`,
      sip,
      displayName: sip,
      homePool: ATL,
      legacy: false,
      handle: {
        sendFrame: (f) => sent.push({ sip, at: clock, frame: JSON.parse(String(f)) as Sent['frame'] }) > 0,
        close: (code, _reason, last) => {
          closes.push(code);
          if (last !== undefined) sent.push({ sip, at: clock, frame: JSON.parse(last) as Sent['frame'] });
        },
      },
      signedInAt: 0,
      mode: ClientMode.Regular,
      lastSeen: 0,
    };
    endpoints.add(ep);
  }
  const agent = new PoolAgent({
    ownPool: ATL,
    view: view as unknown as CmsView,
    topology: () => topology,
    endpoints,
    push: () => undefined,
    liveness: {} as PoolLiveness,
    endSessions: async () => undefined,
    setExportFinal: () => undefined,
    servedAt: () => [{ fqdn: DAL, url: 'ws://dal/v1/client' }],
    log: () => undefined,
    now,
  });
  const failOver = async () => {
    states.set(ATL, state(ATL, PoolState.FailedOver, DAL, 2));
    const start = clock;
    view.emit('change', [`${DocPrefix.poolState}${ATL}`]);
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    return start;
  };
  return { agent, sent, closes, failOver, topology };
}

describe('PoolAgent relocation', () => {
  it('gives every endpoint of one failover the same deadline, however long signing them out takes', async () => {
    const users = 1_000;
    const { sent, closes, failOver, topology } = atlanta(users);
    const start = await failOver();
    const signedOut = sent.filter((s) => s.frame.push === 'signed-out');
    expect(signedOut).toHaveLength(users);
    expect(closes).toEqual(Array.from({ length: users }, () => CloseCode.Relocated));
    const window = relocationWindowMs(topology, DAL, users);
    expect(window).toBe(500);
    const deadlines = signedOut.map((s) => s.at + s.frame.payload.reconnectWithinMs);
    const first = deadlines[0] ?? 0;
    expect(first).toBeGreaterThan(start + window - 1);
    expect(first).toBeLessThanOrEqual(start + window + 1);
    for (const d of deadlines) expect(d).toBe(first);
    // Signing out took a quarter of the window on this clock: the last ones got that much less.
    const windows = signedOut.map((s) => s.frame.payload.reconnectWithinMs);
    expect(Math.max(...windows) - Math.min(...windows)).toBeGreaterThan(window / 5);
  });
});
