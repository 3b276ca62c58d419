/** The refusals of Invoke-CsPoolFailOver and Invoke-CsPoolFailBack (Lync's Invoke-CsPoolFailOver reference, "Failing over a pool in Lync Server 2013", "Managing Lync Server 2013 disaster recovery, high availability, and Backup Service"). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/devkit/cluster.js';
import { ATL, DAL } from '../../src/devkit/topology-fixture.js';

const clusters: Cluster[] = [];
afterEach(async () => {
  while (clusters.length) await clusters.pop()?.stop();
});
async function cluster(opts: Parameters<typeof Cluster.start>[0] = {}): Promise<Cluster> {
  const c = await Cluster.start({ users: 4, ...opts });
  clusters.push(c);
  return c;
}

describe('failover refusals', () => {
  it('refuses a pool with no backup pool', async () => {
    const c = await cluster({ edgeNextHop: 'dal' });
    const third = c.fixture.yaml.replace(
      'edgePools:',
      `  - fqdn: hou-cs-001.litwareinc.com
    site: Dallas
    edition: Standard
    store: { sqlite: hou.sqlite }
    servers: [ { fqdn: hou-cs-001.litwareinc.com, address: "127.0.0.1:1" } ]
edgePools:`,
    );
    const file = join(c.dataDir, 'three.yaml');
    writeFileSync(file, third);
    expect((await c.shell(`Publish-CsTopology -FileName ${file}`)).code).toBe(0);
    const r = await c.shell('Invoke-CsPoolFailOver -PoolFqdn hou-cs-001.litwareinc.com');
    expect(r.err).toContain('POOL_NO_BACKUP');
    expect(r.err).toContain('has no backup pool');
  });

  it("refuses a pool an Edge pool uses as next hop with the text of Lync's pool failover procedure, until Set-CsEdgeServer changes it", async () => {
    const c = await cluster();
    const r = await c.shell(`Invoke-CsPoolFailOver -PoolFqdn "${ATL}"`);
    expect(r.err).toContain(
      `This Front-end pool "${ATL}" is specified in topology as the next hop for the Edge server`,
    );
    expect(r.err).toContain('External access/Federation/Split-domain/XMPP features to stop working');
    expect(r.err).toContain(
      `Set-CsEdgeServer -Identity EdgeServer:atl-edge-001.litwareinc.com -Registrar Registrar:${DAL}`,
    );
    expect(
      (await c.shell(`Get-CsRegistrarConfiguration -Identity service:Registrar:${ATL}`)).json()[0],
    ).toMatchObject({ PoolState: 'Active' });
    expect(
      (
        await c.shell(
          `Set-CsEdgeServer -Identity EdgeServer:atl-edge-001.litwareinc.com -Registrar Registrar:${DAL}`,
        )
      ).code,
    ).toBe(0);
    const ok = await c.shell(`Invoke-CsPoolFailOver -PoolFqdn "${ATL}"`);
    expect(ok.json()[0]).toMatchObject({ PoolState: 'FailedOver' });
  });

  it("refuses to fail over a pool that carries a failed-over pool (the ordering of Lync's disaster recovery guide), until that one is failed back", async () => {
    const c = await cluster({ edgeNextHop: 'dal' });
    expect((await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL}`)).code).toBe(0);
    // Dallas is also the Edge next hop: point it back at Atlanta's pool for this rule to be the one tested.
    await c.shell(
      `Set-CsEdgeServer -Identity EdgeServer:atl-edge-001.litwareinc.com -Registrar Registrar:${ATL}`,
    );
    const r = await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${DAL}`);
    expect(r.err).toContain('POOL_ORDERING');
    expect(r.err).toContain(`Fail ${ATL} back first`);
    expect((await c.shell(`Invoke-CsPoolFailBack -PoolFqdn ${ATL}`)).code).toBe(0);
    await c.shell(
      `Set-CsEdgeServer -Identity EdgeServer:atl-edge-001.litwareinc.com -Registrar Registrar:${ATL}`,
    );
    const now = await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${DAL}`);
    expect(now.json()[0]).toMatchObject({ PoolFqdn: DAL, PoolState: 'FailedOver' });
  });

  it('refuses while the CMS cannot be written, pointing to CMS failover', async () => {
    const c = await cluster({ edgeNextHop: 'dal' });
    await c.kill(ATL, 'SIGKILL');
    const r = await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL} -DisasterMode`, { server: DAL });
    expect(r.err).toContain('CMS_UNAVAILABLE');
    expect(r.err).toContain('Invoke-CsManagementServerFailover');
  });

  it('refuses a planned failover of a pool that is down, and a failback of a pool not failed over or not up', async () => {
    const c = await cluster({ cmsPool: 'dal', edgeNextHop: 'dal' });
    const notFailedOver = await c.shell(`Invoke-CsPoolFailBack -PoolFqdn ${ATL}`);
    expect(notFailedOver.err).toContain('POOL_STATE');
    await c.kill(ATL, 'SIGKILL');
    const planned = await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL}`, { server: DAL });
    expect(planned.err).toContain('POOL_UNREACHABLE');
    expect(planned.err).toContain('-DisasterMode');
    expect(
      (
        await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL} -DisasterMode -WaitTime 00:00:01`, {
          server: DAL,
        })
      ).code,
    ).toBe(0);
    const back = await c.shell(`Invoke-CsPoolFailBack -PoolFqdn ${ATL}`, { server: DAL });
    expect(back.err).toContain('POOL_UNREACHABLE');
  });

  it('shows the plan with -WhatIf and changes nothing', async () => {
    const c = await cluster({ edgeNextHop: 'dal' });
    const plan = await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL} -WhatIf`);
    const steps = plan.json().map((s) => String(s.Action));
    expect(steps.some((s) => s.includes('read-only'))).toBe(true);
    expect(steps.some((s) => s.includes('Drain'))).toBe(true);
    expect(steps.some((s) => s.includes('Verify'))).toBe(true);
    const disaster = await c.shell(
      `Invoke-CsPoolFailOver -PoolFqdn ${ATL} -DisasterMode -WaitTime 00:00:03 -WhatIf`,
    );
    expect(
      disaster
        .json()
        .map((s) => String(s.Action))
        .some((s) => s.includes('Wait at most 3 s')),
    ).toBe(true);
    expect(
      (await c.shell(`Get-CsRegistrarConfiguration -Identity service:Registrar:${ATL}`)).json()[0],
    ).toMatchObject({ PoolState: 'Active', PoolStateEpoch: 0 });
  });
});
