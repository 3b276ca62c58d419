/**
 * @module The shell's side of the admin API: posts a cmdlet to the first reachable server of the deployment
 * and reads its NDJSON stream of verbose lines, warnings, progress and the result.
 */
import http from 'node:http';
import { splitAddress } from '../links/peer-client.js';
import { TandemError, isWireError } from '../errors/index.js';
import type { CmdletResult, Progress } from '../management/cmdlet-handler.js';

export const ADMIN_RUN_PATH = '/admin/v1/run';

export interface AdminRequest {
  readonly cmdlet: string;
  readonly params: Record<string, unknown>;
  readonly common: { verbose: boolean; whatIf: boolean; confirm: boolean; force: boolean };
  readonly attachments?: Record<string, string>;
}

export interface AdminEvents {
  verbose(message: string, at: number): void;
  warning(message: string): void;
  progress(p: Progress): void;
}

export interface AdminTarget {
  readonly fqdn: string;
  readonly address: string;
}

/** Tries each server in order; only an unreachable server moves on to the next. */
export async function runAtDeployment(
  servers: readonly AdminTarget[],
  authorization: string,
  request: AdminRequest,
  events: AdminEvents,
): Promise<{ result: CmdletResult; server: string }> {
  const tried: string[] = [];
  for (const s of servers) {
    try {
      return { result: await runAt(s, authorization, request, events), server: s.fqdn };
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
  authorization: string,
  request: AdminRequest,
  events: AdminEvents,
): Promise<CmdletResult> {
  const [host, port] = splitAddress(target.address);
  const body = Buffer.from(JSON.stringify(request));
  return new Promise<CmdletResult>((resolve, reject) => {
    let started = false;
    const req = http.request(
      {
        host,
        port: Number(port),
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
      // Before any answer the server counts as unreachable; after one, the failure is the command's.
      if (!started) reject(new Unreachable(err.code ?? err.message));
      else reject(new TandemError('INTERNAL', { detail: err.message }));
    });
    req.setTimeout(10_000, () => {
      if (!started) req.destroy(new Error('no answer within 10 s'));
    });
    req.end(body);
  });
}

function handleLine(line: string, events: AdminEvents): CmdletResult | TandemError | undefined {
  let msg: Record<string, unknown>;
  try {
    msg = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return new TandemError('INTERNAL', { detail: 'the server sent a malformed line' });
  }
  switch (msg.type) {
    case 'verbose':
      events.verbose(String(msg.message), Number(msg.at));
      return undefined;
    case 'warning':
      events.warning(String(msg.message));
      return undefined;
    case 'progress':
      events.progress(msg as unknown as Progress);
      return undefined;
    case 'result':
      return msg as unknown as CmdletResult;
    case 'error':
      return isWireError(msg.error)
        ? TandemError.fromWire(msg.error)
        : new TandemError('INTERNAL', { detail: line });
    default:
      return undefined;
  }
}

function errorFromBody(text: string, status: number): TandemError {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    if (isWireError(parsed.error)) return TandemError.fromWire(parsed.error);
  } catch {
    // fall through
  }
  return new TandemError('INTERNAL', { detail: `HTTP ${status}: ${text.slice(0, 200)}` });
}
