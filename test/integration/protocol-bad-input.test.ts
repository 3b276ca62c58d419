/** Bad input on the client protocol gets a clear error; the connection survives or closes with a documented code. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode, Limits } from '../../src/protocol/limits.js';
import { UNDECLARED_ERROR } from '../../src/gateway/client-connection.js';
import { Cluster } from '../../src/devkit/cluster.js';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';
import { rawHttp } from '../../src/devkit/fuzz/http-request.js';

let c: Cluster;
beforeAll(async () => {
  c = await Cluster.start({ users: 4, start: ['atl'] });
});
afterAll(async () => {
  // Every error these tests met is one docs/protocol.md lists for its operation.
  const undeclared = [...c.logs.values()].flat().filter((l) => l.includes(UNDECLARED_ERROR));
  await c.stop();
  expect(undeclared).toEqual([]);
});

const open = () => RawClient.open(c.fixture.atl.address, c.ca);

describe('malformed frames', () => {
  it('answers non-JSON, bad envelopes, unknown types and bad payloads, and keeps the connection', async () => {
    const cl = await open();
    cl.sendRaw('this is not json');
    expect(await cl.next((f) => f.ok === false)).toMatchObject({
      re: null,
      error: { code: 'PROTOCOL_BAD_FRAME' },
    });
    cl.sendRaw(JSON.stringify({ id: 'x1', payload: {} }));
    expect(await cl.next((f) => f.re === 'x1')).toMatchObject({
      ok: false,
      error: { code: 'PROTOCOL_BAD_FRAME' },
    });
    cl.sendRaw(JSON.stringify([1, 2, 3]));
    expect(await cl.next((f) => f.ok === false && f.re === null)).toMatchObject({
      error: { code: 'PROTOCOL_BAD_FRAME' },
    });
    const unknown = await cl.request('presence.publsh', {});
    expect(unknown.error).toMatchObject({ code: 'PROTOCOL_UNKNOWN_TYPE' });
    expect(unknown.error?.message).toContain('presence.');
    const wrongType = await cl.request('signin', { user: 42, password: ['x'] });
    expect(wrongType.error?.code).toBe('PROTOCOL_BAD_PAYLOAD');
    expect(wrongType.error?.message).toMatch(/user/);
    const extra = await cl.request('ping', { surprise: true });
    expect(extra.error?.code).toBe('PROTOCOL_BAD_PAYLOAD');
    cl.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await cl.next((f) => f.ok === false && f.re === null)).toMatchObject({
      error: { code: 'PROTOCOL_BAD_FRAME' },
    });
    // A binary frame is refused, but its id is readable: the refusal names it.
    cl.ws.send(Buffer.from(JSON.stringify({ id: 'b1', type: 'ping' })), { binary: true });
    expect(await cl.next((f) => f.re === 'b1')).toMatchObject({
      ok: false,
      error: { code: 'PROTOCOL_BAD_FRAME' },
    });
    const notSigned = await cl.request('contacts.list', {});
    expect(notSigned.error?.code).toBe('NOT_SIGNED_IN');
    expect(await cl.ok('ping')).toHaveProperty('now');
    expect(cl.closed).toBeUndefined();
    await cl.close();
  });

  it('closes the connection with 1009 on an oversized frame, and the server keeps serving', async () => {
    const cl = await open();
    const closed = new Promise<number>((r) => cl.ws.once('close', (code) => r(code)));
    cl.sendRaw(
      JSON.stringify({ id: 1, type: 'ping', payload: { pad: 'x'.repeat(Limits.maxFrameBytes + 10) } }),
    );
    expect(await closed).toBe(1009);
    const other = await open();
    expect(await other.ok('ping')).toHaveProperty('now');
    await other.close();
  });

  it('rate-limits a flood with RATE_LIMITED, then closes it with the flood code', async () => {
    const cl = await open();
    let stillOpen = true;
    const closed = new Promise<number>((r) =>
      cl.ws.once('close', (code) => {
        stillOpen = false;
        r(code);
      }),
    );
    // Far above the rate, for as long as it takes: on a starved machine the server may read the frames
    // slowly enough for its bucket to refill, so a fixed count would not always be a flood.
    for (let i = 0; stillOpen && i < 20_000; i++) {
      cl.sendRaw(JSON.stringify({ id: i, type: 'ping' }));
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 5));
    }
    expect(await closed).toBe(CloseCode.Flood);
    const limited = cl.frames.filter((f) => f.error?.code === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]?.error?.retryable).toBe(true);
    // Every refusal names the request it refuses, so that a client can tell the caller that sent it.
    expect(limited.filter((f) => typeof f.re !== 'number')).toEqual([]);
    expect(new Set(limited.map((f) => f.re)).size).toBe(limited.length);
    const other = await open();
    expect(await other.ok('ping')).toHaveProperty('now');
    await other.close();
  });
});

describe('content that is not base64', () => {
  it('is refused with PROTOCOL_BAD_PAYLOAD naming base64, and nothing is stored', async () => {
    const cl = await open();
    await cl.ok('signin', { user: 'sip:alice@litwareinc.com', password: 'Test-Password-1' });
    const { confId } = (await cl.ok('conf.create', { subject: 'uploads' })) as { confId: string };
    for (const data of ['not base64 at all!', 'QWdlbmRh=', 'QWdl bmRh', 'QWd']) {
      const refused = await cl.request('content.upload', { confId, name: 'x.txt', kind: 'file', data });
      expect(refused.error?.code).toBe('PROTOCOL_BAD_PAYLOAD');
      expect(refused.error?.message).toMatch(/base64/);
    }
    expect(await cl.ok('content.list', { confId })).toMatchObject({ items: [] });
    const item = await cl.ok('content.upload', { confId, name: 'a.txt', kind: 'file', data: 'QWdlbmRh' });
    expect(item).toMatchObject({ size: 6 });
    await cl.close();
  });
});

describe('inputs found by fuzzing (test/fuzz)', () => {
  it('echoes every id the envelope accepts, counted in code points as the envelope counts (the soak found it)', async () => {
    const cl = await open();
    const id = '👩‍👩‍👧'.repeat(9); // 45 code points, 72 UTF-16 units
    const answered = cl.next((f) => f.error !== undefined);
    cl.sendRaw(JSON.stringify({ id, type: false }));
    const f = await answered;
    expect(f.re).toBe(id);
    expect(f.error?.code).toMatch(/^PROTOCOL_/);
    await cl.close();
  });

  it('takes the ids the page allows and refuses, with re null, the ones it does not', async () => {
    const cl = await open();
    cl.sendRaw(`{"id":${Number.MAX_SAFE_INTEGER},"type":"ping"}`);
    expect(await cl.next((f) => f.re === Number.MAX_SAFE_INTEGER)).toMatchObject({ ok: true });
    for (const raw of ['{"id":"","type":"ping"}', '{"id":9007199254740993,"type":"ping"}']) {
      const before = cl.frames.length;
      cl.sendRaw(raw);
      expect(await cl.next((f) => cl.frames.indexOf(f) >= before)).toMatchObject({
        re: null,
        ok: false,
        error: { code: 'PROTOCOL_BAD_FRAME' },
      });
    }
    await cl.close();
  });

  it('refuses an upgrade whose target is not a URL, and keeps running', async () => {
    const upgrade = [
      'GET //[ HTTP/1.1',
      'Host: x',
      'Connection: Upgrade',
      'Upgrade: websocket',
      'Sec-WebSocket-Version: 13',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      '',
      '',
    ].join('\r\n');
    const r = await rawHttp(c.fixture.atl.address, { ca: c.ca }, Buffer.from(upgrade));
    expect(r.failure).toBeUndefined();
    expect(r.status).not.toBe(101);
    const cl = await open();
    expect(await cl.ok('ping')).toHaveProperty('now');
    await cl.close();
  });

  it('closes a text frame that is not UTF-8 with the documented 1007', async () => {
    const cl = await open();
    const closed = new Promise<number>((r) => cl.ws.once('close', (code) => r(code)));
    cl.ws.send(Buffer.from([0x7b, 0xff, 0x7d]), { binary: false });
    expect(await closed).toBe(CloseCode.InvalidText);
  });
});
