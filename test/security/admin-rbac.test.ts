/**
 * A view-only administrator cannot change anything: every cmdlet of the registry but Get-* is refused with
 * ADMIN_FORBIDDEN naming the role it has and the roles it needs, at every server, and the pool states, the
 * Edge next hop, the CMS and the administrators are unchanged. Roles do not reach across (a user
 * administrator cannot fail over, a server administrator cannot create administrators), and a removed
 * credential stops working everywhere. (test/integration/rbac-and-admin-api.test.ts covers the basics.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, eventually } from '../../src/devkit/cluster.js';
import { ATL, DAL, EDGE } from '../../src/devkit/topology-fixture.js';
import { cmdletRegistry } from '../../src/cmdlets/registry.js';
import { rolesAllowed } from '../../src/cmdlets/rbac.js';
import { hashAdminSecret } from '../../src/security/admin-credential.js';
import { ADMIN_RUN_PATH } from '../../src/management/admin-envelope.js';
import { adminRun, rawPost, sipOf, signedIn } from './security-kit.js';

let c: Cluster;
const creds = { viewer: '', users: '', servers: '' };

async function credential(name: string, role: string): Promise<string> {
  const r = await c.shell(`New-CsAdminCredential -Identity ${name} -Role ${role}`);
  return String(r.json()[0]?.Credential);
}

beforeAll(async () => {
  // Edge points at Dallas, so nothing but RBAC stands between an administrator and a failover of Atlanta.
  c = await Cluster.start({ users: 10, edgeNextHop: 'dal' });
  creds.viewer = await credential('helpdesk', 'CsViewOnlyAdministrator');
  creds.users = await credential('hr', 'CsUserAdministrator');
  creds.servers = await credential('ops', 'CsServerAdministrator');
});
afterAll(async () => c.stop());

const servers = () => [c.fixture.atl.address, c.fixture.dal.address];
/** Common parameters a refused cmdlet is also tried with: none of them gets past RBAC. */
const COMMONS: Record<string, boolean>[] = [{}, { whatIf: true }, { force: true }, { confirm: true }];

/** Everything a refused change could have touched, as administrators read it. */
async function deploymentState(): Promise<unknown[]> {
  const lines = [
    'Get-CsRegistrarConfiguration',
    'Get-CsEdgeServer',
    'Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus',
    'Get-CsAdminCredential',
    'Get-CsBackupServiceConfiguration',
    `Get-CsUserPoolInfo -Identity ${sipOf('alice')}`,
    `Get-CsUser -Identity ${sipOf('alice')}`,
    'Get-CsTopology',
  ];
  const out: unknown[] = [];
  for (const line of lines) out.push((await c.shell(line)).json());
  // Heartbeats tick on their own; the CMS version (MasterVersion) shows whether anything was written.
  return JSON.parse(
    JSON.stringify(out, (k, v: unknown) => (k === 'LastHeartbeats' ? undefined : v)),
  ) as unknown[];
}

