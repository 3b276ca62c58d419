/**
 * One request must not freeze a server (real servers): every hostile request of the attack campaign gets
 * its limit's error, without an echo of what it sent, and the server keeps answering /healthz and a
 * signed-in user. A topology at the size limit is validated off the event loop: while it is in flight
 * (the server said so in a verbose line), /healthz and the user are answered before it completes.
 */
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/devkit/cluster.js';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';
import { splitAddress } from '../../src/s2s/peer-client.js';
import { CloseCode, Limits } from '../../src/protocol/limits.js';
import {
  adminCredentialPath,
  formatAdminAuthorization,
  readAdminCredentialFile,
} from '../../src/security/admin-credential.js';
import { ADMIN_RUN_PATH } from '../../src/management/admin-envelope.js';
import { TopologyLimits } from '../../src/topology/yaml-limits.js';
import { signedIn, type SignedIn } from '../security/security-kit.js';
import { httpRequest } from '../../src/devkit/fuzz/http-request.js';

let c: Cluster;
let admin = '';
let viewer = '';
let carol: SignedIn;

beforeAll(async () => {
  c = await Cluster.start({ users: 10 });
  admin = formatAdminAuthorization(readAdminCredentialFile(adminCredentialPath(c.dataDir)));
  const v = await c.shell('New-CsAdminCredential -Identity helpdesk -Role CsViewOnlyAdministrator');
  viewer = `Bearer ${String(v.json()[0]?.Credential)}`;
  carol = await signedIn(c, 'carol'); // homed at Atlanta, the CMS master
});
afterAll(async () => {
  await carol.client.close();
  await c.stop();
});

interface AdminLine {
  readonly type: string;
  readonly message?: string;
  readonly error?: { code: string; message: string };
}

