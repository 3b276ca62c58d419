import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createCa, issueCertificate } from '../certificates/certificate-authority.js';
import { z } from 'zod';
import { TandemError } from '../errors/index.js';
import { PeerClient } from './peer-client.js';
import { s2sContract } from './s2s-contract.js';
import { dispatchS2s, route, routeTable } from './s2s-route-table.js';

const Head = s2sContract({
  path: '/s2s/v1/test/head',
  request: z.object({ pool: z.string() }),
  response: z.object({ head: z.number() }),
});

const KEY = Buffer.alloc(32, 7);
const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

const PEER = 'dal-fe-001.example.com';
/** A CA, the peer's certificate and the caller's, as a deployment's servers have them. */
const ca = await createCa('peer-client tests');
const peerCert = await issueCertificate(ca, { names: [PEER] });
const selfCert = await issueCertificate(ca, { names: ['self.example.com'] });
const selfTls = () => ({ ...selfCert, ca: ca.cert });

/** A peer at a real HTTPS address that answers every request with `body`. */
async function peerAnswering(body: string): Promise<PeerClient> {
  const server = https.createServer(peerCert, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const peer = new PeerClient('self.example.com', KEY, { addressOf: () => `127.0.0.1:${port}` }, selfTls);
  closers.push(() => {
    peer.close();
    server.close();
  });
  return peer;
}

async function failure(p: Promise<unknown>): Promise<TandemError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof TandemError) return err;
    throw err;
  }
  throw new Error('expected a TandemError');
}

describe('PeerClient.call', () => {
  it("parses a peer's answer with the contract's answer schema", async () => {
    const peer = await peerAnswering('{"head":42,"extra":true}');
    expect(await peer.call(PEER, Head, { pool: 'p' })).toEqual({ head: 42 });
  });

  it('turns an answer of another shape into S2S_BAD_ANSWER naming the route and the peer', async () => {
    const peer = await peerAnswering('{"head":"forty-two"}');
    const err = await failure(peer.call(PEER, Head, { pool: 'p' }));
    expect(err.code).toBe('S2S_BAD_ANSWER');
    expect(err.retryable).toBe(false);
    expect(err.message).toContain(PEER);
    expect(err.message).toContain('/s2s/v1/test/head');
    expect(err.message).toContain('head');
  });

  it('checks an answer served in-process the same way', async () => {
    const peer = new PeerClient('self.example.com', KEY, { addressOf: () => undefined }, selfTls);
    closers.push(() => peer.close());
    const table = routeTable(route(Head, async () => ({ head: 1 })));
    peer.setLoopback((path, body) => dispatchS2s(table, path, body, 'self.example.com'));
    expect(await peer.call('self.example.com', Head, { pool: 'p' })).toEqual({ head: 1 });
    peer.setLoopback(async () => ({ head: null }));
    expect((await failure(peer.call('self.example.com', Head, { pool: 'p' }))).code).toBe('S2S_BAD_ANSWER');
  });
});

describe('route table', () => {
  it("validates a request with the contract's request schema before the handler runs", async () => {
    let ran = false;
    const table = routeTable(
      route(Head, async () => {
        ran = true;
        return { head: 1 };
      }),
    );
    const err = await failure(dispatchS2s(table, Head.path, { pool: 3 }, 'peer'));
    expect(err.code).toBe('INVALID_ARGUMENT');
    expect(err.message).toContain(`bad ${Head.path} request`);
    expect(ran).toBe(false);
  });

  it('refuses a path served twice', () => {
    const r = route(Head, async () => ({ head: 1 }));
    expect(() => routeTable(r, r)).toThrow(/served twice/);
  });
});
