/** Server-to-server routes under fuzzing: unsigned requests are refused, damaged signed bodies get clear errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, harnessPeer, itemsAt } from '../../src/devkit/cluster.js';
import { ATL, DAL } from '../../src/devkit/topology-fixture.js';
import { FuzzSocket } from '../../src/devkit/fuzz/fuzz-socket.js';
import { describeReport } from '../../src/devkit/fuzz/fuzz-report.js';
import { fuzzS2s } from '../../src/devkit/fuzz/s2s-fuzz.js';
import { ALL_S2S_PATHS } from '../../src/devkit/fuzz/s2s-requests.js';
import { metricLabelValues, serverLogProblems, serverVitals } from '../../src/devkit/fuzz/server-probe.js';
import { deriveKey, KeyPurpose, loadDeploymentKey } from '../../src/security/deployment-secrets.js';
import type { PeerClient } from '../../src/s2s/peer-client.js';
import { fuzzDeadlines, fuzzIterations, fuzzSeed } from './fuzz-settings.js';

const ALICE = 'sip:alice@litwareinc.com';
let c: Cluster;
let peer: PeerClient;
beforeAll(async () => {
  c = await Cluster.start({ users: 10 });
  peer = harnessPeer(c);
  // Alice has data at Atlanta that the fuzzing must leave as it is.
  const s = await FuzzSocket.open(c.fixture.atl.address, c.ca);
  let n = 0;
  for (const [type, payload] of [
    ['signin', { user: ALICE, password: 'Test-Password-1' }],
    ['presence.publish', { availability: 'Busy', note: 'fuzzing' }],
    ['contacts.add', { sip: 'sip:bob@litwareinc.com', group: 'Team' }],
    ['settings.set', { key: 'theme', value: 'dark' }],
  ] as const) {
    const ex = await s.exchange(JSON.stringify({ id: ++n, type, payload }), false, fuzzDeadlines.clientMs);
    expect(ex).toMatchObject({ kind: 'answer', frame: { ok: true } });
  }
  await s.close();
});
afterAll(async () => {
  peer.close();
  await c.stop();
});

describe('server-to-server fuzzing', () => {
  it('refuses unsigned requests, answers damaged signed ones clearly, and corrupts nothing', async () => {
    const address = c.fixture.atl.address;
    const aliceBefore = await itemsAt(peer, ATL, ALICE);
    expect(aliceBefore.length).toBeGreaterThanOrEqual(3);
    const before = await serverVitals(address, { ca: c.ca });
    const report = await fuzzS2s({
      address,
      // Signed as Dallas would sign, over mutual TLS with its certificate.
      from: c.fixture.dal.server,
      tls: c.tlsAs(c.fixture.dal.server),
      key: deriveKey(loadDeploymentKey(c.dataDir), KeyPurpose.ServerToServer),
      pools: [ATL, DAL],
      // user007 is homed on Atlanta; conference calls may write its records.
      scratchUser: 'sip:user007@litwareinc.com',
      seed: fuzzSeed(20_260_705),
      iterations: fuzzIterations(1_500),
      timeoutMs: fuzzDeadlines.s2sMs,
    });
    console.log(describeReport(report), JSON.stringify(report.outcomes));
    expect(report.violations, describeReport(report)).toEqual([]);
    expect(report.outcomes['unsigned:S2S_UNAUTHENTICATED'] ?? 0).toBeGreaterThan(0);
    expect(report.outcomes['signed:INVALID_ARGUMENT'] ?? 0).toBeGreaterThan(0);
    expect(report.outcomes['signed:ok'] ?? 0).toBeGreaterThan(0);

    expect(await itemsAt(peer, ATL, ALICE)).toEqual(aliceBefore);
    const after = await serverVitals(address, { ca: c.ca });
    expect(after.healthy).toBe(true);
    expect(after.rssBytes - before.rssBytes).toBeLessThan(256 * 1024 * 1024);
    // Invented paths share one label: unauthenticated requests cannot grow /metrics.
    const labels = await metricLabelValues(address, { ca: c.ca }, 'tandem_s2s_requests_total', 'path');
    expect([...labels].filter((p) => !ALL_S2S_PATHS.includes(p) && p !== 'unknown')).toEqual([]);
    expect(serverLogProblems(c.logs.get(ATL) ?? [])).toEqual([]);
  });
});
