/**
 * @module Fuzzes the server-to-server routes of a live server. Unsigned, badly signed and stale requests
 * must be refused with S2S_UNAUTHENTICATED; signed requests with damaged bodies must get a registry error
 * (a 4xx for a body that is not a JSON object), never an internal error, a reset or a hang.
 */
import { signS2s, S2S_HEADER } from '../../security/s2s-signature.js';
import { SeededRandom } from '../seeded-random.js';
import { addViolation, countOutcome, newReport, type FuzzReport } from './fuzz-report.js';
import { httpRequest, type ClientTls, type HttpAnswer } from './http-request.js';
import { inputSeed } from './input-seed.js';
import { CrashWatch } from './crash-watch.js';
import { anyS2sPath, badSignature, signedS2sBody, type S2sFuzzContext } from './s2s-requests.js';
import { randomJson } from './fuzz-values.js';
import { httpStatusOf, wireErrorProblem } from './wire-error-check.js';
import { S2S_DEFAULT_BODY_BYTES } from '../../s2s/s2s-route-table.js';
import { fieldOf } from '../../json/json-shape.js';

export interface S2sFuzzOptions extends S2sFuzzContext {
  /** `host:port` of a front-end server. */
  readonly address: string;
  /** The deployment's server-to-server key (deriveKey(loadDeploymentKey(dataDir), KeyPurpose.ServerToServer)). */
  readonly key: Buffer;
  /** The server signed requests claim to come from; `tls` presents its certificate. */
  readonly from: string;
  /** The deployment CA, and the certificate and key of the server `from` names. */
  readonly tls: ClientTls;
  readonly seed: number;
  readonly iterations: number;
  /** Share of requests sent without a valid signature (default 0.4). */
  readonly unsignedShare?: number;
  readonly concurrency?: number;
  readonly timeoutMs?: number;
}

function errorOf(a: HttpAnswer): { code: string; problem?: string } {
  let error: unknown;
  try {
    error = fieldOf(JSON.parse(a.body.toString('utf8')), 'error');
  } catch {
    return { code: 'not-json', problem: `HTTP ${a.status} with a body that is not JSON` };
  }
  const code = String(fieldOf(error, 'code'));
  const problem = wireErrorProblem(error);
  if (problem) return { code, problem: `HTTP ${a.status}: ${problem}` };
  if (httpStatusOf(code) !== a.status)
    return { code, problem: `HTTP ${a.status} for ${code}, whose status is ${httpStatusOf(code)}` };
  return { code };
}

/** Why an answer breaks the contract, and the outcome to count. */
export function s2sAnswerProblem(
  signed: boolean,
  garbage: boolean,
  a: HttpAnswer,
  bodyBytes = 0,
): { problem?: string; outcome: string } {
  // A body over every ordinary route's cap is refused from its headers and the connection closed unread: a client
  // still sending then sees its write cut (EPIPE, reset) before it can read the answer. That is the refusal.
  if (a.failure === 'reset' && bodyBytes > S2S_DEFAULT_BODY_BYTES) return { outcome: 'cut:too-large' };
  if (a.failure)
    return {
      problem: a.failure === 'timeout' ? 'no answer: the server hangs' : `no answer (${a.detail ?? ''})`,
      outcome: a.failure,
    };
  if (!signed) {
    if (a.status === 200) return { problem: 'an unsigned request was served', outcome: 'served' };
    const e = errorOf(a);
    if (e.problem) return { problem: e.problem, outcome: e.code };
    return e.code === 'S2S_UNAUTHENTICATED'
      ? { outcome: e.code }
      : { problem: `refused with ${e.code}, not S2S_UNAUTHENTICATED`, outcome: e.code };
  }
  if (a.status === 200)
    return garbage
      ? { problem: 'a body that is not a JSON object was accepted', outcome: 'ok' }
      : { outcome: 'ok' };
  const e = errorOf(a);
  if (e.problem) return { problem: e.problem, outcome: e.code };
  if (garbage && (a.status < 400 || a.status >= 500))
    return { problem: `HTTP ${a.status} (${e.code}) for a body that is not an object`, outcome: e.code };
  return { outcome: e.code };
}

/** Sends `iterations` requests to a live server's server-to-server routes and reports every answer outside the contract. */
export async function fuzzS2s(opts: S2sFuzzOptions): Promise<FuzzReport> {
  const report = newReport('s2s', opts.seed);
  const started = Date.now();
  const from = opts.from;
  const lanes = Math.max(1, opts.concurrency ?? 2);
  const sign = (key: Buffer, path: string, body: string | Buffer, at: number) =>
    signS2s(key, 'POST', path, from, body, at);
  const watch = new CrashWatch();
  await Promise.all(
    Array.from({ length: lanes }, async (_, k) => {
      for (let i = k; i < opts.iterations && !watch.stopped; i += lanes) {
        const r = new SeededRandom(inputSeed(opts.seed, i));
        const signed = !r.chance(opts.unsignedShare ?? 0.4);
        let req: {
          kind: string;
          path: string;
          body: string | Buffer;
          garbage: boolean;
          header: string | undefined;
        };
        if (signed) {
          const b = signedS2sBody(r, opts);
          req = { ...b, header: sign(opts.key, b.path, b.body, Date.now()) };
        } else {
          const path = anyS2sPath(r);
          const body = JSON.stringify(randomJson(r, 3)) ?? '';
          req = {
            kind: 'unsigned',
            path,
            body,
            garbage: false,
            header: badSignature(r, sign, opts.key, path, body),
          };
        }
        const headers = {
          'content-type': 'application/json',
          ...(req.header === undefined ? {} : { [S2S_HEADER]: req.header }),
        };
        watch.sent(i);
        const answer = await httpRequest(opts.address, opts.tls, {
          method: 'POST',
          path: req.path,
          headers,
          body: req.body,
          timeoutMs: opts.timeoutMs ?? 15_000,
        });
        report.inputs += 1;
        if (watch.check(report, i, answer.detail)) break;
        const { problem, outcome } = s2sAnswerProblem(
          signed,
          req.garbage,
          answer,
          Buffer.byteLength(req.body),
        );
        countOutcome(report, `${signed ? 'signed' : 'unsigned'}:${outcome}`);
        if (problem)
          addViolation(report, {
            input: i,
            kind: req.kind,
            detail: problem,
            sample: `${req.path} ${req.body.toString()}`,
          });
      }
    }),
  );
  report.elapsedMs = Date.now() - started;
  return report;
}
