/**
 * The Backup Service copies every kind of persistent user data to the backup pool, deletes and renames
 * included; the sync interval is honoured; verification catches a corrupted copy; pulls need a signature.
 */
import https from 'node:https';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { onStore } from '../support/store-sql.js';
import { Cluster, eventually, harnessPeer, itemsAt } from '../../src/devkit/cluster.js';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';
import { ATL, DAL } from '../../src/devkit/topology-fixture.js';
import type { PeerClient } from '../../src/s2s/peer-client.js';
import { contentFilePath } from '../../src/conferencing/content-store.js';

let c: Cluster;
let peer: PeerClient;
let alice: RawClient;
const ALICE = 'sip:alice@litwareinc.com';

beforeAll(async () => {
  c = await Cluster.start({ users: 8 });
  peer = harnessPeer(c);
  alice = await RawClient.open(c.fixture.atl.address, c.ca);
  await alice.ok('signin', { user: ALICE, password: 'Test-Password-1' });
});
afterAll(async () => {
  await alice.close();
  peer.close();
  await c.stop();
});

/** What Dallas holds of Alice's data, as `kind/key` → value. */
async function copyAtDallas(): Promise<Map<string, string>> {
  return new Map((await itemsAt(peer, DAL, ALICE)).map((i) => [`${i.kind}/${i.key}`, i.value]));
}

async function expectCopy(check: (copy: Map<string, string>) => boolean): Promise<void> {
  const ok = await eventually(async () => check(await copyAtDallas()), 5_000);
  expect(ok, JSON.stringify([...(await copyAtDallas())])).toBe(true);
}

describe('replication of each data kind', () => {
  it('contacts and groups: adds, moves, renames and deletes', async () => {
    await alice.ok('contacts.add', { sip: 'sip:bob@litwareinc.com', group: 'Team' });
    await expectCopy(
      (m) => m.has('group/Team') && m.get('contact/sip:bob@litwareinc.com') === '{"group":"Team"}',
    );
    await alice.ok('groups.rename', { name: 'Team', newName: 'Crew' });
    await expectCopy(
      (m) =>
        !m.has('group/Team') &&
        m.has('group/Crew') &&
        m.get('contact/sip:bob@litwareinc.com') === '{"group":"Crew"}',
    );
    await alice.ok('contacts.remove', { sip: 'sip:bob@litwareinc.com' });
    await expectCopy((m) => !m.has('contact/sip:bob@litwareinc.com') && m.has('group/Crew'));
    await alice.ok('groups.remove', { name: 'Crew' });
    await expectCopy((m) => !m.has('group/Crew'));
  });

  it('presence: the last published state and note', async () => {
    await alice.ok('presence.publish', { availability: 'Busy', note: 'first' });
    await alice.ok('presence.publish', { availability: 'Away', note: 'second' });
    await expectCopy((m) => /"availability":"Away".*"note":"second"/.test(m.get('presence/state') ?? ''));
  });

  it('settings: set, change and delete', async () => {
    await alice.ok('settings.set', { key: 'ringtone', value: 'bells' });
    await expectCopy((m) => m.get('setting/ringtone') === '"bells"');
    await alice.ok('settings.set', { key: 'ringtone', value: null });
    await expectCopy((m) => !m.has('setting/ringtone'));
  });

  it('scheduled meetings: schedule, update and cancel', async () => {
    const m = await alice.ok('meeting.schedule', {
      subject: 'Plan',
      start: '2026-12-03T09:00:00Z',
      end: '2026-12-03T10:00:00Z',
    });
    const key = `meeting/${String(m.meetingId)}`;
    await expectCopy((copy) => copy.get(key)?.includes('"Plan"') === true);
    await alice.ok('meeting.update', { meetingId: m.meetingId, subject: 'Plan B' });
    await expectCopy((copy) => copy.get(key)?.includes('"Plan B"') === true);
    await alice.ok('meeting.cancel', { meetingId: m.meetingId });
    await expectCopy((copy) => !copy.has(key));
  });

  it('conference content: the file itself reaches the backup file store, and deletes follow', async () => {
    const m = await alice.ok('meeting.schedule', {
      subject: 'Deck',
      start: '2026-12-04T09:00:00Z',
      end: '2026-12-04T10:00:00Z',
    });
    await alice.ok('conf.join', { confId: m.meetingId });
    const item = await alice.ok('content.upload', {
      confId: m.meetingId,
      name: 'deck.txt',
      kind: 'file',
      data: Buffer.from('slide 1').toString('base64'),
    });
    const key = `content/${String(m.meetingId)}#${String(item.contentId)}`;
    await expectCopy((copy) => copy.has(key));
    expect(existsSync(contentFilePath(join(c.dataDir, 'files', DAL), ALICE, String(item.sha256)))).toBe(true);
    await alice.ok('content.delete', { confId: m.meetingId, contentId: item.contentId });
    await expectCopy((copy) => !copy.has(key));
  });

  it('ad-hoc conference records: created and deleted when the conference ends', async () => {
    const conf = await alice.ok('conf.create', { subject: 'Huddle' });
    const key = `conference/${String(conf.confId)}`;
    await expectCopy((copy) => copy.has(key));
    await alice.ok('conf.end', { confId: conf.confId });
    await expectCopy((copy) => !copy.has(key));
  });
});

