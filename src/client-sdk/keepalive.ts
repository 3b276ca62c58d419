/**
 * @module The keepalive of a signed-in link: a `ping` every interval keeps the server from expiring the
 * endpoint, and an unanswered ping is how the client notices a half-open connection (the peer vanished
 * without a FIN), which it then cuts so that reconnection starts.
 */
import type { TandemClientError } from './client-errors.js';
import type { WsLink } from './ws-link.js';

export class Keepalive {
  readonly #intervalMs: number;
  readonly #timeoutMs: number;
  #link: WsLink | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(intervalMs: number, timeoutMs: number) {
    this.#intervalMs = intervalMs;
    this.#timeoutMs = timeoutMs;
  }

  start(link: WsLink): void {
    this.stop();
    this.#link = link;
    this.#schedule(link);
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#link = undefined;
  }

  #schedule(link: WsLink): void {
    this.#timer = setTimeout(() => this.#beat(link), this.#intervalMs);
    // The open socket keeps the process alive; this timer alone must not.
    this.#timer.unref();
  }

  #beat(link: WsLink): void {
    this.#timer = undefined;
    if (this.#link !== link) return;
    link.request('ping', {}, this.#timeoutMs).then(
      () => {
        if (this.#link === link) this.#schedule(link);
      },
      (err: TandemClientError) => {
        if (this.#link !== link) return;
        if (err.code === 'TIMEOUT') link.terminate();
        else if (link.isOpen) this.#schedule(link);
      },
    );
  }
}
