/**
 * @module The shell's side of the admin API: posts a cmdlet to the first reachable server of the deployment
 * and reads its NDJSON stream of verbose lines, warnings, progress and the result. Nothing a server answers
 * is trusted: every line is validated, and the credential goes only to an address of the topology.
 */
import https from 'node:https';
import { splitAddress } from '../s2s/peer-client.js';
import { isCertificateRejection } from '../security/tls-rejections.js';
import { TandemError, isWireError } from '../errors/index.js';
import type { CmdletResult, Progress } from '../management/cmdlet-handler.js';
import { ADMIN_RUN_PATH, AdminLineSchema, type AdminRequest } from '../management/admin-envelope.js';
import { safeParse } from '../json/safe-parse.js';
import { fieldOf } from '../json/json-shape.js';

export interface AdminEvents {
  verbose(message: string, at: number): void;
  warning(message: string): void;
  progress(p: Progress): void;
}

export interface AdminTarget {
  readonly fqdn: string;
  readonly address: string;
}

export interface AdminTargets {
  /** The servers to try, in order. */
  readonly servers: readonly AdminTarget[];
  /**
   * The addresses of the deployment's topology: the only ones that may receive the credential. TLS proves
   * a server's name; this keeps the credential from going to an address learned elsewhere all the same.
   */
  readonly trusted: readonly string[];
  /** The CA that issued the servers' certificates (PEM) and the file it came from, for the error text. */
  readonly trust: () => { readonly ca: string; readonly file: string };
}

/** Tries each server in order; only an unreachable server moves on to the next. */
export async function runAtDeployment(
  targets: AdminTargets,
  authorization: string,
  request: AdminRequest,
  events: AdminEvents,
): Promise<{ result: CmdletResult; server: string }> {
  const trusted = new Set(targets.trusted);
  const trust = targets.trust();
  const tried: string[] = [];
  for (const s of targets.servers) {
    if (!trusted.has(s.address)) {
      throw new TandemError('ADMIN_UNAUTHENTICATED', {
        detail: `the shell sends the credential only to the servers of the deployment, and ${s.address} (${s.fqdn}) is not an address of the topology`,
        path: 'the topology file',
      });
    }
    try {
      return { result: await runAt(s, trust, authorization, request, events), server: s.fqdn };
    } catch (err) {
      if (err instanceof Unreachable) {
        tried.push(`${s.fqdn} at ${s.address}: ${err.message}`);
        continue;
      }
      throw err;
    }
  }
  throw new TandemError('SHELL_UNREACHABLE', { tried: tried.join('; ') || 'no servers in the topology' });
}

class Unreachable extends Error {}

function runAt(
  target: AdminTarget,
  trust: { readonly ca: string; readonly file: string },
  authorization: string,
  request: AdminRequest,
  events: AdminEvents,
): Promise<CmdletResult> {
  const [host, port] = splitAddress(target.address);
  const body = Buffer.from(JSON.stringify(request));
  return new Promise<CmdletResult>((resolve, reject) => {
    let started = false;
    const req = https.request(
      {
        host,
        port: Number(port),
        // The server's certificate must name the server, from the deployment's CA.
        servername: target.fqdn,
        ca: trust.ca,
        minVersion: 'TLSv1.2',
        method: 'POST',
        path: ADMIN_RUN_PATH,
        headers: { 'content-type': 'application/json', 'content-length': body.length, authorization },
      },
      (res) => {
        started = true;
        res.setEncoding('utf8');
        if (res.statusCode !== 200) {
          let text = '';
          res.on('data', (c: string) => (text += c));
          res.on('end', () => reject(errorFromBody(text, res.statusCode ?? 0)));
          return;
        }
        let buffer = '';
        let outcome: CmdletResult | TandemError | undefined;
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl);
            buffer = buffer.slice(nl + 1);
            if (line.trim()) outcome = handleLine(line, events) ?? outcome;
          }
        });
        res.on('end', () => {
          if (outcome instanceof TandemError) reject(outcome);
          else if (outcome) resolve(outcome);
          else
            reject(
              new TandemError('INTERNAL', { detail: `${target.fqdn} ended the answer without a result` }),
            );
        });
        res.on('error', (err) =>
          reject(
            new TandemError('INTERNAL', { detail: `${target.fqdn} broke the answer off: ${err.message}` }),
          ),
        );
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => {
      // A server that cannot prove its name gets no credential, and the shell does not try the next one as if
      // this one were down: the administrator must see it.
      if (isCertificateRejection(err))
        reject(
          new TandemError('TLS_SERVER_NOT_TRUSTED', {
            server: target.fqdn,
            address: target.address,
            reason: err.message,
            ca: trust.file,
          }),
        );
      // Before any answer the server counts as unreachable; after one, the failure is the command's.
      else if (!started) reject(new Unreachable(err.code ?? err.message));
      else reject(new TandemError('INTERNAL', { detail: err.message }));
    });
    req.setTimeout(10_000, () => {
      if (!started) req.destroy(new Error('no answer within 10 s'));
    });
    req.end(body);
  });
}

function handleLine(line: string, events: AdminEvents): CmdletResult | TandemError | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return new TandemError('INTERNAL', { detail: 'the server sent a malformed line' });
  }
  const parsed = safeParse(AdminLineSchema, raw);
  // A line of a kind this shell does not know (a newer server) is skipped; a known kind must be well formed.
  if (!parsed.success) {
    const type = fieldOf(raw, 'type');
    return ['verbose', 'warning', 'progress', 'result', 'error'].includes(String(type))
      ? new TandemError('INTERNAL', { detail: `the server sent a malformed ${String(type)} line` })
      : undefined;
  }
  const msg = parsed.data;
  switch (msg.type) {
    case 'verbose':
      events.verbose(msg.message, msg.at);
      return undefined;
    case 'warning':
      events.warning(msg.message);
      return undefined;
    case 'progress':
      events.progress({
        activity: msg.activity,
        done: msg.done,
        total: msg.total,
        ...(msg.etaMs !== undefined ? { etaMs: msg.etaMs } : {}),
      });
      return undefined;
    case 'result':
      return {
        records: msg.records,
        ...(msg.view !== undefined ? { view: msg.view } : {}),
        ...(msg.text !== undefined ? { text: msg.text } : {}),
        ...(msg.file !== undefined ? { file: msg.file } : {}),
      };
    case 'error':
      return isWireError(msg.error)
        ? TandemError.fromWire(msg.error)
        : new TandemError('INTERNAL', { detail: 'the server sent a malformed error line' });
  }
}

function errorFromBody(text: string, status: number): TandemError {
  try {
    const error = fieldOf(JSON.parse(text), 'error');
    if (isWireError(error)) return TandemError.fromWire(error);
  } catch {
    // fall through
  }
  return new TandemError('INTERNAL', { detail: `HTTP ${status}: ${text.slice(0, 200)}` });
}
