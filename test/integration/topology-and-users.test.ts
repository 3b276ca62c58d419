/** Topology publication and the user directory, through the shell, on real servers. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, harnessPeer } from '../../src/devkit/cluster.js';
import { ATL, DAL } from '../../src/devkit/topology-fixture.js';
import { UserDataContracts } from '../../src/s2s/user-data-links.js';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';
import { hashPassword } from '../../src/security/password-hash.js';

let c: Cluster;
beforeAll(async () => {
  c = await Cluster.start({ users: 30 });
});
afterAll(async () => c.stop());

function file(name: string, text: string): string {
  const path = join(c.dataDir, name);
  writeFileSync(path, text);
  return path;
}

describe('topology publication', () => {
  it('refuses an invalid topology, naming the field at fault, and changes nothing', async () => {
    const bad = c.fixture.yaml.replace(`backupPool: ${DAL}`, 'backupPool: nowhere.litwareinc.com');
    const r = await c.shell(`Publish-CsTopology -FileName ${file('bad.yaml', bad)}`);
    expect(r.code).toBe(1);
    expect(r.err).toContain('TOPOLOGY_INVALID');
    expect(r.err).toContain('pools[0].backupPool');
    const t = await c.shell('Get-CsTopology');
    expect(t.json()[0]).toMatchObject({ Revision: 1 });
  });

  it('refuses to remove a pool that still homes users', async () => {
    const withoutDal = c.fixture.yaml
      .replace(/ {2}- fqdn: dal-cs-001[\s\S]*?(?=edgePools:)/, '')
      .replace(`    backupPool: ${DAL}\n`, '');
    const r = await c.shell(`Publish-CsTopology -FileName ${file('no-dal.yaml', withoutDal)}`);
    expect(r.code).toBe(1);
    expect(r.err).toContain('TOPOLOGY_POOL_HAS_USERS');
    expect(r.err).toContain(DAL);
    expect(r.err).toMatch(/homes 15 user/);
  });

  it('publishes a new revision that every replica sees, and exports it', async () => {
    const changed = c.fixture.yaml.replaceAll('failureDetection: 120', 'failureDetection: 30');
    const r = await c.shell(`Publish-CsTopology -FileName ${file('v2.yaml', changed)}`);
    expect(r.code).toBe(0);
    expect(r.json()[0]).toMatchObject({ Revision: 2 });
    const atDallas = await c.shell(`Get-CsRegistrarConfiguration -Identity service:Registrar:${ATL}`, {
      server: DAL,
    });
    expect(atDallas.json()[0]).toMatchObject({ FailureDetectionInterval: '00:00:30', PoolState: 'Active' });
    const out = join(c.dataDir, 'exported.yaml');
    const e = await c.shell(`Export-CsTopology -FileName ${out}`);
    expect(e.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(changed);
  });

  it("changes an Edge pool's next hop with Set-CsEdgeServer, keeping the document's comments", async () => {
    const r = await c.shell(
      `Set-CsEdgeServer -Identity EdgeServer:atl-edge-001.litwareinc.com -Registrar Registrar:${DAL}`,
    );
    expect(r.code).toBe(0);
    const edge = await c.shell('Get-CsEdgeServer', { server: DAL });
    expect(edge.json()[0]).toMatchObject({
      Identity: 'EdgeServer:atl-edge-001.litwareinc.com',
      Registrar: `Registrar:${DAL}`,
    });
    const yaml = await c.shell('Get-CsTopology -AsYaml');
    expect(JSON.parse(yaml.out).text).toContain(`nextHopPool: ${DAL}`);
    const unknown = await c.shell(
      'Set-CsEdgeServer -Identity EdgeServer:nope.litwareinc.com -Registrar Registrar:dal-cs-001.litwareinc.com',
    );
    expect(unknown.err).toContain('UNKNOWN_EDGE_POOL');
  });
});

describe('users', () => {
  it('enables a user through the Dallas server and reads it back everywhere', async () => {
    const r = await c.shell(
      'Enable-CsUser -Identity "Frank Ocean" -SipAddress frank@litwareinc.com -RegistrarPool dal-cs-001.litwareinc.com -Password Frank-Pass-1',
      {
        server: DAL,
      },
    );
    expect(r.code).toBe(0);
    expect(r.json()[0]).toMatchObject({
      SipAddress: 'sip:frank@litwareinc.com',
      RegistrarPool: DAL,
      HasPassword: true,
    });
    const atAtl = await c.shell('Get-CsUser "Frank Ocean"', { server: ATL });
    expect(atAtl.json()[0]).toMatchObject({ SipAddress: 'sip:frank@litwareinc.com' });
    expect(atAtl.out).not.toMatch(/scrypt/);
  });

  it('refuses duplicates, bad SIP addresses and unknown pools with clear errors', async () => {
    const dup = await c.shell(
      'Enable-CsUser -Identity "Alice 2" -SipAddress sip:alice@litwareinc.com -RegistrarPool atl-cs-001.litwareinc.com',
    );
    expect(dup.err).toContain('USER_EXISTS');
    const bad = await c.shell(
      'Enable-CsUser -Identity "X" -SipAddress "not an address" -RegistrarPool atl-cs-001.litwareinc.com',
    );
    expect(bad.err).toContain('is not a SIP address');
    const pool = await c.shell(
      'Enable-CsUser -Identity "X" -SipAddress sip:x@litwareinc.com -RegistrarPool nowhere.litwareinc.com',
    );
    expect(pool.err).toContain('UNKNOWN_POOL');
    expect(pool.err).toContain(ATL);
  });

  it('filters users in the Lync -Filter syntax', async () => {
    const r = await c.shell(
      `Get-CsUser -Filter {RegistrarPool -eq '${DAL}' -and DisplayName -like 'Demo User 00*'}`,
    );
    expect(r.code).toBe(0);
    const sips = r.json().map((u) => u.SipAddress);
    expect(sips.length).toBeGreaterThan(0);
    for (const u of r.json()) {
      expect(u.RegistrarPool).toBe(DAL);
      expect(String(u.DisplayName)).toMatch(/^Demo User 00/);
    }
  });

  it('imports users from CSV all or nothing', async () => {
    const bad =
      'SipAddress,DisplayName,RegistrarPool,Password\nsip:i1@litwareinc.com,Imp One,atl-cs-001.litwareinc.com,Import-Pass-1\nsip:i2@litwareinc.com,Imp Two,mars.litwareinc.com,Import-Pass-1\n';
    const r1 = await c.shell(`Import-CsUser -FileName ${file('bad.csv', bad)}`);
    expect(r1.code).toBe(1);
    expect(r1.err).toContain('line 3');
    expect((await c.shell('Get-CsUser sip:i1@litwareinc.com')).err).toContain('USER_NOT_FOUND');
    const rows = Array.from(
      { length: 120 },
      (_, i) => `sip:imp${i}@litwareinc.com,"Imported, ${i}",${i % 2 ? ATL : DAL},`,
    ).join('\n');
    const r2 = await c.shell(
      `Import-CsUser -FileName ${file('ok.csv', `SipAddress,DisplayName,RegistrarPool,Password\n${rows}\n`)}`,
    );
    expect(r2.code).toBe(0);
    expect(r2.json()[0]).toMatchObject({ Created: 120 });
    const one = await c.shell('Get-CsUser sip:imp7@litwareinc.com');
    expect(one.json()[0]).toMatchObject({
      DisplayName: 'Imported, 7',
      RegistrarPool: ATL,
      HasPassword: false,
    });
  });

  it('refuses an imported PasswordHash it could not use, naming the line and the user', async () => {
    // A hash as Tandem writes it, and the same hash with its scrypt cost raised to 2^30.
    const good = await hashPassword('Hash-Pass-1', 1024);
    const absurd = good.replace('scrypt$1024$', 'scrypt$1073741824$');
    const csv = `SipAddress,DisplayName,RegistrarPool,PasswordHash\nsip:h1@litwareinc.com,Hash One,${ATL},${good}\nsip:h2@litwareinc.com,Hash Two,${ATL},${absurd}\n`;
    const r = await c.shell(`Import-CsUser -FileName ${file('hash.csv', csv)}`);
    expect(r.code).toBe(1);
    expect(r.err).toContain('USER_IMPORT_INVALID');
    expect(r.err).toContain('line 3');
    expect(r.err).toContain('PasswordHash of sip:h2@litwareinc.com');
    expect(r.err).toContain('1073741824');
    expect((await c.shell('Get-CsUser sip:h1@litwareinc.com')).err).toContain('USER_NOT_FOUND');
    const ok = await c.shell(
      `Import-CsUser -FileName ${file('hash-ok.csv', csv.split('\n').slice(0, 2).join('\n'))}`,
    );
    expect(ok.code).toBe(0);
    expect((await c.shell('Get-CsUser sip:h1@litwareinc.com')).json()[0]).toMatchObject({
      HasPassword: true,
    });
    const cl = await RawClient.open(c.fixture.atl.address, c.ca);
    expect(await cl.ok('signin', { user: 'sip:h1@litwareinc.com', password: 'Hash-Pass-1' })).toMatchObject({
      sip: 'sip:h1@litwareinc.com',
    });
    await cl.close();
  });

  it('disables a user and shows where a user is served', async () => {
    const d = await c.shell('Disable-CsUser -Identity sip:frank@litwareinc.com');
    expect(d.json()[0]).toMatchObject({ Enabled: false });
    const info = await c.shell('Get-CsUserPoolInfo -Identity sip:alice@litwareinc.com');
    expect(info.json()[0]).toMatchObject({
      PrimaryPoolFqdn: ATL,
      BackupPoolFqdn: DAL,
      PrimaryPoolPrimaryRegistrar: c.fixture.atl.server,
      BackupPoolPrimaryRegistrar: c.fixture.dal.server,
      PrimaryPoolMachinesInPreferredOrder: [c.fixture.atl.server],
      ServedByPool: ATL,
    });
  });

  it("moves a user to another pool together with the user's data", async () => {
    const peer = harnessPeer(c);
    try {
      const owner = 'sip:carol@litwareinc.com';
      const items = [
        { kind: 'contact', key: 'sip:bob@litwareinc.com', value: '{"group":"Team"}' },
        { kind: 'group', key: 'Team', value: '{}' },
      ];
      await peer.call(ATL, UserDataContracts.import, { owner, items });
      const r = await c.shell(`Move-CsUser -Identity ${owner} -Target ${DAL}`);
      expect(r.code).toBe(0);
      expect(r.json()[0]).toMatchObject({ RegistrarPool: DAL });
      const atDal = await peer.call(DAL, UserDataContracts.export, { owner });
      expect(atDal.items).toEqual(expect.arrayContaining(items));
      const atAtl = await peer.call(ATL, UserDataContracts.export, { owner });
      expect(atAtl.items).toEqual([]);
    } finally {
      peer.close();
    }
  });
});
