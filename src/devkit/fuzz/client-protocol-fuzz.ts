/**
 * @module Fuzzes the client protocol of a live server: several connections (some signed in, so mutated
 * requests reach the services) each send random frames one at a time and check every answer against the
 * protocol's contract. Connections are renewed before the rate limit would refuse frames.
 */
import { CloseCode, Limits } from '../../protocol/limits.js';
import { RequestIdSchema } from '../../protocol/envelope.js';
import { SeededRandom } from '../seeded-random.js';
import { clientFrame, LearnedIds, type ClientFuzzFrame } from './client-frames.js';
import { FuzzSocket, type Exchange } from './fuzz-socket.js';
import { addViolation, countOutcome, newReport, type FuzzReport } from './fuzz-report.js';
import { inputSeed } from './input-seed.js';
import { CrashWatch } from './crash-watch.js';
import { wireErrorProblem } from './wire-error-check.js';
import { fieldOf } from '../../json/json-shape.js';

export interface ClientFuzzOptions {
  /** `host:port` of a front-end server. */
  readonly address: string;
  /** The deployment CA the server's certificate chains to (PEM). */
  readonly ca: string;
  /** Users homed on that server; half the connections sign in as them (password once, then the token). */
  readonly users?: readonly { readonly sip: string; readonly password: string }[];
  readonly seed: number;
  readonly iterations: number;
  /** Connections used in parallel (default 4). */
  readonly lanes?: number;
  /** How long one frame may wait for its answer (default 5 s). */
  readonly timeoutMs?: number;
}

const DOCUMENTED_CLOSES = new Set<number>(Object.values(CloseCode));
/** Frames per connection: below the burst, so that no frame is refused for its rate. */
const FRAMES_PER_CONNECTION = Limits.rateBurst - 20;

/** Why an exchange breaks the protocol's contract for this frame; undefined when it keeps it. */
export function clientAnswerProblem(frame: ClientFuzzFrame, ex: Exchange): string | undefined {
  switch (ex.kind) {
    case 'timeout':
      return 'no answer and no close: the server hangs on this frame';
    case 'not-json':
      return `the answer is not a JSON object: ${ex.text.slice(0, 200)}`;
    case 'close':
      if (frame.expectClose !== undefined && ex.code === frame.expectClose) return undefined;
      return `closed with ${ex.code} (${ex.reason || 'no reason'})${
        DOCUMENTED_CLOSES.has(ex.code) ? '' : ', not a documented close code'
      }; expected ${frame.expectClose ?? 'an answer'}`;
    case 'answer': {
      const a = ex.frame;
      if (frame.expectClose !== undefined) return `answered instead of closing with ${frame.expectClose}`;
      // An id the envelope accepts is echoed; one it refuses (too long, wrong type) cannot be: re is null.
      if (frame.id !== undefined) {
        const readable = RequestIdSchema.safeParse(frame.id).success;
        if (readable && a.re !== frame.id)
          return `re is ${JSON.stringify(a.re)}, not the request id ${JSON.stringify(frame.id)}`;
        if (!readable && a.re !== null && a.re !== frame.id)
          return `re is ${JSON.stringify(a.re)} for an unreadable id ${JSON.stringify(frame.id)}`;
      }
      if (a.ok === true)
        return typeof a.payload === 'object' && a.payload !== null
          ? undefined
          : 'an ok answer without a payload';
      if (a.ok !== false) return 'the answer has no ok field';
      return wireErrorProblem(a.error);
    }
  }
}

/** Before sign-in, a text frame over the smaller limit closes the connection as a too-large one does. */
function expectedOf(frame: ClientFuzzFrame, signedIn: boolean): ClientFuzzFrame {
  const small = Limits.maxFrameBytesBeforeSignIn;
  if (signedIn || frame.binary || frame.expectClose !== undefined || Buffer.byteLength(frame.data) <= small)
    return frame;
  return { ...frame, expectClose: CloseCode.TooLarge };
}

function outcomeOf(ex: Exchange): string {
  if (ex.kind === 'answer') return ex.frame.ok === true ? 'ok' : String(fieldOf(ex.frame.error, 'code'));
  return ex.kind === 'close' ? `close:${ex.code}` : ex.kind;
}

