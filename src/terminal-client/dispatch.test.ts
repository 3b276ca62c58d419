import { describe, expect, it } from 'vitest';
import { TandemClientError, type TandemClient } from '../client-sdk/index.js';
import { ChatState } from './chat-state.js';
import type { ClientSession } from './client-session.js';
import { runLine } from './dispatch.js';
import { toSip } from './sip.js';
import { makeFmt, makeStyle } from './style.js';

/** A stand-in for TandemClient that answers the few operations these tests use and records the calls. */
function fakeSession(overrides: Record<string, (...args: never[]) => unknown> = {}) {
  const calls: string[] = [];
  const lines: string[] = [];
  const record =
    (name: string, answer: unknown) =>
    (...args: unknown[]) => {
      calls.push(`${name} ${JSON.stringify(args)}`);
      return Promise.resolve(answer);
    };
  const client = {
    sip: () => 'sip:alice@litwareinc.com',
    inviteIm: record('inviteIm', { sessionId: 'im-1' }),
    acceptIm: record('acceptIm', {}),
    sendIm: record('sendIm', { at: 1 }),
    publishPresence: record('publishPresence', {
      sip: 'sip:alice@litwareinc.com',
      availability: 'DoNotDisturb',
      note: "it's late",
      at: 1,
    }),
    addContact: () =>
      Promise.reject(TandemClientError.fromWire({ code: 'NOT_FOUND', message: 'no such user' })),
    ...overrides,
  } as unknown as TandemClient;
  const s: ClientSession = {
    client,
    state: new ChatState(),
    out: { info: (l) => lines.push(l), error: (l) => lines.push(`! ${l}`) },
    fmt: makeFmt(makeStyle(false), 'litwareinc.com'),
    watched: new Set(),
    meetings: new Set(),
    groups: new Set(),
    signIn: undefined,
    sip: (typed) => toSip(typed, 'litwareinc.com'),
    now: () => 0,
  };
  return { s, calls, lines };
}

describe('runLine', () => {
  it('answers unknown commands, wrong arity and text without a chat with one line each', async () => {
    const { s, lines } = fakeSession();
    await runLine('/contcts', s);
    await runLine('/move bob', s);
    await runLine('hello?', s);
    await runLine('/presence sleepy', s);
    expect(lines).toEqual([
      '! unknown command /contcts — did you mean /contacts?',
      '! usage: /move <sip> <group>   (e.g. /move bob Friends)',
      '! no chat open — /im <sip> starts one, /chats lists yours, /help lists the commands',
      '! unknown availability "sleepy" — one of Online, Busy, DoNotDisturb, BeRightBack, Away, Offline',
    ]);
  });

  it('shows a server refusal as `operation refused: message`', async () => {
    const { s, lines } = fakeSession();
    await runLine('/add nobody', s);
    expect(lines).toEqual(['! contacts.add refused: no such user']);
  });

  it('publishes presence case-insensitively with the note as typed', async () => {
    const { s, calls, lines } = fakeSession();
    await runLine("/presence dnd it's late", s);
    expect(calls).toEqual([`publishPresence ["DoNotDisturb","it's late"]`]);
    expect(lines).toEqual([`* you are now DoNotDisturb — "it's late"`]);
  });

  it('starts a chat that becomes current, refuses to send before it is accepted, then sends', async () => {
    const { s, calls, lines } = fakeSession();
    await runLine('/im bob Got a minute?', s);
    expect(calls).toEqual(['inviteIm ["sip:bob@litwareinc.com","Got a minute?"]']);
    expect(s.state.current()).toMatchObject({ kind: 'im', peer: 'sip:bob@litwareinc.com' });
    await runLine('still there?', s);
    expect(lines.at(-1)).toBe('! bob has not accepted yet; your message was not sent');
    s.state.im('im-1')!.status = 'active';
    await runLine('great', s);
    expect(calls.at(-1)).toBe('sendIm ["im-1","great"]');
  });

  it('accepts the latest invitation by default', async () => {
    const { s, calls } = fakeSession();
    s.state.addIm('im-7', 'sip:bob@litwareinc.com', 'invited');
    s.state.addIm('im-8', 'sip:carol@litwareinc.com', 'invited');
    await runLine('/accept', s);
    expect(calls).toEqual(['acceptIm ["im-8"]']);
    expect(s.state.current()).toMatchObject({ sessionId: 'im-8', status: 'active' });
  });

  it('asks to quit on /quit and /exit', async () => {
    const { s } = fakeSession();
    expect(await runLine('/quit', s)).toBe('quit');
    expect(await runLine('/EXIT', s)).toBe('quit');
  });
});
