/**
 * A client cannot act as another user. The catalog gives no operation a field that names the acting user,
 * and the server refuses any such field; then, for every operation of the catalog, alice (Atlanta) tries it
 * on bob's things (Dallas) — his settings, contacts, presence, meetings, conferences, content and IM sessions
 * — and bob's data at his pool is byte for byte what it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Cluster, harnessPeer, itemsAt } from '../../src/devkit/cluster.js';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';
import { DAL } from '../../src/devkit/topology-fixture.js';
import type { PeerClient } from '../../src/s2s/peer-client.js';
import { allOperations, type OperationType } from '../../src/protocol/operations/index.js';
import { homeAddress, sipOf, signedIn, type SignedIn } from './security-kit.js';

/** Field names that would let a payload say who acts. No operation may have one. */
const ACTOR_FIELDS = ['from', 'by', 'owner', 'organizer', 'uploadedBy', 'actor', 'as', 'onBehalfOf'];
const ACTOR_OR_USER = [...ACTOR_FIELDS, 'user', 'sip', 'endpointId'];

let c: Cluster;
let peer: PeerClient;
let alice: SignedIn;
let bob: SignedIn;
let carol: SignedIn;
/** Bob's things that alice goes after. */
const bobs = { meetingId: '', contentId: '', adhocId: '', pendingIm: '', activeIm: '' };
const bobsContent = () => ({ confId: bobs.meetingId, contentId: bobs.contentId });
let bobBefore: { kind: string; key: string; value: string }[];

const bobItems = async () =>
  (await itemsAt(peer, DAL, sipOf('bob'))).sort((a, b) =>
    `${a.kind}/${a.key}`.localeCompare(`${b.kind}/${b.key}`),
  );

async function refused(client: RawClient, type: string, payload: unknown, code: string): Promise<void> {
  const f = await client.request(type, payload);
  expect(f.ok, `${type} ${JSON.stringify(payload)}`).toBe(false);
  expect(f.error?.code, `${type} ${JSON.stringify(payload)}`).toBe(code);
}

beforeAll(async () => {
  c = await Cluster.start({ users: 10 });
  peer = harnessPeer(c);
  [alice, bob, carol] = await Promise.all([signedIn(c, 'alice'), signedIn(c, 'bob'), signedIn(c, 'carol')]);
  const b = bob.client;
  await b.ok('settings.set', { key: 'theme', value: 'bob-dark' });
  await b.ok('groups.add', { name: 'BobGroup' });
  await b.ok('contacts.add', { sip: carol.sip, group: 'BobGroup' });
  await b.ok('presence.publish', { availability: 'Busy', note: 'bob-note' });
  await b.ok('presence.subscribe', { users: [carol.sip] });
  const meeting = await b.ok('meeting.schedule', {
    subject: 'Bob only',
    start: '2030-01-01T10:00:00Z',
    end: '2030-01-01T11:00:00Z',
    invitees: [sipOf('dave')],
  });
  bobs.meetingId = String(meeting.meetingId);
  const item = await b.ok('content.upload', {
    confId: bobs.meetingId,
    name: 'plan.txt',
    kind: 'file',
    data: Buffer.from('bob-private-plan').toString('base64'),
  });
  bobs.contentId = String(item.contentId);
  bobs.adhocId = String((await b.ok('conf.create', { subject: 'Bob adhoc' })).confId);
  // IM sessions between carol and bob: one still pending at bob, one accepted.
  bobs.pendingIm = String((await carol.client.ok('im.invite', { to: bob.sip })).sessionId);
  await b.push('im.invited', (p) => p.sessionId === bobs.pendingIm);
  bobs.activeIm = String((await carol.client.ok('im.invite', { to: bob.sip })).sessionId);
  await b.push('im.invited', (p) => p.sessionId === bobs.activeIm);
  await b.ok('im.accept', { sessionId: bobs.activeIm });
  await carol.client.push('im.accepted', (p) => p.sessionId === bobs.activeIm);
  bobBefore = await bobItems();
});