/** An admin API request whose NDJSON lines are seen as they arrive. */
function adminStream(authorization: string, body: unknown) {
  const [host, port] = splitAddress(c.fixture.atl.address);
  const payload = Buffer.from(JSON.stringify(body));
  let onLine: (l: AdminLine) => void = () => {};
  const done = new Promise<{ status: number; bytes: number; last: AdminLine | undefined }>(
    (resolve, reject) => {
      const req = https.request(
        {
          ca: c.ca,
          host,
          port: Number(port),
          method: 'POST',
          path: ADMIN_RUN_PATH,
          headers: { authorization, 'content-type': 'application/json', 'content-length': payload.length },
        },
        (res) => {
          let buffered = '';
          let bytes = 0;
          let last: AdminLine | undefined;
          res.on('data', (d: Buffer) => {
            bytes += d.length;
            buffered += d.toString('utf8');
            for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
              last = JSON.parse(buffered.slice(0, i)) as AdminLine;
              buffered = buffered.slice(i + 1);
              onLine(last);
            }
          });
          res.on('end', () => {
            if (buffered.trim()) last = JSON.parse(buffered) as AdminLine;
            resolve({ status: res.statusCode ?? 0, bytes, last });
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    },
  );
  const line = (match: (l: AdminLine) => boolean) =>
    new Promise<AdminLine>((resolve) => {
      const previous = onLine;
      onLine = (l) => {
        previous(l);
        if (match(l)) resolve(l);
      };
    });
  return { done, line };
}

/** /healthz answers and the signed-in user's request is answered. */
async function stillServing(): Promise<void> {
  const health = await httpRequest(c.fixture.atl.address, { ca: c.ca }, { method: 'GET', path: '/healthz' });
  expect(health.status).toBe(200);
  const pong = await carol.client.ok('ping');
  expect(typeof pong.now).toBe('number');
}

const publish = (yaml: string, verbose = false) => ({
  cmdlet: 'Publish-CsTopology',
  params: { FileName: 'hostile.yaml' },
  common: { whatIf: true, verbose },
  attachments: { FileName: yaml },
});

/** `count` keys in mappings of at most `perMapping` keys each, under one unknown top-level key. */
function manyKeys(count: number, perMapping: number): string {
  const lines = ['name: hostile', 'extra:'];
  for (let i = 0; i < count; i++) {
    if (i % perMapping === 0) lines.push(`  m${i}:`);
    lines.push(`    k${i}: ${i}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('a topology sent to Publish-CsTopology -WhatIf', () => {
  it('at the size limit is validated while the server answers /healthz and its users', async () => {
    let yaml = c.fixture.yaml;
    // As many keys as fit under the size limit, in mappings under the keys limit: the heaviest parse allowed.
    const extra = manyKeys(200_000, TopologyLimits.maxKeysPerMapping - 1).replace('name: hostile\n', '');
    yaml = `${yaml}\n${extra}`.slice(0, TopologyLimits.maxBytes - 64);
    yaml = yaml.slice(0, yaml.lastIndexOf('\n') + 1);
    const hostile = adminStream(admin, publish(yaml, true));
    let finished = false;
    void hostile.done.then(() => (finished = true));
    await hostile.line((l) => l.type === 'verbose' && /Validating the topology/.test(l.message ?? ''));
    await stillServing();
    expect(finished).toBe(false);
    const end = await hostile.done;
    expect(end.last?.error?.code).toBe('TOPOLOGY_INVALID');
  });

  it('of 3.8 MB with 300,000 keys in one mapping is refused at the size limit', async () => {
    const hostile = adminStream(admin, publish(manyKeys(300_000, 300_000)));
    const end = await hostile.done;
    expect(end.last?.error?.code).toBe('TOPOLOGY_INVALID');
    expect(end.last?.error?.message).toContain(`the limit is ${TopologyLimits.maxBytes} bytes`);
    expect(end.bytes).toBeLessThan(4_096);
    await stillServing();
  });

  it('with more keys in one mapping than the limit is refused, naming the limit', async () => {
    const hostile = adminStream(admin, publish(manyKeys(20_000, 20_000)));
    const end = await hostile.done;
    expect(end.last?.error?.code).toBe('TOPOLOGY_INVALID');
    expect(end.last?.error?.message).toContain(`the limit is ${TopologyLimits.maxKeysPerMapping}`);
    await stillServing();
  });

  it('nested 200,000 levels deep is refused at the depth limit, not by a stack overflow', async () => {
    const hostile = adminStream(admin, publish(`name: ${'['.repeat(200_000)}\n`));
    const end = await hostile.done;
    expect(end.last?.error?.code).toBe('TOPOLOGY_INVALID');
    expect(end.last?.error?.message).toContain(`more than ${TopologyLimits.maxDepth} levels deep`);
    await stillServing();
  });
});

describe('a view-only administrator', () => {
  it('cannot freeze a server with a 12 KB nested alternation in Get-CsUser -Filter', async () => {
    let pattern = 'a';
    while (pattern.length < 12_000) pattern = `(a|${pattern})`;
    const hostile = adminStream(viewer, {
      cmdlet: 'Get-CsUser',
      params: { Filter: `{DisplayName -match '${pattern}'}` },
    });
    const end = await hostile.done;
    expect(end.last?.error?.code).toBe('SHELL_SYNTAX');
    expect(end.last?.error?.message).toMatch(/at most \d+ characters/);
    expect(end.last?.error?.message).not.toContain('(a|(a|');
    await stillServing();
  });

  it('still filters with a pattern within the limits', async () => {
    const ok = adminStream(viewer, {
      cmdlet: 'Get-CsUser',
      params: { Filter: "{DisplayName -match '^(carol|dave)$'}" },
    });
    const end = await ok.done;
    expect(end.last?.type).toBe('result');
  });
});

describe('a parameter array of a million items', () => {
  it('is refused at the limit, in an answer that does not echo it', async () => {
    const items: string[] = Array(1_000_000).fill('x');
    const hostile = adminStream(admin, { cmdlet: 'Get-CsUser', params: { Identity: items } });
    const end = await hostile.done;
    expect([end.status, end.last?.error?.code]).toEqual([413, 'REQUEST_TOO_LARGE']);
    expect(end.bytes).toBeLessThan(4_096);
    await stillServing();
  });
});

describe('client frames', () => {
  it('a 2 MB deeply nested frame before sign-in closes the connection with 1009', async () => {
    const raw = await RawClient.open(c.fixture.atl.address, c.ca);
    const nested = `${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}`;
    raw.sendRaw(`{"id":1,"type":"signin","payload":${nested.slice(0, Limits.maxFrameBytes - 100)}}`);
    await new Promise<void>((resolve) => raw.ws.once('close', () => resolve()));
    expect(raw.closed?.code).toBe(CloseCode.TooLarge);
    await stillServing();
  });

  it('a deeply nested frame after sign-in gets LIMIT_EXCEEDED, with its id, and the connection stays', async () => {
    const deep = `${'['.repeat(Limits.maxFrameDepth + 1)}${']'.repeat(Limits.maxFrameDepth + 1)}`;
    const answer = carol.client.next((f) => f.re === 'deep', 30_000);
    carol.client.sendRaw(`{"id":"deep","type":"presence.set","payload":{"x":${deep}}}`);
    const f = await answer;
    expect(f.ok).toBe(false);
    expect(f.error?.code).toBe('LIMIT_EXCEEDED');
    await stillServing();
  });
});
