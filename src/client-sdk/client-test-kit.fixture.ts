/**
 * @module Shared set-up of the SDK's integration tests: clients with fast timings that are closed after
 * each test, and a recorder that checks every state transition against the table.
 */
import { TandemClient } from './tandem-client.js';
import type { TandemClientOptions } from './client-options.js';
import { canTransition, type ConnectionState } from './connection-state.js';
import { PASSWORD } from './test-server.fixture.js';

export class ClientKit {
  readonly #clients: TandemClient[] = [];
  /** Transitions the table does not allow, from any client of this kit. */
  readonly badTransitions: string[] = [];

  client(urls: readonly string[], options: Partial<TandemClientOptions> = {}): TandemClient {
    const client = new TandemClient({
      urls,
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
