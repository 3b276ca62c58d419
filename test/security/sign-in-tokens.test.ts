/**
 * Forged and expired sign-in tokens are refused, at every server, with the documented codes (TOKEN_INVALID,
 * TOKEN_EXPIRED), and the connection stays signed out; a wrong password is refused, and the refusal does
 * not tell whether the user exists. (test/integration/sign-in.test.ts covers revocation and rate limits.)
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/devkit/cluster.js';
import { RawClient, type Frame } from '../../src/devkit/raw-client.fixture.js';
import { deriveKey, KeyPurpose, loadDeploymentKey } from '../../src/security/deployment-secrets.js';
import { issueToken } from '../../src/registrar/sign-in-token.js';
import { PASSWORD, sipOf, signedIn } from './security-kit.js';

const LIFETIME_S = 2;
let c: Cluster;

beforeAll(async () => {
  c = await Cluster.start({ users: 10, tokenLifetime: LIFETIME_S });
});
afterAll(async () => c.stop());

/** A genuine token, just issued: tokens here live only LIFETIME_S seconds. */
async function genuineToken(name: string): Promise<string> {
  const s = await signedIn(c, name);
  await s.client.close();
  return s.token;
}

const servers = () => [c.fixture.atl.address, c.fixture.dal.address];
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const claimsOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

/** Tries a sign-in at every server on a fresh connection; checks it stays signed out. */
async function signInEverywhere(user: string, secret: { token: string } | { password: string }) {
  const answers: Frame[] = [];
  for (const address of servers()) {
    const cl = await RawClient.open(address, c.ca);
    answers.push(await cl.request('signin', { user, ...secret }));
    const after = await cl.request('settings.get');
    expect(after.error?.code).toBe(answers.at(-1)?.ok ? undefined : 'NOT_SIGNED_IN');
    await cl.close();
  }
  return answers;
}

function sign(key: Buffer, claims: Record<string, unknown>): string {
  return issueToken(key, {
    sip: String(claims.sip),
    gen: Number(claims.gen),
    iat: Number(claims.iat),
    exp: Number(claims.exp),
  });
}

describe('a forged sign-in token', () => {
  const forgeries: [string, (genuine: string) => string][] = [
    ['random text', () => randomBytes(48).toString('base64url')],
    ['an empty signature', (genuine) => genuine.split('.').slice(0, 2).join('.') + '.'],
    ['a truncated token', (genuine) => genuine.slice(0, genuine.length - 10)],
    [
      'a flipped signature byte',
      (genuine) => `${genuine.slice(0, -2)}${genuine.endsWith('AA') ? 'BB' : 'AA'}`,
    ],
    ['another version prefix', (genuine) => `v2${genuine.slice(2)}`],
    [
      'claims rewritten to last a year, signature kept',
      (genuine) => {
        const [v, , sig] = genuine.split('.');
        return `${v}.${b64({ ...claimsOf(genuine), exp: Date.now() + 365 * 86_400_000 })}.${sig}`;
      },
    ],
    [
      'claims rewritten to a later token generation, signature kept',
      (genuine) => {
        const [v, , sig] = genuine.split('.');
        return `${v}.${b64({ ...claimsOf(genuine), gen: 1 })}.${sig}`;
      },
    ],
    [
      'a token signed with another deployment’s key',
      (genuine) => sign(deriveKey(randomBytes(32), KeyPurpose.SignInToken), claimsOf(genuine)),
    ],
    [
      'a token signed with this deployment’s server-to-server key',
      (genuine) =>
        sign(deriveKey(loadDeploymentKey(c.dataDir), KeyPurpose.ServerToServer), claimsOf(genuine)),
    ],
    [
      'a token signed with the raw deployment key',
      (genuine) => sign(loadDeploymentKey(c.dataDir), claimsOf(genuine)),
    ],
  ];

  for (const [what, forge] of forgeries) {
    it(`is refused at every server: ${what}`, async () => {
      const genuine = await genuineToken('alice');
      const token = forge(genuine);
      expect(token).not.toBe(genuine);
      for (const answer of await signInEverywhere(sipOf('alice'), { token })) {
        expect(answer.ok).toBe(false);
        expect(answer.error).toMatchObject({ code: 'TOKEN_INVALID', retryable: false });
        expect(answer.error?.message).not.toContain(token);
      }
    });
  }

  it('of one user is refused for another, and alike for an existing and an unknown user', async () => {
    const genuine = await genuineToken('alice');
    const forBob = await signInEverywhere(sipOf('bob'), { token: genuine });
    for (const answer of forBob) expect(answer.error?.code).toBe('TOKEN_INVALID');
    // A key-forged token for bob and one for nobody get the same answer: no way to probe the directory.
    const key = deriveKey(randomBytes(32), KeyPurpose.SignInToken);
    const forged = (sip: string) => sign(key, { ...claimsOf(genuine), sip });
    const [existing] = await signInEverywhere(sipOf('bob'), { token: forged(sipOf('bob')) });
    const [unknown] = await signInEverywhere(sipOf('nobody'), { token: forged(sipOf('nobody')) });
    expect(existing?.error).toEqual(unknown?.error);
    expect(existing?.error?.code).toBe('TOKEN_INVALID');
  });

  it('leaves the genuine token working (the refusals revoked nothing)', async () => {
    const genuine = await genuineToken('alice');
    const cl = await RawClient.open(c.fixture.atl.address, c.ca);
    expect(await cl.ok('signin', { user: sipOf('alice'), token: genuine })).toMatchObject({
      sip: sipOf('alice'),
    });
    await cl.close();
  });
});