afterAll(async () => {
  peer.close();
  await Promise.all([alice, bob, carol].map((u) => u.client.close()));
  await c.stop();
});

describe('the operation catalog', () => {
  it('has no operation whose payload names the acting user (signin names who signs in)', () => {
    for (const op of allOperations()) {
      if (op.type === 'signin') continue;
      expect(op.payload, op.type).toBeInstanceOf(z.ZodObject);
      const fields = Object.keys((op.payload as z.ZodObject).shape);
      expect(
        fields.filter((f) => ACTOR_FIELDS.includes(f)),
        op.type,
      ).toEqual([]);
    }
  });

  it('refuses every operation with an added field naming another user, whatever the field', async () => {
    const first = await signedIn(c, 'user005');
    await first.client.close();
    const { token } = first;
    for (const op of allOperations()) {
      if (op.type === 'signin') continue;
      // A connection per operation keeps the probes under the frame rate limit.
      const probe = await RawClient.open(homeAddress(c, 'user005'), c.ca);
      await probe.ok('signin', { user: sipOf('user005'), token });
      const own = Object.keys((op.payload as z.ZodObject).shape);
      for (const field of ACTOR_OR_USER.filter((f) => !own.includes(f))) {
        const payload = { ...(op.example as Record<string, unknown>), [field]: bob.sip };
        await refused(probe, op.type, payload, 'PROTOCOL_BAD_PAYLOAD');
      }
      // Still signed in as itself: the refusals changed nothing.
      expect(await probe.ok('settings.get'), op.type).toEqual({ settings: {} });
      await probe.close();
    }
  });
});

type Attempt = () => Promise<void>;

