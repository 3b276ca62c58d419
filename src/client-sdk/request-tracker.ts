/**
 * @module The requests of one connection that await their answer: ids, per-request timeouts, and rejecting
 * them all when the connection drops, so that no caller waits forever on a socket that is gone.
 */
import { TandemClientError } from './client-errors.js';

interface Pending {
  readonly type: string;
  readonly resolve: (payload: unknown) => void;
  readonly reject: (error: TandemClientError) => void;
  readonly timer: NodeJS.Timeout;
}

export class RequestTracker {
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();

  get size(): number {
    return this.#pending.size;
  }

  /** Registers a request; it rejects with TIMEOUT unless answered within timeoutMs. */
  start(type: string, timeoutMs: number): { id: number; answer: Promise<unknown> } {
    const id = this.#nextId++;
    const answer = new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        const seconds = Math.round(timeoutMs / 100) / 10;
        reject(TandemClientError.of('TIMEOUT', { what: `The ${type} request`, seconds }));
      }, timeoutMs);
      this.#pending.set(id, { type, resolve, reject, timer });
    });
    return { id, answer };
  }

  /** Settles a request by id; false when nothing waits for it (a late answer after its timeout). */
  resolve(id: unknown, payload: unknown): boolean {
    const pending = this.#take(id);
    pending?.resolve(payload);
    return pending !== undefined;
  }

  reject(id: unknown, error: TandemClientError): boolean {
    const pending = this.#take(id);
    pending?.reject(error);
    return pending !== undefined;
  }

  /** Rejects every pending request, each with the error made for its type. */
  rejectAll(errorFor: (type: string) => TandemClientError): void {
    const all = [...this.#pending.values()];
    this.#pending.clear();
    for (const pending of all) {
      clearTimeout(pending.timer);
      pending.reject(errorFor(pending.type));
    }
  }

  #take(id: unknown): Pending | undefined {
    if (typeof id !== 'number') return undefined;
    const pending = this.#pending.get(id);
    if (pending === undefined) return undefined;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    return pending;
  }
}
