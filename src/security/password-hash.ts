/**
 * @module Password hashes with node:crypto scrypt, salted per user. The cost travels inside the hash, so a
 * deployment can raise it without invalidating existing passwords. A hash that enters from outside (a CSV
 * import) is checked by `passwordHashProblem` first: a cost beyond the bounds would make every sign-in of
 * that user fail (or hold a hash thread for minutes).
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const R = 8;
const P = 1;
const KEY_LEN = 32;
const SALT_LEN = 16;
/** Bounds of the scrypt cost N, for the topology's `security.passwordHashCost` and for imported hashes. */
export const MIN_HASH_COST = 1024;
export const MAX_HASH_COST = 1_048_576;

function scryptAsync(password: string, salt: Buffer, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LEN, { N: n, r: R, p: P, maxmem: 256 * n * R + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash`, base64url fields. */
export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(SALT_LEN);
  const key = await scryptAsync(password, salt, cost);
  return `scrypt$${cost}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

interface ParsedHash {
  readonly n: number;
  readonly salt: Buffer;
  readonly key: Buffer;
}

function parse(stored: string): ParsedHash | string {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return 'it is not of the form scrypt$N$r$p$salt$hash';
  const n = Number(parts[1]);
  if (!Number.isInteger(n) || n < MIN_HASH_COST || n > MAX_HASH_COST || (n & (n - 1)) !== 0)
    return `its cost N=${parts[1] ?? ''} is not a power of two between ${MIN_HASH_COST} and ${MAX_HASH_COST}`;
  if (parts[2] !== String(R) || parts[3] !== String(P))
    return `its parameters r=${parts[2] ?? ''}, p=${parts[3] ?? ''} are not r=${R}, p=${P}`;
  const b64 = /^[A-Za-z0-9_-]+$/;
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const key = Buffer.from(parts[5] ?? '', 'base64url');
  if (!b64.test(parts[4] ?? '') || salt.length < 8) return 'its salt is not base64url of at least 8 bytes';
  if (!b64.test(parts[5] ?? '') || key.length !== KEY_LEN)
    return `its hash is not base64url of ${KEY_LEN} bytes`;
  return { n, salt, key };
}

/** Why a stored hash cannot be used, or undefined when it can. */
export function passwordHashProblem(stored: string): string | undefined {
  const parsed = parse(stored);
  return typeof parsed === 'string' ? parsed : undefined;
}

/** False for a wrong password and for a hash that cannot be used (no scrypt runs for those). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parse(stored);
  if (typeof parsed === 'string') return false;
  const key = await scryptAsync(password, parsed.salt, parsed.n);
  return timingSafeEqual(key, parsed.key);
}

/** A hash that no password matches, with the same cost, used so that unknown users take as long as known. */
export async function dummyHash(cost: number): Promise<string> {
  return hashPassword(randomBytes(12).toString('hex'), cost);
}
