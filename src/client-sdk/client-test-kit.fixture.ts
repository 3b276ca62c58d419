/**
 * @module Shared set-up of the SDK's integration tests: test servers and clients with fast timings, all closed
 * after each test, and a recorder that checks every state transition against the table.
 */
import { afterEach, expect } from 'vitest';
import { TandemClient } from './tandem-client.js';
import type { TandemClientOptions } from './client-options.js';
import { canTransition, type ConnectionState } from './connection-state.js';
import { PASSWORD, TestServer, type TestServerOptions } from './test-server.fixture.js';
import { testTls } from './test-tls.fixture.js';

/** The tests' CA, which every test server's certificate chains to: the clients trust it. */
export const TEST_CA = (await testTls()).ca;

export class ClientKit {
  readonly #clients: TandemClient[] = [];
  /** Transitions the table does not allow, from any client of this kit. */
  readonly badTransitions: string[] = [];

  client(urls: readonly string[], options: Partial<TandemClientOptions> = {}): TandemClient {
    const client = new TandemClient({
      urls,
      ca: TEST_CA,
      user: 'sip:alice@litwareinc.com',
      password: PASSWORD,
      requestTimeoutMs: 500,
      random: () => 0.5,
      ...options,
      reconnect: { initialDelayMs: 10, maxDelayMs: 80, ...options.reconnect },
    });
    client.on('state', (to, from) => {
      if (!canTransition(from, to)) this.badTransitions.push(`${from} → ${to}`);
    });
    this.#clients.push(client);
    return client;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.#clients.splice(0).map((c) => c.close()));
  }
}

/** Records the states a client goes through. */
export function recordStates(client: TandemClient): ConnectionState[] {
  const states: ConnectionState[] = [client.state()];
  client.on('state', (state) => states.push(state));
  return states;
}

export interface SdkTestBed {
  readonly kit: ClientKit;
  /** A test server on a free port. */
  readonly server: (options?: TestServerOptions) => Promise<TestServer>;
  /** A test server on a given port: one that comes back where an old one was. */
  readonly serverOn: (port: number, options?: TestServerOptions) => Promise<TestServer>;
}

/**
 * The set-up of a test file: after each test, every client and server it made is closed, and the test fails
 * if any client went through a transition the table does not allow.
 */
export function sdkTestBed(): SdkTestBed {
  const servers: TestServer[] = [];
  const kit = new ClientKit();
  afterEach(async () => {
    await kit.closeAll();
    await Promise.all(servers.splice(0).map((s) => s.close()));
    expect(kit.badTransitions).toEqual([]);
  });
  const kept = (s: TestServer) => (servers.push(s), s);
  return {
    kit,
    server: async (options = {}) => kept(await TestServer.start(options)),
    serverOn: async (port, options = {}) => kept(await TestServer.startOn(port, options)),
  };
}
