/**
 * @module Random bytes from a pooled buffer of cryptographically strong bytes, for identifiers (endpoint, IM
 * session, conference content) and WebSocket keys and masks: `randomBytes(n)` per call costs ~6 µs (a job
 * per call), which shows when thousands of users sign in per second; refilling 4 KiB at a time costs a
 * fraction of that per call. Bytes handed out are wiped from the pool, so none is ever handed out twice.
 */
import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4_096;
const MAX_TAKE = 256;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

/** Where the next `bytes` fresh bytes start in the pool (refilled when too few are left). */
function take(bytes: number): number {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > MAX_TAKE)
    throw new RangeError(`random pool: cannot take ${bytes} bytes (1 to ${MAX_TAKE})`);
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const start = offset;
  offset += bytes;
  return start;
}

/** `bytes` random bytes (1..256) as lowercase hex: 2 × bytes characters. */
export function randomHex(bytes: number): string {
  const start = take(bytes);
  const hex = pool.toString('hex', start, start + bytes);
  pool.fill(0, start, start + bytes);
  return hex;
}

/** Copies `bytes` random bytes (1..256) into `target` at `at`. */
export function fillRandom(target: Buffer, at: number, bytes: number): void {
  const start = take(bytes);
  pool.copy(target, at, start, start + bytes);
  pool.fill(0, start, start + bytes);
}
