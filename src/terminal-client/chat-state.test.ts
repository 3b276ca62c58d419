import { describe, expect, it } from 'vitest';
import { ChatState } from './chat-state.js';
import { toSip } from './sip.js';

const sip = (name: string) => toSip(name, 'litwareinc.com');
const entry = (name: string) => ({ sip: sip(name), displayName: name, role: 'attendee' as const });

describe('ChatState', () => {
  it('numbers chats, finds them by number, peer or subject, and forgets the current one when it ends', () => {
    const state = new ChatState();
    const bob = state.addIm('im-1', sip('bob'), 'active');
    const conf = state.addConf('alice@litwareinc.com/adhoc-1', 'Sync', []);
    state.setCurrent(bob);
    expect(state.find('1', sip)).toBe(bob);
    expect(state.find('bob', sip)).toBe(bob);
    expect(state.find('sync', sip)).toBe(conf);
    expect(state.find('alice@litwareinc.com/adhoc-1', sip)).toBe(conf);
    expect(state.find('9', sip)).toBeUndefined();
    expect(state.numberOf(conf)).toBe(2);
    state.removeIm('im-1');
    expect(state.current()).toBeUndefined();
    expect(state.numberOf(conf)).toBe(1);
  });

  it('keeps pending invitations in order and prefers a live chat when a peer has several', () => {
    const state = new ChatState();
    state.addIm('im-1', sip('bob'), 'invited');
    state.addIm('im-2', sip('carol'), 'invited');
    expect(state.pendingInvitations().map((c) => c.sessionId)).toEqual(['im-1', 'im-2']);
    const live = state.addIm('im-3', sip('bob'), 'active');
    expect(state.find('bob', sip)).toBe(live);
    expect(state.dropImChats()).toHaveLength(3);
    expect(state.chats()).toEqual([]);
  });

  it('reports who joined and left a conference', () => {
    const state = new ChatState();
    state.addConf('c1', 'Sync', [entry('alice')]);
    expect(state.updateRoster('c1', [entry('alice'), entry('bob')])).toEqual({
      joined: [entry('bob')],
      left: [],
    });
    expect(state.updateRoster('c1', [entry('bob')])).toEqual({ joined: [], left: [entry('alice')] });
    expect(state.updateRoster('other', [])).toBeUndefined();
  });

  it('drops a conference invitation once the conference is joined', () => {
    const state = new ChatState();
    state.addConfInvite({ confId: 'c1', from: sip('bob'), subject: 'Sync' });
    state.addConfInvite({ confId: 'c1', from: sip('bob'), subject: 'Sync' });
    expect(state.confInvites()).toHaveLength(1);
    state.addConf('c1', 'Sync', []);
    expect(state.confInvites()).toHaveLength(0);
  });

  it('tells a presence change from a repeat of the state already seen', () => {
    const state = new ChatState();
    const busy = { sip: sip('bob'), availability: 'Busy' as const, note: '', at: 1 };
    expect(state.updatePresence(busy)).toBe(true);
    expect(state.updatePresence({ ...busy, at: 2 })).toBe(false);
    expect(state.updatePresence({ ...busy, note: 'call' })).toBe(true);
    expect(state.presenceOf('bob@litwareinc.com')?.note).toBe('call');
  });

  it('keeps an answer that overtakes the invitation response', () => {
    const state = new ChatState();
    expect(state.answerIm('im-1', true)).toBeUndefined();
    expect(state.addIm('im-1', sip('bob'), 'inviting').status).toBe('active');
    state.answerIm('im-2', false);
    state.addIm('im-2', sip('carol'), 'inviting');
    expect(state.im('im-2')).toBeUndefined();
    state.addIm('im-3', sip('dave'), 'inviting');
    expect(state.answerIm('im-3', true)?.status).toBe('active');
    state.answerIm('im-3', false);
    expect(state.im('im-3')).toBeUndefined();
  });
});
