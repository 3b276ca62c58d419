/**
 * What a deployment writes is its administrators' alone: after a real `tandem up` that stored content and
 * exported its topology, every file of the data folder (stores and their -wal/-shm files, CMS replicas, logs,
 * content, run state, secrets) is 0600 and every folder 0700, and a data folder left open by an older
 * version is closed on start.
 */
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/devkit/cluster.js';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';
import { litwareFixture } from '../../src/devkit/topology-fixture.js';
import { startUp, type UpProcess } from '../../src/devkit/up-process.fixture.js';
import { caCertPath } from '../../src/certificates/deployment-pki.js';

const base = mkdtempSync(join(tmpdir(), 'tandem-modes-'));
const dataDir = join(base, 'data');
const topologyPath = join(base, 'topology.yaml');
const env = { TANDEM_DATA: dataDir, TANDEM_TOPOLOGY: topologyPath };
let up: UpProcess | undefined;

afterAll(async () => {
  await runCli(['down', '--data', dataDir, '--kill'], env);
  up?.proc.kill('SIGKILL');
  rmSync(base, { recursive: true, force: true });
});

/** Every entry under `dir` with its permission bits, the folder itself included. */
function modes(dir: string): { path: string; dir: boolean; mode: string }[] {
  const out = [{ path: '.', dir: true, mode: (statSync(dir).mode & 0o777).toString(8) }];
  for (const rel of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const st = statSync(join(dir, rel));
    out.push({ path: rel, dir: st.isDirectory(), mode: (st.mode & 0o777).toString(8) });
  }
  return out;
}

describe('file modes of a running deployment', () => {
  it('keeps stores, replicas, logs, content and run state private (0600 files, 0700 folders)', async () => {
    const fixture = await litwareFixture({ users: 4 });
    writeFileSync(topologyPath, fixture.yaml);
    // A data folder an older version left world-readable.
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    up = startUp(topologyPath, dataDir);
    await up.waitFor('is running');

    const alice = await RawClient.open(fixture.atl.address, readFileSync(caCertPath(dataDir), 'utf8'));
    await alice.ok('signin', { user: 'sip:alice@litwareinc.com', password: 'Test-Password-1' });
    const conf = await alice.ok('conf.create', { subject: 'Modes' });
    await alice.ok('content.upload', {
      confId: conf.confId,
      name: 'notes',
      kind: 'file',
      data: Buffer.from('private notes').toString('base64'),
    });
    await alice.close();
    const exported = join(base, 'exported.yaml');
    expect((await runCli(['Export-CsTopology', '-FileName', exported], env)).code).toBe(0);
    expect((statSync(exported).mode & 0o777).toString(8)).toBe('600');

    const seen = modes(dataDir);
    // The kinds of file the promise is about are all there to check.
    for (const kind of [/\.sqlite$/, /\.sqlite-wal$/, /\.sqlite-shm$/, /\.log$/, /run\/deployment\.json$/])
      expect(seen.some((e) => kind.test(e.path))).toBe(true);
    expect(seen.some((e) => /^[0-9a-f]{64}$/.test(e.path.split('/').at(-1) ?? ''))).toBe(true);
    const open = seen.filter((e) => e.mode !== (e.dir ? '700' : '600'));
    expect(open).toEqual([]);

    // A data folder left open (by an older version, or by hand) is closed on the next start.
    expect((await runCli(['down', '--data', dataDir], env)).code).toBe(0);
    await up.exited;
    for (const [path, mode] of [
      ['.', 0o755],
      ['logs', 0o755],
      ['atl.sqlite', 0o644],
      ['run/deployment.json', 0o644],
    ] as const)
      chmodSync(join(dataDir, path), mode);
    up = startUp(topologyPath, dataDir);
    await up.waitFor('is running');
    expect(modes(dataDir).filter((e) => e.mode !== (e.dir ? '700' : '600'))).toEqual([]);
  });
});
