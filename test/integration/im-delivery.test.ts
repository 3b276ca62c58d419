/**
 * An `im.send` the server acknowledged reaches the peer, or the sender is told: a burst beyond the frame rate
 * gets RATE_LIMITED answers that name their requests, so that the SDK rejects exactly the sends refused (a
 * load test lost whole chains of messages whose refusals carried no request id).
 */
import { createHash, randomBytes } from 'node:crypto';
import { connect as netConnect, type Socket } from 'node:net';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TandemClient, type TandemClientError } from '../../src/client-sdk/index.js';
import { UNDECLARED_ERROR } from '../../src/gateway/client-connection.js';
import { Cluster, eventually } from '../../src/devkit/cluster.js';

const PASSWORD = 'Test-Password-1';
const ALICE = 'sip:alice@litwareinc.com';
const CAROL = 'sip:carol@litwareinc.com';

let c: Cluster;
const clients: TandemClient[] = [];
beforeAll(async () => {
  c = await Cluster.start({ users: 6, start: ['atl'] });
});
afterAll(async () => {
  await Promise.all(clients.map((cl) => cl.close()));
  // Every error these tests met is one docs/protocol.md lists for its operation.
  const undeclared = [...c.logs.values()].flat().filter((l) => l.includes(UNDECLARED_ERROR));
  await c.stop();
  expect(undeclared).toEqual([]);
});

function client(user: string): TandemClient {
  // A long request timeout: a refusal the client cannot match would show as a TIMEOUT, not hide behind one.
  const cl = new TandemClient({
    urls: [`wss://${c.fixture.atl.address}/v1/client`],
    ca: c.ca,
    user,
    password: PASSWORD,
    requestTimeoutMs: 120_000,
  });
  clients.push(cl);
  return cl;
}

describe('IM delivery under a burst beyond the frame rate', () => {
  it('every send is delivered or refused to its own caller; nothing is lost silently', async () => {
    const alice = client(ALICE);
    const carol = client(CAROL);
    await Promise.all([alice.connect(), carol.connect()]);
    const protocolErrors: string[] = [];
    alice.on('protocol-error', (e) => protocolErrors.push(e.code));
    const received = new Set<string>();
    carol.on('im.message', (p) => received.add(p.text));
    const invited = new Promise<void>((r) => carol.once('im.invited', () => r()));
    const { sessionId } = await alice.inviteIm(CAROL);
    await invited;
    const accepted = new Promise<void>((r) => alice.once('im.accepted', () => r()));
    await carol.acceptIm(sessionId);
    await accepted;

    // 180 sends at once: the burst is 100, so some must be refused, fewer than the 200 that close the connection.
    const texts = Array.from({ length: 180 }, (_, i) => `m${i}`);
    const outcomes = await Promise.all(
      texts.map((t) =>
        alice.sendIm(sessionId, t).then(
          () => 'ok',
          (e: TandemClientError) => e.code,
        ),
      ),
    );
    const acked = texts.filter((_, i) => outcomes[i] === 'ok');
    const refused = outcomes.filter((o) => o === 'RATE_LIMITED');
    expect(outcomes.filter((o) => o !== 'ok' && o !== 'RATE_LIMITED')).toEqual([]);
    expect(refused.length).toBeGreaterThan(0);
    expect(protocolErrors).toEqual([]);
    expect(await eventually(() => acked.every((t) => received.has(t)), 60_000)).toBe(true);
    // Nothing refused was delivered either: the sender's view is the truth.
    expect([...received].filter((t) => !acked.includes(t))).toEqual([]);
  });
});

