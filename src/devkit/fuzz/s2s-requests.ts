/**
 * @module The random request generator of the server-to-server routes. Routes whose effects stay in memory
 * or only read get damaged examples; routes that change a store or a server's role given a well-formed
 * body get only bodies that no route accepts (not JSON, not an object), so a fuzz run corrupts nothing.
 */
import { BackupPaths } from '../../s2s/backup-links.js';
import { CmsPaths } from '../../s2s/cms-links.js';
import { CommPaths } from '../../s2s/comm-links.js';
import { DutyPaths, DutyResetPaths } from '../../s2s/duty-links.js';
import { FailoverPaths } from '../../s2s/failover-links.js';
import { UserDataPaths } from '../../s2s/user-data-links.js';
import type { SeededRandom } from '../seeded-random.js';
import {
  edgeNumber,
  edgeString,
  randomBytes,
  randomJson,
  randomWord,
  setKey,
  type Json,
} from './fuzz-values.js';
import { mutateJson, mutateText } from './mutate.js';

export const ALL_S2S_PATHS: readonly string[] = [
  ...Object.values(CmsPaths),
  ...Object.values(BackupPaths),
  ...Object.values(UserDataPaths),
  ...Object.values(CommPaths),
  ...Object.values(FailoverPaths),
  ...Object.values(DutyPaths),
  ...Object.values(DutyResetPaths),
];

export interface S2sFuzzContext {
  /** Pools of the deployment, for bodies that name one. */
  readonly pools: readonly string[];
  /** A user whose data the fuzzed calls may touch (conference operations write its records). */
  readonly scratchUser: string;
}

/** Examples of the routes a damaged body may reach: reads, and calls whose effects stay in memory. */
function examples(ctx: S2sFuzzContext): Record<string, readonly Json[]> {
  const [pool = 'pool', other = pool] = ctx.pools;
  const user = ctx.scratchUser;
  const caller = { sip: user, displayName: 'Fuzz', server: 'test-harness' };
  const confId = `${user.replace(/^sip:/, '')}/adhoc-fuzz01`;
  return {
    [CmsPaths.status]: [{}],
    [DutyPaths.state]: [{}],
    [CmsPaths.storeMeta]: [{}],
    [CmsPaths.replicaMeta]: [{}],
    [CmsPaths.divergent]: [{}],
    [BackupPaths.head]: [{}],
    [BackupPaths.status]: [{}],
    [BackupPaths.lags]: [{}],
    [BackupPaths.digests]: [{ owners: [user, 'sip:nobody@example.com'] }],
    [BackupPaths.pull]: [
      {
        source: pool,
        importer: other,
        after: 0,
        acked: 0,
        appliedAt: 0,
        maxChanges: 100,
        maxBytes: 65_536,
        waitMs: 0,
      },
    ],
    [UserDataPaths.export]: [{ owner: user }],
    [FailoverPaths.signedIn]: [{ homePool: pool }],
    [FailoverPaths.divergent]: [{ owner: user }, {}],
    [CommPaths.userEvent]: [
      { to: user, event: { kind: 'im.typing', sessionId: 'im-fuzz', from: 'sip:nobody@example.com' } },
      { to: user, event: { kind: 'push', push: 'presence.changed', payload: { sip: user } } },
    ],
    [CommPaths.call]: [
      { message: { kind: 'presence.watch', watcher: 'test-harness', users: [user] } },
      {
        message: { kind: 'presence.notify', states: [{ sip: user, availability: 'Busy', note: '', at: 1 }] },
      },
      { message: { kind: 'conf.op', op: 'create', confId, caller, payload: { subject: 'fuzz' } } },
      { message: { kind: 'conf.op', op: 'message', confId, caller, payload: { text: 'hi' } } },
      {
        message: {
          kind: 'conf.op',
          op: 'content.upload',
          confId,
          caller,
          payload: { name: 'a.txt', kind: 'file', data: 'aGk=' },
        },
      },
      { message: { kind: 'conf.op', op: 'content.get', confId, caller, payload: { contentId: 'c-1' } } },
      { message: { kind: 'conf.op', op: 'end', confId, caller, payload: {} } },
    ],
  };
}

/**
 * Keeps a damaged pull harmless: `acked` would let the exporter prune changes the real importer has not
 * applied, and `waitMs` would hold the request as a long poll.
 */
function spareState(body: Json): Json {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  if (typeof body.acked === 'number') setKey(body, 'acked', 0);
  for (const k of ['waitMs', 'timeoutMs']) if (typeof body[k] === 'number') setKey(body, k, 0);
  return body;
}

