/**
 * Secrets never appear in logs. A representative session runs with TANDEM_LOG_LEVEL=debug — password and
 * token sign-ins (right and wrong), IM and presence across the pools, administrators created, used, mistyped
 * and refused, passwords set, unauthenticated server-to-server requests, a planned failover and failback —
 * and then no server log line holds any secret of the deployment or of the session (src/devkit/secret-scan.ts),
 * and no shell output holds one except the secret New-CsAdminCredential shows once.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, eventually, type ShellOutcome } from '../../src/devkit/cluster.js';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';
import { deploymentSecrets, findSecretsInLogs } from '../../src/devkit/secret-scan.js';
import { ATL, DAL } from '../../src/devkit/topology-fixture.js';
import { CmsPaths } from '../../src/s2s/cms-links.js';
import {
  adminCredentialPath,
  formatAdminAuthorization,
  readAdminCredentialFile,
} from '../../src/security/admin-credential.js';
import { S2S_HEADER, signS2s } from '../../src/security/s2s-signature.js';
import { ADMIN_RUN_PATH } from '../../src/management/admin-envelope.js';
import { rawPost, sipOf, signedIn } from './security-kit.js';

const LOG_LEVEL = process.env.TANDEM_LOG_LEVEL;
let c: Cluster;
/** Secrets the session typed or was given, beyond those the deployment keeps on disk. */
const seen: string[] = [];
/** Shell output that must hold no secret at all. */
const outputs: { line: string; text: string }[] = [];
/** New-CsAdminCredential output, and the one secret it may show. */
const shown: { text: string; secret: string }[] = [];

async function shell(line: string, credential?: string): Promise<ShellOutcome> {
  const r = await c.shell(line, credential === undefined ? {} : { credential });
  outputs.push({ line, text: `${r.out}\n${r.err}` });
  return r;
}

async function wrongSignIn(address: string, user: string, password: string): Promise<void> {
  seen.push(password);
  const cl = await RawClient.open(address, c.ca);
  expect((await cl.request('signin', { user, password })).error?.code).toBe('SIGNIN_FAILED');
  await cl.close();
}

beforeAll(async () => {
  process.env.TANDEM_LOG_LEVEL = 'debug';
  c = await Cluster.start({ users: 10 });
});
afterAll(async () => {
  await c.stop();
  if (LOG_LEVEL === undefined) delete process.env.TANDEM_LOG_LEVEL;
  else process.env.TANDEM_LOG_LEVEL = LOG_LEVEL;
});

