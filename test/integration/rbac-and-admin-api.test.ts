/** RBAC and authentication of the admin API, and signatures on server-to-server routes, on real servers. */
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, harnessPeer } from '../../src/devkit/cluster.js';
import { httpRequest, rawHttp } from '../../src/devkit/fuzz/http-request.js';
import {
  adminCredentialPath,
  formatAdminAuthorization,
  readAdminCredentialFile,
} from '../../src/security/admin-credential.js';
import { ATL } from '../../src/devkit/topology-fixture.js';
import { splitAddress } from '../../src/s2s/peer-client.js';
import { CommContracts } from '../../src/s2s/comm-links.js';
import { signS2s } from '../../src/security/s2s-signature.js';

let c: Cluster;
beforeAll(async () => {
  c = await Cluster.start({ users: 10 });
});
afterAll(async () => c.stop());

function post(
  address: string,
  path: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const [host, port] = splitAddress(address);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        ca: c.ca,
        host,
        port: Number(port),
        path,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('RBAC', () => {
  let viewer = '';
  let users = '';
  beforeAll(async () => {
    const v = await c.shell('New-CsAdminCredential -Identity helpdesk -Role CsViewOnlyAdministrator');
    expect(v.code).toBe(0);
    viewer = String(v.json()[0]?.Credential);
    const u = await c.shell('New-CsAdminCredential -Identity hr -Role CsUserAdministrator');
    users = String(u.json()[0]?.Credential);
    expect(viewer).toMatch(/^helpdesk:/);
  });

  it('lets a view-only administrator run Get-* cmdlets', async () => {
    const r = await c.shell(`Get-CsPoolBackupRelationship -PoolFqdn ${ATL}`, { credential: viewer });
    expect(r.code).toBe(0);
    expect(r.json()[0]).toMatchObject({ BackupPoolFqdn: 'dal-cs-001.litwareinc.com' });
  });

  it('refuses a view-only administrator a change, naming the role needed', async () => {
    const r = await c.shell(
      'Enable-CsUser -Identity "Mallory" -SipAddress sip:mallory@litwareinc.com -RegistrarPool atl-cs-001.litwareinc.com',
      {
        credential: viewer,
      },
    );
    expect(r.code).toBe(1);
    expect(r.err).toContain('ADMIN_FORBIDDEN');
    expect(r.err).toContain('CsViewOnlyAdministrator');
    expect(r.err).toMatch(/needs one of: CsAdministrator, CsUserAdministrator/);
    const check = await c.shell('Get-CsUser -Identity sip:mallory@litwareinc.com');
    expect(check.err).toContain('USER_NOT_FOUND');
  });

  it('lets a user administrator manage users but not publish a topology or create administrators', async () => {
    const ok = await c.shell(
      'Enable-CsUser -Identity "Grace" -SipAddress sip:grace@litwareinc.com -RegistrarPool atl-cs-001.litwareinc.com',
      {
        credential: users,
      },
    );
    expect(ok.code).toBe(0);
    const no = await c.shell('New-CsAdminCredential -Identity x -Role CsAdministrator', {
      credential: users,
    });
    expect(no.err).toContain('ADMIN_FORBIDDEN');
    expect(no.err).toContain('CsUserAdministrator');
  });

  it("lists roles with their cmdlets, filterable with Where-Object as Lync's Invoke-CsPoolFailOver reference does", async () => {
    const r = await c.shell('Get-CsAdminRole | Where-Object {$_.Cmdlets –match "Invoke-CsPoolFailover"}');
    expect(r.code).toBe(0);
    const roles = r.json().map((x) => x.Identity);
    expect(roles).toEqual(['CsAdministrator', 'CsServerAdministrator']);
  });

  it('refuses a wrong secret and an unknown administrator with the same answer', async () => {
    const wrong = await c.shell('Get-CsTopology', { credential: 'admin:not-the-secret-at-all' });
    const unknown = await c.shell('Get-CsTopology', { credential: 'nobody:not-the-secret-at-all' });
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('ADMIN_UNAUTHENTICATED');
    expect(wrong.err).toBe(unknown.err);
  });

  it('refuses an admin request without a credential', async () => {
    const r = await post(
      c.fixture.atl.address,
      '/admin/v1/run',
      JSON.stringify({ cmdlet: 'Get-CsTopology' }),
    );
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'ADMIN_UNAUTHENTICATED' } });
  });

  it('answers a malformed admin request with a clear error and keeps serving', async () => {
    const cred = await c.shell('Get-CsAdminCredential');
    expect(cred.code).toBe(0);
    const r = await post(c.fixture.atl.address, '/admin/v1/run', '{not json', {
      authorization: `Bearer ${viewer}`,
    });
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'INVALID_ARGUMENT' } });
    const after = await c.shell('Get-CsSite');
    expect(after.code).toBe(0);
  });
});

