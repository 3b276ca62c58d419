/** Helpers of the security suites: signed-in raw clients, bare HTTP requests, and admin API calls. */
import type { Cluster } from '../../src/devkit/cluster.js';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';
import { ADMIN_RUN_PATH } from '../../src/management/admin-envelope.js';
import { httpRequest, type ClientTls } from '../../src/devkit/fuzz/http-request.js';

export const PASSWORD = 'Test-Password-1';
export const sipOf = (name: string): string => `sip:${name}@litwareinc.com`;

/** Demo users alternate between the pools: alice, carol, user005… at Atlanta; bob, dave, user006… at Dallas. */
export function homeAddress(c: Cluster, name: string): string {
  const atl = ['alice', 'carol', 'user005', 'user007', 'user009'];
  return atl.includes(name) ? c.fixture.atl.address : c.fixture.dal.address;
}

export interface SignedIn {
  readonly client: RawClient;
  readonly token: string;
  readonly sip: string;
}

/** Signs a demo user in at its home server with the demo password. */
export async function signedIn(c: Cluster, name: string, password = PASSWORD): Promise<SignedIn> {
  const client = await RawClient.open(homeAddress(c, name), c.ca);
  const grant = await client.ok('signin', { user: sipOf(name), password });
  return { client, token: String(grant.token), sip: sipOf(name) };
}

export interface HttpAnswer {
  readonly status: number;
  readonly text: string;
  /** The error code of a JSON error body (`{error: {code}}`), if any. */
  readonly code: string | undefined;
}

/**
 * A bare POST over TLS, with whatever headers a test wants to try. `identity` is what the client trusts and
 * presents: `{ ca }` as a client or an administrator, `c.tlsAs(server)` as a server of the deployment.
 */
export async function rawPost(
  identity: ClientTls,
  address: string,
  path: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const res = await httpRequest(address, identity, {
    method: 'POST',
    path,
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  if (res.status === 0)
    throw new Error(`POST ${path} to ${address} failed: ${res.failure} ${res.detail ?? ''}`);
  const text = res.body.toString('utf8');
  return { status: res.status, text, code: errorCode(text) };
}

/**
 * Runs a cmdlet through the admin API itself (not the shell, which checks parameters first), so any cmdlet
 * of the registry can be tried whatever it requires. Answers the HTTP status and the error code, if any.
 */
export async function adminRun(
  identity: ClientTls,
  address: string,
  credential: string,
  cmdlet: string,
  params: Record<string, unknown> = {},
  common: Record<string, boolean> = {},
): Promise<HttpAnswer> {
  return rawPost(identity, address, ADMIN_RUN_PATH, JSON.stringify({ cmdlet, params, common }), {
    authorization: `Bearer ${credential}`,
  });
}

function errorCode(text: string): string | undefined {
  // Either one JSON body, or NDJSON whose last line is the result or the error.
  const last = text.trim().split('\n').at(-1) ?? '';
  try {
    const parsed = JSON.parse(last) as { error?: { code?: unknown } };
    return typeof parsed.error?.code === 'string' ? parsed.error.code : undefined;
  } catch {
    return undefined;
  }
}
