/**
 * @module The answers of list-like commands (contacts, search, chats, roster, meetings, whoami), the sign-in
 * banner and the prompt, formatted as lines. Pure: data in, text out.
 */
import type { ContactList, DirectoryPage, Registrars, SignInResult } from '../client-sdk/index.js';
import type { ClientMode, Meeting, PresenceState } from '../protocol/model.js';
import type { Chat, ChatState } from './chat-state.js';
import { rosterNames } from './format-events.js';
import { formatSpan } from './meeting-time.js';
import { availabilityText, type Fmt } from './style.js';

const pad = (text: string, width: number) => text.padEnd(width);
const widest = (texts: readonly string[]) => Math.max(0, ...texts.map((t) => t.length));

/** The pool whose server signed the endpoint in (its registrar pool, or the backup in resiliency). */
export function servingPool(result: Pick<SignInResult, 'servedBy' | 'registrars'>): string {
  const { primary, backup } = result.registrars;
  const serves = (servers: Registrars['primary']['servers']) =>
    servers.some((s) => s.fqdn.toLowerCase() === result.servedBy.toLowerCase());
  if (serves(primary.servers)) return primary.pool;
  if (backup !== undefined && serves(backup.servers)) return backup.pool;
  return result.servedBy;
}

function registrarsText(registrars: Registrars): string {
  const backup = registrars.backup === undefined ? 'none' : registrars.backup.pool;
  return `primary ${registrars.primary.pool}, backup ${backup}`;
}

export function bannerLines(fmt: Fmt, r: SignInResult): string[] {
  return [
    `Signed in as ${fmt.style.bold(r.displayName)} (${r.sip})`,
    `  pool ${servingPool(r)} (server ${r.servedBy}), ${modeText(fmt, r.mode)}`,
    `  registrars: ${registrarsText(r.registrars)}`,
    fmt.style.dim('Type /help for the commands, /quit to sign out.'),
  ];
}

export interface WhoAmI {
  readonly session: SignInResult | undefined;
  readonly mode: ClientMode | undefined;
  readonly connection: string;
  readonly endpointId: string | undefined;
  readonly watching: readonly string[];
}

export function whoamiLines(fmt: Fmt, w: WhoAmI): string[] {
  const s = w.session;
  if (s === undefined) return [`not signed in (${w.connection})`];
  const watching = w.watching.length === 0 ? 'nobody' : w.watching.map((u) => fmt.name(u)).join(', ');
  return [
    `${fmt.style.bold(s.displayName)} (${s.sip})`,
    `  connection ${w.connection}, endpoint ${w.endpointId ?? '—'}`,
    `  pool ${servingPool(s)} (server ${s.servedBy}), ${modeText(fmt, w.mode ?? s.mode)}`,
    `  registrars: ${registrarsText(s.registrars)}`,
    `  watching: ${watching}`,
  ];
}

export function modeText(fmt: Fmt, mode: ClientMode): string {
  return mode === 'resiliency' ? fmt.style.yellow('resiliency mode') : 'regular mode';
}

/** A watched user's state: `Busy — "note"`, or `?` before the first state arrived. */
export function stateText(fmt: Fmt, state: PresenceState | undefined): string {
  if (state === undefined) return '?';
  const note = state.note === '' ? '' : ` — "${state.note}"`;
  return `${availabilityText(fmt, state.availability)}${note}`;
}

export function contactsLines(fmt: Fmt, list: ContactList, state: ChatState): string[] {
  if (list.contacts.length === 0 && list.groups.length === 0)
    return ['No contacts yet — /add <sip> [group] adds one, /search <name> finds people.'];
  const names = list.contacts.map((c) => fmt.name(c.sip));
  const nameWidth = widest(names);
  const displayWidth = widest(list.contacts.map((c) => c.displayName));
  const groups = [...list.groups];
  for (const c of list.contacts) if (!groups.includes(c.group)) groups.push(c.group);
  const lines = [`Contacts (${list.contacts.length}):`];
  for (const group of groups) {
    lines.push(`  ${fmt.style.bold(group)}`);
    const members = list.contacts.filter((c) => c.group === group);
    if (members.length === 0) lines.push(fmt.style.dim('    (empty)'));
    for (const c of members) {
      const presence = stateText(fmt, state.presenceOf(c.sip));
      lines.push(`    ${pad(fmt.name(c.sip), nameWidth)}  ${pad(c.displayName, displayWidth)}  ${presence}`);
    }
  }
  return lines;
}

/** The one line after sign-in: who of one's contacts is around. */
export function contactsSummaryLine(fmt: Fmt, list: ContactList, state: ChatState): string {
  if (list.contacts.length === 0)
    return '* no contacts yet — /add <sip> adds one, /search <name> finds people';
  const who = list.contacts.map((c) => `${fmt.name(c.sip)} ${stateText(fmt, state.presenceOf(c.sip))}`);
  return `* contacts: ${who.join(', ')} — /contacts for the list`;
}