describe('server-to-server authentication', () => {
  it('refuses unsigned and wrongly signed requests, and logs the refusal', async () => {
    const body = JSON.stringify({ writes: [{ key: 'admin:evil', value: '{}' }] });
    const unsigned = await post(c.fixture.atl.address, '/s2s/v1/cms/commit', body);
    expect(unsigned.status).toBe(401);
    expect(JSON.parse(unsigned.body)).toMatchObject({ error: { code: 'S2S_UNAUTHENTICATED' } });
    const forged = signS2s(
      Buffer.alloc(32, 7),
      'POST',
      '/s2s/v1/cms/commit',
      'dal-cs-001.litwareinc.com',
      body,
    );
    const bad = await post(c.fixture.atl.address, '/s2s/v1/cms/commit', body, { 'x-tandem-s2s': forged });
    expect(bad.status).toBe(401);
    const admins = await c.shell('Get-CsAdminCredential');
    expect(admins.json().map((a) => a.Identity)).not.toContain('evil');
    // The refusal is logged; log lines reach the harness through the process's stdout, so allow a moment.
    const logged = () =>
      c.logOf(ATL).some((l) => l.includes('refused an unauthenticated server-to-server request'));
    for (let i = 0; i < 40 && !logged(); i++) await new Promise((r) => setTimeout(r, 50));
    expect(logged()).toBe(true);
  });
});

describe('inputs found by fuzzing (test/fuzz)', () => {
  const admin = () => formatAdminAuthorization(readAdminCredentialFile(adminCredentialPath(c.dataDir)));

  it('answers a request target that is not a URL with INVALID_ARGUMENT', async () => {
    const r = await rawHttp(
      c.fixture.atl.address,
      { ca: c.ca },
      Buffer.from('GET //[ HTTP/1.1\r\nHost: x\r\n\r\n'),
    );
    expect(r.status).toBe(400);
    expect(r.body.toString()).toContain('INVALID_ARGUMENT');
  });

  it('answers an admin request whose body is null with ADMIN_BAD_REQUEST', async () => {
    const r = await post(c.fixture.atl.address, '/admin/v1/run', 'null', { authorization: admin() });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body.trim())).toMatchObject({ type: 'error', error: { code: 'ADMIN_BAD_REQUEST' } });
  });

  it('keeps invented cmdlet names and server-to-server paths out of the metrics labels', async () => {
    await post(c.fixture.atl.address, '/admin/v1/run', JSON.stringify({ cmdlet: 'Invented-CsThing42' }), {
      authorization: admin(),
    });
    await post(c.fixture.atl.address, '/s2s/v1/invented-route-42', '{}');
    const metrics = (
      await httpRequest(c.fixture.atl.address, { ca: c.ca }, { method: 'GET', path: '/metrics' })
    ).body.toString('utf8');
    expect(metrics).not.toContain('Invented-CsThing42');
    expect(metrics).not.toContain('invented-route-42');
    expect(metrics).toMatch(/tandem_s2s_requests_total\{path="unknown",outcome="refused"/);
  });

  it('answers a signed conference call with a payload of the wrong shape with INVALID_ARGUMENT', async () => {
    const peer = harnessPeer(c);
    const caller = { sip: 'sip:alice@litwareinc.com', displayName: 'Alice Smith', server: 'test-harness' };
    const message = {
      kind: 'conf.op' as const,
      op: 'create',
      confId: 'alice@litwareinc.com/adhoc-x1',
      caller,
      payload: { subject: 5 },
    };
    await expect(peer.call(ATL, CommContracts.call, { message })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/subject/) as unknown,
    });
    peer.close();
  });
});
