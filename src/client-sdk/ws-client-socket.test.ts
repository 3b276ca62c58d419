import { afterEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import { WsClientSocket } from './ws-client-socket.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function listen(server: Server | HttpServer): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );
}

/** A real `ws` server (what Tandem's gateway runs); `onConnection` gets each server-side socket. */
async function wsServer(onConnection: (ws: WebSocket) => void): Promise<string> {
  const http = createHttpServer();
  const wss = new WebSocketServer({ server: http, perMessageDeflate: false });
  wss.on('connection', onConnection);
  const port = await listen(http);
  closers.push(async () => {
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
    await new Promise<void>((r) => http.close(() => r()));
  });
  return `ws://127.0.0.1:${port}/v1/client`;
}

/** A TCP server scripted byte by byte: `script` gets the socket and the client's handshake key. */
async function rawServer(script: (socket: Socket, key: string) => void): Promise<string> {
  const sockets = new Set<Socket>();
  const server = createTcpServer((socket) => {
    sockets.add(socket);
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      script(socket, /Sec-WebSocket-Key: (\S+)/i.exec(head)?.[1] ?? '');
    };
    socket.on('data', onData);
    socket.on('error', () => undefined);
  });
  const port = await listen(server);
  closers.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return `ws://127.0.0.1:${port}/v1/client`;
}

function accept(key: string): string {
  return createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
}

function upgradeResponse(key: string, extra = ''): string {
  return `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept(key)}\r\n${extra}\r\n`;
}

/** An unmasked server frame. */
function serverFrame(opcode: number, payload: Buffer, fin = true, masked = false): Buffer {
  const head =
    payload.length < 126
      ? Buffer.from([(fin ? 0x80 : 0) | opcode, (masked ? 0x80 : 0) | payload.length])
      : Buffer.from([(fin ? 0x80 : 0) | opcode, 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([head, masked ? Buffer.alloc(4) : Buffer.alloc(0), payload]);
}

/** Reads client frames (masked) off a raw socket: opcode and unmasked payload. */
function clientFrames(socket: Socket, onFrame: (opcode: number, payload: Buffer) => void): void {
  let buf = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      if (buf.length < 6) return;
      const len = (buf[1] ?? 0) & 0x7f;
      if (len >= 126) throw new Error('test reader handles short frames only');
      if (buf.length < 6 + len) return;
      const mask = buf.subarray(2, 6);
      const payload = Buffer.from(buf.subarray(6, 6 + len).map((b, i) => b ^ (mask[i & 3] ?? 0)));
      onFrame((buf[0] ?? 0) & 0x0f, payload);
      buf = buf.subarray(6 + len);
    }
  });
}

interface Outcome {
  readonly opened: boolean;
  readonly messages: string[];
  readonly errors: string[];
  readonly close: { code: number; reason: string };
}

/** Connects and collects everything until the close event. */
function run(url: string, opts: { handshakeTimeoutMs?: number; maxMessageBytes?: number } = {}) {
  const socket = new WsClientSocket(url, {
    handshakeTimeoutMs: opts.handshakeTimeoutMs ?? 5_000,
    ...(opts.maxMessageBytes === undefined ? {} : { maxMessageBytes: opts.maxMessageBytes }),
  });
  let opened = false;
  const messages: string[] = [];
  const errors: string[] = [];
  const outcome = new Promise<Outcome>((resolve) => {
    socket.on('open', () => (opened = true));
    socket.on('message', (data, isBinary) =>
      messages.push(isBinary ? `binary:${data.length}` : data.toString()),
    );
    socket.on('error', (err) => errors.push(err.message));
    socket.on('close', (code, reason) => resolve({ opened, messages, errors, close: { code, reason } }));
  });
  return { socket, outcome };
}