/** A body no route accepts: every route wants a JSON object, and an empty body reads as `{}`. */
function garbage(r: SeededRandom): string | Buffer {
  const value = (): Json => {
    const v = randomJson(r, 3);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? [v] : v;
  };
  const body = r.weighted<() => string | Buffer>([
    [() => JSON.stringify(value()), 4],
    [() => mutateText(r, JSON.stringify(value())), 2],
    [() => randomBytes(r, 500), 2],
    [() => `${'['.repeat(r.int(1_000, 100_000))}${']'.repeat(r.int(0, 100_000))}`, 1],
    [() => edgeString(r, 20_000), 1],
  ])();
  return isObjectBody(body) ? '[]' : body;
}

function isObjectBody(body: string | Buffer): boolean {
  if (body.length === 0 || body.toString('utf8').trim() === '') return true;
  try {
    const v: unknown = JSON.parse(body.toString('utf8'));
    return typeof v === 'object' && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}

export interface S2sFuzzBody {
  readonly kind: string;
  readonly path: string;
  readonly body: string | Buffer;
  /** The body is not a JSON object: any route must refuse it with a 4xx. */
  readonly garbage: boolean;
}

/** One signed request's path and body. */
export function signedS2sBody(r: SeededRandom, ctx: S2sFuzzContext): S2sFuzzBody {
  // Each example is as likely as any other, so routes with several shapes (server calls) get their share.
  const pairs = Object.entries(examples(ctx)).flatMap(([path, list]) =>
    list.map((ex) => [path, ex] as const),
  );
  if (r.chance(0.3)) return { kind: 'garbage', path: r.pick(ALL_S2S_PATHS), body: garbage(r), garbage: true };
  const [path, chosen] = r.pick(pairs);
  const example = JSON.parse(JSON.stringify(chosen)) as Json;
  return r.weighted<() => S2sFuzzBody>([
    [
      () => ({
        kind: 'mutated',
        path,
        body: JSON.stringify(spareState(mutateJson(r, example))),
        garbage: false,
      }),
      8,
    ],
    [() => ({ kind: 'example', path, body: JSON.stringify(example), garbage: false }), 1],
    [
      () => ({
        kind: 'random-object',
        path,
        body: JSON.stringify(spareState(randomJson(r, 3))),
        garbage: false,
      }),
      1,
    ],
  ])();
}

/** A path anyone can send: the known routes, near misses, and invented ones. */
export function anyS2sPath(r: SeededRandom): string {
  return r.weighted<() => string>([
    [() => r.pick(ALL_S2S_PATHS), 6],
    [() => `${r.pick(ALL_S2S_PATHS)}${r.pick(['/', 'x', '/..', '%00'])}`, 1],
    [() => `/s2s/v1/${randomWord(r, 12).replace(/[^A-Za-z0-9_-]/g, '')}-${r.int(0, 1_000_000)}`, 3],
  ])();
}

/** Signature headers that are absent, malformed, stale, or signed with the wrong key or for another request. */
export function badSignature(
  r: SeededRandom,
  sign: (key: Buffer, path: string, body: string | Buffer, at: number) => string,
  key: Buffer,
  path: string,
  body: string | Buffer,
): string | undefined {
  const now = Date.now();
  return r.weighted<() => string | undefined>([
    [() => undefined, 2],
    [() => '', 1],
    [() => edgeString(r, 2_000).replace(/[^\x20-\x7e]/g, ''), 2],
    [() => `test-harness;${now};`, 1],
    [() => `;${now};abc`, 1],
    [() => `test-harness;${edgeNumber(r)};${'A'.repeat(43)}`, 1],
    [() => `test-harness;NaN;${'A'.repeat(43)}`, 1],
    [() => sign(Buffer.alloc(key.length, 7), path, body, now), 2],
    [() => sign(key, path, body, now - 10 * 60_000), 2],
    [() => sign(key, path, body, now + 10 * 60_000), 1],
    [() => sign(key, `${path}x`, body, now), 1],
    [() => sign(key, path, `${body.toString()} `, now), 2],
    [() => `${sign(key, path, body, now)}x`, 1],
    // The header without its nonce (the form before replays were refused), and with a nonce of another form.
    [() => sign(key, path, body, now).replace(/;[^;]*(;[^;]*)$/, '$1'), 1],
    [
      () =>
        sign(key, path, body, now).replace(
          /;[^;]*(;[^;]*)$/,
          `;${edgeString(r, 40).replace(/[^\x21-\x3a\x3c-\x7e]/g, '')}$1`,
        ),
      1,
    ],
  ])();
}
