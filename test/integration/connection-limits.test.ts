/**
 * Client connections are capped per source address and per server, below the process's descriptor limit: a
 * client past a cap is closed with a documented code, other addresses still sign in, and the health checks and
 * the admin API on the same port keep answering.
 */
import net from 'node:net';
import tls from 'node:tls';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../src/protocol/limits.js';
import { Cluster, eventually } from '../../src/devkit/cluster.js';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';
import { HTTP_PER_ADDRESS } from '../../src/gateway/connection-admission.js';
import { httpRequest } from '../../src/devkit/fuzz/http-request.js';

const PER_ADDRESS = 3;
const TOTAL = 6;

let c: Cluster;
const open: RawClient[] = [];
beforeAll(async () => {
  c = await Cluster.start({
    users: 8,
    start: ['atl'],
    maxConnections: TOTAL,
    maxConnectionsPerAddress: PER_ADDRESS,
  });
});
afterAll(async () => {
  for (const cl of open) await cl.close().catch(() => undefined);
  await c.stop();
});

/** Demo users homed at Atlanta (the demo alternates users between the pools). */
const ATL_USERS = ['alice', 'carol', 'user005', 'user007'];
const user = (n: number) => `sip:${ATL_USERS[n - 1] ?? ''}@litwareinc.com`;

async function signedIn(from: string, n: number): Promise<RawClient> {
  const cl = await RawClient.open(c.fixture.atl.address, c.ca, { localAddress: from });
  open.push(cl);
  const answer = await cl.request('signin', { user: user(n), password: 'Test-Password-1' });
  expect(answer.ok, JSON.stringify(answer.error)).toBe(true);
  return cl;
}

/** Opens a WebSocket from `from` and resolves with the code it is closed with. */
function closeCodeOf(from: string): Promise<{ code: number; reason: string }> {
  const ws = new WebSocket(`wss://${c.fixture.atl.address}/v1/client`, {
    perMessageDeflate: false,
    localAddress: from,
    ca: c.ca,
  });
  ws.on('error', () => undefined);
  return new Promise((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}

async function healthy(): Promise<boolean> {
  const res = await httpRequest(c.fixture.atl.address, { ca: c.ca }, { method: 'GET', path: '/healthz' });
  return res.status === 200;
}

describe('connection limits', () => {
  it('closes a connection past the per-address cap with ConnectionLimit; another address still signs in', async () => {
    for (let i = 0; i < PER_ADDRESS; i++) await signedIn('127.0.0.5', 1);
    const refused = await closeCodeOf('127.0.0.5');
    expect(refused.code).toBe(CloseCode.ConnectionLimit);
    expect(refused.reason).toMatch(/address/);
    await signedIn('127.0.0.6', 2);
    expect(await healthy()).toBe(true);
    // The refused connection's slot was never taken: the signed-in ones still work.
    for (const cl of open) expect(await cl.ok('ping')).toHaveProperty('now');
  });

  it('survives a refused client that sends a bad frame instead of closing', async () => {
    const port = Number(c.fixture.atl.address.split(':')[1]);
    const tcp = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.5' });
    const socket = tls.connect({ socket: tcp, host: '127.0.0.1', ca: c.ca });
    socket.on('error', () => undefined);
    let answer = '';
    socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    socket.write(
      'GET /v1/client HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
    );
    expect(await eventually(() => answer.includes('\r\n\r\n'), 30_000)).toBe(true);
    expect(answer).toMatch(/^HTTP\/1.1 101/);
    // A frame a client must never send (not masked): the server reads it as a protocol error.
    socket.write(Buffer.from([0x81, 0x01, 0x41]));
    const closed = await eventually(() => socket.destroyed || socket.readableEnded, 30_000);
    expect(closed).toBe(true);
    expect(await healthy()).toBe(true);
    socket.destroy();
  });

  it('closes a connection past the per-server cap; health checks and the admin API still answer', async () => {
    while (open.length < TOTAL) await signedIn('127.0.0.7', 3);
    const refused = await closeCodeOf('127.0.0.8');
    expect(refused.code).toBe(CloseCode.ConnectionLimit);
    expect(refused.reason).toMatch(/server/);
    expect(await healthy()).toBe(true);
    const registrar = await c.shell('Get-CsRegistrarConfiguration');
    expect(registrar.code, registrar.err).toBe(0);
    expect(registrar.json()[0]).toMatchObject({
      MaxConnections: TOTAL,
      MaxConnectionsPerAddress: PER_ADDRESS,
    });
    // A slot that frees is taken again, once the server has seen the close.
    await open.pop()?.close();
    const again = await eventually(async () => {
      const cl = await RawClient.open(c.fixture.atl.address, c.ca, { localAddress: '127.0.0.8' });
      const answer = await cl.request('signin', { user: user(4), password: 'Test-Password-1' });
      if (answer.ok) open.push(cl);
      else await cl.close();
      return answer.ok === true;
    }, 30_000);
    expect(again).toBe(true);
  });

  it('drops raw TCP connections past the per-address socket cap and keeps answering', async () => {
    const sockets: net.Socket[] = [];
    let dropped = 0;
    for (let i = 0; i < 200; i++) {
      const s = net.connect({
        host: '127.0.0.1',
        port: Number(c.fixture.atl.address.split(':')[1]),
        localAddress: '127.0.0.9',
      });
      s.on('error', () => undefined);
      s.on('close', () => (dropped += 1));
      sockets.push(s);
    }
    // Each address may hold its client cap plus a few HTTP sockets; the rest are closed as they arrive.
    const kept = PER_ADDRESS + HTTP_PER_ADDRESS;
    expect(await eventually(() => dropped >= sockets.length - kept, 30_000)).toBe(true);
    expect(await healthy()).toBe(true);
    for (const s of sockets) s.destroy();
  });
});
