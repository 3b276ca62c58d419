/**
 * @module Refuses a server-to-server request seen before. Each signed header carries `<instance>.<sequence>`
 * (s2s-signature.ts): per sender instance the guard keeps the highest sequence and a window of the ones
 * below it, like IPsec's anti-replay window, so memory stays small at any request rate. A sequence older
 * than the window is refused too: a sender has at most its connection pool's worth of requests in flight.
 * An instance silent for longer than the signature's time window is forgotten: its requests are stale anyway.
 */

/** Sequences below a sender instance's highest that are still told apart (bits of the window). */
export const REPLAY_WINDOW = 4_096;
/** Sender instances remembered at once; the oldest-seen is forgotten first. Only signed requests add one. */
export const MAX_SENDER_INSTANCES = 4_096;

interface Window {
  max: number;
  /** A ring: bit `seq % REPLAY_WINDOW` set means `seq` (within the window below `max`) was seen. */
  readonly bits: Uint8Array;
  lastAt: number;
}

export type ReplayVerdict = 'fresh' | 'replayed' | 'too-old';

export class ReplayGuard {
  private readonly windows = new Map<string, Window>();

  constructor(private readonly forgetAfterMs: number) {}

  /** Whether `seq` of this instance could still be accepted; records nothing (for the header check). */
  peek(from: string, instance: string, seq: number): ReplayVerdict {
    const w = this.windows.get(`${from}|${instance}`);
    if (!w || seq > w.max) return 'fresh';
    if (w.max - seq >= REPLAY_WINDOW) return 'too-old';
    return bit(w.bits, seq % REPLAY_WINDOW) ? 'replayed' : 'fresh';
  }

  /** Records `seq` when fresh; call only after the signature is verified, so that forgers add nothing. */
  accept(from: string, instance: string, seq: number, now = Date.now()): ReplayVerdict {
    const verdict = this.peek(from, instance, seq);
    if (verdict !== 'fresh') return verdict;
    const id = `${from}|${instance}`;
    let w = this.windows.get(id);
    if (!w) {
      this.prune(now);
      w = { max: seq, bits: new Uint8Array(REPLAY_WINDOW / 8), lastAt: now };
      this.windows.set(id, w);
    } else if (seq > w.max) {
      // The slots between the old and the new highest now stand for sequences not seen yet.
      for (let s = w.max + 1; s < seq && s <= w.max + REPLAY_WINDOW; s++) clearBit(w.bits, s % REPLAY_WINDOW);
      w.max = seq;
    }
    setBit(w.bits, seq % REPLAY_WINDOW);
    w.lastAt = now;
    // Map order is insertion order: re-insert so that the oldest-seen instance is first to go.
    this.windows.delete(id);
    this.windows.set(id, w);
    return 'fresh';
  }

  size(): number {
    return this.windows.size;
  }

  private prune(now: number): void {
    for (const [id, w] of this.windows) {
      if (now - w.lastAt <= this.forgetAfterMs && this.windows.size < MAX_SENDER_INSTANCES) break;
      this.windows.delete(id);
    }
  }
}

function bit(bits: Uint8Array, k: number): boolean {
  return ((bits[k >> 3] ?? 0) & (1 << (k & 7))) !== 0;
}

function setBit(bits: Uint8Array, k: number): void {
  bits[k >> 3] = (bits[k >> 3] ?? 0) | (1 << (k & 7));
}

function clearBit(bits: Uint8Array, k: number): void {
  bits[k >> 3] = (bits[k >> 3] ?? 0) & ~(1 << (k & 7));
}