function isSignOut(data: string | Buffer): boolean {
  try {
    return fieldOf(JSON.parse(data.toString()), 'type') === 'signout';
  } catch {
    return false;
  }
}

class Lane {
  private socket: FuzzSocket | undefined;
  private sent = 0;
  private token: string | undefined;
  readonly learned = new LearnedIds();

  constructor(
    private readonly address: string,
    private readonly ca: string,
    private readonly user: { readonly sip: string; readonly password: string } | undefined,
  ) {}

  get signedIn(): boolean {
    return this.user !== undefined;
  }

  /** A connection with room under the rate limit, signed in when the lane has a user. */
  async ready(): Promise<FuzzSocket> {
    if (this.socket && !this.socket.closed && this.sent < FRAMES_PER_CONNECTION) return this.socket;
    await this.socket?.close();
    this.socket = await FuzzSocket.open(this.address, this.ca);
    this.sent = 0;
    if (this.user) await this.signIn(this.socket, this.user);
    return this.socket;
  }

  private async signIn(s: FuzzSocket, user: { sip: string; password: string }): Promise<void> {
    const credential = this.token ? { token: this.token } : { password: user.password };
    const ex = await s.exchange(
      JSON.stringify({ id: 'lane-signin', type: 'signin', payload: { user: user.sip, ...credential } }),
      false,
      10_000,
    );
    this.sent += 1;
    if (ex.kind !== 'answer' || ex.frame.ok !== true)
      throw new Error(`${user.sip} could not sign in at ${this.address}: ${JSON.stringify(ex)}`);
    const token = fieldOf(ex.frame.payload, 'token');
    if (typeof token === 'string') this.token = token;
  }

  async send(frame: ClientFuzzFrame, timeoutMs: number): Promise<{ ex: Exchange; unsolicited: number }> {
    const s = await this.ready();
    const before = s.unsolicited;
    this.sent += 1;
    const ex = await s.exchange(frame.data, frame.binary, timeoutMs);
    if (ex.kind === 'answer' && ex.frame.ok === true) {
      this.learned.learn(ex.frame.payload);
      // A signed-out connection is closed by the server right after the answer: the next frame gets a new one.
      if (isSignOut(frame.data)) this.sent = FRAMES_PER_CONNECTION;
    }
    return { ex, unsolicited: s.unsolicited - before };
  }

  async close(): Promise<void> {
    await this.socket?.close();
  }
}

/** Sends `iterations` random frames to a live server and reports every answer outside the contract. */
export async function fuzzClientProtocol(opts: ClientFuzzOptions): Promise<FuzzReport> {
  const report = newReport('client-protocol', opts.seed);
  const started = Date.now();
  const users = opts.users ?? [];
  const laneCount = Math.max(1, opts.lanes ?? 4);
  const lanes = Array.from(
    { length: laneCount },
    (_, k) =>
      new Lane(
        opts.address,
        opts.ca,
        users.length > 0 && k % 2 === 1 ? users[(k >> 1) % users.length] : undefined,
      ),
  );
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const watch = new CrashWatch();
  await Promise.all(
    lanes.map(async (lane, k) => {
      // Input i always goes to lane i % lanes, so a seed replays the same frames on the same connections.
      for (let i = k; i < opts.iterations && !watch.stopped; i += laneCount) {
        const frame = clientFrame(new SeededRandom(inputSeed(opts.seed, i)), i, lane.learned);
        let result: { ex: Exchange; unsolicited: number };
        watch.sent(i);
        try {
          result = await lane.send(frame, timeoutMs);
        } catch (err) {
          if (!watch.check(report, i, String(err)))
            addViolation(report, { input: i, kind: 'connection', detail: String(err), sample: frame.data });
          continue;
        } finally {
          report.inputs += 1;
        }
        countOutcome(report, outcomeOf(result.ex));
        const problem = clientAnswerProblem(expectedOf(frame, lane.signedIn), result.ex);
        if (problem)
          addViolation(report, { input: i, kind: frame.kind, detail: problem, sample: frame.data });
        if (result.unsolicited > 0)
          addViolation(report, {
            input: i,
            kind: frame.kind,
            detail: 'answered more than once',
            sample: frame.data,
          });
      }
      await lane.close();
    }),
  );
  report.elapsedMs = Date.now() - started;
  return report;
}