describe('WsClientSocket against a ws server', () => {
  it('exchanges text both ways, short, 16-bit and 64-bit lengths, multi-byte UTF-8 intact', async () => {
    const big = 'é'.repeat(40_000); // 80,000 bytes: a 16-bit length would not do
    const url = await wsServer((ws) => ws.on('message', (d) => ws.send(`echo:${(d as Buffer).toString()}`)));
    const { socket, outcome } = run(url);
    await new Promise<void>((r) => socket.once('open', () => r()));
    let echoes = 0;
    socket.on('message', () => {
      echoes += 1;
      if (echoes === 3) socket.close(1000, 'done');
    });
    for (const text of ['hi', 'x'.repeat(300), big]) socket.send(text);
    const result = await outcome;
    expect(result.messages).toEqual(['echo:hi', `echo:${'x'.repeat(300)}`, `echo:${big}`]);
    expect(result.close.code).toBe(1000);
  });

  it('reports the server close code and reason, and answers the close', async () => {
    let serverSaw: number | undefined;
    const url = await wsServer((ws) => {
      ws.on('close', (code) => (serverSaw = code));
      ws.send('before');
      ws.close(4005, 'relocated');
    });
    const result = await run(url).outcome;
    expect(result.messages).toEqual(['before']);
    expect(result.close).toEqual({ code: 4005, reason: 'relocated' });
    await new Promise((r) => setTimeout(r, 50));
    expect(serverSaw).toBe(4005);
  });

  it('closes with a handshake the server sees, code and reason included', async () => {
    const seen = new Promise<[number, string]>((resolve) => {
      void wsServer((ws) => ws.on('close', (code, reason) => resolve([code, reason.toString()]))).then(
        (url) => {
          const { socket } = run(url);
          socket.once('open', () => socket.close(1000, 'bye'));
        },
      );
    });
    expect(await seen).toEqual([1000, 'bye']);
  });

  it('terminate() cuts at once: close 1006', async () => {
    const url = await wsServer(() => undefined);
    const { socket, outcome } = run(url);
    socket.once('open', () => socket.terminate());
    const result = await outcome;
    expect(result.opened).toBe(true);
    expect(result.close.code).toBe(1006);
  });
});

