/**
 * Server-to-server routes refuse requests without the deployment credential. The routes are enumerated
 * from src/s2s/ (a new route is covered without editing this test), and each one, at each server, refuses
 * with 401 S2S_UNAUTHENTICATED: no signature, a malformed one, a wrong key (a random one, the deployment key
 * itself, the sign-in token key), a stale or future time, a signature of another path or another body. A
 * correctly signed request with a bad body reaches the route (400), which proves the refusals are the
 * signature's. Nothing the refused requests asked for happened.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, eventually, harnessPeer, itemsAt, REPO } from '../../src/devkit/cluster.js';
import { ATL, DAL } from '../../src/devkit/topology-fixture.js';
import { BackupPaths } from '../../src/s2s/backup-links.js';
import { CmsPaths } from '../../src/s2s/cms-links.js';
import { CommPaths } from '../../src/s2s/comm-links.js';
import { FailoverPaths } from '../../src/s2s/failover-links.js';
import { DutyPaths, DutyResetPaths } from '../../src/s2s/duty-links.js';
import { UserDataPaths } from '../../src/s2s/user-data-links.js';
import { SignInPaths } from '../../src/s2s/sign-in-links.js';
import type { PeerClient } from '../../src/s2s/peer-client.js';
import { deriveKey, KeyPurpose, loadDeploymentKey } from '../../src/security/deployment-secrets.js';
import { S2S_HEADER, S2S_MAX_SKEW_MS, signS2s } from '../../src/security/s2s-signature.js';
import { ADMIN_RUN_PATH } from '../../src/management/admin-envelope.js';
import { rawPost, sipOf, signedIn } from './security-kit.js';

/** Every server-to-server path written in src/s2s/, read from the source itself. */
function routesInSource(): string[] {
  const dir = join(REPO, 'src', 's2s');
  const paths = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')))
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/'(\/s2s\/v\d+\/[a-z0-9/-]+)'/g))
      if (m[1]) paths.add(m[1]);
  return [...paths].sort();
}

const ROUTES = routesInSource();

/** What an attacker would send to the routes that change something; `{}` for the others. */
const HARMFUL: Record<string, unknown> = {
  [UserDataPaths.purge]: { owner: sipOf('alice') },
  [UserDataPaths.import]: { owner: sipOf('alice'), items: [{ kind: 'setting', key: 'theme', value: '"x"' }] },
  [CmsPaths.commit]: { writes: [{ key: 'admin:evil', value: '{}' }] },
  [CmsPaths.demote]: { newMasterPool: DAL },
  [FailoverPaths.quiesce]: { homePool: ATL, epoch: 1 },
  [FailoverPaths.relocate]: { users: [sipOf('alice')], reason: 'failover' },
  [FailoverPaths.restore]: { owners: { [sipOf('alice')]: [] } },
  [SignInPaths.failures]: {
    failures: Array.from({ length: 5 }, () => ({
      user: sipOf('alice'),
      source: '127.0.0.1',
      at: Date.now(),
    })),
  },
};

let c: Cluster;
let peer: PeerClient;
let aliceBefore: { kind: string; key: string; value: string }[];
let cmsBefore: Record<string, unknown> | undefined;

const cmsStatus = async () =>
  (await c.shell('Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus')).json()[0];

beforeAll(async () => {
  c = await Cluster.start({ users: 10 });
  peer = harnessPeer(c);
  const alice = await signedIn(c, 'alice');
  await alice.client.ok('settings.set', { key: 'theme', value: 'alice-dark' });
  await alice.client.close();
  aliceBefore = await itemsAt(peer, ATL, sipOf('alice'));
  cmsBefore = await cmsStatus();
});
afterAll(async () => {
  peer.close();
  await c.stop();
});

const servers = () => [
  { fqdn: ATL, address: c.fixture.atl.address },
  { fqdn: DAL, address: c.fixture.dal.address },
];

describe('the server-to-server routes', () => {
  it('are all found in src/s2s/, and match the paths the links export', () => {
    const exported = [
      CmsPaths,
      BackupPaths,
      CommPaths,
      FailoverPaths,
      UserDataPaths,
      SignInPaths,
      DutyPaths,
      DutyResetPaths,
    ].flatMap((p) => Object.values(p));
    expect(ROUTES).toEqual([...new Set<string>(exported)].sort());
    expect(ROUTES.length).toBeGreaterThan(30);
  });
});

