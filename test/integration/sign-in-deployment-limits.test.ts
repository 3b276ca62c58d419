/**
 * Sign-in limits hold across the deployment (docs/sign-in.md): failures seen at one pool's server are shared
 * over the signed server-to-server links before they are answered, so a source slowed down at one pool is
 * slowed down at the other too — where a right guess would otherwise be told apart by SIGNIN_REDIRECT.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/devkit/cluster.js';
import { RawClient, type Frame } from '../../src/devkit/raw-client.fixture.js';
import { Limits } from '../../src/protocol/limits.js';
import { httpRequest } from '../../src/devkit/fuzz/http-request.js';

let c: Cluster;
beforeAll(async () => {
  c = await Cluster.start({ users: 12 });
});
afterAll(async () => c.stop());

const PASSWORD = 'Test-Password-1';

async function signIn(address: string, localAddress: string, payload: unknown): Promise<Frame> {
  const cl = await RawClient.open(address, c.ca, { localAddress });
  try {
    return await cl.request('signin', payload);
  } finally {
    await cl.close();
  }
}

async function metric(address: string, name: string): Promise<number> {
  const text = (await httpRequest(address, { ca: c.ca }, { method: 'GET', path: '/metrics' })).body.toString(
    'utf8',
  );
  return Number(new RegExp(`^${name}\\{[^}]*\\} (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
}

describe('failures counted at one pool', () => {
  it('slow the same source down at the other pool, and only that source', async () => {
    const user = 'sip:alice@litwareinc.com'; // homed at Atlanta
    const atl = c.fixture.atl.address;
    const dal = c.fixture.dal.address;
    for (let i = 0; i < Limits.maxFailuresPerUserSource; i++)
      expect((await signIn(atl, '127.0.0.71', { user, password: `wrong-guess-${i}` })).error?.code).toBe(
        'SIGNIN_FAILED',
      );
    expect(await metric(dal, 'tandem_signin_failures_received')).toBeGreaterThanOrEqual(
      Limits.maxFailuresPerUserSource,
    );
    // Dallas would redirect a right password to Atlanta: it must refuse this source before checking.
    const guessed = await signIn(dal, '127.0.0.71', { user, password: PASSWORD });
    expect(guessed.error).toMatchObject({ code: 'SIGNIN_RATE_LIMITED', retryable: true });
    expect(await signIn(dal, '127.0.0.72', { user, password: PASSWORD })).toMatchObject({
      error: { code: 'SIGNIN_REDIRECT' },
    });
  });

  it('count in the other direction too', async () => {
    const user = 'sip:bob@litwareinc.com'; // homed at Dallas
    for (let i = 0; i < Limits.maxFailuresPerUserSource; i++)
      await signIn(c.fixture.dal.address, '127.0.0.73', { user, password: `wrong-guess-${i}` });
    const guessed = await signIn(c.fixture.atl.address, '127.0.0.73', { user, password: PASSWORD });
    expect(guessed.error?.code).toBe('SIGNIN_RATE_LIMITED');
  });
});
