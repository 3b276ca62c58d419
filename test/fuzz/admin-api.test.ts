/** Random and damaged admin API requests against a real server: clear registry errors, no crash, no leak. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATL, DAL, EDGE } from '../../src/devkit/topology-fixture.js';
import { Cluster } from '../../src/devkit/cluster.js';
import { fuzzAdminApi } from '../../src/devkit/fuzz/admin-api-fuzz.js';
import { describeReport } from '../../src/devkit/fuzz/fuzz-report.js';
import { metricLabelValues, serverLogProblems, serverVitals } from '../../src/devkit/fuzz/server-probe.js';
import { cmdletRegistry } from '../../src/cmdlets/registry.js';
import {
  adminCredentialPath,
  formatAdminAuthorization,
  readAdminCredentialFile,
} from '../../src/security/admin-credential.js';
import { fuzzDeadlines, fuzzIterations, fuzzSeed } from './fuzz-settings.js';

let c: Cluster;
beforeAll(async () => {
  c = await Cluster.start({ users: 10 });
});
afterAll(async () => c.stop());

describe('admin API fuzzing', () => {
  it('answers every random request with a registry error or a well-formed result, and keeps serving', async () => {
    const address = c.fixture.atl.address;
    const before = await serverVitals(address, { ca: c.ca });
    const pools = (await c.shell('Get-CsPool')).json();
    const report = await fuzzAdminApi({
      address,
      tls: { ca: c.ca },
      timeoutMs: fuzzDeadlines.adminMs,
      slowMs: fuzzDeadlines.adminSlowMs,
      authorization: formatAdminAuthorization(readAdminCredentialFile(adminCredentialPath(c.dataDir))),
      documents: {
        'Publish-CsTopology': readFileSync(c.topologyPath, 'utf8'),
        'Import-CsUser':
          'SipAddress,DisplayName,RegistrarPool,Password\nsip:zed@litwareinc.com,Zed,atl-cs-001.litwareinc.com,Zed-Password-1\n',
      },
      knownValues: [
        ATL,
        DAL,
        EDGE,
        'sip:alice@litwareinc.com',
        'sip:bob@litwareinc.com',
        'Alice Smith',
        'admin',
      ],
      seed: fuzzSeed(20_260_704),
      iterations: fuzzIterations(1_000),
    });
    console.log(describeReport(report), JSON.stringify(report.outcomes));
    expect(report.violations, describeReport(report)).toEqual([]);
    expect(report.outcomes.ok ?? 0).toBeGreaterThan(0);
    expect(report.outcomes.ADMIN_BAD_REQUEST ?? 0).toBeGreaterThan(0);
    expect(report.outcomes.ADMIN_UNAUTHENTICATED ?? 0).toBeGreaterThan(0);

    const after = await serverVitals(address, { ca: c.ca });
    expect(after.healthy).toBe(true);
    expect(after.rssBytes - before.rssBytes).toBeLessThan(256 * 1024 * 1024);
    // Invented cmdlet names share one label: requests cannot grow /metrics without bound.
    const labels = await metricLabelValues(address, { ca: c.ca }, 'tandem_admin_commands_total', 'cmdlet');
    expect([...labels].filter((n) => n !== '?' && cmdletRegistry.find(n)?.name !== n)).toEqual([]);
    // The deployment is as it was: cmdlets that change it ran with -WhatIf.
    expect((await c.shell('Get-CsPool')).json()).toEqual(pools);
    expect(serverLogProblems(c.logs.get(ATL) ?? [])).toEqual([]);
  });
});