/** A client that speaks just enough WebSocket to sign in, then starts closing and never finishes. */
class HalfClosingClient {
  private buffered = Buffer.alloc(0);
  readonly texts: string[] = [];
  closeReceived = false;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (d) => {
      this.buffered = Buffer.concat([this.buffered, d]);
      this.parse();
    });
  }

  static async open(address: string, ca: string): Promise<HalfClosingClient> {
    const [host, port] = address.split(':');
    const tcp = netConnect({ host, port: Number(port), allowHalfOpen: true });
    const socket = connect({ socket: tcp, host, ca });
    const key = randomBytes(16).toString('base64');
    await new Promise<void>((r) => socket.once('secureConnect', () => r()));
    socket.write(
      `GET /v1/client HTTP/1.1\r\nHost: ${address}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    const accept = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
    const head = await new Promise<string>((resolve) => {
      let text = '';
      const on = (d: Buffer) => {
        text += d.toString('latin1');
        if (!text.includes('\r\n\r\n')) return;
        socket.off('data', on);
        resolve(text);
      };
      socket.on('data', on);
    });
    expect(head).toContain(accept);
    return new HalfClosingClient(socket);
  }

  send(obj: unknown): void {
    this.frame(1, Buffer.from(JSON.stringify(obj)));
  }

  /** Sends a close frame and keeps the TCP connection open: the server's side stays "closing". */
  startClosing(): void {
    this.frame(8, Buffer.from([0x03, 0xe8]));
  }

  async next(match: (f: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    const found = () => this.texts.map((t) => JSON.parse(t) as Record<string, unknown>).find(match);
    expect(await eventually(() => found() !== undefined, 30_000)).toBe(true);
    return found() ?? {};
  }

  destroy(): void {
    this.socket.destroy();
  }

  private frame(opcode: number, payload: Buffer): void {
    const mask = randomBytes(4);
    const len = payload.length;
    const header =
      len < 126
        ? Buffer.from([0x80 | opcode, 0x80 | len])
        : Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 0xff]);
    const masked = Buffer.from(payload.map((b, i) => b ^ (mask[i % 4] ?? 0)));
    this.socket.write(Buffer.concat([header, mask, masked]));
  }

  private parse(): void {
    for (;;) {
      const b = this.buffered;
      if (b.length < 2) return;
      let len = (b[1] ?? 0) & 0x7f;
      let at = 2;
      if (len === 126) {
        if (b.length < 4) return;
        len = b.readUInt16BE(2);
        at = 4;
      } else if (len === 127) {
        if (b.length < 10) return;
        len = Number(b.readBigUInt64BE(2));
        at = 10;
      }
      if (b.length < at + len) return;
      const opcode = (b[0] ?? 0) & 0x0f;
      if (opcode === 1) this.texts.push(b.subarray(at, at + len).toString('utf8'));
      if (opcode === 8) this.closeReceived = true;
      this.buffered = b.subarray(at + len);
    }
  }
}

describe('IM to a peer whose connection is closing', () => {
  it('tells the sender the peer is gone instead of acknowledging a message nobody will read', async () => {
    const alice = client(ALICE);
    await alice.connect();
    const dave = await HalfClosingClient.open(c.fixture.atl.address, c.ca);
    dave.send({ id: 1, type: 'signin', payload: { user: 'sip:user005@litwareinc.com', password: PASSWORD } });
    expect(await dave.next((f) => f.re === 1)).toMatchObject({ ok: true });
    const { sessionId } = await alice.inviteIm('sip:user005@litwareinc.com');
    await dave.next((f) => f.push === 'im.invited');
    const accepted = new Promise<void>((r) => alice.once('im.accepted', () => r()));
    dave.send({ id: 2, type: 'im.accept', payload: { sessionId } });
    await accepted;
    dave.startClosing();
    // The server answers the close frame: its side is closing, while the TCP connection stays up (until the
    // server's close timeout), so the endpoint is still registered but can no longer carry a message.
    expect(await eventually(() => dave.closeReceived, 30_000)).toBe(true);
    const outcome = await alice.sendIm(sessionId, 'are you there?').then(
      () => 'ok',
      (e: TandemClientError) => e.code,
    );
    expect(outcome).toBe('USER_OFFLINE');
    expect(dave.texts.filter((t) => t.includes('are you there?'))).toEqual([]);
    dave.destroy();
  });
});
