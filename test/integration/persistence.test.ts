/** Persistent user data survives a restart of the pool, graceful or kill -9. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/devkit/cluster.js';
import { RawClient } from '../../src/devkit/raw-client.fixture.js';
import { ATL } from '../../src/devkit/topology-fixture.js';

let c: Cluster;
beforeAll(async () => {
  c = await Cluster.start({ users: 6 });
});
afterAll(async () => c.stop());

async function alice(): Promise<RawClient> {
  const cl = await RawClient.open(c.fixture.atl.address, c.ca);
  await cl.ok('signin', { user: 'sip:alice@litwareinc.com', password: 'Test-Password-1' });
  return cl;
}

describe('persistent user data', () => {
  it.each([['SIGTERM'], ['SIGKILL']] as const)('survives a restart of the home pool (%s)', async (signal) => {
    const a = await alice();
    const meeting = await a.ok('meeting.schedule', {
      subject: `After ${signal}`,
      start: '2026-12-02T10:00:00Z',
      end: '2026-12-02T11:00:00Z',
    });
    await a.ok('contacts.add', { sip: 'sip:bob@litwareinc.com', group: signal });
    await a.ok('presence.publish', { availability: 'DoNotDisturb', note: `note ${signal}` });
    await a.ok('settings.set', { key: 'signal', value: signal });
    await a.ok('conf.join', { confId: meeting.meetingId });
    const item = await a.ok('content.upload', {
      confId: meeting.meetingId,
      name: 'wb',
      kind: 'whiteboard',
      data: Buffer.from(`drawing ${signal}`).toString('base64'),
    });
    // the acknowledgement is the promise: kill -9 right after it
    await c.kill(ATL, signal);
    await c.startServer(ATL);

    const again = await alice();
    expect(await again.ok('contacts.list')).toMatchObject({
      contacts: expect.arrayContaining([
        expect.objectContaining({ sip: 'sip:bob@litwareinc.com', group: signal }),
      ]),
    });
    expect(await again.ok('settings.get')).toMatchObject({ settings: { signal } });
    expect((await again.ok('meeting.list')).meetings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ meetingId: meeting.meetingId, subject: `After ${signal}` }),
      ]),
    );
    const got = await again.ok('content.get', { confId: meeting.meetingId, contentId: item.contentId });
    expect(Buffer.from(String(got.data), 'base64').toString()).toBe(`drawing ${signal}`);
    const bob = await RawClient.open(c.fixture.dal.address, c.ca);
    await bob.ok('signin', { user: 'sip:bob@litwareinc.com', password: 'Test-Password-1' });
    expect(await bob.ok('presence.subscribe', { users: ['sip:alice@litwareinc.com'] })).toMatchObject({
      states: [{ availability: 'DoNotDisturb', note: `note ${signal}` }],
    });
    await bob.close();
    await again.close();
  });
});