describe('a representative session at log level debug', () => {
  it('signs users in with passwords and tokens, right and wrong, and has them talk across pools', async () => {
    const alice = await signedIn(c, 'alice');
    const bob = await signedIn(c, 'bob');
    seen.push(alice.token, bob.token);
    await wrongSignIn(c.fixture.atl.address, sipOf('alice'), 'Alice-Typo-Passw0rd');
    await wrongSignIn(c.fixture.dal.address, sipOf('nobody'), 'Guessed-Passw0rd-9');
    for (const address of [c.fixture.atl.address, c.fixture.dal.address]) {
      const cl = await RawClient.open(address, c.ca);
      await cl.request('signin', { user: sipOf('alice'), token: alice.token });
      await cl.request('signin', { user: sipOf('carol'), token: alice.token });
      await cl.close();
    }
    await alice.client.ok('presence.subscribe', { users: [bob.sip] });
    await bob.client.ok('presence.publish', { availability: 'Busy', note: 'in the session' });
    const s = await alice.client.ok('im.invite', { to: bob.sip, text: 'hello' });
    await bob.client.push('im.invited');
    await bob.client.ok('im.accept', { sessionId: s.sessionId });
    await alice.client.ok('im.send', { sessionId: s.sessionId, text: 'secret plans? no.' });
    await bob.client.push('im.message');
    await alice.client.ok('settings.set', { key: 'theme', value: 'dark' });
    await Promise.all([alice.client.close(), bob.client.close()]);
  });

  it('creates, uses, mistypes and removes administrators, and sets passwords', async () => {
    const created = await c.shell('New-CsAdminCredential -Identity ops -Role CsServerAdministrator');
    const secret = String(created.json()[0]?.Secret);
    seen.push(secret);
    shown.push({ text: `${created.out}\n${created.err}`, secret });
    expect((await shell('Get-CsSite', `ops:${secret}`)).code).toBe(0);
    const typo = `ops:${secret.slice(0, -3)}xyz`;
    seen.push(typo.slice(4));
    expect((await shell('Get-CsSite', typo)).err).toContain('ADMIN_UNAUTHENTICATED');
    expect(
      (await shell('New-CsAdminCredential -Identity up -Role CsAdministrator', `ops:${secret}`)).err,
    ).toContain('ADMIN_FORBIDDEN');

    const newPassword = 'New-Alice-Passw0rd-42';
    const evePassword = 'Eve-Initial-Passw0rd-7';
    seen.push(newPassword, evePassword);
    expect(
      (await shell(`Set-CsUserPassword -Identity ${sipOf('alice')} -Password ${newPassword} -Verbose`)).code,
    ).toBe(0);
    expect(
      (
        await shell(
          `Enable-CsUser -Identity "Eve Adams" -SipAddress ${sipOf('eve')} -RegistrarPool ${DAL} -Password ${evePassword} -Verbose`,
        )
      ).code,
    ).toBe(0);
    const tooShort = await shell(`Set-CsUserPassword -Identity ${sipOf('eve')} -Password Short-1`);
    expect(tooShort.code).toBe(1);
    expect(tooShort.err).not.toContain('Short-1');
    for (const line of ['Get-CsUser', 'Get-CsAdminCredential', `Get-CsUser -Identity ${sipOf('alice')}`])
      expect((await shell(line)).code).toBe(0);
    expect((await shell('Remove-CsAdminCredential -Identity ops')).code).toBe(0);

    const again = await signedIn(c, 'alice', newPassword);
    const eve = await signedIn(c, 'eve', evePassword);
    seen.push(again.token, eve.token);
    await Promise.all([again.client.close(), eve.client.close()]);
  });

  it('refuses unauthenticated server-to-server requests', async () => {
    const body = JSON.stringify({ writes: [{ key: 'admin:evil', value: '{}' }] });
    const forged = signS2s(randomBytes(32), 'POST', CmsPaths.commit, DAL, body);
    expect(
      (await rawPost(c.tlsAs(DAL), c.fixture.atl.address, CmsPaths.commit, body, { [S2S_HEADER]: forged }))
        .status,
    ).toBe(401);
    expect((await rawPost(c.tlsAs(ATL), c.fixture.dal.address, CmsPaths.commit, body)).status).toBe(401);
  });

  it('answers malformed admin requests that carry a password without logging any part of it', async () => {
    const admin = readAdminCredentialFile(adminCredentialPath(c.dataDir));
    const password = 'Xyzzy-Plugh-4242';
    seen.push(password);
    const bodies = [
      `{"cmdlet":"Set-CsUserPassword","params":{"Identity":"${sipOf('alice')}","Password":${password}}}`,
      `cmdlet=Set-CsUserPassword&Identity=${sipOf('alice')}&Password=${password}`,
    ];
    for (const body of bodies) {
      const res = await rawPost({ ca: c.ca }, c.fixture.atl.address, ADMIN_RUN_PATH, body, {
        authorization: formatAdminAuthorization(admin),
      });
      expect(res.status).toBe(400);
      expect(res.code).toBe('INVALID_ARGUMENT');
    }
    const failed = () => (c.logs.get(ATL) ?? []).filter((l) => l.includes(ADMIN_RUN_PATH));
    expect(await eventually(() => failed().length >= bodies.length)).toBe(true);
    // Not even the few characters a JSON parser quotes around the error.
    for (const piece of ['Xyzzy', 'Plugh']) expect(failed().join('\n')).not.toContain(piece);
  });

  it('fails Dallas over to Atlanta and back, with users signed in', async () => {
    const bob = await signedIn(c, 'bob');
    seen.push(bob.token);
    const fo = await shell(`Invoke-CsPoolFailOver -PoolFqdn ${DAL} -Verbose`);
    expect(fo.json()[0]).toMatchObject({ PoolState: 'FailedOver' });
    // Bob signs in again where he is served now, with his token.
    const at = await RawClient.open(c.fixture.atl.address, c.ca);
    const grant = await at.ok('signin', { user: bob.sip, token: bob.token });
    seen.push(String(grant.token));
    await at.close();
    const fb = await shell(`Invoke-CsPoolFailBack -PoolFqdn ${DAL} -Verbose`);
    expect(fb.json()[0]).toMatchObject({ PoolState: 'Active' });
    await bob.client.close();
  });
});

describe('after the session', () => {
  it('no server log holds a secret', async () => {
    // Let the last lines reach the harness through the processes' stdout.
    await new Promise((r) => setTimeout(r, 300));
    const lines = [...c.logs.values()].flat();
    const text = lines.join('\n');
    // The logs saw the session: sign-in refusals are not logged, but these are.
    for (const event of [
      'cmdlet ran',
      'cmdlet refused or failed',
      'refused an unauthenticated server-to-server request',
    ])
      expect(text).toContain(event);
    expect(lines.length).toBeGreaterThan(20);
    expect(findSecretsInLogs(lines, deploymentSecrets(c, seen))).toEqual([]);
  });

  it('no shell output holds a secret, except the one New-CsAdminCredential shows once', () => {
    const secrets = deploymentSecrets(c, seen);
    for (const { line, text } of outputs)
      expect(findSecretsInLogs(text.split('\n'), secrets), line).toEqual([]);
    for (const { text, secret } of shown) {
      expect(text).toContain(secret);
      const others = secrets.filter((s) => s !== secret);
      expect(findSecretsInLogs(text.replaceAll(secret, '[shown]').split('\n'), others)).toEqual([]);
    }
  });
});
