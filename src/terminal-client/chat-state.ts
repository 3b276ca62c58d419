/**
 * @module What the terminal client remembers between commands: the chats and conferences (numbered for
 * /switch), which one is current, pending invitations, and the last presence seen of each watched user.
 * Pure: the event wiring and the command handlers change it, the formatters read it.
 */
import type { PresenceState, RosterEntry } from '../protocol/model.js';
import type { ConfInvitedPush } from '../client-sdk/index.js';
import { sameSip } from './sip.js';

export type ImStatus = 'inviting' | 'invited' | 'active';

export interface ImChat {
  readonly kind: 'im';
  readonly sessionId: string;
  readonly peer: string;
  status: ImStatus;
  /** The text that came with an invitation. */
  readonly invitationText?: string | undefined;
}

export interface ConfChat {
  readonly kind: 'conf';
  readonly confId: string;
  subject: string;
  roster: readonly RosterEntry[];
}

export type Chat = ImChat | ConfChat;

export interface RosterChange {
  readonly joined: readonly RosterEntry[];
  readonly left: readonly RosterEntry[];
}

const keyOf = (chat: Chat) => (chat.kind === 'im' ? `im:${chat.sessionId}` : `conf:${chat.confId}`);

export class ChatState {
  readonly #chats: Chat[] = [];
  #currentKey: string | undefined;
  readonly #presence = new Map<string, PresenceState>();
  readonly #confInvites: ConfInvitedPush[] = [];
  /**
   * Answers to invitations whose im.invite response has not come yet: the server tells the invitee before it
   * answers the inviter, so an accept can overtake it. Without this the chat would stay "inviting" forever.
   */
  readonly #earlyAnswers = new Map<string, boolean>();

  chats(): readonly Chat[] {
    return this.#chats;
  }
  current(): Chat | undefined {
    return this.#chats.find((c) => keyOf(c) === this.#currentKey);
  }
  setCurrent(chat: Chat | undefined): void {
    this.#currentKey = chat === undefined ? undefined : keyOf(chat);
  }
  /** The 1-based number /chats shows for a chat. */
  numberOf(chat: Chat): number {
    return this.#chats.findIndex((c) => keyOf(c) === keyOf(chat)) + 1;
  }

  /** Adds a chat; one this client invited to that was declined already is returned but not kept. */
  addIm(sessionId: string, peer: string, status: ImStatus, invitationText?: string): ImChat {
    const early = status === 'inviting' ? this.#earlyAnswers.get(sessionId) : undefined;
    this.#earlyAnswers.delete(sessionId);
    const chat: ImChat = { kind: 'im', sessionId, peer, status: early ? 'active' : status, invitationText };
    this.#remove(`im:${sessionId}`);
    if (early !== false) this.#chats.push(chat);
    return chat;
  }
  /** The invitee answered: the chat becomes active, or is forgotten when declined. */
  answerIm(sessionId: string, accepted: boolean): ImChat | undefined {
    const chat = this.im(sessionId);
    if (chat === undefined) this.#earlyAnswers.set(sessionId, accepted);
    else if (accepted) chat.status = 'active';
    else this.#remove(`im:${sessionId}`);
    return chat;
  }
  im(sessionId: string): ImChat | undefined {
    return this.#chats.find((c): c is ImChat => c.kind === 'im' && c.sessionId === sessionId);
  }
  /** Invitations not yet answered, oldest first. */
  pendingInvitations(): ImChat[] {
    return this.#chats.filter((c): c is ImChat => c.kind === 'im' && c.status === 'invited');
  }
  /** Forgets a chat; if it was current, nothing is. */
  removeIm(sessionId: string): ImChat | undefined {
    const chat = this.im(sessionId);
    this.#remove(`im:${sessionId}`);
    return chat;
  }

  /** Forgets every IM chat (their endpoint is gone) and returns them. */
  dropImChats(): ImChat[] {
    const ims = this.#chats.filter((c): c is ImChat => c.kind === 'im');
    for (const chat of ims) this.#remove(`im:${chat.sessionId}`);
    return ims;
  }

  addConf(confId: string, subject: string, roster: readonly RosterEntry[]): ConfChat {
    const existing = this.conf(confId);
    if (existing !== undefined) {
      existing.subject = subject;
      existing.roster = roster;
      return existing;
    }
    const chat: ConfChat = { kind: 'conf', confId, subject, roster };
    this.#chats.push(chat);
    const i = this.#confInvites.findIndex((p) => p.confId === confId);
    if (i >= 0) this.#confInvites.splice(i, 1);
    return chat;
  }
  conf(confId: string): ConfChat | undefined {
    return this.#chats.find((c): c is ConfChat => c.kind === 'conf' && c.confId === confId);
  }
  /** Replaces a conference's roster; undefined when the client is not in that conference. */
  updateRoster(confId: string, roster: readonly RosterEntry[]): RosterChange | undefined {
    const conf = this.conf(confId);
    if (conf === undefined) return undefined;
    const had = (list: readonly RosterEntry[], e: RosterEntry) => list.some((x) => sameSip(x.sip, e.sip));
    const change = {
      joined: roster.filter((e) => !had(conf.roster, e)),
      left: conf.roster.filter((e) => !had(roster, e)),
    };
    conf.roster = roster;
    return change;
  }
  removeConf(confId: string): ConfChat | undefined {
    const chat = this.conf(confId);
    this.#remove(`conf:${confId}`);
    return chat;
  }

  addConfInvite(invite: ConfInvitedPush): void {
    const i = this.#confInvites.findIndex((p) => p.confId === invite.confId);
    if (i >= 0) this.#confInvites.splice(i, 1);
    this.#confInvites.push(invite);
  }
  confInvites(): readonly ConfInvitedPush[] {
    return this.#confInvites;
  }

  /** Finds a chat by its /chats number, its peer, or its conference subject or id. */
  find(ref: string, toSip: (name: string) => string): Chat | undefined {
    if (/^\d+$/.test(ref)) return this.#chats[Number(ref) - 1];
    const sip = toSip(ref);
    const byPeer = this.#chats.filter((c) => c.kind === 'im' && sameSip(c.peer, sip));
    const live = byPeer.find((c) => c.kind === 'im' && c.status === 'active');
    if (live ?? byPeer.at(-1)) return live ?? byPeer.at(-1);
    const lower = ref.toLowerCase();
    return this.#chats.find(
      (c) => c.kind === 'conf' && (c.confId.toLowerCase() === lower || c.subject.toLowerCase() === lower),
    );
  }

  /** Records a presence state; true when it differs from the last one seen of that user. */
  updatePresence(state: PresenceState): boolean {
    const key = state.sip.replace(/^sip:/i, '').toLowerCase();
    const before = this.#presence.get(key);
    this.#presence.set(key, state);
    return before === undefined || before.availability !== state.availability || before.note !== state.note;
  }
  presenceOf(sip: string): PresenceState | undefined {
    return this.#presence.get(sip.replace(/^sip:/i, '').toLowerCase());
  }
  forgetPresence(sip: string): void {
    this.#presence.delete(sip.replace(/^sip:/i, '').toLowerCase());
  }

  #remove(key: string): void {
    const i = this.#chats.findIndex((c) => keyOf(c) === key);
    if (i >= 0) this.#chats.splice(i, 1);
    if (this.#currentKey === key) this.#currentKey = undefined;
  }
}
