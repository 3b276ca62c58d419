import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { CloseCode } from '../protocol/limits.js';
import type { SignInResult } from './client-types.js';
import { sdkTestBed, recordStates } from './client-test-kit.fixture.js';
import { PASSWORD, TestServer, sleep, until } from './test-server.fixture.js';

const ALICE = 'sip:alice@litwareinc.com';
const BOB = 'sip:bob@litwareinc.com';
const CAROL = 'sip:carol@litwareinc.com';
const { kit, server, serverOn } = sdkTestBed();

/** A signed-in client of a fresh server, with the wait before each of its retries recorded. */
async function signedInRecordingWaits() {
  const a = await server();
  const client = kit.client([a.url]);
  await client.connect();
  const delays: number[] = [];
  client.on('retrying', (delay) => delays.push(delay));
  return { a, client, delays };
}

describe('TandemClient reconnection', () => {
  it('signs in again with the token after a lost connection and re-subscribes presence', async () => {
    const a = await server();
    const client = kit.client([a.url]);
    await client.connect();
    await client.subscribePresence([BOB, CAROL]);
    await client.unsubscribePresence([CAROL]);
    const states = recordStates(client);
    const refreshed: string[] = [];
    client.on('presence.changed', (p) => refreshed.push(p.sip));
    const again = once(client, 'signed-in');

    a.terminateAll();
    const [result] = (await again) as [SignInResult];

    expect(result.reconnected).toBe(true);
    expect(states).toEqual(['signed-in', 'reconnecting', 'connecting', 'signing-in', 'signed-in']);
    const signIns = a.requestsOf('signin').map((r) => r.payload);
    expect(signIns[0]).toMatchObject({ password: PASSWORD });
    expect(signIns[1]).toEqual({ user: ALICE, token: `token-${ALICE}`, epoch: 0 });
    await until(() => a.requestsOf('presence.subscribe').length === 2);
    expect(a.requestsOf('presence.subscribe')[1]?.payload).toEqual({ users: [BOB] });
    await until(() => refreshed.length === 1);
    expect(refreshed).toEqual([BOB]);
    expect(client.presenceSubscriptions()).toEqual([BOB]);
  });

  it('tries the primary registrar, then the backup registrar, before the given URLs', async () => {
    const dead = await TestServer.deadUrl();
    const backup = await server();
    const given = await server({
      registrars: () => ({
        primary: { pool: 'home', servers: [{ fqdn: 'dead', url: dead }] },
        backup: { pool: 'backup', servers: [{ fqdn: backup.fqdn, url: backup.url }] },
      }),
    });
    const client = kit.client([given.url]);
    await client.connect();
    const again = once(client, 'signed-in');
    given.closeAll(CloseCode.Relocated, 'pool failed over');
    const [result] = (await again) as [SignInResult];
    expect(result.url).toBe(backup.url);
    expect(backup.requestsOf('signin')[0]?.payload).toEqual({
      user: ALICE,
      token: `token-${ALICE}`,
      epoch: 0,
    });
    expect(given.requestsOf('signin')).toHaveLength(1);
    expect(client.registrars()?.primary.servers[0]?.url).toBe(backup.url);
  });

  it('comes back at a random moment within the window a signed-out push gives, then backs off as usual', async () => {
    const { a, client, delays } = await signedInRecordingWaits();
    let again = once(client, 'signed-in');
    a.push(ALICE, 'signed-out', {
      reason: 'failover',
      detail: 'moved',
      servers: [],
      reconnectWithinMs: 4_000,
    });
    a.closeAll(CloseCode.Relocated, 'pool failed over');
    await again;
    // random() is 0.5: half of what is left of the window (up to 2 s; a loaded machine leaves less of it),
    // where the backoff alone would have waited 7.5 ms.
    expect(delays).toHaveLength(1);
    expect(delays[0]).toBeGreaterThan(500);
    expect(delays[0]).toBeLessThanOrEqual(2_000);
    again = once(client, 'signed-in');
    a.terminateAll();
    await again;
    expect(delays.slice(1)).toEqual([7.5]);
  });

  it('waits at least what a refused sign-in asks for (retryAfterMs), then backs off as usual', async () => {
    let busy = 1;
    const a = await server({
      signIn: () =>
        busy-- > 0
          ? { error: { code: 'SIGNIN_BUSY', retryable: true, details: { retryAfterMs: 350 } } }
          : undefined,
    });
    const client = kit.client([a.url]);
    const delays: number[] = [];
    client.on('retrying', (delay) => delays.push(delay));
    await client.connect();
    expect(a.requestsOf('signin')).toHaveLength(2);
    // The backoff alone would have waited 7.5 ms (random() is 0.5).
    expect(delays).toEqual([350]);
  });

  it('counts the window from the signed-out push, not from the close that follows it', async () => {
    const { a, client, delays } = await signedInRecordingWaits();
    let pushAt = 0;
    let retryAt = 0;
    client.on('push', (name) => {
      if (name === 'signed-out') pushAt = Date.now();
    });
    client.on('retrying', () => {
      retryAt = Date.now();
    });
    const again = once(client, 'signed-in');
    a.push(ALICE, 'signed-out', { reason: 'failover', detail: 'moved', servers: [], reconnectWithinMs: 400 });
    // A server busy signing out thousands of others closes this connection 300 ms later.
    await new Promise((r) => setTimeout(r, 300));
    a.closeAll(CloseCode.Relocated, 'pool failed over');
    await again;
    // Half of what was left of the 400 ms when the client retried, as the client saw it (random() is 0.5):
    // counted from the close, it would be half of 400 ms whatever time had passed since the push.
    expect(delays).toHaveLength(1);
    expect(pushAt).toBeGreaterThan(0);
    expect(Math.abs((delays[0] ?? 0) - Math.max(0, 400 - (retryAt - pushAt)) / 2)).toBeLessThanOrEqual(2);
  });

  it('ignores a window that is not a positive number, and caps a huge one', async () => {
    const { a, client, delays } = await signedInRecordingWaits();
    for (const reconnectWithinMs of ['soon', -5, Number.MAX_SAFE_INTEGER]) {
      const again = once(client, 'signed-in');
      a.push(ALICE, 'signed-out', { reason: 'failover', detail: 'moved', reconnectWithinMs });
      a.closeAll(CloseCode.Relocated, 'pool failed over');
      if (typeof reconnectWithinMs === 'number' && reconnectWithinMs > 0) {
        // Capped at 120 s: the wait is 60 s, so the test stops there instead of waiting.
        await until(() => delays.length === 3);
        break;
      }
      await again;
    }
    expect(delays.slice(0, 2)).toEqual([7.5, 7.5]);
    expect(delays[2]).toBeGreaterThan(59_000);
    expect(delays[2]).toBeLessThanOrEqual(60_000);
  });

  it('connects from the local address it is given', async () => {
    const a = await server();
    const client = kit.client([a.url], { localAddress: '127.0.0.7' });
    await client.connect();
    expect(a.remoteAddresses).toEqual(['127.0.0.7']);
    expect(() => kit.client([a.url], { localAddress: 'not-an-ip' })).toThrow(/localAddress/);
  });

  it('keeps retrying with backoff while no server answers, then signs in', async () => {
    const a = await server();
    const client = kit.client([a.url]);
    await client.connect();
    const url = a.url;
    await a.close();
    const retries: number[] = [];
    client.on('retrying', (delay) => retries.push(delay));
    await until(() => retries.length >= 3);
    expect(client.state()).not.toBe('signed-in');
    expect(retries.slice(0, 3)).toEqual([7.5, 15, 30]);
    const port = Number(new URL(url).port);
    const revived = await serverOn(port);
    await once(client, 'signed-in');
    expect(revived.requestsOf('signin')[0]?.payload).toEqual({
      user: ALICE,
      token: `token-${ALICE}`,
      epoch: 0,
    });
  });

  it('cuts a connection whose pings go unanswered, then reconnects', async () => {
    let answerPings = true;
    const a = await server({
      handlers: { ping: () => (answerPings ? { payload: { now: Date.now() } } : 'silent') },
    });
    const client = kit.client([a.url], { keepaliveIntervalMs: 15, requestTimeoutMs: 60 });
    await client.connect();
    await until(() => a.requestsOf('ping').length >= 2);
    answerPings = false;
    const [code] = (await once(client, 'disconnected')) as [number];
    expect(code).toBe(1006);
    answerPings = true;
    await once(client, 'signed-in');
    expect(a.requestsOf('signin')).toHaveLength(2);
  });

  it('does not reconnect after close code 4007 (user disabled)', async () => {
    const a = await server();
    const client = kit.client([a.url]);
    await client.connect();
    const failed = once(client, 'failed');
    a.push(ALICE, 'signed-out', { reason: 'disabled', detail: 'the user was disabled' });
    a.closeAll(CloseCode.UserDisabled, 'disabled');
    expect((await failed)[0]).toMatchObject({ code: 'USER_DISABLED', retryable: false });
    expect(client.state()).toBe('closed');
    await sleep(50);
    expect(a.connections).toBe(1);
  });

  it('does not reconnect after signOut()', async () => {
    const a = await server();
    const client = kit.client([a.url]);
    await client.connect();
    const [code] = (await Promise.all([once(client, 'disconnected'), client.signOut()]))[0] as [number];
    expect(code).toBe(1000);
    expect(client.state()).toBe('idle');
    await sleep(50);
    expect(a.connections).toBe(1);
    expect((await client.connect()).reconnected).toBe(true);
  });
});