describe('a request without the deployment credential', () => {
  const key = () => deriveKey(loadDeploymentKey(c.dataDir), KeyPurpose.ServerToServer);
  const skew = S2S_MAX_SKEW_MS + 5_000;
  /** Each: the header to send for a path and body, and the reason the refusal gives. */
  const attempts: [string, (path: string, body: string) => string | undefined, string][] = [
    ['no signature', () => undefined, 'no signature header'],
    ['a malformed signature', () => 'not-a-signature', 'malformed signature header'],
    ['a random key', (p, b) => signS2s(randomBytes(32), 'POST', p, DAL, b), 'bad signature'],
    [
      'the deployment key itself, not the derived one',
      (p, b) => signS2s(loadDeploymentKey(c.dataDir), 'POST', p, DAL, b),
      'bad signature',
    ],
    [
      'the sign-in token key',
      (p, b) => signS2s(deriveKey(loadDeploymentKey(c.dataDir), KeyPurpose.SignInToken), 'POST', p, DAL, b),
      'bad signature',
    ],
    [
      'a stale time',
      (p, b) => signS2s(key(), 'POST', p, DAL, b, Date.now() - skew),
      'signature expired or clock skew too large',
    ],
    [
      'a time in the future',
      (p, b) => signS2s(key(), 'POST', p, DAL, b, Date.now() + skew),
      'signature expired or clock skew too large',
    ],
    [
      'a signature of another path',
      (p, b) => signS2s(key(), 'POST', p === CmsPaths.status ? CmsPaths.hello : CmsPaths.status, DAL, b),
      'bad signature',
    ],
    ['a signature of another body', (p) => signS2s(key(), 'POST', p, DAL, '{}  '), 'bad signature'],
    [
      'a signature claiming another sender',
      (p, b) => signS2s(key(), 'POST', p, DAL, b).replace(/^[^;]+/, ATL),
      // The certificate (Dallas's) names another server: refused before the signature is even checked.
      "the sender's certificate names",
    ],
    [
      'an empty time',
      (p, b) => signS2s(key(), 'POST', p, DAL, b).replace(/;\d+;/, ';;'),
      'signature expired or clock skew too large',
    ],
  ];

  for (const [what, header, reason] of attempts) {
    it(`is refused on every route at every server: ${what}`, async () => {
      for (const server of servers()) {
        for (const path of ROUTES) {
          const body = JSON.stringify(HARMFUL[path] ?? {});
          const h = header(path, body);
          const res = await rawPost(
            c.tlsAs(DAL),
            server.address,
            path,
            body,
            h === undefined ? {} : { [S2S_HEADER]: h },
          );
          expect(res.status, `${server.fqdn} ${path}`).toBe(401);
          expect(res.code, `${server.fqdn} ${path}`).toBe('S2S_UNAUTHENTICATED');
          expect(res.text, `${server.fqdn} ${path}`).toContain(reason);
        }
      }
    });
  }

  it('is refused on a path no route has, so refusals do not reveal which routes exist', async () => {
    const res = await rawPost(c.tlsAs(DAL), c.fixture.atl.address, '/s2s/v1/no-such-route', '{}');
    expect(res.status).toBe(401);
    expect(res.code).toBe('S2S_UNAUTHENTICATED');
  });

  it('is refused with an administrator credential instead of a signature', async () => {
    const admin = JSON.parse(readFileSync(join(c.dataDir, 'admin-credential.json'), 'utf8')) as {
      name: string;
      secret: string;
    };
    const res = await rawPost(
      c.tlsAs(DAL),
      c.fixture.atl.address,
      CmsPaths.commit,
      JSON.stringify(HARMFUL[CmsPaths.commit]),
      {
        authorization: `Bearer ${admin.name}:${admin.secret}`,
      },
    );
    expect(res.status).toBe(401);
    expect(res.code).toBe('S2S_UNAUTHENTICATED');
  });

  it('does not let a server signature stand in for an administrator credential', async () => {
    const body = JSON.stringify({
      cmdlet: 'New-CsAdminCredential',
      params: { Identity: 'evil', Role: 'CsAdministrator' },
    });
    const res = await rawPost(c.tlsAs(DAL), c.fixture.atl.address, ADMIN_RUN_PATH, body, {
      [S2S_HEADER]: signS2s(key(), 'POST', ADMIN_RUN_PATH, DAL, body),
    });
    expect(res.status).toBe(401);
    expect(res.code).toBe('ADMIN_UNAUTHENTICATED');
  });

  it('changed nothing: data, administrators, CMS and pool states are as they were', async () => {
    expect(await itemsAt(peer, ATL, sipOf('alice'))).toEqual(aliceBefore);
    expect(aliceBefore.length).toBeGreaterThan(0);
    const admins = (await c.shell('Get-CsAdminCredential')).json().map((a) => a.Identity);
    expect(admins).toEqual(['admin']);
    expect(await cmsStatus()).toMatchObject({
      ActiveMasterFqdn: ATL,
      MasterEpoch: cmsBefore?.MasterEpoch,
      MasterVersion: cmsBefore?.MasterVersion,
    });
    const pools = (await c.shell('Get-CsRegistrarConfiguration')).json();
    expect(pools.map((p) => [p.PoolState, p.ServedByPool])).toEqual([
      ['Active', ATL],
      ['Active', DAL],
    ]);
    // Alice still signs in and writes at home: Atlanta was neither quiesced nor relocated.
    const alice = await signedIn(c, 'alice');
    await alice.client.ok('settings.set', { key: 'after', value: 'ok' });
    await alice.client.close();
  });
});

