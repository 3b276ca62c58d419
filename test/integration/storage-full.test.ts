/**
 * A full disk under a running deployment, for real: the data folder is a small tmpfs (mounted as root), a
 * filler file takes its last byte, and then: `tandem up` keeps supervising (its log file cannot grow), an
 * upload answers STORAGE_FULL (retryable) instead of INTERNAL, and once space is back, uploads work again,
 * every acknowledged write is still there and every SQLite file passes integrity_check.
 */
import { execFileSync } from 'node:child_process';
import {
  readFileSync,
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { eventually, runCli } from '../../src/devkit/cluster.js';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';
import { litwareFixture } from '../../src/devkit/topology-fixture.js';
import { startUp, type UpProcess } from '../../src/devkit/up-process.fixture.js';
import { caCertPath } from '../../src/certificates/deployment-pki.js';

const base = mkdtempSync(join(tmpdir(), 'tandem-full-'));
const dataDir = join(base, 'data');
const topologyPath = join(base, 'topology.yaml');
const filler = join(dataDir, 'filler.bin');
const env = { TANDEM_DATA: dataDir, TANDEM_TOPOLOGY: topologyPath };

/** A 24 MiB tmpfs: real ENOSPC without filling the machine's disk. Needs root (CAP_SYS_ADMIN). */
function mountSmallDisk(): boolean {
  mkdirSync(dataDir, { recursive: true });
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', dataDir], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const mounted = mountSmallDisk();
const ups: UpProcess[] = [];

afterAll(async () => {
  await runCli(['down', '--data', dataDir, '--kill'], env).catch(() => undefined);
  for (const u of ups) u.proc.kill('SIGKILL');
  if (mounted) execFileSync('umount', ['-l', dataDir], { stdio: 'ignore' });
  rmSync(base, { recursive: true, force: true });
});

/** Takes every free byte of the data folder's file system. */
function fillDisk(): void {
  const fd = openSync(filler, 'a');
  try {
    for (const size of [1 << 20, 1 << 12, 1]) {
      const chunk = Buffer.alloc(size);
      for (;;) {
        try {
          writeSync(fd, chunk);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw err;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
}

async function signIn(address: string, user: string): Promise<RawClient> {
  const cl = await RawClient.open(address, readFileSync(caCertPath(dataDir), 'utf8'));
  await cl.ok('signin', { user, password: 'Test-Password-1' });
  return cl;
}

const upload = (c: RawClient, confId: string, bytes: number, name: string) =>
  c.request('content.upload', {
    confId,
    name,
    kind: 'file',
    data: Buffer.alloc(bytes, name).toString('base64'),
  });

describe.skipIf(!mounted)('a full disk under a running deployment (tmpfs data folder)', () => {
  it('keeps supervising, answers STORAGE_FULL, and loses nothing acknowledged', async () => {
    const fixture = await litwareFixture({ users: 4 });
    writeFileSync(topologyPath, fixture.yaml);
    const first = startUp(topologyPath, dataDir);
    ups.push(first);
    await first.waitFor('is running');

    const alice = await signIn(fixture.atl.address, 'sip:alice@litwareinc.com');
    await alice.ok('contacts.add', { sip: 'sip:bob@litwareinc.com', group: 'before-full' });
    const conf = await alice.ok('conf.create', { subject: 'Disk full' });
    const confId = String(conf.confId);
    const kept = await alice.ok('content.upload', {
      confId,
      name: 'kept',
      kind: 'file',
      data: Buffer.from('acknowledged before the disk filled').toString('base64'),
    });

    fillDisk();

    // The server's log lines reach the supervisor's log file, which cannot grow: `tandem up` stays up.
    const deadline = Date.now() + 120_000;
    while (!first.output().includes('cannot write the log file')) {
      if (first.proc.exitCode !== null) throw new Error(`tandem up exited:\n${first.output()}`);
      if (Date.now() > deadline) throw new Error(`no log file warning in:\n${first.output()}`);
      await runCli(['Get-CsPool'], env);
    }
    expect(first.proc.exitCode).toBe(null);

    const refused = await upload(alice, confId, 256 * 1024, 'refused');
    expect(refused.ok).toBe(false);
    expect(refused.error).toMatchObject({ code: 'STORAGE_FULL', retryable: true });
    // The partial file would hold on to the very space that ran out. (The Backup Service at Dallas retries
    // its copy of the conference's content meanwhile: each attempt's temporary file lives for an instant, and
    // is removed when the disk refuses it. A leaked one would stay.)
    const partial = () =>
      readdirSync(join(dataDir, 'files'), { recursive: true, encoding: 'utf8' }).filter((f) =>
        f.endsWith('.tmp'),
      );
    let left: string[] = [];
    expect(await eventually(() => (left = partial()).length === 0), left.join(', ')).toBe(true);
    // A small write may still fit in pages the store already holds; if it does not, it is STORAGE_FULL too.
    const small = await alice.request('contacts.add', { sip: 'sip:carol@litwareinc.com', group: 'during' });
    if (!small.ok) expect(small.error).toMatchObject({ code: 'STORAGE_FULL' });

    rmSync(filler);
    const after = await upload(alice, confId, 256 * 1024, 'after');
    expect(after.ok).toBe(true);
    await alice.close();

    const stopped = await runCli(['down', '--data', dataDir], env);
    expect(stopped.code).toBe(0);
    await first.exited;
    const stores = readdirSync(dataDir, { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.sqlite'),
    );
    expect(stores.length).toBeGreaterThan(0);
    for (const f of stores) {
      const db = new BetterSqlite3(join(dataDir, f), { readonly: true });
      expect([f, db.pragma('integrity_check', { simple: true })]).toEqual([f, 'ok']);
      db.close();
    }

    const second = startUp(topologyPath, dataDir);
    ups.push(second);
    await second.waitFor('is running');
    const again = await signIn(fixture.atl.address, 'sip:alice@litwareinc.com');
    expect(await again.ok('contacts.list')).toMatchObject({
      contacts: expect.arrayContaining([
        expect.objectContaining({ sip: 'sip:bob@litwareinc.com', group: 'before-full' }),
      ]),
    });
    const got = await again.ok('content.get', { confId, contentId: kept.contentId });
    expect(Buffer.from(String(got.data), 'base64').toString()).toBe('acknowledged before the disk filled');
    await again.close();
    second.proc.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });
});
