import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TandemClient } from './tandem-client.js';
import { PASSWORD, TestServer, until } from './test-server.fixture.js';
import { TEST_CA } from './client-test-kit.fixture.js';

const COUNT = 200;
const users = Array.from({ length: COUNT }, (_, i) => `sip:user${i}@litwareinc.com`);
let server: TestServer;
let clients: TandemClient[];

beforeAll(async () => {
  server = await TestServer.start({
    handlers: {
      // Echoes who asked, so that a crossed answer would show.
      'settings.get': (_r, conn) => ({ payload: { settings: { owner: conn.user ?? '' } } }),
    },
  });
  clients = users.map(
    (user) =>
      new TandemClient({
        urls: [server.url],
        ca: TEST_CA,
        user,
        password: PASSWORD,
        reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
      }),
  );
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
});

describe(`${COUNT} clients in one process`, () => {
  it('sign in, get their own answers and their own pushes', async () => {
    const results = await Promise.all(clients.map((c) => c.connect()));
    expect(new Set(results.map((r) => r.endpointId)).size).toBe(COUNT);
    expect(results.map((r) => r.sip)).toEqual(users);

    const answers = await Promise.all(clients.map((c) => c.getSettings()));
    expect(answers.map((a) => a.settings.owner)).toEqual(users);

    const received = clients.map(() => [] as string[]);
    clients.forEach((c, i) => c.on('im.message', (m) => received[i]?.push(m.text)));
    users.forEach((user) =>
      server.push(user, 'im.message', { sessionId: 's', from: 'x', text: user, at: 1 }),
    );
    await until(() => received.every((r) => r.length === 1));
    expect(received.map((r) => r[0])).toEqual(users);
  });

  it('reconnect on their own when every connection drops at once', async () => {
    const signedIn = clients.map((c) => new Promise((resolve) => c.once('signed-in', resolve)));
    server.terminateAll();
    await Promise.all(signedIn);
    expect(clients.every((c) => c.state() === 'signed-in')).toBe(true);
    expect(server.requestsOf('signin')).toHaveLength(2 * COUNT);
    const tokens = server.requestsOf('signin').slice(COUNT);
    expect(tokens.every((r) => r.payload.token === `token-${r.payload.user as string}`)).toBe(true);
  });
});
