import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { addAcceptors } from './accept-fanout.js';

const closers: (() => void)[] = [];
afterEach(() => closers.splice(0).forEach((close) => close()));

async function listening(): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 511 }, resolve));
  closers.push(() => server.close());
  return server;
}

describe('addAcceptors', () => {
  it('accepts on duplicates of the listening socket and hands every connection to the server', async () => {
    const server = await listening();
    const extras = await addAcceptors(server, 4, 511);
    closers.push(() => extras.forEach((e) => e.close()));
    expect(extras).toHaveLength(3);

    const bySource = new Map<net.Server, number>();
    for (const s of [server, ...extras])
      s.on('connection', () => bySource.set(s, (bySource.get(s) ?? 0) + 1));
    const accepted: net.Socket[] = [];
    server.on('connection', (socket: net.Socket) => accepted.push(socket));

    // Queue 40 connections while the event loop is busy: then each iteration accepts on every descriptor.
    const { port } = server.address() as net.AddressInfo;
    const clients = Array.from({ length: 40 }, () => net.connect(port, '127.0.0.1'));
    closers.push(() => clients.forEach((c) => c.destroy()));
    const until = Date.now() + 200;
    while (Date.now() < until);
    for (let i = 0; i < 200 && accepted.length < 40; i++) await new Promise((r) => setTimeout(r, 10));

    expect(accepted).toHaveLength(40);
    for (const extra of extras) expect(bySource.get(extra) ?? 0).toBeGreaterThan(0);
    accepted.forEach((s) => s.destroy());
  });

  it('adds nothing for one acceptor', async () => {
    expect(await addAcceptors(await listening(), 1, 511)).toEqual([]);
  });

  it('closing the server and its duplicates frees the port', async () => {
    const server = await listening();
    const { port } = server.address() as net.AddressInfo;
    const extras = await addAcceptors(server, 3, 511);
    await Promise.all([server, ...extras].map((s) => new Promise((r) => s.close(r))));
    const again = net.createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen({ port, host: '127.0.0.1' }, resolve);
    });
    again.close();
  });
});
