/**
 * @module Live events: each SDK event updates the chat state and becomes a line above the prompt
 * (format-events.ts says how). Returns a function that detaches every listener.
 */
import type { ClientEvents, ClientEventName, TandemClientError } from '../client-sdk/index.js';
import { sameSip } from './sip.js';
import type { ClientSession } from './client-session.js';
import {
  confEndedLine,
  confInvitedLine,
  confMessageLine,
  connectionLostLine,
  contentAddedLine,
  failureLine,
  imAnsweredLine,
  imEndedLine,
  imInvitedLine,
  imMessageLine,
  modeLine,
  presenceLine,
  reconnectedLine,
  rosterChangeLines,
} from './format-events.js';
import { servingPool } from './format-lists.js';

export interface WiringHooks {
  /** Something the prompt shows changed (mode, connection, current chat, typing). */
  promptChanged(): void;
  /** The peer of the current chat is typing (shown for a few seconds), or stopped: a message came. */
  typing(from: string | undefined): void;
  /** The client gave up for good; the terminal should leave. */
  failed(error: TandemClientError): void;
  /** True while signing out: the connection closing then is no news. */
  quitting(): boolean;
}

export function wireEvents(s: ClientSession, hooks: WiringHooks): () => void {
  const { client, state, out, fmt } = s;
  const listeners: { [E in ClientEventName]?: (...args: ClientEvents[E]) => void } = {
    'presence.changed': (p) => {
      if (state.updatePresence(p)) out.info(presenceLine(fmt, p));
    },
    'im.invited': (p) => {
      state.addIm(p.sessionId, p.from, 'invited', p.text);
      out.info(imInvitedLine(fmt, p, state.pendingInvitations().length));
    },
    'im.accepted': (p) => {
      state.answerIm(p.sessionId, true);
      out.info(imAnsweredLine(fmt, p.by, true));
      hooks.promptChanged();
    },
    'im.declined': (p) => {
      state.answerIm(p.sessionId, false);
      out.info(imAnsweredLine(fmt, p.by, false));
      hooks.promptChanged();
    },
    'im.message': (p) => {
      const chat = state.im(p.sessionId);
      const elsewhere = chat !== undefined && state.current() !== chat;
      const hint = elsewhere ? fmt.style.dim(`   (/switch ${state.numberOf(chat)} to answer)`) : '';
      out.info(`${imMessageLine(fmt, p)}${hint}`);
      if (!elsewhere) hooks.typing(undefined);
    },
    'im.typing': (p) => {
      const current = state.current();
      if (current?.kind === 'im' && current.sessionId === p.sessionId) hooks.typing(p.from);
    },
    'im.ended': (p) => {
      const chat = state.removeIm(p.sessionId);
      if (chat === undefined) return;
      out.info(imEndedLine(fmt, p, chat.peer));
      hooks.promptChanged();
    },
    'conf.invited': (p) => {
      state.addConfInvite(p);
      out.info(confInvitedLine(fmt, p));
    },
    'conf.roster': (p) => {
      const change = state.updateRoster(p.confId, p.roster);
      const conf = state.conf(p.confId);
      if (change === undefined || conf === undefined) return;
      for (const line of rosterChangeLines(fmt, conf.subject, change, p.roster.length)) out.info(line);
    },
    'conf.message': (p) => {
      if (sameSip(p.from, client.sip())) return;
      out.info(confMessageLine(fmt, state.conf(p.confId)?.subject ?? p.confId, p));
    },
    'conf.ended': (p) => {
      const conf = state.removeConf(p.confId);
      if (conf === undefined) return;
      out.info(confEndedLine(conf.subject, p.reason));
      hooks.promptChanged();
    },
    'content.added': (p) => {
      if (!sameSip(p.item.uploadedBy, client.sip()))
        out.info(contentAddedLine(fmt, state.conf(p.confId)?.subject ?? p.confId, p));
    },
    mode: (mode, reason) => {
      out.info(modeLine(fmt, mode, reason));
      hooks.promptChanged();
    },
    disconnected: () => {
      if (hooks.quitting()) return;
      out.info(connectionLostLine(fmt));
      hooks.promptChanged();
    },
    'signed-in': (result) => {
      const before = s.signIn;
      s.signIn = result;
      if (!result.reconnected || before === undefined) return;
      out.info(reconnectedLine(fmt, servingPool(result)));
      // IM sessions belong to the endpoint; a new sign-in is a new endpoint, so they are gone.
      const lost = state.dropImChats();
      if (lost.length > 0)
        out.info(
          `* chats from before the reconnection ended: ${lost.map((c) => fmt.name(c.peer)).join(', ')}`,
        );
      hooks.promptChanged();
    },
    'signed-out': (p) => {
      if (!hooks.quitting()) out.info(`* the server signed this endpoint out: ${p.detail || p.reason}`);
    },
    'resubscribe-failed': (err) => out.error(failureLine('presence.subscribe', err)),
    'protocol-error': (err) => out.error(err.message),
    failed: (err) => hooks.failed(err),
  };
  const entries = Object.entries(listeners) as [ClientEventName, (...args: unknown[]) => void][];
  for (const [event, listener] of entries) client.on(event, listener);
  return () => {
    for (const [event, listener] of entries) client.off(event, listener);
  };
}
