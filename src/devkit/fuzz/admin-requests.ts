/**
 * @module The random request generator of the admin API. Valid requests come from the cmdlet registry's own
 * examples (bound by the shell's binder, so a new cmdlet is fuzzed as soon as it has an example) and from
 * each cmdlet's parameter list; they are then damaged: wrong types, unknown parameters, broken JSON, bad
 * credentials, other routes, raw bytes that are barely HTTP.
 */
import type { CmdletDef, ParamDef } from '../../cmdlets/cmdlet-def.js';
import { bindCommand } from '../../cmdlets/grammar/binder.js';
import { parseCommandLine } from '../../cmdlets/grammar/parser.js';
import { cmdletRegistry } from '../../cmdlets/registry.js';
import type { SeededRandom } from '../seeded-random.js';
import { mutateDocument } from './document-mutate.js';
import {
  deepNestText,
  edgeNumber,
  edgeString,
  NASTY_KEYS,
  randomBytes,
  randomJson,
  randomWord,
  setKey,
  type Json,
} from './fuzz-values.js';
import { mutateJson, mutateText } from './mutate.js';

export const ADMIN_PATH = '/admin/v1/run';

export interface AdminFuzzRequest {
  readonly kind: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;
  /** What the answer must be: a cmdlet outcome, a refused credential, or an unknown route. */
  readonly expect: 'run' | 'unauthenticated' | 'not-found' | 'http-error';
  /** Bytes written to the socket as they are, instead of an HTTP request. */
  readonly raw?: Buffer;
}

export interface AdminFuzzContext {
  /** `Bearer name:secret` of an administrator. */
  readonly authorization: string;
  /** Documents attached to file parameters, by cmdlet name (a topology for Publish-CsTopology…). */
  readonly documents: Readonly<Record<string, string>>;
  /** Values that exist in the deployment (pools, users), so requests get past look-ups. */
  readonly knownValues: readonly string[];
}

interface RunBody {
  cmdlet: string;
  params: Record<string, Json>;
  common: { verbose: boolean; whatIf: boolean; confirm: boolean; force: boolean };
  attachments: Record<string, string>;
}

const SERVER_CMDLETS = cmdletRegistry.all();

/** Every example of every cmdlet, bound as the shell would send it (examples that need a pipeline input are skipped). */
const EXAMPLES: readonly RunBody[] = SERVER_CMDLETS.flatMap((d) =>
  d.examples.flatMap((e) => {
    try {
      const [first] = parseCommandLine(e.command);
      if (!first) return [];
      const bound = bindCommand(first, cmdletRegistry);
      return [
        {
          cmdlet: bound.def.name,
          params: { ...bound.params } as Record<string, Json>,
          common: { ...bound.common },
          attachments: {},
        },
      ];
    } catch {
      return [];
    }
  }),
);

function typedValue(r: SeededRandom, p: ParamDef, ctx: AdminFuzzContext): Json {
  switch (p.type) {
    case 'switch':
    case 'bool':
      return r.chance(0.5);
    case 'int':
    case 'timespan':
      return r.chance(0.5) ? r.int(p.min ?? 0, Math.min(p.max ?? 1_000, 1_000_000)) : edgeNumber(r);
    case 'datetime':
      return r.chance(0.7) ? new Date(r.int(0, 4_102_444_800_000)).toISOString() : edgeString(r, 200);
    case 'enum':
      return r.chance(0.7) ? r.pick(p.values ?? ['x']) : edgeString(r, 200);
    case 'string[]':
      return Array.from({ length: r.int(0, 5) }, () =>
        r.chance(0.5) ? r.pick(ctx.knownValues) : edgeString(r, 200),
      );
    case 'string':
    case 'fqdn':
    case 'identity':
    case 'path':
      return r.weighted<() => Json>([
        [() => r.pick(ctx.knownValues), 3],
        [() => `${r.pick(ctx.knownValues)}${r.pick(['*', '?', '[', '`', ''])}`, 1],
        // Stars enough for a backtracking matcher to take seconds per user, short of a request timeout.
        [() => `${'*'.repeat(r.int(1, 9))}${randomWord(r, 4)}`, 1],
        [() => edgeString(r, 20_000), 3],
      ])();
  }
}

function fromParams(r: SeededRandom, def: CmdletDef, ctx: AdminFuzzContext): RunBody {
  const params: Record<string, Json> = {};
  for (const p of def.params) {
    if (!p.required && r.chance(0.5)) continue;
    const name = r.chance(0.1) ? p.name.toLowerCase() : p.name;
    setKey(params, name, r.chance(0.15) ? randomJson(r, 2) : typedValue(r, p, ctx));
  }
  if (r.chance(0.1)) setKey(params, r.chance(0.5) ? r.pick(NASTY_KEYS) : randomWord(r, 10), randomJson(r, 1));
  return {
    cmdlet: def.name,
    params,
    common: { verbose: r.chance(0.3), whatIf: r.chance(0.3), confirm: false, force: r.chance(0.2) },
    attachments: {},
  };
}

function withDocuments(r: SeededRandom, body: RunBody, ctx: AdminFuzzContext): RunBody {
  const def = cmdletRegistry.find(body.cmdlet);
  const doc = ctx.documents[body.cmdlet];
  for (const p of def?.params ?? []) {
    if (p.file !== 'read') continue;
    body.attachments[p.name] =
      doc !== undefined && r.chance(0.9) ? mutateDocument(r, doc) : edgeString(r, 50_000);
  }
  return body;
}

/**
 * Keeps the deployment as it was: a cmdlet that supports -WhatIf runs with it, so a mutated example of
 * Invoke-CsPoolFailOver plans the failover instead of doing it. A request whose `common` is itself damaged
 * is refused before any cmdlet runs.
 */
export function spareDeployment(body: Json): Json {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const name = typeof body.cmdlet === 'string' ? body.cmdlet : undefined;
  const def = name === undefined ? undefined : cmdletRegistry.find(name);
  if (!def?.supportsShouldProcess) return body;
  const common = body.common;
  if (common === undefined) setKey(body, 'common', { whatIf: true });
  else if (typeof common === 'object' && common !== null && !Array.isArray(common))
    setKey(common, 'whatIf', true);
  return body;
}

/**
 * The body as the server will read it, spared again: byte damage can break the `whatIf` key itself
 * (`"w\uFFFDhatIf"`), which would leave a valid request that changes the deployment.
 */
function spared(body: string | Buffer): string | Buffer {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as Json;
    const before = JSON.stringify(parsed);
    const after = JSON.stringify(spareDeployment(parsed));
    return after === before ? body : after;
  } catch {
    // Not JSON, or nested too deep to serialize again: no cmdlet can run from it.
    return body;
  }
}

