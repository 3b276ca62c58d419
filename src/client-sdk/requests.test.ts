import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { TandemClientError } from './client-errors.js';
import { sdkTestBed } from './client-test-kit.fixture.js';
import type { TandemClient } from './tandem-client.js';
import type { ClientEvents } from './client-emitter.js';
import { sleep } from './test-server.fixture.js';

const ALICE = 'sip:alice@litwareinc.com';
const BOB = 'sip:bob@litwareinc.com';
const { kit, server } = sdkTestBed();

describe('TandemClient requests', () => {
  it('refuses requests before sign-in with a retryable NOT_CONNECTED', async () => {
    const client = kit.client(['wss://127.0.0.1:1/v1/client']);
    const err = (await client.listContacts().catch((e: unknown) => e)) as TandemClientError;
    expect(err).toBeInstanceOf(TandemClientError);
    expect(err).toMatchObject({ code: 'NOT_CONNECTED', retryable: true });
  });

  it('sends typed operations and resolves with their answers', async () => {
    const a = await server({
      handlers: {
        'contacts.add': (r) => ({
          payload: { sip: r.payload.sip, group: r.payload.group, displayName: 'Bob' },
        }),
        'directory.search': (r) => ({
          payload: { total: 0, page: r.payload.page, pageSize: r.payload.pageSize, results: [] },
        }),
      },
    });
    const client = kit.client([a.url]);
    await client.connect();
    expect(await client.addContact(BOB, 'Team')).toEqual({ sip: BOB, group: 'Team', displayName: 'Bob' });
    expect((await client.searchDirectory('smith', 2, 10)).page).toBe(2);
    expect(typeof (await client.ping()).now).toBe('number');
    await client.publishPresence('Busy');
    await client.scheduleMeeting({
      subject: 'Review',
      start: '2026-12-01T15:00:00Z',
      end: '2026-12-01T16:00:00Z',
    });
    const sent = a.requests.slice(1).map((r) => [r.type, r.payload]);
    expect(sent).toEqual([
      ['contacts.add', { sip: BOB, group: 'Team' }],
      ['directory.search', { query: 'smith', page: 2, pageSize: 10 }],
      ['ping', {}],
      ['presence.publish', { availability: 'Busy' }],
      ['meeting.schedule', { subject: 'Review', start: '2026-12-01T15:00:00Z', end: '2026-12-01T16:00:00Z' }],
    ]);
  });

  it('rejects an error answer with its code, retryability and details', async () => {
    const a = await server({
      handlers: {
        'contacts.list': () => ({
          error: { code: 'RESILIENCY_MODE', message: 'not now', retryable: true, details: { pool: 'p' } },
        }),
        'contacts.remove': () => ({ error: { code: 'SOMETHING_NEW', message: 'future', retryable: false } }),
      },
    });
    const client = kit.client([a.url]);
    await client.connect();
    await expect(client.listContacts()).rejects.toMatchObject({
      code: 'RESILIENCY_MODE',
      message: 'not now',
      retryable: true,
      details: { pool: 'p' },
    });
    await expect(client.removeContact(BOB)).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'future',
      params: { serverCode: 'SOMETHING_NEW' },
    });
  });

  it('times a request out, and ignores its late answer', async () => {
    const a = await server({ handlers: { 'settings.get': () => 'silent' } });
    const client = kit.client([a.url], { requestTimeoutMs: 40 });
    await client.connect();
    await expect(client.getSettings()).rejects.toMatchObject({ code: 'TIMEOUT', retryable: true });
    const lateId = a.requestsOf('settings.get')[0]?.id;
    const errors: unknown[] = [];
    client.on('protocol-error', (e) => errors.push(e));
    a.sendRaw(ALICE, JSON.stringify({ re: lateId, ok: true, payload: {} }));
    // A ping answered after the late answer proves the client read it; a loaded machine may time a 40 ms ping
    // out too, so ping until one is answered.
    expect((await answeredPing(client)).now).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('rejects pending requests with CONNECTION_LOST when the connection drops', async () => {
    const a = await server({ handlers: { 'meeting.list': () => 'silent', 'content.list': () => 'silent' } });
    const client = kit.client([a.url], { reconnect: { enabled: false } });
    await client.connect();
    const pending = [client.listMeetings(), client.listContent('alice@litwareinc.com/m-1')];
    const disconnected = once(client, 'disconnected');
    await sleep(10);
    a.terminateAll();
    for (const p of pending)
      await expect(p).rejects.toMatchObject({ code: 'CONNECTION_LOST', retryable: true });
    expect((await disconnected)[0]).toBe(1006);
    expect(client.state()).toBe('idle');
    await expect(client.getSettings()).rejects.toMatchObject({ code: 'NOT_CONNECTED' });
  });

  it('emits typed pushes, the generic push event, and mode changes', async () => {
    const a = await server();
    const client = kit.client([a.url]);
    await client.connect();
    const seen: unknown[] = [];
    client.on('presence.changed', (p) => seen.push(['presence', p.sip, p.availability]));
    client.on('im.message', (m) => seen.push(['im', m.sessionId, m.text]));
    client.on('push', (name) => seen.push(['push', name]));
    client.on('mode', (mode, reason) => seen.push(['mode', mode, reason]));
    a.push(ALICE, 'presence.changed', { sip: BOB, availability: 'Away', note: '', at: 5 });
    a.push(ALICE, 'im.message', { sessionId: 'im-1', from: BOB, text: 'hi', at: 6 });
    a.push(ALICE, 'future.push', { x: 1 });
    a.push(ALICE, 'mode.changed', { mode: 'resiliency', reason: 'home-pool-unreachable' });
    const modeEvent = once(client, 'mode');
    await modeEvent;
    expect(seen).toEqual([
      ['presence', BOB, 'Away'],
      ['push', 'presence.changed'],
      ['im', 'im-1', 'hi'],
      ['push', 'im.message'],
      ['push', 'future.push'],
      ['push', 'mode.changed'],
      ['mode', 'resiliency', 'home-pool-unreachable'],
    ]);
    expect(client.mode()).toBe('resiliency');
  });

  it('delivers pushes that arrive right behind the signin answer, after signed-in', async () => {
    const a = await server({
      signIn: (r, s) => {
        const conn = [...s.conns].at(-1)!;
        const push = { push: 'mode.changed', payload: { mode: 'resiliency', reason: 'home-pool-lost' } };
        // Sent in the same tick as the answer, so both usually reach the client in one TCP read.
        queueMicrotask(() => conn.socket.send(JSON.stringify(push)));
        return { payload: s.signInPayload(r.payload.user as string) };
      },
    });
    const client = kit.client([a.url]);
    const order: string[] = [];
    client.on('signed-in', () => order.push('signed-in'));
    client.on('mode', (mode) => order.push(mode));
    const modeChanged = once(client, 'mode');
    await client.connect();
    await modeChanged;
    expect(order).toEqual(['signed-in', 'resiliency']);
    expect(client.mode()).toBe('resiliency');
  });

  it('reports malformed frames and throwing listeners without breaking the connection', async () => {
    const a = await server();
    const client = kit.client([a.url]);
    await client.connect();
    const problems: string[] = [];
    client.on('protocol-error', (e) => problems.push(e.code));
    client.on('listener-error', (_e, event) => problems.push(`listener:${event}`));
    client.on('im.typing', () => {
      throw new Error('application bug');
    });
    a.sendRaw(ALICE, 'not json');
    a.sendRaw(ALICE, JSON.stringify({ re: 1, ok: 'yes' }));
    a.sendRaw(
      ALICE,
      JSON.stringify({ re: null, ok: false, error: { code: 'PROTOCOL_BAD_FRAME', message: 'x' } }),
    );
    a.push(ALICE, 'im.typing', { sessionId: 'im-1', from: BOB });
    expect((await client.ping()).now).toBeGreaterThan(0);
    expect(problems).toEqual([
      'BAD_SERVER_FRAME',
      'BAD_SERVER_FRAME',
      'PROTOCOL_BAD_FRAME',
      'listener:im.typing',
    ]);
    expect(client.state()).toBe('signed-in');
  });

  it('types listeners from the event map', () => {
    // Compile-time only: a wrong payload type in a listener would fail `tsc`.
    const listener: (...args: ClientEvents['conf.roster']) => void = (p) => void p.roster[0]?.role;
    expect(typeof listener).toBe('function');
  });
});

async function answeredPing(client: TandemClient): Promise<{ now: number }> {
  for (;;) {
    try {
      return await client.ping();
    } catch (e) {
      if (!(e instanceof TandemClientError) || e.code !== 'TIMEOUT') throw e;
    }
  }
}
