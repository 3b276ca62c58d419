/**
 * Conference content is bounded per conference and per organizing user (one user filled the disk), and
 * deleting content deletes its file at the home pool and, through the Backup Service, at the backup pool.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster, eventually, harnessPeer, itemsAt } from '../../src/devkit/cluster.js';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';
import { ATL, DAL } from '../../src/devkit/topology-fixture.js';
import { contentFilePath } from '../../src/conferencing/content-store.js';

const KIB = 1024;
const ALICE = 'sip:alice@litwareinc.com';

let c: Cluster;
let alice: RawClient;
beforeAll(async () => {
  c = await Cluster.start({ users: 4, contentQuotaMb: { conference: 1, user: 1.5 } });
  alice = await RawClient.open(c.fixture.atl.address, c.ca);
  await alice.ok('signin', { user: ALICE, password: 'Test-Password-1' });
}, 120_000);
afterAll(async () => {
  await alice.close();
  await c.stop();
});

const upload = (confId: unknown, bytes: number, fill = 'x') =>
  alice.request('content.upload', {
    confId,
    name: 'deck.bin',
    kind: 'file',
    data: Buffer.alloc(bytes, fill).toString('base64'),
  });

const fileAt = (pool: string, sha: unknown) =>
  contentFilePath(join(c.dataDir, 'files', pool), ALICE, String(sha));

describe('content quotas', () => {
  it('refuses an upload past the conference quota, then past the user quota, naming quota and usage', async () => {
    const one = await alice.ok('conf.create', { subject: 'One' });
    expect((await upload(one.confId, 600 * KIB)).ok).toBe(true);
    const overConference = await upload(one.confId, 600 * KIB, 'y');
    expect(overConference.error?.code).toBe('CONTENT_QUOTA_EXCEEDED');
    expect(overConference.error).toMatchObject({
      params: { scope: expect.stringContaining('conference'), quota: 1024 * KIB, usage: 600 * KIB },
    });

    const two = await alice.ok('conf.create', { subject: 'Two' });
    expect((await upload(two.confId, 600 * KIB, 'z')).ok).toBe(true);
    const overUser = await upload(two.confId, 400 * KIB, 'w');
    expect(overUser.error?.code).toBe('CONTENT_QUOTA_EXCEEDED');
    expect(overUser.error).toMatchObject({
      params: { scope: expect.stringContaining(ALICE), quota: 1536 * KIB, usage: 1200 * KIB },
    });
    // Room comes back with a deletion.
    const items = (await alice.ok('content.list', { confId: one.confId })).items as { contentId: string }[];
    for (const i of items) await alice.ok('content.delete', { confId: one.confId, contentId: i.contentId });
    expect((await upload(two.confId, 400 * KIB, 'w')).ok).toBe(true);
    await alice.ok('conf.end', { confId: one.confId });
    await alice.ok('conf.end', { confId: two.confId });
  });
});

describe('content deletion', () => {
  it('deletes the file at the home pool and, once replicated, at the backup pool', async () => {
    const conf = await alice.ok('conf.create', { subject: 'Delete me' });
    const item = await alice.ok('content.upload', {
      confId: conf.confId,
      name: 'notes.txt',
      kind: 'file',
      data: Buffer.from('to be deleted').toString('base64'),
    });
    expect(existsSync(fileAt(ATL, item.sha256))).toBe(true);
    expect(await eventually(() => existsSync(fileAt(DAL, item.sha256)), 60_000)).toBe(true);

    await alice.ok('content.delete', { confId: conf.confId, contentId: item.contentId });
    expect(existsSync(fileAt(ATL, item.sha256))).toBe(false);
    expect(await eventually(() => !existsSync(fileAt(DAL, item.sha256)), 60_000)).toBe(true);
  });

  it('keeps a file another item of the same user still uses', async () => {
    const conf = await alice.ok('conf.create', { subject: 'Twice' });
    const data = Buffer.from('shared bytes').toString('base64');
    const first = await alice.ok('content.upload', {
      confId: conf.confId,
      name: 'a.txt',
      kind: 'file',
      data,
    });
    const second = await alice.ok('content.upload', {
      confId: conf.confId,
      name: 'b.txt',
      kind: 'file',
      data,
    });
    expect(second.sha256).toBe(first.sha256);
    expect(await eventually(() => existsSync(fileAt(DAL, first.sha256)), 60_000)).toBe(true);
    await alice.ok('content.delete', { confId: conf.confId, contentId: first.contentId });
    const got = await alice.ok('content.get', { confId: conf.confId, contentId: second.contentId });
    expect(got.data).toBe(data);
    // Once the backup pool's copy no longer holds the deleted item, the deletion was applied there.
    const peer = harnessPeer(c);
    const key = `${String(conf.confId)}#${String(first.contentId)}`;
    const applied = await eventually(
      async () => !(await itemsAt(peer, DAL, ALICE)).some((i) => i.kind === 'content' && i.key === key),
      60_000,
    );
    expect(applied).toBe(true);
    // A change made after that one has been applied too: the backup pool is done with the deletion.
    const marker = await alice.ok('content.upload', {
      confId: conf.confId,
      name: 'marker.txt',
      kind: 'file',
      data: Buffer.from('after the delete').toString('base64'),
    });
    const markerKey = `${String(conf.confId)}#${String(marker.contentId)}`;
    expect(
      await eventually(
        async () => (await itemsAt(peer, DAL, ALICE)).some((i) => i.key === markerKey),
        60_000,
      ),
    ).toBe(true);
    peer.close();
    expect(existsSync(fileAt(DAL, first.sha256))).toBe(true);
    expect(existsSync(fileAt(ATL, first.sha256))).toBe(true);
  });
});
