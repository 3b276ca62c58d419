/**
 * Token lifetime and revocation (docs/sign-in.md): Set-CsUserPassword revokes the tokens issued before it at
 * every server; renewals (each token sign-in returns a fresh token) never outlive the session's absolute
 * lifetime, counted from the password sign-in; a token is verified at any server and redirected by a server
 * that does not serve the user, as docs/protocol.md says.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/devkit/cluster.js';
import { RawClient, type Frame } from '../../src/devkit/raw-client.fixture.js';
import { PASSWORD, sipOf } from './security-kit.js';

const SESSION_S = 3;
let c: Cluster;
beforeAll(async () => {
  c = await Cluster.start({ users: 10, tokenLifetime: 600, sessionLifetime: SESSION_S });
});
afterAll(async () => c.stop());

const atl = () => RawClient.open(c.fixture.atl.address, c.ca);
const dal = () => RawClient.open(c.fixture.dal.address, c.ca);
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, number>;

async function once(open: () => Promise<RawClient>, payload: Record<string, unknown>): Promise<Frame> {
  const cl = await open();
  try {
    return await cl.request('signin', payload);
  } finally {
    await cl.close();
  }
}

describe('Set-CsUserPassword', () => {
  it('revokes the tokens issued before it, at every server', async () => {
    const user = sipOf('carol');
    const first = await once(atl, { user, password: PASSWORD });
    const token = String(first.payload?.token);
    expect((await once(atl, { user, token })).ok).toBe(true);
    const set = await c.shell(`Set-CsUserPassword -Identity ${user} -Password New-Password-22`);
    expect(set.code).toBe(0);
    // Each server refuses the old token as soon as its CMS replica holds the change: wait for that event.
    for (const open of [atl, dal]) {
      let answer = await once(open, { user, token });
      for (let i = 0; i < 100 && answer.error?.code !== 'TOKEN_INVALID'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        answer = await once(open, { user, token });
      }
      expect(answer.error).toMatchObject({ code: 'TOKEN_INVALID' });
      expect(answer.error?.message).toContain('revoked');
    }
    expect((await once(atl, { user, password: PASSWORD })).error?.code).toBe('SIGNIN_FAILED');
    const fresh = await once(atl, { user, password: 'New-Password-22' });
    expect(fresh.ok).toBe(true);
    expect((await once(atl, { user, token: String(fresh.payload?.token) })).ok).toBe(true);
  });
});

describe('session lifetime', () => {
  it('caps every renewal at the password sign-in plus security.sessionLifetime, then refuses', async () => {
    const user = sipOf('alice');
    const first = await once(atl, { user, password: PASSWORD });
    let token = String(first.payload?.token);
    const session = claimsOf(token).sess;
    expect(session).toBeGreaterThan(0);
    const end = Number(session) + SESSION_S * 1000;
    expect(Number(first.payload?.tokenExpiresAt)).toBeLessThanOrEqual(end);
    // Renew until refused: every fresh token keeps the session start and never reaches past its end.
    let refused: Frame | undefined;
    let renewals = 0;
    while (!refused) {
      const answer = await once(atl, { user, token });
      if (!answer.ok) {
        refused = answer;
        break;
      }
      renewals++;
      token = String(answer.payload?.token);
      expect(claimsOf(token).sess).toBe(session);
      expect(Number(answer.payload?.tokenExpiresAt)).toBeLessThanOrEqual(end);
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(renewals).toBeGreaterThan(0);
    expect(refused.error).toMatchObject({ code: 'TOKEN_EXPIRED' });
    // The session's end holds at the other pool too (it verifies, and would redirect a valid token).
    expect((await once(dal, { user, token })).error?.code).toBe('TOKEN_EXPIRED');
    // A password sign-in starts a new session.
    expect((await once(atl, { user, password: PASSWORD })).ok).toBe(true);
  });
});

describe('a token at the pool that does not serve the user', () => {
  it('is verified there and redirected to the serving pool, where it signs in', async () => {
    const user = sipOf('user005');
    const token = String((await once(atl, { user, password: PASSWORD })).payload?.token);
    const there = await once(dal, { user, token });
    expect(there.error).toMatchObject({
      code: 'SIGNIN_REDIRECT',
      details: { pool: c.fixture.atl.pool },
    });
    expect(there.error?.details?.servers).toEqual([
      { fqdn: c.fixture.atl.server, url: `wss://${c.fixture.atl.address}/v1/client` },
    ]);
    expect((await once(dal, { user, token: `${token.slice(0, -4)}AAAA` })).error?.code).toBe('TOKEN_INVALID');
    expect((await once(atl, { user, token })).ok).toBe(true);
  });
});
