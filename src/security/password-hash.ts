/**
 * @module Password hashes with node:crypto scrypt, salted per user. The cost travels inside the hash, so a
 * deployment can raise it without invalidating existing passwords.
 */
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const R = 8;
const P = 1;
const KEY_LEN = 32;

function scryptAsync(password: string, salt: Buffer, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, KEY_LEN, { N: n, r: R, p: P, maxmem: 256 * n * R + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** `scrypt$N$r$p$salt$hash`, base64url fields. */
export async function hashPassword(password: string, cost: number): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, cost);
  return `scrypt$${cost}$${R}$${P}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const n = Number(parts[1]);
  if (
    !Number.isInteger(n) ||
    n < 2 ||
    (n & (n - 1)) !== 0 ||
    Number(parts[2]) !== R ||
    Number(parts[3]) !== P
  ) {
    return false;
  }
  const salt = Buffer.from(parts[4] ?? '', 'base64url');
  const expected = Buffer.from(parts[5] ?? '', 'base64url');
  const key = await scryptAsync(password, salt, n);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash that no password matches, with the same cost, used so that unknown users take as long as known. */
export async function dummyHash(cost: number): Promise<string> {
  return hashPassword(randomBytes(12).toString('hex'), cost);
}
