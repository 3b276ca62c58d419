import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { TandemClient } from './tandem-client.js';
import { TandemClientError } from './client-errors.js';
import { sdkTestBed, recordStates } from './client-test-kit.fixture.js';
import { PASSWORD, TestServer, sleep } from './test-server.fixture.js';

const ALICE = 'sip:alice@litwareinc.com';
const { kit, server } = sdkTestBed();

describe('TandemClient sign-in', () => {
  it('signs in with the password and remembers what the server answered', async () => {
    const a = await server();
    const client = kit.client([a.url], { clientName: 'test-suite', legacy: false });
    const states = recordStates(client);
    const result = await client.connect();

    expect(states).toEqual(['idle', 'connecting', 'signing-in', 'signed-in']);
    expect(result).toMatchObject({ sip: ALICE, url: a.url, reconnected: false, mode: 'regular' });
    expect(a.requestsOf('signin')[0]?.payload).toEqual({
      user: ALICE,
      password: PASSWORD,
      client: { name: 'test-suite', legacy: false },
    });
    expect(client.sip()).toBe(ALICE);
    expect(client.endpointId()).toBe(result.endpointId);
    expect(client.servedBy()).toBe(a.fqdn);
    expect(client.mode()).toBe('regular');
    expect(client.registrars()?.primary.servers[0]?.url).toBe(a.url);
    expect(client.tokenExpiresAt()).toBe(result.tokenExpiresAt);
    expect(await client.connect()).toBe(result);
  });

  it('moves past an unreachable server to the next URL', async () => {
    const a = await server();
    const client = kit.client([await TestServer.deadUrl(), a.url]);
    expect((await client.connect()).url).toBe(a.url);
  });

  it('follows SIGNIN_REDIRECT to the serving pool', async () => {
    const b = await server();
    const a = await server({
      signIn: () => ({
        error: {
          code: 'SIGNIN_REDIRECT',
          retryable: true,
          details: { servers: [{ fqdn: b.fqdn, url: b.url }] },
        },
      }),
    });
    const client = kit.client([a.url]);
    const states = recordStates(client);
    const result = await client.connect();
    expect(result.url).toBe(b.url);
    expect(states).toEqual(['idle', 'connecting', 'signing-in', 'connecting', 'signing-in', 'signed-in']);
    expect(a.requestsOf('signin')).toHaveLength(1);
    expect(b.requestsOf('signin')).toHaveLength(1);
  });

  it('gives up on a redirect loop with a terminal REDIRECT_LOOP', async () => {
    const urls: string[] = [];
    const redirectTo = (i: number) => () => ({
      error: {
        code: 'SIGNIN_REDIRECT',
        retryable: true,
        details: { servers: [{ fqdn: 'x', url: urls[i] ?? '' }] },
      },
    });
    const a = await server({ signIn: redirectTo(1) });
    const b = await server({ signIn: redirectTo(0) });
    urls.push(a.url, b.url);
    const client = kit.client([a.url], { maxRedirects: 3 });
    const failed = once(client, 'failed');
    const err = (await client.connect().catch((e: unknown) => e)) as TandemClientError;
    expect(err).toBeInstanceOf(TandemClientError);
    expect(err).toMatchObject({ code: 'REDIRECT_LOOP', retryable: false });
    expect(a.requestsOf('signin').length + b.requestsOf('signin').length).toBe(4);
    expect(client.state()).toBe('closed');
    expect((await failed)[0]).toBe(err);
  });

  it('rejects a wrong password as terminal and never tries again', async () => {
    const a = await server();
    const client = kit.client([a.url], { password: 'wrong' });
    await expect(client.connect()).rejects.toMatchObject({ code: 'SIGNIN_FAILED', retryable: false });
    expect(client.state()).toBe('closed');
    await sleep(60);
    expect(a.connections).toBe(1);
    await expect(client.connect()).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
  });

  it('retries SIGNIN_UNAVAILABLE with growing, jittered, bounded delays', async () => {
    let refusals = 6;
    const a = await server({
      signIn: () => (refusals-- > 0 ? { error: { code: 'SIGNIN_UNAVAILABLE', retryable: true } } : undefined),
    });
    const client = kit.client([a.url], {
      random: () => 1,
      reconnect: { initialDelayMs: 4, maxDelayMs: 20, jitter: 0.5 },
    });
    const delays: number[] = [];
    client.on('retrying', (delay, attempt, lastError) => {
      delays.push(delay);
      expect(attempt).toBe(delays.length);
      expect(lastError.code).toBe('SIGNIN_UNAVAILABLE');
    });
    const result = await client.connect();
    expect(result.url).toBe(a.url);
    // Nominal 4, 8, 16, 20 (capped), 20, 20; random 1 with jitter 0.5 halves each.
    expect(delays).toEqual([2, 4, 8, 10, 10, 10]);
    expect(a.requestsOf('signin')).toHaveLength(7);
  });

  it('with reconnection disabled, reports unreachable servers once and stays usable', async () => {
    const dead = await TestServer.deadUrl();
    const client = kit.client([dead], { reconnect: { enabled: false } });
    await expect(client.connect()).rejects.toMatchObject({ code: 'SERVER_UNREACHABLE', retryable: true });
    expect(client.state()).toBe('idle');
  });

  it('signs in with a given token, and falls back to the password when the token is refused', async () => {
    const a = await server();
    const withToken = kit.client([a.url], { password: undefined, token: `token-${ALICE}` });
    await withToken.connect();
    const stale = kit.client([a.url], { token: 'stale' });
    await stale.connect();
    const payloads = a.requestsOf('signin').map((r) => r.payload);
    expect(payloads.map((p) => p.token ?? `password:${String(p.password)}`)).toEqual([
      `token-${ALICE}`,
      'stale',
      `password:${PASSWORD}`,
    ]);
    const tokenOnly = kit.client([a.url], { password: undefined, token: 'stale' });
    await expect(tokenOnly.connect()).rejects.toMatchObject({ code: 'TOKEN_INVALID', retryable: false });
  });

  it('refuses bad options, naming the field', () => {
    expect(() => new TandemClient({ urls: [], user: ALICE, password: 'x' })).toThrow(/urls/);
    expect(() => new TandemClient({ urls: ['wss://h/v1/client'], user: ALICE })).toThrow(/password/);
    expect(
      () =>
        new TandemClient({
          urls: ['wss://h/v1/client'],
          user: ALICE,
          password: 'x',
          reconnect: { jitter: 2 },
        }),
    ).toThrow(/reconnect\.jitter/);
    expect(() => new TandemClient({ urls: ['http://h'], user: ALICE, password: 'x' })).toThrow(
      TandemClientError,
    );
    // Clear text is refused before any connection, with the reason.
    expect(() => new TandemClient({ urls: ['ws://h/v1/client'], user: ALICE, password: 'x' })).toThrow(
      /TLS only, never ws:\/\//,
    );
    expect(
      () => new TandemClient({ urls: ['wss://h/v1/client'], user: ALICE, password: 'x', ca: 'not a PEM' }),
    ).toThrow(/ca\.0: a PEM certificate|ca: a PEM certificate/);
    const resumeNothing = {
      urls: ['wss://h/v1/client'],
      user: ALICE,
      password: 'x',
      resumeTlsSessions: false,
    };
    expect(() => new TandemClient({ ...resumeNothing, tlsSession: Buffer.from('s') })).toThrow(
      /tlsSession: a session to resume cannot be given/,
    );
  });
});
