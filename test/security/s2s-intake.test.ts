/**
 * Server-to-server intake, with real servers: a body is not read before the signature header is checked
 * (an unsigned 120 MiB request is answered while the sender is still sending), bodies are capped per route
 * even under a plausible header, and a captured signed request is accepted once: its replays are refused
 * with S2S_REPLAYED and the IM it carried reaches the user once.
 */
import https from 'node:https';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/devkit/cluster.js';
import { CommPaths } from '../../src/s2s/comm-links.js';
import { splitAddress } from '../../src/s2s/peer-client.js';
import { S2S_DEFAULT_BODY_BYTES } from '../../src/s2s/s2s-route-table.js';
import { deriveKey, KeyPurpose, loadDeploymentKey } from '../../src/security/deployment-secrets.js';
import { S2S_HEADER, signS2s } from '../../src/security/s2s-signature.js';
import { rawPost, sipOf, signedIn, type SignedIn } from './security-kit.js';
import { httpRequest } from '../../src/devkit/fuzz/http-request.js';

let c: Cluster;
let bob: SignedIn;

beforeAll(async () => {
  c = await Cluster.start({ users: 10 });
  bob = await signedIn(c, 'bob');
});
afterAll(async () => {
  await bob.client.close();
  await c.stop();
});

const TOTAL = 120 * 1024 * 1024;

/**
 * How a request ended: the server's answer, or (for the connection the server closes after answering early)
 * the write that failed because the server stopped reading; either way, how much of the body was sent.
 */
interface Outcome {
  readonly status: number | undefined;
  readonly code: string | undefined;
  /** Bytes of the body the client had handed to its socket when the answer came or the server hung up. */
  readonly sentWhenStopped: number;
}

/** Streams a 120 MiB body (with backpressure) until the server answers or stops reading. */
function postHuge(address: string, path: string, headers: Record<string, string>): Promise<Outcome> {
  const [host, port] = splitAddress(address);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let stopped = false;
    const req = https.request(
      { ...c.tlsAs(c.fixture.dal.server), host, port: Number(port), method: 'POST', path, headers },
      (res) => {
        stopped = true;
        const at = sent;
        const chunks: Buffer[] = [];
        res.on('data', (b: Buffer) => chunks.push(b));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const code = (JSON.parse(text) as { error?: { code?: string } }).error?.code;
          resolve({ status: res.statusCode, code, sentWhenStopped: at });
          req.destroy();
        });
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (stopped) return;
      stopped = true;
      if (err.code === 'EPIPE' || err.code === 'ECONNRESET')
        resolve({ status: undefined, code: undefined, sentWhenStopped: sent });
      else reject(err);
    });
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    const pump = (): void => {
      while (!stopped && sent < TOTAL) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!stopped) req.end();
    };
    pump();
  });
}

/** Sends only the headers of a request that declares a body of `length` bytes, and waits for the answer. */
function declareOnly(address: string, path: string, length: number, headers: Record<string, string>) {
  const [host, port] = splitAddress(address);
  return new Promise<{ status: number | undefined; code: string | undefined }>((resolve, reject) => {
    const req = https.request(
      {
        ...c.tlsAs(c.fixture.dal.server),
        host,
        port: Number(port),
        method: 'POST',
        path,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (b: Buffer) => chunks.push(b));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode,
            code: (JSON.parse(text) as { error?: { code?: string } }).error?.code,
          });
          req.destroy();
        });
      },
    );
    req.on('error', reject);
    req.flushHeaders();
  });
}

describe('a large server-to-server body', () => {
  const forged = () => signS2s(randomBytes(32), 'POST', CommPaths.call, c.fixture.dal.server, '{}');

  it('without a signature is refused from its headers, before a byte of the body', async () => {
    const out = await declareOnly(c.fixture.atl.address, CommPaths.call, TOTAL, {});
    expect(out.status).toBe(401);
    expect(out.code).toBe('S2S_UNAUTHENTICATED');
  });

  it('over the route’s cap is refused from its declared length, before a byte of the body', async () => {
    const out = await declareOnly(c.fixture.atl.address, CommPaths.call, S2S_DEFAULT_BODY_BYTES + 1, {
      [S2S_HEADER]: forged(),
    });
    expect(out.status).toBe(413);
    expect(out.code).toBe('REQUEST_TOO_LARGE');
  });

  for (const [what, headers] of [
    ['without a signature, with its length declared', () => ({ 'content-length': String(TOTAL) })],
    ['without a signature or a declared length', () => ({})],
    ['under a well-formed but forged header, without a declared length', () => ({ [S2S_HEADER]: forged() })],
  ] as const) {
    it(`${what}: the server stops reading before the sender has sent it all`, async () => {
      const out = await postHuge(c.fixture.atl.address, CommPaths.call, {
        'content-type': 'application/json',
        ...headers(),
      });
      expect(out.sentWhenStopped).toBeLessThan(TOTAL);
      if (out.status !== undefined) expect([401, 413]).toContain(out.status);
    });
  }

  it('leaves the server answering', async () => {
    const res = await httpRequest(c.fixture.atl.address, { ca: c.ca }, { method: 'GET', path: '/healthz' });
    expect(res.status).toBe(200);
  });
});

describe('a captured signed request', () => {
  it('is accepted once; its replays are refused and the IM arrives once', async () => {
    const key = deriveKey(loadDeploymentKey(c.dataDir), KeyPurpose.ServerToServer);
    const dal = c.fixture.dal.address;
    const event = (text: string) =>
      JSON.stringify({ to: bob.sip, event: { kind: 'push', push: 'im.message', payload: { text } } });
    const body = event('delivered once');
    const captured = { [S2S_HEADER]: signS2s(key, 'POST', CommPaths.userEvent, c.fixture.atl.server, body) };

    const first = await rawPost(c.tlsAs(c.fixture.atl.server), dal, CommPaths.userEvent, body, captured);
    expect(first.status, first.text).toBe(200);
    for (let i = 0; i < 3; i++) {
      const again = await rawPost(c.tlsAs(c.fixture.atl.server), dal, CommPaths.userEvent, body, captured);
      expect(again.status).toBe(401);
      expect(again.code).toBe('S2S_REPLAYED');
      expect(again.text).not.toContain('delivered once');
    }
    // A fresh request after the replays: once it is delivered, anything the replays delivered is too.
    const marker = event('marker');
    const sent = await rawPost(c.tlsAs(c.fixture.atl.server), dal, CommPaths.userEvent, marker, {
      [S2S_HEADER]: signS2s(key, 'POST', CommPaths.userEvent, c.fixture.atl.server, marker),
    });
    expect(sent.status).toBe(200);
    await bob.client.push('im.message', (p) => p.text === 'marker', 30_000);
    const delivered = bob.client.frames.filter(
      (f) => f.push === 'im.message' && f.payload?.text === 'delivered once',
    );
    expect(delivered).toHaveLength(1);
    expect(sipOf('bob')).toBe(bob.sip);
  });
});
