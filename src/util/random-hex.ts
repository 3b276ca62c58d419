/**
 * @module Random identifiers (endpoint, IM session, conference content) from a pooled buffer of
 * cryptographically strong bytes: `randomBytes(6)` per id costs ~6 µs (a job per call), which shows when
 * thousands of users sign in per second; refilling 4 KiB at a time costs a fraction of that per id.
 */
import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4_096;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

/** `bytes` random bytes as lowercase hex (2 × bytes characters); bytes must be 1..256. */
export function randomHex(bytes: number): string {
  if (!Number.isInteger(bytes) || bytes < 1 || bytes > 256)
    throw new RangeError(`randomHex: bad size ${bytes}`);
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const hex = pool.toString('hex', offset, offset + bytes);
  // Never hand out the same bytes twice.
  pool.fill(0, offset, offset + bytes);
  offset += bytes;
  return hex;
}
