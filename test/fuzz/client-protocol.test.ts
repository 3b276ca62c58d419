/** Random and damaged client frames against a real server: every frame gets a clear answer or a documented close. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/devkit/cluster.js';
import { fuzzClientProtocol } from '../../src/devkit/fuzz/client-protocol-fuzz.js';
import { describeReport } from '../../src/devkit/fuzz/fuzz-report.js';
import { FuzzSocket } from '../../src/devkit/fuzz/fuzz-socket.js';
import { serverLogProblems, serverVitals } from '../../src/devkit/fuzz/server-probe.js';
import { eventually } from '../../src/devkit/cluster.js';
import { fuzzDeadlines, fuzzIterations, fuzzSeed } from './fuzz-settings.js';

const PASSWORD = 'Test-Password-1';
let c: Cluster;
beforeAll(async () => {
  c = await Cluster.start({ users: 10 });
});
afterAll(async () => c.stop());

describe('client protocol fuzzing', () => {
  it('answers every random frame with a registry error or a documented close, and keeps serving', async () => {
    const address = c.fixture.atl.address;
    const before = await serverVitals(address, { ca: c.ca });
    const report = await fuzzClientProtocol({
      address,
      ca: c.ca,
      // alice and carol are homed on Atlanta, so their lanes sign in there and reach the services.
      users: [
        { sip: 'sip:alice@litwareinc.com', password: PASSWORD },
        { sip: 'sip:carol@litwareinc.com', password: PASSWORD },
      ],
      seed: fuzzSeed(20_260_701),
      iterations: fuzzIterations(3_000),
      timeoutMs: fuzzDeadlines.clientMs,
    });
    console.log(describeReport(report), JSON.stringify(report.outcomes));
    expect(report.violations, describeReport(report)).toEqual([]);
    expect(report.inputs).toBe(fuzzIterations(3_000));
    // The mix reached past the envelope: payload errors and successful requests.
    expect(report.outcomes.PROTOCOL_BAD_PAYLOAD ?? 0).toBeGreaterThan(0);
    expect(report.outcomes.ok ?? 0).toBeGreaterThan(0);

    const after = await serverVitals(address, { ca: c.ca });
    expect(after.healthy).toBe(true);
    expect(after.rssBytes - before.rssBytes).toBeLessThan(256 * 1024 * 1024);
    // Every fuzz connection was closed; the server let go of all of them.
    expect(
      await eventually(async () => (await serverVitals(address, { ca: c.ca })).clientConnections === 0),
    ).toBe(true);

    const s = await FuzzSocket.open(address, c.ca);
    const signIn = await s.exchange(
      JSON.stringify({
        id: 1,
        type: 'signin',
        payload: { user: 'sip:user005@litwareinc.com', password: PASSWORD },
      }),
      false,
      fuzzDeadlines.clientMs,
    );
    expect(signIn).toMatchObject({ kind: 'answer', frame: { re: 1, ok: true } });
    await s.close();
    expect(serverLogProblems(c.logs.get(c.fixture.atl.server) ?? [])).toEqual([]);
  });
});