function runBody(r: SeededRandom, ctx: AdminFuzzContext): Json {
  const base =
    EXAMPLES.length > 0 && r.chance(0.5)
      ? (JSON.parse(JSON.stringify(r.pick(EXAMPLES))) as RunBody)
      : fromParams(r, r.pick(SERVER_CMDLETS), ctx);
  const body = withDocuments(r, base, ctx) as unknown as Json;
  return r.chance(0.6) ? mutateJson(r, body) : body;
}

function badCredentials(ctx: AdminFuzzContext): string[] {
  const [, name = 'admin', secret = 'x'] = /^Bearer ([^:]+):(.*)$/.exec(ctx.authorization) ?? [];
  return [
    '',
    'Bearer',
    'Bearer ',
    `Bearer ${name}`,
    `Bearer ${name}:`,
    `Bearer ${name}:${secret}x`,
    `Bearer ${name}:${secret.slice(1)}`,
    `bearer ${name}:${secret}`,
    `Basic ${Buffer.from(`${name}:${secret}`).toString('base64')}`,
    `Bearer __proto__:${secret}`,
    `Bearer constructor:${secret}`,
    `Bearer toString:${secret}`,
    `Bearer ${name}:${secret}:${secret}`,
    `Bearer ${'a'.repeat(4_000)}:${secret}`,
  ];
}

const RAW = [
  'GET //[ HTTP/1.1\r\nHost: x\r\n\r\n',
  'POST //[ HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}',
  'GET //[ HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  'GET http://[::1 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
  'GET /v1/client HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 99\r\n\r\n',
  'GET /v1/client HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
  'GET /elsewhere HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
  'POST /admin/v1/run HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"cmdlet":',
  'POST /admin/v1/run HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
  'POST /admin/v1/run HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
  'POST /admin/v1/run HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
  'FOO / HTTP/1.1\r\n\r\n',
  'GET / HTTP/9.9\r\n\r\n',
  'GET /healthz\r\n\r\n',
  '\r\n\r\n',
  `GET /${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
  `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'b'.repeat(20_000)}\r\n\r\n`,
];

/** One random admin API request. */
export function adminRequest(r: SeededRandom, ctx: AdminFuzzContext): AdminFuzzRequest {
  const headers = { 'content-type': 'application/json', authorization: ctx.authorization };
  const run = (kind: string, body: string | Buffer): AdminFuzzRequest => ({
    kind,
    method: 'POST',
    path: ADMIN_PATH,
    headers,
    body: spared(body),
    expect: 'run',
  });
  return r.weighted<() => AdminFuzzRequest>([
    [() => run('request', JSON.stringify(runBody(r, ctx))), 60],
    [() => run('text-damaged', mutateText(r, JSON.stringify(runBody(r, ctx)))), 8],
    [() => run('random-value', JSON.stringify(randomJson(r, 3))), 6],
    [() => run('random-bytes', randomBytes(r, 2_000)), 3],
    [
      () => run('deep-nesting', `{"cmdlet":"Get-CsPool","params":${deepNestText(r, r.int(1_000, 200_000))}}`),
      2,
    ],
    [
      () =>
        run(
          'large',
          JSON.stringify({
            cmdlet: 'Get-CsPool',
            params: { Identity: 'p'.repeat(r.int(1, 3) * 1024 * 1024) },
          }),
        ),
      1,
    ],
    [
      () => ({
        kind: 'credential',
        method: 'POST',
        path: ADMIN_PATH,
        headers: { ...headers, authorization: r.pick(badCredentials(ctx)) },
        body: JSON.stringify({ cmdlet: 'Get-CsPool' }),
        expect: 'unauthenticated',
      }),
      8,
    ],
    [
      () => ({
        kind: 'route',
        method: r.pick(['GET', 'PUT', 'DELETE', 'PATCH', 'POST']),
        path: r.pick([
          '/admin/v1/run/',
          '/ADMIN/v1/run',
          '/admin/v2/run',
          '/admin',
          '/',
          '/%2e%2e/etc',
          `/${randomWord(r, 20).replace(/[^A-Za-z0-9._-]/g, '')}`,
        ]),
        headers,
        body: '{}',
        expect: 'not-found',
      }),
      4,
    ],
    [
      () => ({
        kind: 'raw',
        method: '',
        path: '',
        headers: {},
        body: '',
        expect: 'http-error',
        raw: Buffer.from(r.pick(RAW), 'latin1'),
      }),
      4,
    ],
  ])();
}
