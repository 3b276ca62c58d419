/**
 * @module Server-to-server request signatures: HMAC-SHA256 over method, path, time and body digest, with a
 * key derived from the deployment key. A request without a valid, fresh signature is refused.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const S2S_HEADER = 'x-tandem-s2s';
/** How far a request's clock may be from the receiver's. */
export const S2S_MAX_SKEW_MS = 60_000;

function payload(method: string, path: string, from: string, at: number, body: Buffer | string): string {
  const digest = createHash('sha256').update(body).digest('hex');
  return `${method.toUpperCase()}\n${path}\n${from}\n${at}\n${digest}`;
}

/** Header value `from;at;signature`. */
export function signS2s(
  key: Buffer,
  method: string,
  path: string,
  from: string,
  body: Buffer | string,
  at = Date.now(),
): string {
  const sig = createHmac('sha256', key)
    .update(payload(method, path, from, at, body))
    .digest('base64url');
  return `${from};${at};${sig}`;
}

export type S2sVerdict = { ok: true; from: string } | { ok: false; reason: string };

export function verifyS2s(
  key: Buffer,
  header: string | undefined,
  method: string,
  path: string,
  body: Buffer | string,
  now = Date.now(),
): S2sVerdict {
  if (!header) return { ok: false, reason: 'no signature header' };
  const [from, atText, sig] = header.split(';');
  const at = Number(atText);
  if (!from || !sig || !Number.isFinite(at)) return { ok: false, reason: 'malformed signature header' };
  if (Math.abs(now - at) > S2S_MAX_SKEW_MS)
    return { ok: false, reason: 'signature expired or clock skew too large' };
  const expected = createHmac('sha256', key)
    .update(payload(method, path, from, at, body))
    .digest();
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return { ok: false, reason: 'bad signature' };
  }
  return { ok: true, from };
}
