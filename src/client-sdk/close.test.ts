import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sdkTestBed, TEST_CA } from './client-test-kit.fixture.js';
import { TestServer, sleep, until } from './test-server.fixture.js';

const CLOSING_CLIENT = fileURLToPath(new URL('../../test/support/closing-client.mjs', import.meta.url));

const { kit, server } = sdkTestBed();

/** Runs a client alone in a child process; resolves with what it printed once the process exited by itself. */
async function closingClient(scenario: 'signed-in' | 'retrying', url: string): Promise<unknown> {
  const child = spawn(process.execPath, [CLOSING_CLIENT, scenario, url], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, CLOSING_CLIENT_CA: TEST_CA },
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code).toBe(0);
  return JSON.parse(out) as unknown;
}

describe('TandemClient close()', () => {
  // A closed client leaves no timer and no socket: its process exits by itself (the child's natural exit is the
  // check; counting timers in this process failed whenever a loaded machine kept the runner's own timers alive).
  it('signs out, closes, stops every timer, and nothing reconnects', async () => {
    const a = await server({ handlers: { 'contacts.list': () => 'silent' } });
    expect(await closingClient('signed-in', a.url)).toEqual({
      timersAfterClose: 0,
      states: ['signed-in', 'closed'],
      pending: 'CONNECTION_LOST',
      connectAfter: 'CLIENT_CLOSED',
      pingAfter: 'CLIENT_CLOSED',
    });
    expect(a.requestsOf('signout')).toHaveLength(1);
    await until(() => a.conns.size === 0);
    expect(a.connections).toBe(1);
  });

  it('stops a client that is waiting to reconnect', async () => {
    const dead = await TestServer.deadUrl();
    expect(await closingClient('retrying', dead)).toEqual({
      timersAfterClose: 0,
      connecting: 'CLIENT_CLOSED',
      state: 'closed',
    });
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
    const client = kit.client(['wss://127.0.0.1:1/v1/client']);
    await client.close();
    expect(client.state()).toBe('closed');
  });
});
