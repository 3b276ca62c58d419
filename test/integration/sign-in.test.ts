/** Sign-in: passwords, tokens (expiry, revocation, anywhere in the deployment), rate limits, endpoints. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../src/protocol/limits.js';
import { Cluster } from '../../src/devkit/cluster.js';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';

let c: Cluster;
beforeAll(async () => {
  // Short enough to watch a token and a silent endpoint expire; clients that must stay keep pinging.
  c = await Cluster.start({ users: 12, keepaliveTimeout: 3, maxEndpointsPerUser: 3, tokenLifetime: 8 });
});
afterAll(async () => c.stop());

/** Sends `ping` often enough that a loaded machine does not let the client's keepalive lapse; returns the stop. */
function keepPinging(client: RawClient): () => void {
  const timer = setInterval(() => void client.request('ping').catch(() => undefined), 250);
  return () => clearInterval(timer);
}

const PASSWORD = 'Test-Password-1';
const atl = () => RawClient.open(c.fixture.atl.address, c.ca);
const dal = () => RawClient.open(c.fixture.dal.address, c.ca);

describe('password sign-in', () => {
  it('answers a wrong user and a wrong password alike', async () => {
    const cl = await atl();
    const wrongPassword = await cl.request('signin', {
      user: 'sip:user005@litwareinc.com',
      password: 'nope-nope-1',
    });
    const wrongUser = await cl.request('signin', {
      user: 'sip:nobody@litwareinc.com',
      password: 'nope-nope-1',
    });
    expect(wrongPassword.error).toMatchObject({ code: 'SIGNIN_FAILED', retryable: false });
    expect(wrongUser.error?.message).toBe(wrongPassword.error?.message);
    expect(wrongUser.error?.code).toBe(wrongPassword.error?.code);
    await cl.close();
  });

  it('pauses a user after repeated failures', async () => {
    const cl = await atl();
    for (let i = 0; i < 5; i++)
      await cl.request('signin', { user: 'sip:user007@litwareinc.com', password: `bad-password-${i}` });
    const blocked = await cl.request('signin', { user: 'sip:user007@litwareinc.com', password: PASSWORD });
    expect(blocked.error).toMatchObject({ code: 'SIGNIN_RATE_LIMITED', retryable: true });
    await cl.close();
  });

  it('redirects to the serving pool with its servers, and returns registrars and a token', async () => {
    const cl = await dal();
    const res = await cl.request('signin', { user: 'sip:alice@litwareinc.com', password: PASSWORD });
    expect(res.error).toMatchObject({
      code: 'SIGNIN_REDIRECT',
      details: { pool: 'atl-cs-001.litwareinc.com' },
    });
    expect(res.error?.details?.servers).toEqual([
      { fqdn: c.fixture.atl.server, url: `wss://${c.fixture.atl.address}/v1/client` },
    ]);
    await cl.close();
    const home = await atl();
    const grant = await home.ok('signin', { user: 'alice@litwareinc.com', password: PASSWORD });
    expect(grant).toMatchObject({
      sip: 'sip:alice@litwareinc.com',
      mode: 'regular',
      registrars: {
        primary: { pool: 'atl-cs-001.litwareinc.com' },
        backup: { pool: 'dal-cs-001.litwareinc.com' },
      },
    });
    expect(String(grant.token)).toMatch(/^v1\./);
    await home.close();
  });
});

