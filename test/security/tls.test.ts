/**
 * TLS on every transport, with real server processes: clients that trust the deployment CA sign in over
 * wss://; a client trusting another CA is refused with an error that says which CA to give; clear-text HTTP
 * and WebSocket are answered with one line that says to use TLS; a server-to-server request succeeds only
 * over mutual TLS with a certificate of the deployment CA that names the signing server; a peer whose
 * certificate another CA issued is cut off before any HTTP; and a client that opens a connection and stalls
 * does not keep others from being served.
 */
import net from 'node:net';
import https from 'node:https';
import tls from 'node:tls';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, eventually } from '../../src/devkit/cluster.js';
import { TandemClient } from '../../src/client-sdk/index.js';
import { httpRequest, rawHttp } from '../../src/devkit/fuzz/http-request.js';
import { splitAddress } from '../../src/s2s/peer-client.js';
import { createCa, issueCertificate } from '../../src/certificates/certificate-authority.js';
import { CmsContracts } from '../../src/s2s/cms-links.js';
import { deriveKey, KeyPurpose, loadDeploymentKey } from '../../src/security/deployment-secrets.js';
import { S2S_HEADER, signS2s } from '../../src/security/s2s-signature.js';
import { PASSWORD, rawPost, sipOf } from './security-kit.js';

let c: Cluster;
let otherCa: { cert: string; key: string };

beforeAll(async () => {
  c = await Cluster.start({ users: 6 });
  otherCa = await createCa('Some other CA');
});
afterAll(async () => c.stop());

const client = (ca: string) =>
  new TandemClient({
    urls: [c.clientUrl(c.fixture.atl.server)],
    ca,
    user: sipOf('alice'),
    password: PASSWORD,
    reconnect: { initialDelayMs: 50, maxDelayMs: 200 },
  });

/** The value of a counter of /metrics with these labels (0 when absent). */
async function counter(name: string, labels: string, at = c.fixture.atl.address): Promise<number> {
  const text = (await httpRequest(at, { ca: c.ca }, { method: 'GET', path: '/metrics' })).body.toString(
    'utf8',
  );
  const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && l.includes(labels));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('clients', () => {
  it('sign in over wss:// when they trust the deployment CA', async () => {
    const alice = client(c.ca);
    try {
      const session = await alice.connect();
      expect(session.sip).toBe(sipOf('alice'));
    } finally {
      await alice.close();
    }
  });

  it('are refused at once when they trust another CA, with an error that says to give the deployment CA', async () => {
    const alice = client(otherCa.cert);
    try {
      const err = await alice.connect().catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'SERVER_NOT_TRUSTED', retryable: false });
      expect(String((err as Error).message)).toContain(c.clientUrl(c.fixture.atl.server));
      expect(String((err as Error).message)).toContain('ca');
    } finally {
      await alice.close();
    }
  });

  it('in clear text get one line that says to use TLS: HTTP and WebSocket alike', async () => {
    const plain = await rawHttp(
      c.fixture.atl.address,
      'plain',
      Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'),
    );
    expect(plain.status).toBe(400);
    expect(plain.body.toString()).toContain('accepts TLS only');
    expect(plain.body.toString()).toContain(`https://${c.fixture.atl.address}/`);

    const ws = new WebSocket(`ws://${c.fixture.atl.address}/v1/client`);
    const refused = await new Promise<string>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(`${res.statusCode} ${res.statusMessage}`));
      ws.on('open', () => resolve('open'));
      ws.on('error', (e) => resolve(`error ${e.message}`));
    });
    ws.terminate();
    expect(refused).toBe('400 TLS Required');
  });

  it('that open a connection and stall do not keep others from being served', async () => {
    const [host, port] = splitAddress(c.fixture.atl.address);
    const stalled = await Promise.all(
      Array.from(
        { length: 20 },
        () =>
          new Promise<net.Socket>((resolve) => {
            const s = net.connect({ host, port: Number(port) }, () => resolve(s));
            s.on('error', () => undefined);
          }),
      ),
    );
    try {
      const alice = client(c.ca);
      await alice.connect();
      await alice.close();
    } finally {
      for (const s of stalled) s.destroy();
    }
  });
});

