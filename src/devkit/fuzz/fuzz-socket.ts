/**
 * @module A client WebSocket for the fuzzer: one frame in flight at a time, so the next frame that is not a
 * push is its answer. Unlike RawClient it never trusts the server's frames to be JSON.
 */
import WebSocket from 'ws';
import { CLIENT_PATH } from '../../protocol/limits.js';
import { ioDeadline } from '../patience.js';

export type Exchange =
  | { readonly kind: 'answer'; readonly frame: Record<string, unknown> }
  | { readonly kind: 'not-json'; readonly text: string }
  | { readonly kind: 'close'; readonly code: number; readonly reason: string }
  | { readonly kind: 'timeout' };

export class FuzzSocket {
  private waiter: ((e: Exchange) => void) | undefined;
  closed: { code: number; reason: string } | undefined;
  pushes = 0;
  /** Answers that came when no frame was waiting for one: a request answered twice. */
  unsolicited = 0;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data: Buffer) => {
      const text = data.toString('utf8');
      let frame: unknown;
      try {
        frame = JSON.parse(text);
      } catch {
        return this.settle({ kind: 'not-json', text });
      }
      if (typeof frame === 'object' && frame !== null && 'push' in frame) {
        this.pushes += 1;
        return;
      }
      this.settle(
        typeof frame === 'object' && frame !== null && !Array.isArray(frame)
          ? { kind: 'answer', frame: frame as Record<string, unknown> }
          : { kind: 'not-json', text },
      );
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.settle({ kind: 'close', code, reason: reason.toString() });
    });
    // An 'error' is always followed by 'close'; without a listener it would be thrown.
    ws.on('error', () => undefined);
  }

  /** `ca`: the deployment CA the server's certificate must chain to (PEM). */
  static open(address: string, ca: string, timeoutMs = 5_000): Promise<FuzzSocket> {
    const ws = new WebSocket(`wss://${address}${CLIENT_PATH}`, { perMessageDeflate: false, ca });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        ws.terminate();
        reject(new Error(`no WebSocket to ${address} within ${timeoutMs} ms`));
      }, timeoutMs);
      ws.once('open', () => {
        clearTimeout(timer);
        resolve(new FuzzSocket(ws));
      });
      ws.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  /** Sends one frame and resolves with its answer, the connection's close, or a timeout. */
  exchange(data: string | Buffer, binary: boolean, timeoutMs: number): Promise<Exchange> {
    if (this.closed) return Promise.resolve({ kind: 'close', ...this.closed });
    return new Promise((resolve) => {
      const deadline = ioDeadline(timeoutMs, () => this.settle({ kind: 'timeout' }));
      this.waiter = (e) => {
        deadline.cancel();
        resolve(e);
      };
      this.ws.send(data, { binary }, (err) => {
        // A send that fails means the connection is going; its 'close' settles the exchange.
        if (err) this.ws.terminate();
      });
    });
  }

  private settle(e: Exchange): void {
    const w = this.waiter;
    this.waiter = undefined;
    if (w) w(e);
    else if (e.kind === 'answer' || e.kind === 'not-json') this.unsolicited += 1;
  }

  close(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, 2_000);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.close();
    });
  }
}