export function groupsLines(fmt: Fmt, list: ContactList): string[] {
  if (list.groups.length === 0) return ['No groups yet — /add <sip> <group> creates one.'];
  return list.groups.map((g) => {
    const n = list.contacts.filter((c) => c.group === g).length;
    return `  ${fmt.style.bold(g)} (${n} contact${n === 1 ? '' : 's'})`;
  });
}

/** Search results; pages are numbered from 1 for people (the protocol counts from 0). */
export function searchLines(fmt: Fmt, query: string, page: DirectoryPage): string[] {
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const head = `${page.total} match${page.total === 1 ? '' : 'es'} for "${query}" (page ${page.page + 1} of ${pages})`;
  const nameWidth = widest(page.results.map((r) => fmt.name(r.sip)));
  const displayWidth = widest(page.results.map((r) => r.displayName));
  const rows = page.results.map(
    (r) =>
      `  ${pad(fmt.name(r.sip), nameWidth)}  ${pad(r.displayName, displayWidth)}  ${fmt.style.dim(r.sip)}`,
  );
  const more = page.page + 1 < pages ? [fmt.style.dim(`  more: /search ${query} ${page.page + 2}`)] : [];
  return [head, ...rows, ...more];
}

export function statesLines(fmt: Fmt, states: readonly PresenceState[]): string[] {
  const width = widest(states.map((s) => fmt.name(s.sip)));
  return states.map((s) => `  ${pad(fmt.name(s.sip), width)}  ${stateText(fmt, s)}`);
}

export function chatTitle(fmt: Fmt, chat: Chat): string {
  return chat.kind === 'im' ? fmt.name(chat.peer) : `"${chat.subject}"`;
}

export function chatsLines(fmt: Fmt, state: ChatState): string[] {
  const chats = state.chats();
  const invites = state.confInvites();
  if (chats.length === 0 && invites.length === 0)
    return ['No chats — /im <sip> starts one, /conf starts a conference.'];
  const current = state.current();
  const lines = chats.map((chat, i) => {
    const mark = chat === current ? fmt.style.bold(' ← current') : '';
    return `  ${i + 1}  ${describeChat(fmt, chat)}${mark}`;
  });
  for (const p of invites)
    lines.push(`  -  "${p.subject}" from ${fmt.name(p.from)}: invitation — /join ${p.confId}`);
  return lines;
}

function describeChat(fmt: Fmt, chat: Chat): string {
  if (chat.kind === 'conf')
    return `conference "${chat.subject}" — ${chat.roster.length} in it: ${rosterNames(fmt, chat.roster)}`;
  switch (chat.status) {
    case 'active':
      return `chat with ${fmt.name(chat.peer)}`;
    case 'inviting':
      return `chat with ${fmt.name(chat.peer)} — waiting for them to accept`;
    case 'invited': {
      const text = chat.invitationText ? `: "${chat.invitationText}"` : '';
      return `invitation from ${fmt.name(chat.peer)}${text} — /accept ${chat.sessionId}`;
    }
  }
}

export function rosterLines(fmt: Fmt, chat: Extract<Chat, { kind: 'conf' }>): string[] {
  const width = widest(chat.roster.map((e) => fmt.name(e.sip)));
  const dispWidth = widest(chat.roster.map((e) => e.displayName));
  return [
    `"${chat.subject}" — ${chat.roster.length} in the conference ${fmt.style.dim(`(${chat.confId})`)}`,
    ...chat.roster.map((e) =>
      `  ${pad(fmt.name(e.sip), width)}  ${pad(e.displayName, dispWidth)}  ${e.role}`.trimEnd(),
    ),
  ];
}

export function meetingLine(fmt: Fmt, m: Meeting): string {
  const who =
    m.invitees.length === 0 ? 'no invitees' : `with ${m.invitees.map((u) => fmt.name(u)).join(', ')}`;
  return `"${m.subject}" ${formatSpan(m.start, m.end)}, ${who} — /join ${m.meetingId}`;
}

export function meetingsLines(fmt: Fmt, meetings: readonly Meeting[]): string[] {
  if (meetings.length === 0)
    return ['No meetings — /meet <subject> <start> <end> [invitees...] schedules one.'];
  const sorted = [...meetings].sort((a, b) => a.start.localeCompare(b.start));
  return [`Meetings you organize (${meetings.length}):`, ...sorted.map((m) => `  ${meetingLine(fmt, m)}`)];
}

/** `alice> `, `alice [resiliency] → bob> `, `alice (reconnecting)> `. */
export function promptText(
  fmt: Fmt,
  p: {
    me: string;
    mode: ClientMode | undefined;
    connected: boolean;
    current: Chat | undefined;
    typing?: string | undefined;
  },
): string {
  const mode = p.mode === 'resiliency' ? ` ${fmt.style.yellow('[resiliency]')}` : '';
  const link = p.connected ? '' : ` ${fmt.style.yellow('(reconnecting)')}`;
  const target = p.current === undefined ? '' : ` → ${chatTitle(fmt, p.current)}`;
  const typing = p.typing === undefined ? '' : fmt.style.dim(` (${fmt.name(p.typing)} is typing…)`);
  return `${fmt.name(p.me)}${mode}${link}${target}${typing}> `;
}