/** A TLS connection to `server` offering `session`; whether the server resumed it, and the session it gave. */
function tlsTo(server: string, session?: Buffer): Promise<{ resumed: boolean; session?: Buffer }> {
  const [host, port] = splitAddress(c.addressOf(server));
  return new Promise((resolve, reject) => {
    let kept: Buffer | undefined;
    let resumed = false;
    const socket = tls.connect({ host, port: Number(port), ca: c.ca, servername: server, session });
    socket.on('session', (s: Buffer) => (kept = s));
    socket.on('error', reject);
    socket.on('data', () => undefined);
    socket.on('secureConnect', () => {
      resumed = socket.isSessionReused();
      socket.end('GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    });
    socket.on('close', () => resolve({ resumed, session: kept }));
  });
}

describe('TLS sessions', () => {
  it('begun at one server resume at the other server of the deployment', async () => {
    const first = await tlsTo(c.fixture.atl.server);
    expect(first.resumed).toBe(false);
    expect(first.session).toBeDefined();
    expect((await tlsTo(c.fixture.dal.server, first.session)).resumed).toBe(true);
  });

  it('of an SDK client resume at another server, and /metrics counts it', async () => {
    const atDallas = (resumed: boolean) =>
      counter('tandem_tls_handshakes_total', `resumed="${resumed}"`, c.fixture.dal.address);
    const resumedBefore = await atDallas(true);
    // Bob is homed at Dallas: his client connects there with the session it kept from Atlanta.
    const first = new TandemClient({
      urls: [c.clientUrl(c.fixture.atl.server)],
      ca: c.ca,
      user: sipOf('alice'),
      password: PASSWORD,
    });
    await first.connect();
    const session = first.tlsSession();
    await first.close();
    expect(session).toBeInstanceOf(Buffer);
    const bob = new TandemClient({
      urls: [c.clientUrl(c.fixture.dal.server)],
      ca: c.ca,
      user: sipOf('bob'),
      password: PASSWORD,
      tlsSession: session,
    });
    await bob.connect();
    await bob.close();
    // The scrapes are full handshakes (no session offered); a new link from Atlanta's server may resume too.
    expect(await atDallas(true)).toBeGreaterThan(resumedBefore);
  });
});

describe('the certificate in use', () => {
  it('has its days left in /metrics', async () => {
    // Issued two years ahead on the deployment's first start.
    expect(await counter('tandem_certificate_days_left', 'type="Default"')).toBeGreaterThan(700);
  });
});

describe('server-to-server requests', () => {
  const key = () => deriveKey(loadDeploymentKey(c.dataDir), KeyPurpose.ServerToServer);
  const body = '{}';
  const signedAs = (server: string) => ({
    [S2S_HEADER]: signS2s(key(), 'POST', CmsContracts.status.path, server, body),
  });

  it('are answered over mutual TLS with the signing server’s certificate', async () => {
    const res = await rawPost(
      c.tlsAs(c.fixture.dal.server),
      c.fixture.atl.address,
      CmsContracts.status.path,
      body,
      signedAs(c.fixture.dal.server),
    );
    expect(res.status, res.text).toBe(200);
  });

  it('are refused without a client certificate, even correctly signed', async () => {
    const res = await rawPost(
      { ca: c.ca },
      c.fixture.atl.address,
      CmsContracts.status.path,
      body,
      signedAs(c.fixture.dal.server),
    );
    expect(res.status).toBe(401);
    expect(res.code).toBe('S2S_UNAUTHENTICATED');
    expect(res.text).toContain('mutual TLS');
  });

  it('are refused when the certificate names another server than the signature', async () => {
    const res = await rawPost(
      c.tlsAs(c.fixture.atl.server),
      c.fixture.dal.address,
      CmsContracts.status.path,
      body,
      signedAs(c.fixture.dal.server),
    );
    expect(res.status).toBe(401);
    expect(res.text).toContain(`not ${c.fixture.dal.server}`);
  });

  it('from a peer whose certificate another CA issued are cut off before any HTTP', async () => {
    const before = await counter('tandem_connections_refused_total', 'layer="tls"');
    const impostor = await issueCertificate(otherCa, { names: [c.fixture.dal.server], ips: ['127.0.0.1'] });
    const [host, port] = splitAddress(c.fixture.atl.address);
    const outcome = await new Promise<string>((resolve) => {
      const req = https.request(
        {
          host,
          port: Number(port),
          ca: c.ca,
          cert: impostor.cert,
          key: impostor.key,
          servername: c.fixture.atl.server,
          method: 'POST',
          path: CmsContracts.status.path,
          headers: { 'content-type': 'application/json', ...signedAs(c.fixture.dal.server) },
          agent: false,
        },
        (res) => resolve(`answered ${res.statusCode}`),
      );
      req.on('error', (e: NodeJS.ErrnoException) => resolve(`cut off ${e.code ?? e.message}`));
      req.end(body);
    });
    expect(outcome).toMatch(/^cut off/);
    expect(
      await eventually(
        async () => (await counter('tandem_connections_refused_total', 'layer="tls"')) > before,
      ),
    ).toBe(true);
  });

  it('go to a server only when its certificate names it: a link does not trust an address', async () => {
    // Dallas's certificate does not name Atlanta: a client that asks for Atlanta at Dallas's address refuses it.
    const [host, port] = splitAddress(c.fixture.dal.address);
    const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      const req = https.get(
        {
          host,
          port: Number(port),
          ca: c.ca,
          servername: c.fixture.atl.server,
          path: '/healthz',
          agent: false,
        },
        (res) => {
          res.resume();
          resolve(undefined);
        },
      );
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e));
    });
    expect(err?.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });
});
