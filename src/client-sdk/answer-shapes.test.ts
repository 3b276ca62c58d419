import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { TandemClientError } from './client-errors.js';
import { ClientKit } from './client-test-kit.fixture.js';
import { TestServer } from './test-server.fixture.js';

const ALICE = 'sip:alice@litwareinc.com';
const servers: TestServer[] = [];
const kit = new ClientKit();

afterEach(async () => {
  await kit.closeAll();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('TandemClient answer and push shapes', () => {
  it('rejects an answer of another shape than its operation declares, and keeps the connection', async () => {
    const a = await TestServer.start({
      handlers: { 'contacts.list': () => ({ payload: { groups: 'Team', contacts: [] } }) },
    });
    servers.push(a);
    const client = kit.client([a.url]);
    await client.connect();
    const err = await client.listContacts().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TandemClientError);
    expect(err).toMatchObject({ code: 'BAD_SERVER_FRAME', retryable: true });
    expect((err as TandemClientError).message).toContain('contacts.list answer');
    expect(client.state()).toBe('signed-in');
  });

  it('reports a known push of another shape instead of emitting it under its name', async () => {
    const a = await TestServer.start();
    servers.push(a);
    const client = kit.client([a.url]);
    await client.connect();
    const named: unknown[] = [];
    client.on('im.message', (m) => named.push(m));
    const problem = once(client, 'protocol-error');
    a.push(ALICE, 'im.message', { sessionId: 'im-1', text: 42 });
    const [error] = (await problem) as [TandemClientError];
    expect(error.code).toBe('BAD_SERVER_FRAME');
    expect(error.message).toContain('im.message push');
    a.push(ALICE, 'im.message', { sessionId: 'im-1', from: 'sip:bob@litwareinc.com', text: 'hi', at: 1 });
    await once(client, 'im.message');
    expect(named).toHaveLength(1);
  });
});