describe('a view-only administrator', () => {
  it('may run every Get-* cmdlet (nothing else in this suite is refused for a missing right)', async () => {
    const r = await c.shell(`Get-CsRegistrarConfiguration -Identity service:Registrar:${ATL}`, {
      credential: creds.viewer,
    });
    expect(r.json()[0]).toMatchObject({ PoolState: 'Active', ServedByPool: ATL });
    for (const def of cmdletRegistry.all().filter((d) => d.runsOn === 'server')) {
      if (!def.name.startsWith('Get-')) continue;
      const res = await adminRun({ ca: c.ca }, c.fixture.atl.address, creds.viewer, def.name);
      expect(res.code, def.name).not.toBe('ADMIN_FORBIDDEN');
    }
  });

  it('is refused every other cmdlet of the registry, at every server, naming the roles needed', async () => {
    const before = await deploymentState();
    const changers = cmdletRegistry.all().filter((d) => d.runsOn === 'server' && !d.name.startsWith('Get-'));
    expect(changers.map((d) => d.name)).toEqual(
      expect.arrayContaining([
        'Invoke-CsPoolFailOver',
        'Invoke-CsPoolFailBack',
        'Invoke-CsManagementServerFailover',
        'Set-CsEdgeServer',
        'Publish-CsTopology',
        'Invoke-CsBackupServiceSync',
        'New-CsAdminCredential',
      ]),
    );
    for (const address of servers()) {
      for (const def of changers) {
        // -WhatIf changes nothing, yet it is refused too: it would show what the role may not do.
        for (const common of COMMONS) {
          const res = await adminRun({ ca: c.ca }, address, creds.viewer, def.name, {}, common);
          expect(res.status, def.name).toBe(200);
          expect(res.code, def.name).toBe('ADMIN_FORBIDDEN');
          expect(res.text).toContain(
            `helpdesk has the role CsViewOnlyAdministrator, which may not run ${def.name}. It needs one of: ${rolesAllowed(def).join(', ')}.`,
          );
        }
      }
    }
    expect(await deploymentState()).toEqual(before);
  });

  it('is refused failover, failback, CMS failover, Edge, topology and backup changes through the shell', async () => {
    const before = await deploymentState();
    const lines = [
      `Invoke-CsPoolFailOver -PoolFqdn ${ATL}`,
      `Invoke-CsPoolFailOver -PoolFqdn ${ATL} -DisasterMode -Force`,
      `Invoke-CsPoolFailBack -PoolFqdn ${ATL}`,
      'Invoke-CsManagementServerFailover',
      `Invoke-CsManagementServerFailover -BackupSqlServerFqdn ${DAL} -BackupSqlInstanceName rtc`,
      `Set-CsEdgeServer -Identity EdgeServer:${EDGE} -Registrar Registrar:${ATL}`,
      `Publish-CsTopology -FileName ${c.topologyPath}`,
      `Invoke-CsBackupServiceSync -PoolFqdn ${ATL}`,
      'Set-CsBackupServiceConfiguration -SyncInterval 00:05:00',
      `Invoke-CsStorageServiceFlush -PoolFqdn ${ATL}`,
      `Set-CsUserPassword -Identity ${sipOf('alice')} -Password Taken-Over-1`,
      `Disable-CsUser -Identity ${sipOf('alice')}`,
      `Move-CsUser -Identity ${sipOf('alice')} -Target ${DAL}`,
      'New-CsAdminCredential -Identity sneaky -Role CsAdministrator',
      'Remove-CsAdminCredential -Identity admin',
    ];
    for (const server of [ATL, DAL]) {
      for (const line of lines) {
        const r = await c.shell(line, { credential: creds.viewer, server });
        const name = line.split(' ')[0] ?? '';
        const def = cmdletRegistry.find(name);
        expect(r.code, line).toBe(1);
        expect(r.err, line).toContain('ADMIN_FORBIDDEN');
        expect(r.err, line).toContain('CsViewOnlyAdministrator');
        expect(r.err, line).toContain(`It needs one of: ${def ? rolesAllowed(def).join(', ') : '?'}.`);
        expect(r.out, line).toBe('');
      }
    }
    expect(await deploymentState()).toEqual(before);
    // Alice's password is still hers.
    await (await signedIn(c, 'alice')).client.close();
  });
});