describe('an expired sign-in token', () => {
  it(`is refused at every server once its ${LIFETIME_S} s have passed, and cannot be revived`, async () => {
    const token = await genuineToken('carol');
    const { iat, exp } = claimsOf(token);
    expect(Number(exp) - Number(iat)).toBe(LIFETIME_S * 1000);
    await new Promise((r) => setTimeout(r, Math.max(0, Number(exp) - Date.now()) + 200));
    for (const answer of await signInEverywhere(sipOf('carol'), { token })) {
      expect(answer.error).toMatchObject({ code: 'TOKEN_EXPIRED', retryable: false });
      expect(answer.error?.message).toContain(new Date(Number(exp)).toISOString());
    }
    const [v, , sig] = token.split('.');
    const revived = `${v}.${b64({ ...claimsOf(token), exp: Date.now() + 60_000 })}.${sig}`;
    for (const answer of await signInEverywhere(sipOf('carol'), { token: revived }))
      expect(answer.error?.code).toBe('TOKEN_INVALID');
  });
});

describe('a password sign-in', () => {
  it('refuses a wrong password, at every server, without echoing it', async () => {
    const wrong = 'Wrong-Password-77';
    for (const answer of await signInEverywhere(sipOf('user005'), { password: wrong })) {
      expect(answer.error).toMatchObject({ code: 'SIGNIN_FAILED', retryable: false });
      expect(JSON.stringify(answer)).not.toContain(wrong);
    }
  });

  it('answers alike for a wrong password, an unknown user and a user without a password', async () => {
    const created = await c.shell(
      `Enable-CsUser -Identity "No Password" -SipAddress ${sipOf('nopass')} -RegistrarPool atl-cs-001.litwareinc.com`,
    );
    expect(created.code).toBe(0);
    const answer = async (user: string) => {
      const cl = await RawClient.open(c.fixture.atl.address, c.ca);
      const f = await cl.request('signin', { user, password: 'Some-Guess-123' });
      await cl.close();
      return f.error;
    };
    const wrongPassword = await answer(sipOf('user007'));
    expect(wrongPassword?.code).toBe('SIGNIN_FAILED');
    expect(await answer(sipOf('nobody-at-all'))).toEqual(wrongPassword);
    expect(await answer(sipOf('nopass'))).toEqual(wrongPassword);
  });

  it('accepts the right password afterwards (the refusals are not a lockout below the limit)', async () => {
    const ok = await signedIn(c, 'user005', PASSWORD);
    expect(ok.token).toMatch(/^v1\./);
    await ok.client.close();
  });
});