describe('sign-in tokens', () => {
  async function token(user: string): Promise<string> {
    const cl = await atl();
    const g = await cl.ok('signin', { user, password: PASSWORD });
    await cl.close();
    return String(g.token);
  }

  it('signs in without the password, and is verified at any server', async () => {
    const t = await token('sip:carol@litwareinc.com');
    const again = await atl();
    expect(await again.ok('signin', { user: 'sip:carol@litwareinc.com', token: t })).toMatchObject({
      sip: 'sip:carol@litwareinc.com',
    });
    await again.close();
    const elsewhere = await dal();
    // Dallas verifies the token itself and only sends the user to the pool that serves it.
    expect(
      (await elsewhere.request('signin', { user: 'sip:carol@litwareinc.com', token: t })).error?.code,
    ).toBe('SIGNIN_REDIRECT');
    const forged = `${t.slice(0, -4)}AAAA`;
    expect(
      (await elsewhere.request('signin', { user: 'sip:carol@litwareinc.com', token: forged })).error?.code,
    ).toBe('TOKEN_INVALID');
    expect(
      (await elsewhere.request('signin', { user: 'sip:alice@litwareinc.com', token: t })).error?.code,
    ).toBe('TOKEN_INVALID');
    await elsewhere.close();
  });

  it('expires', async () => {
    const t = await token('sip:user009@litwareinc.com');
    await new Promise((r) => setTimeout(r, 8_200));
    const cl = await atl();
    expect((await cl.request('signin', { user: 'sip:user009@litwareinc.com', token: t })).error?.code).toBe(
      'TOKEN_EXPIRED',
    );
    await cl.close();
  });

  it('is revoked by Disable-CsUser, which also signs the user out', async () => {
    const t = await token('sip:user011@litwareinc.com');
    const online = await atl();
    await online.ok('signin', { user: 'sip:user011@litwareinc.com', token: t });
    const stopPinging = keepPinging(online);
    const closed = new Promise<number>((r) => online.ws.once('close', (code) => r(code)));
    expect((await c.shell('Disable-CsUser -Identity sip:user011@litwareinc.com')).code).toBe(0);
    expect(await closed).toBe(CloseCode.UserDisabled);
    stopPinging();
    const cl = await atl();
    expect((await cl.request('signin', { user: 'sip:user011@litwareinc.com', token: t })).error?.code).toBe(
      'USER_DISABLED',
    );
    expect(
      (await cl.request('signin', { user: 'sip:user011@litwareinc.com', password: PASSWORD })).error?.code,
    ).toBe('USER_DISABLED');
    await cl.close();
  });
});

describe('endpoints', () => {
  it('allows up to the maximum endpoints per user', async () => {
    const clients = await Promise.all([dal(), dal(), dal(), dal()]);
    const first = await clients[0]?.ok('signin', { user: 'sip:user006@litwareinc.com', password: PASSWORD });
    const t = String(first?.token);
    const ids = new Set<string>([String(first?.endpointId)]);
    for (const cl of clients.slice(1, 3))
      ids.add(String((await cl.ok('signin', { user: 'sip:user006@litwareinc.com', token: t })).endpointId));
    expect(ids.size).toBe(3);
    const fourth = await clients[3]?.request('signin', { user: 'sip:user006@litwareinc.com', token: t });
    expect(fourth?.error?.code).toBe('TOO_MANY_ENDPOINTS');
    for (const cl of clients) await cl.close();
  });

  it('expires an endpoint without keepalive, and tells its IM peer', async () => {
    const quiet = await atl();
    await quiet.ok('signin', { user: 'sip:user005@litwareinc.com', password: PASSWORD });
    // Quiet stays until it has joined the session, then goes silent.
    const quietPinging = keepPinging(quiet);
    const talker = await atl();
    await talker.ok('signin', { user: 'sip:carol@litwareinc.com', password: PASSWORD });
    const stopTalker = keepPinging(talker);
    try {
      const s = await talker.ok('im.invite', { to: 'sip:user005@litwareinc.com' });
      await quiet.push('im.invited');
      await quiet.ok('im.accept', { sessionId: s.sessionId });
      quietPinging();
      const closed = new Promise<number>((r) => quiet.ws.once('close', (code) => r(code)));
      expect(await closed).toBe(CloseCode.KeepaliveTimeout);
      expect(await talker.push('im.ended', () => true, 5_000)).toMatchObject({
        sessionId: s.sessionId,
        reason: 'endpoint-gone',
      });
    } finally {
      quietPinging();
      stopTalker();
      await talker.close();
    }
  });
});