describe('sync interval', () => {
  it('holds changes back for the interval, and ships continuously again with -Continuous', async () => {
    expect((await c.shell('Set-CsBackupServiceConfiguration -SyncInterval 00:00:05')).code).toBe(0);
    // let the importer start a fresh interval
    await new Promise((r) => setTimeout(r, 2_500));
    await alice.ok('settings.set', { key: 'batched', value: 'yes' });
    await new Promise((r) => setTimeout(r, 700));
    expect((await copyAtDallas()).has('setting/batched')).toBe(false);
    await expectCopy((m) => m.has('setting/batched'));
    expect((await c.shell('Set-CsBackupServiceConfiguration -Continuous')).code).toBe(0);
    await new Promise((r) => setTimeout(r, 1_000));
    await alice.ok('settings.set', { key: 'continuous', value: 'yes' });
    await expectCopy((m) => m.has('setting/continuous'));
    const out = await c.shell('Set-CsBackupServiceConfiguration -SyncInterval 00:00:01');
    expect(out.err).toContain('SHELL_BAD_VALUE');
  });
});

describe('verification and forced sync', () => {
  it('finds a copy corrupted on purpose, user by user', async () => {
    await alice.ok('settings.set', { key: 'verify', value: 'v1' });
    const sync = await c.shell(`Invoke-CsBackupServiceSync -PoolFqdn ${ATL}`);
    expect(sync.json()[0]).toMatchObject({ Complete: true });
    const clean = await c.shell(`Test-CsBackupServiceData -PoolFqdn ${ATL}`);
    expect(clean.json()[0]).toMatchObject({ Result: 'Consistent', Differences: 0, UsersCompared: 4 });
    const tamper =
      "update user_item set value = '\"tampered\"' where kind = 'setting' and key = 'verify' and owner = ";
    await onStore(c, 'dal', { sqlite: `${tamper}?`, postgres: `${tamper}$1` }, [ALICE]);
    const dirty = await c.shell(`Test-CsBackupServiceData -PoolFqdn ${ATL}`);
    expect(dirty.json()[0]).toMatchObject({
      Result: 'Differences found',
      Differences: 1,
      UsersDiffering: [ALICE],
    });
  });
});

describe('authentication', () => {
  it('refuses a pull without the deployment credential', async () => {
    const body = JSON.stringify({
      source: ATL,
      importer: 'evil',
      after: 0,
      appliedAt: 0,
      maxChanges: 10,
      maxBytes: 4096,
      waitMs: 0,
    });
    const status = await new Promise<number>((resolve, reject) => {
      const [host, port] = c.fixture.atl.address.split(':');
      const req = https.request(
        {
          ca: c.ca,
          servername: c.fixture.atl.server,
          host,
          port: Number(port),
          method: 'POST',
          path: '/s2s/v1/backup/pull',
          headers: { 'content-type': 'application/json' },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
    expect(status).toBe(401);
  });
});

describe('metrics', () => {
  it('exports backlog, lag, shipped, applied and errors at /metrics', async () => {
    const { scrape, metric } = await import('../../src/bench/server-probe.js');
    await alice.ok('settings.set', { key: 'metrics', value: '1' });
    await c.shell(`Invoke-CsBackupServiceSync -PoolFqdn ${ATL}`);
    const atl = await scrape(c.fixture.atl.address, c.ca);
    const dal = await scrape(c.fixture.dal.address, c.ca);
    expect(metric(atl, 'tandem_backup_changes_shipped_total')).toBeGreaterThan(0);
    expect(
      atl.get(
        `tandem_backup_export_backlog_changes{module="PresenceFocus",server="${c.fixture.atl.server}"}`,
      ),
    ).toBe(0);
    expect(metric(dal, 'tandem_backup_changes_applied_total')).toBeGreaterThan(0);
    expect(metric(dal, 'tandem_backup_import_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(metric(atl, 'tandem_backup_errors_total')).toBeGreaterThanOrEqual(0);
  });
});
