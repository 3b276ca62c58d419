/**
 * Sign-in abuse (docs/sign-in.md): attempts are reserved before the password check, limits hold per user and
 * source together (a guesser elsewhere does not lock the real user out), a valid token always signs in, and
 * a flood of password sign-ins is queued fairly and shed instead of slowing everyone down.
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
const from = (localAddress: string) => RawClient.open(c.fixture.atl.address, c.ca, { localAddress });

/** Sends every frame at once on one connection and collects the answers in order. */
async function pipelined(cl: RawClient, payloads: unknown[]): Promise<Frame[]> {
  return Promise.all(payloads.map((p) => cl.request('signin', p)));
}

describe('attempts are reserved before the password check', () => {
  it('checks at most the limit of guesses in flight, and refuses the right one after them', async () => {
    const cl = await from('127.0.0.31');
    const user = 'sip:user005@litwareinc.com';
    const wrong = Array.from({ length: 40 }, (_, i) => ({ user, password: `wrong-guess-${i}` }));
    const answers = await pipelined(cl, [...wrong, { user, password: PASSWORD }]);
    const checked = answers.filter((a) => a.error?.code === 'SIGNIN_FAILED').length;
    expect(checked).toBeGreaterThan(0);
    expect(checked).toBeLessThanOrEqual(Limits.maxFailuresPerUserSource);
    const right = answers.at(-1);
    expect(right?.ok).not.toBe(true);
    expect(right?.error).toMatchObject({ code: 'SIGNIN_RATE_LIMITED', retryable: true });
    await cl.close();
  });
});

describe('limits per user and source together', () => {
  it('slows the guessing source down, while the user signs in from elsewhere and with a token', async () => {
    const user = 'sip:user007@litwareinc.com';
    // The real user signs in first (and keeps the token), then someone guesses from another address.
    const owner = await from('127.0.0.32');
    const token = String((await owner.ok('signin', { user, password: PASSWORD })).token);
    await owner.close();
    const guesser = await from('127.0.0.33');
    for (let i = 0; i < Limits.maxFailuresPerUserSource; i++)
      expect((await guesser.request('signin', { user, password: `bad-guess-${i}` })).error?.code).toBe(
        'SIGNIN_FAILED',
      );
    const slowed = await guesser.request('signin', { user, password: PASSWORD });
    expect(slowed.error).toMatchObject({ code: 'SIGNIN_RATE_LIMITED', retryable: true });
    expect(Number(slowed.error?.details?.retryAfterMs)).toBeGreaterThan(0);
    expect(Number(slowed.error?.details?.retryAfterMs)).toBeLessThanOrEqual(Limits.failureWindowMs);
    // A valid token always signs in, even from the guessing address.
    expect(await guesser.ok('signin', { user, token })).toMatchObject({ sip: user });
    await guesser.close();
    // The right password from another address is not locked out.
    const elsewhere = await from('127.0.0.34');
    expect(await elsewhere.ok('signin', { user, password: PASSWORD })).toMatchObject({ sip: user });
    await elsewhere.close();
  });
});

describe('a guess spread over many addresses', () => {
  it('slows the user down at new addresses only: not where the user signed in before, nor with a token', async () => {
    const user = 'sip:user009@litwareinc.com';
    const home = await from('127.0.0.90');
    const token = String((await home.ok('signin', { user, password: PASSWORD })).token);
    await home.close();
    const attackers = Limits.maxFailuresPerUser / Limits.maxFailuresPerUserSource;
    for (let a = 0; a < attackers; a++) {
      const cl = await from(`127.0.0.${100 + a}`);
      const wrong = Array.from({ length: Limits.maxFailuresPerUserSource }, (_, i) => ({
        user,
        password: `spread-guess-${a}-${i}`,
      }));
      for (const w of wrong) await cl.request('signin', w);
      await cl.close();
    }
    const fresh = await from('127.0.0.91');
    const refused = await fresh.request('signin', { user, password: PASSWORD });
    expect(refused.error).toMatchObject({ code: 'SIGNIN_RATE_LIMITED', retryable: true });
    expect(refused.error?.message).toContain('addresses it has not signed in from');
    expect(await fresh.ok('signin', { user, token })).toMatchObject({ sip: user });
    await fresh.close();
    const again = await from('127.0.0.90');
    expect(await again.ok('signin', { user, password: PASSWORD })).toMatchObject({ sip: user });
    await again.close();
  });
});

describe('a flood of password sign-ins', () => {
  it('is queued fairly and shed, so a legitimate sign-in completes while the flood is answered', async () => {
    const sources = Array.from({ length: 16 }, (_, i) => `127.0.0.${40 + i}`);
    const perSource = 30;
    const flooders = await Promise.all(sources.map((s) => from(s)));
    const legit = await from('127.0.0.60');
    let floodAnswered = 0;
    const flood = flooders.flatMap((cl, s) =>
      Array.from({ length: perSource }, (_, i) =>
        cl
          .request('signin', { user: `sip:nobody${s}x${i}@litwareinc.com`, password: 'flood-guess-1' })
          .then((f) => {
            floodAnswered++;
            return f;
          }),
      ),
    );
    const grant = await legit.request('signin', { user: 'sip:alice@litwareinc.com', password: PASSWORD });
    const answeredWhenLegitDone = floodAnswered;
    const answers = await Promise.all(flood);
    expect(grant.ok).toBe(true);
    // The legitimate sign-in did not wait for the flood: part of the flood was still unanswered.
    expect(answeredWhenLegitDone).toBeLessThan(answers.length);
    // The flood was shed with a retryable answer, not all hashed.
    const shed = answers.filter((a) => a.error?.code === 'SIGNIN_BUSY');
    expect(shed.length).toBeGreaterThan(0);
    expect(shed[0]?.error?.retryable).toBe(true);
    expect(Number(shed[0]?.error?.details?.retryAfterMs)).toBeGreaterThan(0);
    // Concurrent password-hash work never exceeded the bound.
    const metrics = (
      await httpRequest(c.fixture.atl.address, { ca: c.ca }, { method: 'GET', path: '/metrics' })
    ).body.toString('utf8');
    const peak = /^tandem_signin_hash_peak_concurrency\{[^}]*\} (\d+)/m.exec(metrics);
    expect(peak).not.toBeNull();
    expect(Number(peak?.[1])).toBeGreaterThan(0);
    expect(Number(peak?.[1])).toBeLessThanOrEqual(Limits.hashConcurrency);
    for (const cl of [...flooders, legit]) await cl.close();
  });
});
