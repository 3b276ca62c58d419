/**
 * @module The HTTP face of a front-end server: health, readiness, metrics, the admin API (NDJSON stream of
 * verbose lines, warnings, progress and the result) and the signed server-to-server routes.
 */
import type http from 'node:http';
import https from 'node:https';
import type { Logger } from '../logging/logger.js';
import type { ServerMetrics } from './server-metrics.js';
import type { CmdletRunner } from '../management/cmdlet-runner.js';
import { dispatchS2s, type S2sRoutes } from '../s2s/s2s-route-table.js';
import type { ReplayGuard } from '../security/replay-guard.js';
import { TandemError, toTandemError } from '../errors/index.js';
import { requestPath } from '../gateway/request-path.js';
import { receiveS2s, tooLarge } from './s2s-intake.js';
import { trustedPeerNames } from './s2s-peer-identity.js';
import { httpsOptions, type ServerTlsOptions } from './tls-front.js';
import { AdminLimits } from '../management/admin-limits.js';
import { checkJsonShape } from '../json/json-shape.js';
import { ADMIN_RUN_PATH, type AdminLine } from '../management/admin-envelope.js';
import { fieldOf } from '../json/json-shape.js';

export interface HttpDeps {
  readonly serverFqdn: string;
  readonly log: Logger;
  readonly metrics: ServerMetrics;
  readonly runner: CmdletRunner;
  readonly s2sKey: Buffer;
  readonly s2sRoutes: S2sRoutes;
  readonly replay: ReplayGuard;
  /** Whether the published topology has this server (server-to-server requests come only from those). */
  readonly isServer: (fqdn: string) => boolean;
  readonly tls: ServerTlsOptions;
  ready(): { ready: boolean; detail: string };
}

export function createHttpServer(deps: HttpDeps): https.Server {
  const server = https.createServer(httpsOptions(deps.tls), (req, res) => {
    handle(deps, req, res).catch(async (err: unknown) => {
      deps.log.error({ err: toTandemError(err).message, url: req.url }, 'request failed');
      // A refusal sent before the body was read: a small body is read to its end and dropped, so that the client,
      // still sending, is not cut off before it reads the answer (it saw EPIPE instead); a large one closes the
      // connection rather than read the rest to discard it.
      if (!req.complete && !res.headersSent && !(await drainSmallBody(req)))
        res.setHeader('connection', 'close');
      if (!res.headersSent) sendError(res, toTandemError(err));
      else res.end();
    });
  });
  server.keepAliveTimeout = 30_000;
  server.headersTimeout = 35_000;
  return server;
}

/** A refused request's body, read and dropped when it declares at most this many bytes. */
const DRAINED_BODY_BYTES = 64 * 1024;

/** Reads a refused request's remaining body to its end when it is small; false when it is large or unknown. */
function drainSmallBody(req: http.IncomingMessage): Promise<boolean> {
  const declared = Number(req.headers['content-length']);
  if (!Number.isSafeInteger(declared) || declared > DRAINED_BODY_BYTES) return Promise.resolve(false);
  return new Promise((resolve) => {
    req.once('end', () => resolve(true));
    req.once('error', () => resolve(false));
    req.resume();
  });
}

async function handle(deps: HttpDeps, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const path = requestPath(req.url);
  if (path === undefined)
    throw new TandemError('INVALID_ARGUMENT', { detail: 'the request target is not a valid URL' });
  if (req.method === 'GET' && path === '/healthz')
    return sendJson(res, 200, { status: 'ok', server: deps.serverFqdn });
  if (req.method === 'GET' && path === '/readyz') {
    const r = deps.ready();
    return sendJson(res, r.ready ? 200 : 503, { ready: r.ready, detail: r.detail, server: deps.serverFqdn });
  }
  if (req.method === 'GET' && path === '/metrics') {
    res.writeHead(200, { 'content-type': deps.metrics.registry.contentType });
    res.end(await deps.metrics.registry.metrics());
    return;
  }
  if (req.method === 'POST' && path === ADMIN_RUN_PATH) return runAdmin(deps, req, res);
  if (req.method === 'POST' && path.startsWith('/s2s/')) return runS2s(deps, req, res, path);
  throw new TandemError('NOT_FOUND', { what: 'HTTP route', name: `${req.method} ${path}` });
}

