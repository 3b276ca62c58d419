import { describe, expect, it } from 'vitest';
import { TandemClientError } from '../client-sdk/index.js';
import {
  confEndedLine,
  confInvitedLine,
  confMessageLine,
  failureLine,
  imEndedLine,
  imInvitedLine,
  imMessageLine,
  modeLine,
  presenceLine,
  rosterChangeLines,
} from './format-events.js';
import { availabilityText, makeFmt, makeStyle, styleFor } from './style.js';

const fmt = makeFmt(makeStyle(false), 'litwareinc.com');
const bob = 'sip:bob@litwareinc.com';

describe('event lines', () => {
  it('announces presence changes with the note', () => {
    expect(presenceLine(fmt, { sip: bob, availability: 'Busy', note: 'In a meeting', at: 1 })).toBe(
      '* bob is now Busy — "In a meeting"',
    );
    expect(presenceLine(fmt, { sip: 'sip:eve@fabrikam.com', availability: 'Away', note: '', at: 1 })).toBe(
      '* eve@fabrikam.com is now Away',
    );
    expect(presenceLine(fmt, { sip: bob, availability: 'Unknown', note: '', at: 0 })).toMatch(/resiliency/);
  });

  it('tells how to answer an invitation, naming it when several wait', () => {
    const p = { sessionId: 'im-1', from: 'sip:alice@litwareinc.com', displayName: 'Alice', text: 'hello' };
    expect(imInvitedLine(fmt, p, 1)).toBe(
      '* alice invites you to chat: "hello" — /accept to answer, /decline to refuse',
    );
    expect(imInvitedLine(fmt, { ...p, text: undefined }, 2)).toBe(
      '* alice invites you to chat — /accept im-1 to answer, /decline im-1 to refuse',
    );
  });

  it('shows messages with their sender', () => {
    expect(imMessageLine(fmt, { sessionId: 'im-1', from: bob, text: 'hello', at: 1 })).toBe('[bob] hello');
    expect(confMessageLine(fmt, 'Planning', { confId: 'c', from: bob, text: 'agenda', at: 1 })).toBe(
      '[Planning] bob: agenda',
    );
  });

  it('says why a chat or a conference ended', () => {
    expect(imEndedLine(fmt, { sessionId: 'im-1', by: bob, reason: 'ended' }, bob)).toBe(
      '* chat with bob ended (bob ended it)',
    );
    expect(imEndedLine(fmt, { sessionId: 'im-1', by: bob, reason: 'failover' }, bob)).toBe(
      '* chat with bob ended (a pool failed over)',
    );
    expect(confEndedLine('Planning', 'ended-by-organizer')).toBe(
      '* conference "Planning" ended (ended by the organizer)',
    );
  });

  it('announces conference invitations and roster changes', () => {
    expect(confInvitedLine(fmt, { confId: 'alice@litwareinc.com/adhoc-1', from: bob, subject: 'Sync' })).toBe(
      '* bob invites you to the conference "Sync" — /join to enter (alice@litwareinc.com/adhoc-1)',
    );
    const carol = { sip: 'sip:carol@litwareinc.com', displayName: 'Carol', role: 'attendee' as const };
    const dave = { sip: 'sip:dave@litwareinc.com', displayName: 'Dave', role: 'attendee' as const };
    expect(rosterChangeLines(fmt, 'Sync', { joined: [carol], left: [dave] }, 2)).toEqual([
      '* carol joined "Sync" — 2 in the conference',
      '* dave left "Sync" — 2 in the conference',
    ]);
  });

  it('explains mode changes', () => {
    expect(modeLine(fmt, 'resiliency', 'pool-unreachable')).toMatch(
      /^\* now in resiliency mode \(pool-unreachable\)/,
    );
    expect(modeLine(fmt, 'regular', '')).toBe('* back in regular mode: everything is available again');
  });

  it('turns a failed request into one line: refused by the server, or failed on the way', () => {
    const refused = TandemClientError.fromWire({ code: 'INVALID_ARGUMENT', message: 'bad sip' });
    expect(failureLine('contacts.add', refused)).toBe('contacts.add refused: bad sip');
    const lost = TandemClientError.of('NOT_CONNECTED', { state: 'reconnecting' });
    expect(failureLine('im.send', lost)).toBe('im.send failed: Not signed in: the client is reconnecting.');
    expect(failureLine('x', new Error('boom'))).toBe('x failed: boom');
    expect(failureLine('x', 'odd')).toBe('x failed: odd');
  });
});

describe('style', () => {
  it('colours only a terminal without NO_COLOR', () => {
    expect(styleFor({ isTTY: true }, {}).enabled).toBe(true);
    expect(styleFor({ isTTY: false }, {}).enabled).toBe(false);
    expect(styleFor({ isTTY: true }, { NO_COLOR: '1' }).enabled).toBe(false);
    const colour = makeFmt(makeStyle(true), 'litwareinc.com');
    expect(availabilityText(colour, 'Online')).toBe('\x1b[32m●\x1b[39m Online');
    expect(availabilityText(fmt, 'Online')).toBe('Online');
  });
});