describe('the other roles', () => {
  it('do not reach across: users cannot fail over, servers cannot create administrators or users', async () => {
    const before = await deploymentState();
    const refusals: [string, string, string][] = [
      [creds.users, `Invoke-CsPoolFailOver -PoolFqdn ${ATL}`, 'CsUserAdministrator'],
      [
        creds.users,
        `Set-CsEdgeServer -Identity EdgeServer:${EDGE} -Registrar Registrar:${ATL}`,
        'CsUserAdministrator',
      ],
      [creds.users, 'New-CsAdminCredential -Identity up -Role CsAdministrator', 'CsUserAdministrator'],
      [creds.servers, 'New-CsAdminCredential -Identity up -Role CsAdministrator', 'CsServerAdministrator'],
      [
        creds.servers,
        `Set-CsUserPassword -Identity ${sipOf('alice')} -Password Taken-Over-1`,
        'CsServerAdministrator',
      ],
      [creds.servers, `Publish-CsTopology -FileName ${c.topologyPath}`, 'CsServerAdministrator'],
      [creds.servers, 'Remove-CsAdminCredential -Identity admin', 'CsServerAdministrator'],
    ];
    for (const [credential, line, role] of refusals) {
      const r = await c.shell(line, { credential });
      expect(r.err, line).toContain('ADMIN_FORBIDDEN');
      expect(r.err, line).toContain(`the role ${role}`);
    }
    expect(await deploymentState()).toEqual(before);
  });

  it('let a server administrator plan a failover (the refusals above are RBAC, not the pool)', async () => {
    const r = await c.shell(`Invoke-CsPoolFailOver -PoolFqdn ${ATL} -WhatIf`, { credential: creds.servers });
    expect(r.code, r.err).toBe(0);
  });
});

describe('a credential', () => {
  it('stops working at every server once removed, even for Get-*, as if it never existed', async () => {
    const temp = await credential('temp-admin', 'CsAdministrator');
    expect((await c.shell('Get-CsSite', { credential: temp, server: DAL })).code).toBe(0);
    expect((await c.shell('Remove-CsAdminCredential -Identity temp-admin')).code).toBe(0);
    const never = 'never-existed:0123456789abcdef0123';
    for (const server of [ATL, DAL]) {
      // Dallas learns of the removal through its CMS replica.
      const refused = await eventually(async () => {
        const r = await c.shell('Get-CsSite', { credential: temp, server });
        return r.code === 1 && r.err.includes('ADMIN_UNAUTHENTICATED');
      }, 5_000);
      expect(refused, server).toBe(true);
      for (const line of ['Get-CsSite', `Invoke-CsPoolFailOver -PoolFqdn ${ATL}`]) {
        const removed = await c.shell(line, { credential: temp, server });
        expect(removed.err, line).toContain('ADMIN_UNAUTHENTICATED');
        expect(removed.err, line).toBe((await c.shell(line, { credential: never, server })).err);
      }
    }
  });

  it('re-created under the same name gets a new secret; the old one stays dead', async () => {
    const first = await credential('rotated', 'CsServerAdministrator');
    expect((await c.shell('Remove-CsAdminCredential -Identity rotated')).code).toBe(0);
    const second = await credential('rotated', 'CsServerAdministrator');
    expect(second).not.toBe(first);
    expect((await c.shell('Get-CsSite', { credential: second })).code).toBe(0);
    expect((await c.shell('Get-CsSite', { credential: first })).err).toContain('ADMIN_UNAUTHENTICATED');
  });

  it('is its secret, not the hash the CMS keeps (no pass-the-hash)', async () => {
    const [name, secret] = creds.servers.split(':');
    const r = await c.shell('Get-CsSite', { credential: `${name}:${hashAdminSecret(secret ?? '')}` });
    expect(r.err).toContain('ADMIN_UNAUTHENTICATED');
  });

  it('is refused without the Bearer scheme, or with the name alone', async () => {
    const [name] = creds.servers.split(':');
    for (const authorization of [creds.servers, `Basic ${creds.servers}`, `Bearer ${name}`, 'Bearer ']) {
      const res = await rawPost(
        { ca: c.ca },
        c.fixture.atl.address,
        ADMIN_RUN_PATH,
        '{"cmdlet":"Get-CsSite"}',
        {
          authorization,
        },
      );
      expect(res.status, authorization).toBe(401);
      expect(res.code, authorization).toBe('ADMIN_UNAUTHENTICATED');
    }
  });
});