async function runAdmin(deps: HttpDeps, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const admin = deps.runner.authenticate(req.headers.authorization);
  const raw = await readBody(req, AdminLimits.maxBodyBytes);
  const shape = checkJsonShape(raw, AdminLimits);
  if (!shape.ok)
    throw new TandemError('REQUEST_TOO_LARGE', {
      what:
        shape.what === 'depth'
          ? 'The nesting of the admin API request'
          : 'The number of values in the admin API request',
      limit: String(shape.limit),
    });
  const body = parseJson(raw);
  // Any JSON value may arrive (null too). The metrics label is a known cmdlet's name or '?': a label
  // taken from the request would add a series per invented name, without bound.
  const named = fieldOf(body, 'cmdlet');
  const cmdlet = (typeof named === 'string' ? deps.runner.cmdletName(named) : undefined) ?? '?';
  res.writeHead(200, { 'content-type': 'application/x-ndjson' });
  const line = (obj: AdminLine) => res.write(`${JSON.stringify(obj)}\n`);
  try {
    const result = await deps.runner.run(admin, body, {
      verbose: (message) => line({ type: 'verbose', message, at: Date.now() }),
      warn: (message) => line({ type: 'warning', message }),
      progress: (p) => line({ type: 'progress', ...p }),
    });
    line({ type: 'result', ...result });
    deps.metrics.adminCommands.inc({ cmdlet, outcome: 'ok' });
    deps.log.info({ admin: admin.name, cmdlet }, 'cmdlet ran');
  } catch (err) {
    const e = toTandemError(err);
    line({ type: 'error', error: e.toWire() });
    deps.metrics.adminCommands.inc({ cmdlet, outcome: e.code });
    deps.log.warn(
      { admin: admin.name, cmdlet, code: e.code, detail: e.code === 'INTERNAL' ? e.message : undefined },
      'cmdlet refused or failed',
    );
  }
  res.end();
}

async function runS2s(
  deps: HttpDeps,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
): Promise<void> {
  // Unknown paths share one metrics label: anyone can send them, signed or not.
  const label = Object.hasOwn(deps.s2sRoutes, path) ? path : 'unknown';
  let received: { from: string; raw: Buffer };
  try {
    received = await receiveS2s(deps, req, path, trustedPeerNames(req.socket));
  } catch (err) {
    const e = toTandemError(err);
    deps.metrics.s2sRequests.inc({ path: label, outcome: 'refused' });
    // Logged without the header: a signature is not a secret, but nothing from the request is echoed.
    deps.log.warn(
      { path, remote: req.socket.remoteAddress, code: e.code, reason: e.message },
      'refused an unauthenticated server-to-server request',
    );
    throw e;
  }
  try {
    const result = await dispatchS2s(deps.s2sRoutes, path, parseJson(received.raw), received.from);
    deps.metrics.s2sRequests.inc({ path: label, outcome: 'ok' });
    sendJson(res, 200, result ?? {});
  } catch (err) {
    deps.metrics.s2sRequests.inc({ path: label, outcome: 'error' });
    throw err;
  }
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      reject(tooLarge('The request body', limit));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        req.off('data', onData);
        reject(tooLarge('The request body', limit));
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return {};
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (err) {
    // Not the parser's message: it quotes the text around the error, which may be a password, into the log.
    const at = /at position (\d+)/.exec((err as Error).message)?.[1];
    throw new TandemError('INVALID_ARGUMENT', {
      detail: at === undefined ? 'the body is not JSON' : `the body is not JSON (at position ${at})`,
    });
  }
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function sendError(res: http.ServerResponse, err: TandemError): void {
  sendJson(res, err.httpStatus, { error: err.toWire() });
}
