import { afterEach, describe, expect, it } from 'vitest';
import { ClientKit, recordStates } from './client-test-kit.fixture.js';
import { TestServer, sleep, until } from './test-server.fixture.js';

const servers: TestServer[] = [];
const kit = new ClientKit();

async function server(options: Parameters<typeof TestServer.start>[0] = {}): Promise<TestServer> {
  const s = await TestServer.start(options);
  servers.push(s);
  return s;
}

afterEach(async () => {
  await kit.closeAll();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  expect(kit.badTransitions).toEqual([]);
});

/** Timers alive in this process: none of a closed client may remain among them. */
function timerCount(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

describe('TandemClient close()', { timeout: 5_000 }, () => {
  it('signs out, closes, stops every timer, and nothing reconnects', async () => {
    const a = await server({ handlers: { 'contacts.list': () => 'silent' } });
    const baseline = timerCount();
    // Pings every 20 ms; a long request timeout, so that a stall of this loaded process (expired timers run
    // before the answers waiting in the socket are read) cannot time a ping out and cut the link.
    const client = kit.client([a.url], { keepaliveIntervalMs: 20, requestTimeoutMs: 5_000 });
    await client.connect();
    await until(() => a.requestsOf('ping').length >= 1);
    const pending = client.listContacts();
    expect(timerCount()).toBeGreaterThan(baseline);
    const states = recordStates(client);

    await client.close();

    expect(states).toEqual(['signed-in', 'closed']);
    expect(a.requestsOf('signout')).toHaveLength(1);
    await expect(pending).rejects.toMatchObject({ code: 'CONNECTION_LOST' });
    await expect(client.connect()).rejects.toMatchObject({ code: 'CLIENT_CLOSED', retryable: false });
    await expect(client.ping()).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    await until(() => a.conns.size === 0);
    await sleep(60);
    expect(a.connections).toBe(1);
    expect(a.requestsOf('ping').length).toBeLessThanOrEqual(2);
    expect(timerCount()).toBeLessThanOrEqual(baseline);
    await client.close();
  });

  it('stops a client that is waiting to reconnect', async () => {
    const dead = await TestServer.deadUrl();
    const baseline = timerCount();
    const client = kit.client([dead], { reconnect: { initialDelayMs: 30, maxDelayMs: 30 } });
    const connecting = client.connect();
    connecting.catch(() => undefined);
    let attempts = 0;
    client.on('retrying', () => attempts++);
    await until(() => attempts >= 1);
    await client.close();
    await expect(connecting).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    const after = attempts;
    await sleep(80);
    expect(attempts).toBe(after);
    expect(client.state()).toBe('closed');
    expect(timerCount()).toBeLessThanOrEqual(baseline);
  });

  it('aborts a sign-in under way', async () => {
    const a = await server({ signIn: () => 'silent' });
    const client = kit.client([a.url]);
    const connecting = client.connect();
    await until(() => a.requestsOf('signin').length === 1);
    await client.close();
    await expect(connecting).rejects.toMatchObject({ code: 'CLIENT_CLOSED' });
    await sleep(40);
    expect(a.connections).toBe(1);
  });

  it('closes an idle client at once', async () => {
    const client = kit.client(['ws://127.0.0.1:1/v1/client']);
    await client.close();
    expect(client.state()).toBe('closed');
  });
});