describe('WsClientSocket against a scripted server', () => {
  it('joins fragments, answers pings, and parses a response delivered one byte at a time', async () => {
    const pongs: string[] = [];
    const url = await rawServer((socket, key) => {
      clientFrames(socket, (opcode, payload) => {
        if (opcode === 10) pongs.push(payload.toString());
      });
      const bytes = Buffer.concat([
        Buffer.from(upgradeResponse(key), 'latin1'),
        serverFrame(1, Buffer.from('hel'), false),
        serverFrame(9, Buffer.from('are you there')),
        serverFrame(0, Buffer.from('lo'), true),
        serverFrame(1, Buffer.from('😀 ok')),
        serverFrame(8, Buffer.from([0x03, 0xe8])),
      ]);
      let i = 0;
      const drip = setInterval(() => {
        if (i >= bytes.length) {
          clearInterval(drip);
          return;
        }
        socket.write(bytes.subarray(i, i + 1));
        i += 1;
      }, 0);
      clientFrames(socket, (opcode) => {
        if (opcode === 8) socket.end();
      });
    });
    const result = await run(url).outcome;
    expect(result.messages).toEqual(['hello', '😀 ok']);
    expect(pongs).toEqual(['are you there']);
    expect(result.close.code).toBe(1000);
  });

  it('answers a close frame but leaves closing the TCP connection (and its TIME_WAIT) to the server', async () => {
    const events: string[] = [];
    const url = await rawServer((socket, key) => {
      socket.on('end', () => events.push('client FIN'));
      clientFrames(socket, (opcode, payload) => {
        if (opcode !== 8) return;
        events.push(`close reply ${payload.readUInt16BE(0)}`);
        setTimeout(() => {
          events.push('server FIN');
          socket.end();
        }, 100);
      });
      socket.write(
        Buffer.concat([
          Buffer.from(upgradeResponse(key)),
          serverFrame(8, Buffer.from([0x0f, 0xa5])),
          serverFrame(1, Buffer.from('after the close: not a frame to read')),
        ]),
      );
    });
    const result = await run(url).outcome;
    expect(result.close.code).toBe(4005);
    expect(result.messages).toEqual([]);
    for (let i = 0; i < 100 && events.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
    expect(events).toEqual(['close reply 4005', 'server FIN', 'client FIN']);
  });

  it('cuts a connection whose server never closes it after the close frames', async () => {
    const url = await rawServer((socket, key) =>
      socket.write(
        Buffer.concat([Buffer.from(upgradeResponse(key)), serverFrame(8, Buffer.from([0x03, 0xe8]))]),
      ),
    );
    const socket = new WsClientSocket(url, { handshakeTimeoutMs: 5_000, closeTimeoutMs: 100 });
    // Without the close timer this waits forever: the server never closes, and the handshake is long done.
    const code = await new Promise<number>((resolve) => socket.on('close', (c) => resolve(c)));
    expect(code).toBe(1000);
  });

  it('refuses a handshake answered with another status, a wrong accept key or an extension', async () => {
    const statusUrl = await rawServer((socket) => socket.end('HTTP/1.1 404 Not Found\r\n\r\n'));
    const keyUrl = await rawServer((socket) => socket.write(upgradeResponse('not-the-key')));
    const extUrl = await rawServer((socket, key) =>
      socket.write(upgradeResponse(key, 'Sec-WebSocket-Extensions: permessage-deflate\r\n')),
    );
    const results = await Promise.all([run(statusUrl).outcome, run(keyUrl).outcome, run(extUrl).outcome]);
    expect(results.map((r) => r.errors[0])).toEqual([
      'Unexpected server response: 404',
      'Invalid Sec-WebSocket-Accept header',
      'The server sent an extension that was not requested',
    ]);
    for (const r of results) {
      expect(r.opened).toBe(false);
      expect(r.close.code).toBe(1006);
    }
  });

  it('times out a server that accepts but never answers, and reports a refused connection', async () => {
    const silent = await rawServer(() => undefined);
    const timedOut = await run(silent, { handshakeTimeoutMs: 100 }).outcome;
    expect(timedOut.errors).toEqual(['Opening handshake has timed out']);
    expect(timedOut.close.code).toBe(1006);

    const probe = createTcpServer();
    const port = await listen(probe);
    await new Promise<void>((r) => probe.close(() => r()));
    const refused = await run(`ws://127.0.0.1:${port}/v1/client`).outcome;
    expect(refused.errors[0]).toMatch(/ECONNREFUSED/);
    expect(refused.close.code).toBe(1006);
  });

  it('fails the connection on invalid UTF-8 (1007), a masked frame (1002) and an oversized message (1009)', async () => {
    const badText = await rawServer((socket, key) =>
      socket.write(
        Buffer.concat([Buffer.from(upgradeResponse(key)), serverFrame(1, Buffer.from([0xc3, 0x28]))]),
      ),
    );
    const masked = await rawServer((socket, key) =>
      socket.write(
        Buffer.concat([Buffer.from(upgradeResponse(key)), serverFrame(1, Buffer.from('x'), true, true)]),
      ),
    );
    const big = await rawServer((socket, key) =>
      socket.write(
        Buffer.concat([Buffer.from(upgradeResponse(key)), serverFrame(1, Buffer.alloc(200, 0x61))]),
      ),
    );
    const [a, b, c] = await Promise.all([
      run(badText).outcome,
      run(masked).outcome,
      run(big, { maxMessageBytes: 100 }).outcome,
    ]);
    expect([a?.close.code, b?.close.code, c?.close.code]).toEqual([1007, 1002, 1009]);
    expect([a?.messages, b?.messages, c?.messages]).toEqual([[], [], []]);
    expect(a?.errors).toEqual(['Invalid UTF-8 in a text message']);
  });
});

describe('WsClientSocket over TLS', () => {
  it('speaks wss:// to a TLS server whose certificate it is told to trust', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-wss-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost'].concat([
        '-addext',
        'subjectAltName=DNS:localhost',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ]),
      { stdio: 'ignore' },
    );
    const cert = readFileSync(join(dir, 'cert.pem'));
    const tls = createTlsServer({ key: readFileSync(join(dir, 'key.pem')), cert });
    const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
    const http = createHttpServer();
    http.on('upgrade', (req, sock, head) =>
      wss.handleUpgrade(req, sock, head, (ws) =>
        ws.on('message', (d) => ws.close(4001, (d as Buffer).toString())),
      ),
    );
    tls.on('secureConnection', (s) => http.emit('connection', s));
    const port = await listen(tls);
    closers.push(async () => {
      await new Promise<void>((r) => tls.close(() => r()));
    });
    const socket = new WsClientSocket(`wss://localhost:${port}/v1/client`, {
      handshakeTimeoutMs: 5_000,
      tls: { ca: cert },
    });
    const closed = new Promise<[number, string]>((resolve) => socket.on('close', (c, r) => resolve([c, r])));
    socket.on('error', () => undefined);
    socket.once('open', () => socket.send('over tls'));
    expect(await closed).toEqual([4001, 'over tls']);
  });
});
