/**
 * @module One line per live event (a push, a connection change, a failed request), as printed above the
 * prompt: `*` for news, `[bob]` for a message, `!` for a problem. Pure: payload in, text out.
 */
import { ClientErrorCodes, type TandemClientError } from '../client-sdk/index.js';
import type {
  ConfEndedPush,
  ConfInvitedPush,
  ConfMessagePush,
  ContentAddedPush,
  ImEndedPush,
  ImInvitedPush,
  ImMessagePush,
} from '../client-sdk/index.js';
import type { ClientMode, PresenceState, RosterEntry } from '../protocol/model.js';
import type { RosterChange } from './chat-state.js';
import { availabilityText, type Fmt } from './style.js';

const quoteNote = (note: string) => (note === '' ? '' : ` — "${note}"`);

export function presenceLine(fmt: Fmt, state: PresenceState): string {
  const why = state.availability === 'Unknown' ? ' (their pool is in resiliency mode)' : '';
  return `* ${fmt.style.bold(fmt.name(state.sip))} is now ${availabilityText(fmt, state.availability)}${quoteNote(state.note)}${why}`;
}

/** The answer to /presence. */
export function ownPresenceLine(fmt: Fmt, state: PresenceState): string {
  return `* you are now ${availabilityText(fmt, state.availability)}${quoteNote(state.note)}`;
}

export function imInvitedLine(fmt: Fmt, p: ImInvitedPush, pending: number): string {
  const text = p.text !== undefined && p.text !== '' ? `: "${p.text}"` : '';
  const which = pending > 1 ? ` ${p.sessionId}` : '';
  return `* ${fmt.style.bold(fmt.name(p.from))} invites you to chat${text} — /accept${which} to answer, /decline${which} to refuse`;
}

export function imAnsweredLine(fmt: Fmt, by: string, accepted: boolean): string {
  return accepted ? `* ${fmt.name(by)} accepted — type to chat` : `* ${fmt.name(by)} declined the chat`;
}

export function imMessageLine(fmt: Fmt, p: ImMessagePush): string {
  return `${fmt.style.cyan(`[${fmt.name(p.from)}]`)} ${p.text}`;
}

export function imTypingLine(fmt: Fmt, from: string): string {
  return fmt.style.dim(`* ${fmt.name(from)} is typing…`);
}

export function imEndedLine(fmt: Fmt, p: ImEndedPush, peer: string | undefined): string {
  const who = fmt.name(peer ?? p.by);
  const reasons: Record<ImEndedPush['reason'], string> = {
    ended: `${fmt.name(p.by)} ended it`,
    'endpoint-gone': `${fmt.name(p.by)}'s client went away`,
    failover: 'a pool failed over',
    'pool-lost': `${fmt.name(p.by)}'s pool stopped answering`,
  };
  return `* chat with ${who} ended (${reasons[p.reason] ?? p.reason})`;
}

export function confInvitedLine(fmt: Fmt, p: ConfInvitedPush): string {
  return `* ${fmt.style.bold(fmt.name(p.from))} invites you to the conference "${p.subject}" — /join to enter (${p.confId})`;
}

export function rosterChangeLines(fmt: Fmt, subject: string, change: RosterChange, size: number): string[] {
  const count = `${size} in the conference`;
  return [
    ...change.joined.map((e) => `* ${fmt.name(e.sip)} joined "${subject}" — ${count}`),
    ...change.left.map((e) => `* ${fmt.name(e.sip)} left "${subject}" — ${count}`),
  ];
}

export function confMessageLine(fmt: Fmt, subject: string, p: ConfMessagePush): string {
  return `${fmt.style.magenta(`[${subject}]`)} ${fmt.style.bold(fmt.name(p.from))}: ${p.text}`;
}

export function confEndedLine(subject: string, reason: ConfEndedPush['reason']): string {
  const reasons: Record<ConfEndedPush['reason'], string> = {
    'ended-by-organizer': 'ended by the organizer',
    'organizer-failed-over': "the organizer's pool failed over",
    failback: 'its pool failed back',
    'host-lost': 'its host server was lost',
  };
  return `* conference "${subject}" ended (${reasons[reason] ?? reason})`;
}

export function contentAddedLine(fmt: Fmt, subject: string, p: ContentAddedPush): string {
  return `* ${fmt.name(p.item.uploadedBy)} shared ${p.item.kind} "${p.item.name}" (${p.item.size} bytes) in "${subject}"`;
}

export function modeLine(fmt: Fmt, mode: ClientMode, reason: string): string {
  const why = reason === '' ? '' : ` (${reason})`;
  if (mode === 'resiliency')
    return fmt.style.yellow(
      `* now in resiliency mode${why}: chat and calls work; presence, contacts and changes wait for your pool`,
    );
  return fmt.style.green(`* back in regular mode${why}: everything is available again`);
}

export const connectionLostLine = (fmt: Fmt) => fmt.style.yellow('* connection lost, reconnecting…');
export const reconnectedLine = (fmt: Fmt, pool: string) => fmt.style.green(`* reconnected to ${pool}`);

export function unreachableLine(delayMs: number, detail: string): string {
  return `* cannot sign in yet (${detail}); trying again in ${(delayMs / 1000).toFixed(1)} s — Ctrl-C to give up`;
}

/**
 * A failed request in one line, never a stack: `contacts.add refused: …` when the server said no,
 * `contacts.add failed: …` when it never answered (not connected, connection lost).
 */
export function failureLine(operation: string, err: unknown): string {
  if (err instanceof Error && 'code' in err) {
    const code = (err as TandemClientError).code;
    const verb = code in ClientErrorCodes ? 'failed' : 'refused';
    return `${operation} ${verb}: ${err.message}`;
  }
  return `${operation} failed: ${err instanceof Error ? err.message : String(err)}`;
}

export function rosterNames(fmt: Fmt, roster: readonly RosterEntry[]): string {
  return roster
    .map((e) => (e.role === 'organizer' ? `${fmt.name(e.sip)} (organizer)` : fmt.name(e.sip)))
    .join(', ');
}
