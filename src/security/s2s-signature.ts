/**
 * @module Server-to-server request signatures: HMAC-SHA256 over method, path, sender, time, a one-time nonce
 * and the body digest, with a key derived from the deployment key. A receiver checks the header alone first
 * (form, time window, sender, nonce not seen) so that it refuses before reading a body, then hashes the body
 * as it streams in and verifies the signature.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual, type Hash } from 'node:crypto';

export const S2S_HEADER = 'x-tandem-s2s';
/** How far a request's clock may be from the receiver's. */
export const S2S_MAX_SKEW_MS = 60_000;

/**
 * A nonce is `<sender instance>.<sequence>`: the instance is random per process, the sequence counts up, so
 * a receiver keeps a small window per instance instead of every nonce it saw (replay-guard.ts).
 */
const INSTANCE = randomBytes(8).toString('hex');
let sequence = 0;

export function nextNonce(): string {
  sequence += 1;
  return `${INSTANCE}.${sequence}`;
}

const NONCE = /^([0-9a-f]{8,32})\.(\d{1,15})$/;

function payload(
  method: string,
  path: string,
  from: string,
  at: number,
  nonce: string,
  digest: string,
): string {
  return `${method.toUpperCase()}\n${path}\n${from}\n${at}\n${nonce}\n${digest}`;
}

function sha256(body: Buffer | string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** Header value `from;at;nonce;signature`. */
export function signS2s(
  key: Buffer,
  method: string,
  path: string,
  from: string,
  body: Buffer | string,
  at = Date.now(),
  nonce = nextNonce(),
): string {
  const sig = createHmac('sha256', key)
    .update(payload(method, path, from, at, nonce, sha256(body)))
    .digest('base64url');
  return `${from};${at};${nonce};${sig}`;
}

/** What the header says, read and checked without the body. */
export interface S2sHeader {
  readonly from: string;
  readonly at: number;
  readonly nonce: string;
  /** The sender's process instance and the request's sequence number in it. */
  readonly instance: string;
  readonly seq: number;
  readonly sig: Buffer;
}

export type HeaderVerdict = { ok: true; header: S2sHeader } | { ok: false; reason: string };

/** Form and time window: everything a receiver can check before the body arrives (sender and replay aside). */
export function readS2sHeader(header: string | undefined, now = Date.now()): HeaderVerdict {
  if (!header) return { ok: false, reason: 'no signature header' };
  if (header.length > 512) return { ok: false, reason: 'malformed signature header' };
  const [from, atText, nonce, sig, ...rest] = header.split(';');
  const at = Number(atText);
  const n = NONCE.exec(nonce ?? '');
  if (!from || !sig || rest.length > 0 || !Number.isFinite(at) || !n)
    return { ok: false, reason: 'malformed signature header' };
  if (Math.abs(now - at) > S2S_MAX_SKEW_MS)
    return { ok: false, reason: 'signature expired or clock skew too large' };
  return {
    ok: true,
    header: {
      from,
      at,
      nonce: nonce as string,
      instance: n[1] as string,
      seq: Number(n[2]),
      sig: Buffer.from(sig, 'base64url'),
    },
  };
}

/** Incremental body digest: fed as the body streams in, so no check needs the whole body at once. */
export function bodyHasher(): Hash {
  return createHash('sha256');
}

/** Whether the header's signature covers this method, path and body digest (hex). */
export function signatureMatches(
  key: Buffer,
  h: S2sHeader,
  method: string,
  path: string,
  bodyDigestHex: string,
): boolean {
  const expected = createHmac('sha256', key)
    .update(payload(method, path, h.from, h.at, h.nonce, bodyDigestHex))
    .digest();
  return h.sig.length === expected.length && timingSafeEqual(h.sig, expected);
}

export type S2sVerdict = { ok: true; from: string } | { ok: false; reason: string };

/** Header and signature of a request whose whole body is at hand (fuzzers, tests); no replay check. */
export function verifyS2s(
  key: Buffer,
  header: string | undefined,
  method: string,
  path: string,
  body: Buffer | string,
  now = Date.now(),
): S2sVerdict {
  const read = readS2sHeader(header, now);
  if (!read.ok) return read;
  if (!signatureMatches(key, read.header, method, path, sha256(body)))
    return { ok: false, reason: 'bad signature' };
  return { ok: true, from: read.header.from };
}
