/**
 * @module The presence subscriptions the user asked for. The server forgets them with the endpoint, so the
 * client remembers them and subscribes again after every sign-in.
 */
import { Limits } from '../protocol/limits.js';
import type { PresenceState } from '../protocol/model.js';
import { toClientError, type TandemClientError } from './client-errors.js';
import { answerOf } from './server-frames.js';
import type { WsLink } from './ws-link.js';

export interface ResubscribeHandlers {
  /** Each current state the server answered. */
  readonly onState: (state: PresenceState) => void;
  readonly onError: (error: TandemClientError) => void;
}

export class PresenceSubscriptions {
  readonly #users = new Set<string>();

  get size(): number {
    return this.#users.size;
  }

  /** Remembers users; returns those that were not remembered already. */
  add(users: readonly string[]): string[] {
    const added = users.filter((u) => !this.#users.has(u));
    for (const user of added) this.#users.add(user);
    return added;
  }

  remove(users: readonly string[]): void {
    for (const user of users) this.#users.delete(user);
  }

  list(): string[] {
    return [...this.#users];
  }

  /** The remembered users in batches no larger than one presence.subscribe accepts. */
  batches(): string[][] {
    const all = this.list();
    const batches: string[][] = [];
    for (let i = 0; i < all.length; i += Limits.maxContacts)
      batches.push(all.slice(i, i + Limits.maxContacts));
    return batches;
  }

  /** Subscribes again, on a freshly signed-in link, to every remembered user. */
  resubscribe(link: WsLink, timeoutMs: number, handlers: ResubscribeHandlers): void {
    for (const users of this.batches()) {
      link
        .request('presence.subscribe', { users }, timeoutMs)
        .then((answer) => answerOf('presenceSubscribe', answer))
        .then(
          (answer) => {
            for (const state of answer.states) handlers.onState(state);
          },
          (err: unknown) => handlers.onError(toClientError(err)),
        );
    }
  }
}