describe('a correctly signed request', () => {
  it('reaches every route (a bad body is the route’s 400), within the allowed clock skew', async () => {
    const key = deriveKey(loadDeploymentKey(c.dataDir), KeyPurpose.ServerToServer);
    for (const server of servers()) {
      for (const path of ROUTES) {
        const body = '"not an object"';
        const at = Date.now() - S2S_MAX_SKEW_MS / 2;
        const res = await rawPost(c.tlsAs(DAL), server.address, path, body, {
          [S2S_HEADER]: signS2s(key, 'POST', path, DAL, body, at),
        });
        expect(res.status, `${server.fqdn} ${path}: ${res.text}`).toBe(400);
        expect(res.code, `${server.fqdn} ${path}`).toBe('INVALID_ARGUMENT');
      }
    }
  });

  it('answers a body that makes the validator itself throw with a 400, never a 500 (drill fuzzer, seed 7007)', async () => {
    const key = deriveKey(loadDeploymentKey(c.dataDir), KeyPurpose.ServerToServer);
    // An array-shaped field given as an object whose length cannot be converted to a number.
    const poison = { length: { toString: false } };
    const fields = ['owners', 'users', 'items', 'changes', 'keys', 'states', 'docs', 'ids'];
    const body = JSON.stringify(Object.fromEntries(fields.map((f) => [f, poison])));
    for (const server of servers()) {
      for (const path of ROUTES) {
        const res = await rawPost(c.tlsAs(DAL), server.address, path, body, {
          [S2S_HEADER]: signS2s(key, 'POST', path, DAL, body),
        });
        // Routes that read none of these fields answer as usual; the others refuse the body.
        expect([200, 400], `${server.fqdn} ${path}: ${res.text}`).toContain(res.status);
        if (res.status === 400) expect(res.code, `${server.fqdn} ${path}`).toBe('INVALID_ARGUMENT');
      }
    }
  });

  it('is refused and logged, without the signature it carried', async () => {
    const body = '{}';
    const forged = signS2s(randomBytes(32), 'POST', CmsPaths.hello, DAL, body);
    const res = await rawPost(c.tlsAs(DAL), c.fixture.atl.address, CmsPaths.hello, body, {
      [S2S_HEADER]: forged,
    });
    expect(res.status).toBe(401);
    const refusals = () =>
      (c.logs.get(ATL) ?? []).filter((l) =>
        l.includes('refused an unauthenticated server-to-server request'),
      );
    expect(await eventually(() => refusals().length > ROUTES.length)).toBe(true);
    const signature = forged.split(';').at(-1) ?? '';
    expect(signature.length).toBeGreaterThan(20);
    for (const l of c.logs.get(ATL) ?? []) expect(l).not.toContain(signature);
  });
});
