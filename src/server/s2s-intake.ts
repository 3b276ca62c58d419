/**
 * @module Reads a server-to-server request without trusting it: the signature header is checked before a
 * byte of the body is read (form, time window, nonce not seen), the body is refused past its route's cap,
 * hashed as it streams in, and the signature verified before anything parses it. Four unsigned 120 MiB
 * requests once took a server to 611 MB because the body was buffered first.
 */
import type http from 'node:http';
import { TandemError } from '../errors/index.js';
import { bodyCapOf, type S2sRoutes } from '../s2s/s2s-route-table.js';
import type { ReplayGuard } from '../security/replay-guard.js';
import { bodyHasher, readS2sHeader, S2S_HEADER, signatureMatches } from '../security/s2s-signature.js';

export interface S2sIntakeDeps {
  readonly s2sKey: Buffer;
  /** Whether the published topology has this server. */
  readonly isServer: (fqdn: string) => boolean;
  readonly s2sRoutes: S2sRoutes;
  readonly replay: ReplayGuard;
}

function unauthenticated(reason: string): TandemError {
  return new TandemError('S2S_UNAUTHENTICATED', { detail: reason });
}

function replayed(verdict: 'replayed' | 'too-old'): TandemError {
  return new TandemError('S2S_REPLAYED', {
    detail:
      verdict === 'replayed'
        ? 'this request was already received'
        : 'this request is older than the replay window',
  });
}

export function tooLarge(what: string, limit: number): TandemError {
  return new TandemError('REQUEST_TOO_LARGE', { what, limit: `${limit} bytes` });
}

/**
 * The sender and the verified body of a signed request; throws the refusal otherwise. `peerNames` are the
 * names of the certificate the peer presented in the mutual TLS handshake (undefined: none the CA issued).
 */
export async function receiveS2s(
  deps: S2sIntakeDeps,
  req: http.IncomingMessage,
  path: string,
  peerNames: readonly string[] | undefined,
): Promise<{ from: string; raw: Buffer }> {
  if (!peerNames)
    throw unauthenticated(
      'server-to-server requests need mutual TLS with a certificate from the deployment CA, and none was presented',
    );
  const given = req.headers[S2S_HEADER];
  const read = readS2sHeader(Array.isArray(given) ? given[0] : given);
  if (!read.ok) throw unauthenticated(read.reason);
  const h = read.header;
  if (!deps.isServer(h.from))
    throw unauthenticated(`the sender ${h.from} is not a server of the published topology`);
  if (!peerNames.includes(h.from.toLowerCase()))
    throw unauthenticated(`the sender's certificate names ${peerNames.join(', ')}, not ${h.from}`);
  const seen = deps.replay.peek(h.from, h.instance, h.seq);
  if (seen !== 'fresh') throw replayed(seen);
  const cap = bodyCapOf(deps.s2sRoutes, path);
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > cap) throw tooLarge('The server-to-server request body', cap);
  const raw = await readHashed(req, cap);
  if (!signatureMatches(deps.s2sKey, h, 'POST', path, raw.digest)) throw unauthenticated('bad signature');
  // Recorded only now: a forger cannot fill the guard, and of two copies in flight only one passes.
  const verdict = deps.replay.accept(h.from, h.instance, h.seq);
  if (verdict !== 'fresh') throw replayed(verdict);
  return { from: h.from, raw: raw.body };
}

function readHashed(req: http.IncomingMessage, cap: number): Promise<{ body: Buffer; digest: string }> {
  return new Promise((resolve, reject) => {
    const hash = bodyHasher();
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > cap) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge('The server-to-server request body', cap));
        return;
      }
      hash.update(c);
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve({ body: Buffer.concat(chunks), digest: hash.digest('hex') }));
    req.on('error', reject);
  });
}
