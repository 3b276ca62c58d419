import { describe, expect, it } from 'vitest';
import type { SignInResult } from '../client-sdk/index.js';
import { ChatState } from './chat-state.js';
import {
  bannerLines,
  chatsLines,
  contactsLines,
  contactsSummaryLine,
  meetingsLines,
  promptText,
  rosterLines,
  searchLines,
  servingPool,
} from './format-lists.js';
import { makeFmt, makeStyle } from './style.js';

const fmt = makeFmt(makeStyle(false), 'litwareinc.com');
const ATL = 'atl-cs-001.litwareinc.com';
const DAL = 'dal-cs-001.litwareinc.com';
const signIn: SignInResult = {
  sip: 'sip:alice@litwareinc.com',
  displayName: 'Alice Smith',
  endpointId: 'ep-1',
  mode: 'regular',
  servedBy: ATL,
  poolEpoch: 0,
  token: 't',
  tokenExpiresAt: 0,
  url: 'ws://127.0.0.1:1/v1/client',
  reconnected: false,
  registrars: {
    primary: { pool: ATL, servers: [{ fqdn: ATL, url: 'ws://127.0.0.1:1/v1/client' }] },
    backup: { pool: DAL, servers: [{ fqdn: DAL, url: 'ws://127.0.0.1:2/v1/client' }] },
  },
};

describe('list formatting', () => {
  it('prints the banner with pool, mode and registrars', () => {
    expect(bannerLines(fmt, signIn)).toEqual([
      'Signed in as Alice Smith (sip:alice@litwareinc.com)',
      `  pool ${ATL} (server ${ATL}), regular mode`,
      `  registrars: primary ${ATL}, backup ${DAL}`,
      'Type /help for the commands, /quit to sign out.',
    ]);
    expect(servingPool({ ...signIn, servedBy: DAL })).toBe(DAL);
  });

  it('groups contacts with their live presence, empty groups included', () => {
    const state = new ChatState();
    state.updatePresence({ sip: 'sip:bob@litwareinc.com', availability: 'Busy', note: 'call', at: 1 });
    const list = {
      groups: ['Team', 'Friends'],
      contacts: [
        { sip: 'sip:bob@litwareinc.com', group: 'Team', displayName: 'Bob Jones' },
        { sip: 'sip:carol@litwareinc.com', group: 'Team', displayName: 'Carol Diaz' },
      ],
    };
    expect(contactsLines(fmt, list, state)).toEqual([
      'Contacts (2):',
      '  Team',
      '    bob    Bob Jones   Busy — "call"',
      '    carol  Carol Diaz  ?',
      '  Friends',
      '    (empty)',
    ]);
    expect(contactsSummaryLine(fmt, list, state)).toBe(
      '* contacts: bob Busy — "call", carol ? — /contacts for the list',
    );
  });

  it('numbers search pages from 1 and points to the next one', () => {
    const page = {
      total: 3,
      page: 0,
      pageSize: 2,
      results: [
        { sip: 'sip:alice@litwareinc.com', displayName: 'Alice Smith' },
        { sip: 'sip:bob@litwareinc.com', displayName: 'Bob Jones' },
      ],
    };
    expect(searchLines(fmt, 'o', page)).toEqual([
      '3 matches for "o" (page 1 of 2)',
      '  alice  Alice Smith  sip:alice@litwareinc.com',
      '  bob    Bob Jones    sip:bob@litwareinc.com',
      '  more: /search o 2',
    ]);
  });

  it('lists chats with the current one marked and invitations with how to answer', () => {
    const state = new ChatState();
    state.setCurrent(state.addIm('im-1', 'sip:bob@litwareinc.com', 'active'));
    state.addIm('im-2', 'sip:carol@litwareinc.com', 'invited', 'hi');
    state.addConf('alice@litwareinc.com/adhoc-1', 'Sync', [
      { sip: 'sip:alice@litwareinc.com', displayName: 'Alice', role: 'organizer' },
    ]);
    state.addConfInvite({
      confId: 'dave@litwareinc.com/adhoc-2',
      from: 'sip:dave@litwareinc.com',
      subject: 'X',
    });
    expect(chatsLines(fmt, state)).toEqual([
      '  1  chat with bob ← current',
      '  2  invitation from carol: "hi" — /accept im-2',
      '  3  conference "Sync" — 1 in it: alice (organizer)',
      '  -  "X" from dave: invitation — /join dave@litwareinc.com/adhoc-2',
    ]);
    expect(chatsLines(fmt, new ChatState())[0]).toMatch(/^No chats/);
  });

  it('shows a roster and meetings', () => {
    const state = new ChatState();
    const conf = state.addConf('alice@litwareinc.com/adhoc-1', 'Sync', [
      { sip: 'sip:alice@litwareinc.com', displayName: 'Alice Smith', role: 'organizer' },
      { sip: 'sip:bob@litwareinc.com', displayName: 'Bob Jones', role: 'attendee' },
    ]);
    expect(rosterLines(fmt, conf)).toEqual([
      '"Sync" — 2 in the conference (alice@litwareinc.com/adhoc-1)',
      '  alice  Alice Smith  organizer',
      '  bob    Bob Jones    attendee',
    ]);
    const meeting = {
      meetingId: 'alice@litwareinc.com/m-1',
      organizer: 'sip:alice@litwareinc.com',
      subject: 'Review',
      start: '2026-12-01T15:00:00Z',
      end: '2026-12-01T16:00:00Z',
      invitees: ['sip:bob@litwareinc.com'],
    };
    expect(meetingsLines(fmt, [meeting])).toEqual([
      'Meetings you organize (1):',
      '  "Review" 2026-12-01 15:00–16:00 UTC, with bob — /join alice@litwareinc.com/m-1',
    ]);
  });

  it('builds the prompt from mode, connection, current chat and typing', () => {
    const me = 'sip:alice@litwareinc.com';
    const chat = new ChatState().addIm('im-1', 'sip:bob@litwareinc.com', 'active');
    expect(promptText(fmt, { me, mode: 'regular', connected: true, current: undefined })).toBe('alice> ');
    expect(promptText(fmt, { me, mode: 'resiliency', connected: true, current: chat })).toBe(
      'alice [resiliency] → bob> ',
    );
    expect(promptText(fmt, { me, mode: 'regular', connected: false, current: undefined })).toBe(
      'alice (reconnecting)> ',
    );
    expect(promptText(fmt, { me, mode: 'regular', connected: true, current: chat, typing: chat.peer })).toBe(
      'alice → bob (bob is typing…)> ',
    );
  });
});
