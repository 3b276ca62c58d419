/**
 * @module The client's typed events, and an emit that cannot throw: events are raised from socket
 * callbacks, where an exception thrown by an application listener would otherwise escape into `ws`.
 */
import { EventEmitter } from 'node:events';
import type { ClientMode } from '../protocol/model.js';
import type { TandemClientError } from './client-errors.js';
import type { ConnectionState } from './connection-state.js';
import type { PushPayloads, SignInResult } from './client-types.js';
import type { KnownPush } from '../protocol/pushes.js';

/** Listener arguments of every event, by event name. */
export type ClientEvents = { [P in keyof PushPayloads]: [payload: PushPayloads[P]] } & {
  /** Every push, including names this SDK does not know yet. */
  push: [name: string, payload: unknown];
  state: [state: ConnectionState, previous: ConnectionState];
  'signed-in': [result: SignInResult];
  /** A signed-in connection ended (close code and reason; 1006 when it was cut). */
  disconnected: [code: number, reason: string];
  mode: [mode: ClientMode, reason: string];
  /** A backoff wait starts before the next round of attempts (attempt counts from 1). */
  retrying: [delayMs: number, attempt: number, lastError: TandemClientError];
  /** The client gave up for good (terminal refusal, user disabled); the state is now `closed`. */
  failed: [error: TandemClientError];
  /** The server sent something unreadable. Not named `error`: EventEmitter throws that one unheard. */
  'protocol-error': [error: TandemClientError];
  /** Subscribing again to remembered presence after a sign-in failed. */
  'resubscribe-failed': [error: TandemClientError];
  /** An application listener threw; without a listener here it becomes a process warning. */
  'listener-error': [error: unknown, event: string];
};
export type ClientEventName = keyof ClientEvents;

export class ClientEmitter extends EventEmitter<ClientEvents> {
  /** Emits without ever throwing: a listener's exception is reported, not propagated. */
  protected emitSafely<E extends ClientEventName>(event: E, ...args: ClientEvents[E]): void {
    try {
      (this.emit as (event: string, ...rest: unknown[]) => boolean)(event, ...args);
    } catch (err) {
      this.#reportListenerError(err, event);
    }
  }

  /** Emits a checked push under its own name (the compiler cannot pair a union's name with its payload). */
  protected emitPush(push: KnownPush): void {
    this.emitSafely(push.name as 'push', ...([push.payload] as unknown as ClientEvents['push']));
  }

  #reportListenerError(err: unknown, event: string): void {
    try {
      if (event !== 'listener-error' && this.listenerCount('listener-error') > 0) {
        this.emit('listener-error', err, event);
        return;
      }
    } catch {
      // A throwing 'listener-error' listener falls through to the warning.
    }
    const detail = err instanceof Error ? err.message : String(err);
    process.emitWarning(`A TandemClient '${event}' listener threw: ${detail}`, 'TandemClientWarning');
  }
}