/** For every operation type, what alice tries against bob, and what must happen. */
const ATTEMPTS: Record<OperationType, Attempt> = {
  signin: async () => {
    // A signed-in connection cannot become someone else, even with the right password.
    await refused(
      alice.client,
      'signin',
      { user: bob.sip, password: 'Test-Password-1' },
      'ALREADY_SIGNED_IN',
    );
    const fresh = await RawClient.open(homeAddress(c, 'bob'), c.ca);
    await refused(fresh, 'signin', { user: bob.sip, token: alice.token }, 'TOKEN_INVALID');
    await refused(fresh, 'settings.get', {}, 'NOT_SIGNED_IN');
    await fresh.close();
  },
  ping: async () => {
    expect((await alice.client.ok('ping')).now).toEqual(expect.any(Number));
  },
  'presence.publish': async () => {
    await alice.client.ok('presence.publish', { availability: 'Away', note: 'alice-note' });
    const seen = await carol.client.ok('presence.subscribe', { users: [bob.sip, alice.sip] });
    expect(seen.states).toEqual([
      expect.objectContaining({ sip: bob.sip, availability: 'Busy', note: 'bob-note' }),
      expect.objectContaining({ sip: alice.sip, availability: 'Away', note: 'alice-note' }),
    ]);
  },
  'presence.subscribe': async () => {
    const seen = await alice.client.ok('presence.subscribe', { users: [bob.sip, carol.sip] });
    expect(seen.states).toEqual([
      expect.objectContaining({ sip: bob.sip, note: 'bob-note' }),
      expect.objectContaining({ sip: carol.sip }),
    ]);
  },
  'presence.unsubscribe': async () => {
    // Alice drops her subscription to carol; bob's subscription to carol is his own and stays.
    await alice.client.ok('presence.unsubscribe', { users: [carol.sip] });
    await carol.client.ok('presence.publish', { availability: 'BeRightBack', note: 'carol-brb' });
    await bob.client.push('presence.changed', (p) => p.sip === carol.sip && p.note === 'carol-brb');
  },
  'contacts.list': async () => {
    expect(await alice.client.ok('contacts.list')).toEqual({ groups: [], contacts: [] });
  },
  'contacts.add': async () => {
    await alice.client.ok('contacts.add', { sip: bob.sip, group: 'Friends' });
    const mine = await alice.client.ok('contacts.list');
    expect(mine.contacts).toEqual([expect.objectContaining({ sip: bob.sip, group: 'Friends' })]);
  },
  'contacts.remove': () => refused(alice.client, 'contacts.remove', { sip: carol.sip }, 'NOT_FOUND'),
  'contacts.move': () =>
    refused(alice.client, 'contacts.move', { sip: carol.sip, group: 'Stolen' }, 'NOT_FOUND'),
  'groups.add': async () => {
    await alice.client.ok('groups.add', { name: 'Mine' });
  },
  'groups.rename': () =>
    refused(alice.client, 'groups.rename', { name: 'BobGroup', newName: 'Renamed' }, 'NOT_FOUND'),
  'groups.remove': () => refused(alice.client, 'groups.remove', { name: 'BobGroup' }, 'NOT_FOUND'),
  'im.invite': async () => {
    const s = await alice.client.ok('im.invite', { to: bob.sip, text: 'hello' });
    // The invitation says who sent it; the client has no say in that.
    expect(await bob.client.push('im.invited', (p) => p.sessionId === s.sessionId)).toMatchObject({
      from: alice.sip,
      displayName: 'Alice Smith',
    });
    await alice.client.ok('im.end', { sessionId: s.sessionId });
  },
  'im.accept': () => refused(alice.client, 'im.accept', { sessionId: bobs.pendingIm }, 'SESSION_NOT_FOUND'),
  'im.decline': async () => {
    await refused(alice.client, 'im.decline', { sessionId: bobs.pendingIm }, 'SESSION_NOT_FOUND');
    // The invitation is still bob's to answer.
    await bob.client.ok('im.accept', { sessionId: bobs.pendingIm });
    await carol.client.push('im.accepted', (p) => p.sessionId === bobs.pendingIm);
  },
  'im.send': () =>
    refused(alice.client, 'im.send', { sessionId: bobs.activeIm, text: 'spoofed' }, 'SESSION_NOT_FOUND'),
  'im.typing': () => refused(alice.client, 'im.typing', { sessionId: bobs.activeIm }, 'SESSION_NOT_FOUND'),
  'im.end': async () => {
    await refused(alice.client, 'im.end', { sessionId: bobs.activeIm }, 'SESSION_NOT_FOUND');
    // The session still works, and carol never heard from alice on it.
    await bob.client.ok('im.send', { sessionId: bobs.activeIm, text: 'still here' });
    await carol.client.push('im.message', (p) => p.text === 'still here' && p.from === bob.sip);
    const fromAlice = carol.client.frames.filter(
      (f) => f.payload?.sessionId === bobs.activeIm && f.payload.from === alice.sip,
    );
    expect(fromAlice).toEqual([]);
  },
  'conf.create': async () => {
    const conf = await alice.client.ok('conf.create', { subject: 'as alice' });
    expect(String(conf.confId)).toMatch(/^alice@litwareinc\.com\/adhoc-/);
    expect(conf.roster).toEqual([expect.objectContaining({ sip: alice.sip, role: 'organizer' })]);
    await alice.client.ok('conf.end', { confId: conf.confId });
  },
  'conf.invite': () =>
    refused(alice.client, 'conf.invite', { confId: bobs.adhocId, users: [carol.sip] }, 'NOT_PARTICIPANT'),
  'conf.message': () =>
    refused(alice.client, 'conf.message', { confId: bobs.adhocId, text: 'hi' }, 'NOT_PARTICIPANT'),
  'conf.join': async () => {
    // Knowing the id lets her in (as in Lync), as an attendee: never as the organizer.
    const joined = await alice.client.ok('conf.join', { confId: bobs.adhocId });
    expect(joined.roster).toEqual([
      expect.objectContaining({ sip: bob.sip, role: 'organizer' }),
      expect.objectContaining({ sip: alice.sip, role: 'attendee' }),
    ]);
  },
  'conf.end': () => refused(alice.client, 'conf.end', { confId: bobs.adhocId }, 'NOT_ORGANIZER'),
  'conf.leave': async () => {
    await alice.client.ok('conf.leave', { confId: bobs.adhocId });
    // Bob is still in his conference: a message of his reaches... himself, its only participant.
    await bob.client.ok('conf.message', { confId: bobs.adhocId, text: 'still mine' });
    await bob.client.push('conf.message', (p) => p.text === 'still mine');
  },
  'meeting.schedule': async () => {
    const m = await alice.client.ok('meeting.schedule', {
      subject: 'Alice meeting',
      start: '2030-02-01T10:00:00Z',
      end: '2030-02-01T11:00:00Z',
      invitees: [bob.sip],
    });
    expect(m).toMatchObject({ organizer: alice.sip });
    expect(String(m.meetingId)).toMatch(/^alice@litwareinc\.com\/m-/);
  },
  'meeting.update': () =>
    refused(
      alice.client,
      'meeting.update',
      { meetingId: bobs.meetingId, subject: 'Hijacked' },
      'CONFERENCE_NOT_FOUND',
    ),
  'meeting.cancel': () =>
    refused(alice.client, 'meeting.cancel', { meetingId: bobs.meetingId }, 'CONFERENCE_NOT_FOUND'),
  'meeting.list': async () => {
    const { meetings } = await alice.client.ok('meeting.list');
    expect(meetings).toEqual([expect.objectContaining({ organizer: alice.sip })]);
  },
  'content.upload': () =>
    refused(
      alice.client,
      'content.upload',
      { confId: bobs.meetingId, name: 'x.txt', kind: 'file', data: 'eA==' },
      'NOT_PARTICIPANT',
    ),
  'content.list': () => refused(alice.client, 'content.list', { confId: bobs.meetingId }, 'NOT_PARTICIPANT'),
  'content.get': () => refused(alice.client, 'content.get', bobsContent(), 'NOT_PARTICIPANT'),
  'content.delete': async () => {
    const deleteIt = () => refused(alice.client, 'content.delete', bobsContent(), 'NOT_ORGANIZER');
    await deleteIt();
    // Joining does not make her the organizer or the uploader.
    await alice.client.ok('conf.join', { confId: bobs.meetingId });
    await deleteIt();
    await alice.client.ok('conf.leave', { confId: bobs.meetingId });
  },
  'settings.get': async () => {
    expect(await alice.client.ok('settings.get')).toEqual({ settings: {} });
  },
  'settings.set': async () => {
    await alice.client.ok('settings.set', { key: 'theme', value: 'alice-light' });
    expect(await alice.client.ok('settings.get')).toEqual({ settings: { theme: 'alice-light' } });
    expect(await bob.client.ok('settings.get')).toEqual({ settings: { theme: 'bob-dark' } });
  },
  'directory.search': async () => {
    // The address book is shared, and carries names only: no hash, no token, no setting.
    const found = await alice.client.ok('directory.search', { query: 'bob', page: 0, pageSize: 20 });
    const results = found.results as Record<string, unknown>[];
    expect(results.map((r) => r.sip)).toContain(bob.sip);
    for (const r of results) expect(Object.keys(r).sort()).toEqual(['displayName', 'sip']);
  },
  signout: async () => {
    await alice.client.ok('signout');
    // Only alice's endpoint went: bob still gets carol's messages.
    await carol.client.ok('im.send', { sessionId: bobs.activeIm, text: 'after signout' });
    await bob.client.push('im.message', (p) => p.text === 'after signout');
  },
};

describe('alice acting on bob’s things', () => {
  it('has an attempt for every operation of the catalog', () => {
    expect(Object.keys(ATTEMPTS).sort()).toEqual(
      allOperations()
        .map((o) => o.type)
        .sort(),
    );
  });

  for (const [type, attempt] of Object.entries(ATTEMPTS)) it(type, attempt);

  it('leaves bob’s data at his pool exactly as it was', async () => {
    expect(await bobItems()).toEqual(bobBefore);
    expect(bobBefore.map((i) => i.kind)).toEqual(
      expect.arrayContaining(['setting', 'contact', 'group', 'meeting', 'content']),
    );
  });
});
