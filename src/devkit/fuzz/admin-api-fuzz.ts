/**
 * @module Fuzzes the admin API of a live server: random and damaged cmdlet requests, bad credentials, other
 * routes and raw bytes. Every answer must be a registry error with its HTTP status, or a well-formed NDJSON
 * stream; never an internal error, a reset or a hang. Cmdlets that support -WhatIf run with it.
 */
import { SeededRandom } from '../seeded-random.js';
import { adminRequest, type AdminFuzzContext, type AdminFuzzRequest } from './admin-requests.js';
import { addViolation, countOutcome, newReport, type FuzzReport } from './fuzz-report.js';
import { httpRequest, rawHttp, type ClientTls, type HttpAnswer } from './http-request.js';
import { inputSeed } from './input-seed.js';
import { CrashWatch } from './crash-watch.js';
import { sampleTopologies } from './topology-fuzz.js';
import { httpStatusOf, wireErrorProblem } from './wire-error-check.js';
import { fieldOf } from '../../json/json-shape.js';

export interface AdminFuzzOptions extends Partial<Omit<AdminFuzzContext, 'authorization'>> {
  /** `host:port` of a front-end server. */
  readonly address: string;
  /** The deployment CA the server's certificate chains to. */
  readonly tls: ClientTls;
  /** `Bearer name:secret` of an administrator (formatAdminAuthorization). */
  readonly authorization: string;
  readonly seed: number;
  readonly iterations: number;
  /** Requests in flight at once (default 2). */
  readonly concurrency?: number;
  /** How long one request may take before it counts as a hang (default 15 s). */
  readonly timeoutMs?: number;
  /** An answer slower than this is reported too: the server was stalled meanwhile (default 5 s). */
  readonly slowMs?: number;
  /**
   * Why an answer slower than slowMs, sent at `from` and answered at `to`, may have waited (a server of the
   * deployment restarting meanwhile); such an answer is counted, not reported. A hang is reported regardless.
   */
  readonly slowReason?: (from: number, to: number) => string | undefined;
}

const LINE_TYPES = new Set(['verbose', 'warning', 'progress', 'result', 'error']);

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Why an NDJSON stream is not a well-formed cmdlet outcome; also returns the outcome for the report. */
function streamProblem(body: string): { problem?: string; outcome: string } {
  const lines = body.split('\n').filter((l) => l !== '');
  const parsed = lines.map(parseObject);
  const bad = parsed.findIndex((l) => l === undefined || !LINE_TYPES.has(String(l.type)));
  if (bad >= 0)
    return {
      problem: `stream line ${bad + 1} is not a known event: ${lines[bad]?.slice(0, 200)}`,
      outcome: 'bad-stream',
    };
  const last = parsed.at(-1);
  if (last?.type === 'result') return { outcome: 'ok' };
  if (last?.type !== 'error')
    return { problem: 'the stream ends without a result or an error', outcome: 'bad-stream' };
  const code = String(fieldOf(last.error, 'code'));
  const problem = wireErrorProblem(last.error);
  return problem ? { problem, outcome: code } : { outcome: code };
}

/** Why an answer breaks the admin API's contract for this request, and the outcome to count. */
export function adminAnswerProblem(
  req: AdminFuzzRequest,
  a: HttpAnswer,
): { problem?: string; outcome: string } {
  if (a.failure === 'timeout')
    return { problem: 'no answer and no close: the server hangs', outcome: 'timeout' };
  if (req.expect === 'http-error') {
    // Barely-HTTP bytes: Node's parser or the server may refuse them, or close; it must never fail inside.
    return a.status >= 500
      ? {
          problem: `answered ${a.status}: ${a.body.toString('utf8').slice(0, 300)}`,
          outcome: `http:${a.status}`,
        }
      : { outcome: a.status === 0 ? 'closed' : `http:${a.status}` };
  }
  if (a.failure === 'reset')
    return { problem: `the connection broke without an answer (${a.detail ?? ''})`, outcome: 'reset' };
  const text = a.body.toString('utf8');
  if (a.status === 200) {
    if (req.expect !== 'run') return { problem: `answered 200 where ${req.expect} was due`, outcome: 'ok' };
    return streamProblem(text);
  }
  const error = parseObject(text)?.error;
  const code = String(fieldOf(error, 'code'));
  const problem =
    wireErrorProblem(error) ??
    (httpStatusOf(code) !== a.status
      ? `HTTP ${a.status} for ${code}, whose status is ${httpStatusOf(code)}`
      : undefined) ??
    (req.expect === 'unauthenticated' && code !== 'ADMIN_UNAUTHENTICATED'
      ? `${code} where ADMIN_UNAUTHENTICATED was due`
      : undefined) ??
    (req.expect === 'not-found' && code !== 'NOT_FOUND' ? `${code} where NOT_FOUND was due` : undefined);
  return problem ? { problem: `HTTP ${a.status}: ${problem}`, outcome: code } : { outcome: code };
}

function send(
  address: string,
  identity: ClientTls,
  req: AdminFuzzRequest,
  timeoutMs: number,
): Promise<HttpAnswer> {
  if (req.raw) return rawHttp(address, identity, req.raw, timeoutMs);
  return httpRequest(address, identity, {
    method: req.method,
    path: req.path,
    headers: req.headers,
    body: req.body,
    timeoutMs,
  });
}

/** Sends `iterations` random requests to a live server's admin API and reports every answer outside the contract. */
export async function fuzzAdminApi(opts: AdminFuzzOptions): Promise<FuzzReport> {
  const report = newReport('admin-api', opts.seed);
  const started = Date.now();
  const ctx: AdminFuzzContext = {
    authorization: opts.authorization,
    documents: opts.documents ?? {
      'Publish-CsTopology': sampleTopologies()[0] ?? '',
      'Import-CsUser':
        'SipAddress,DisplayName,RegistrarPool,Password\nsip:zed@litwareinc.com,Zed,atl-cs-001.litwareinc.com,Zed-Password-1\n',
    },
    knownValues: opts.knownValues ?? ['x'],
  };
  const lanes = Math.max(1, opts.concurrency ?? 2);
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const watch = new CrashWatch();
  await Promise.all(
    Array.from({ length: lanes }, async (_, k) => {
      for (let i = k; i < opts.iterations && !watch.stopped; i += lanes) {
        const req = adminRequest(new SeededRandom(inputSeed(opts.seed, i)), ctx);
        const t0 = Date.now();
        watch.sent(i);
        const answer = await send(opts.address, opts.tls, req, timeoutMs);
        const took = Date.now() - t0;
        report.inputs += 1;
        if (watch.check(report, i, answer.detail)) break;
        const checked = adminAnswerProblem(req, answer);
        const { outcome } = checked;
        const slow = took > (opts.slowMs ?? 5_000);
        const excused = slow && !checked.problem ? opts.slowReason?.(t0, t0 + took) : undefined;
        const problem = checked.problem ?? (slow && !excused ? `answered after ${took} ms` : undefined);
        countOutcome(report, excused ? 'slow while a server restarted' : outcome);
        if (problem)
          addViolation(report, {
            input: i,
            kind: req.kind,
            detail: problem,
            sample: req.raw ?? `${req.method} ${req.path} ${req.body.toString()}`,
          });
      }
    }),
  );
  report.elapsedMs = Date.now() - started;
  return report;
}
