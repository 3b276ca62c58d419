/**
 * @module The commands about oneself and other people: presence, contacts and groups, the address book,
 * watching presence, meetings, /whoami, /help and /quit.
 */
import type { ContactList } from '../client-sdk/index.js';
import { Availability } from '../protocol/model.js';
import { textFrom, type ParsedCommand } from './command-line.js';
import { helpLines } from './command-table.js';
import { attempt, CommandFailed, type ClientSession } from './client-session.js';
import { ownPresenceLine } from './format-events.js';
import {
  contactsLines,
  groupsLines,
  meetingLine,
  meetingsLines,
  searchLines,
  stateText,
  statesLines,
  whoamiLines,
} from './format-lists.js';
import { parseMeetingTime } from './meeting-time.js';
import { sameSip } from './sip.js';

export type CommandResult = 'quit' | undefined;
export type Handler = (cmd: ParsedCommand, s: ClientSession) => Promise<CommandResult>;

const SHORTHANDS: Record<string, Availability> = {
  dnd: Availability.DoNotDisturb,
  brb: Availability.BeRightBack,
  free: Availability.Online,
  available: Availability.Online,
};

/** An availability typed in any case, or a shorthand (dnd, brb); undefined when it is none. */
export function parseAvailability(word: string): Availability | undefined {
  const lower = word.toLowerCase();
  return Object.values(Availability).find((a) => a.toLowerCase() === lower) ?? SHORTHANDS[lower];
}

/** Subscribes to users and records their states quietly (only later changes are announced). */
async function watch(s: ClientSession, users: readonly string[]) {
  const { states, refused } = await attempt('presenceSubscribe', () => s.client.subscribePresence(users));
  for (const state of states) s.state.updatePresence(state);
  for (const r of refused) s.out.error(r.error.message);
  return states;
}

/** Watches every contact not watched yet, so that their changes appear live; returns the list. */
export async function watchContacts(s: ClientSession): Promise<ContactList> {
  const list = await attempt('contactsList', () => s.client.listContacts());
  for (const g of list.groups) s.groups.add(g);
  const watching = s.client.presenceSubscriptions();
  const missing = list.contacts.map((c) => c.sip).filter((sip) => !watching.some((w) => sameSip(w, sip)));
  if (missing.length > 0) await watch(s, missing);
  return list;
}

export const accountCommands = {
  help: async (cmd, s) => {
    for (const line of helpLines(cmd.args[0])) s.out.info(line);
    return undefined;
  },
  presence: async (cmd, s) => {
    const availability = parseAvailability(cmd.args[0] ?? '');
    if (availability === undefined)
      throw new CommandFailed(
        `unknown availability "${cmd.args[0]}" — one of ${Object.values(Availability).join(', ')}`,
      );
    const note = textFrom(cmd, 1);
    const state = await attempt('presencePublish', () => s.client.publishPresence(availability, note));
    s.out.info(ownPresenceLine(s.fmt, state));
    return undefined;
  },
  contacts: async (_cmd, s) => {
    const list = await watchContacts(s);
    for (const line of contactsLines(s.fmt, list, s.state)) s.out.info(line);
    return undefined;
  },
  add: async (cmd, s) => {
    const sip = s.sip(cmd.args[0] ?? '');
    const contact = await attempt('contactsAdd', () => s.client.addContact(sip, cmd.args[1]));
    s.groups.add(contact.group);
    const [state] = await watch(s, [contact.sip]).catch(() => []);
    const presence = state === undefined ? '' : ` — ${stateText(s.fmt, state)}`;
    s.out.info(`* added ${s.fmt.name(contact.sip)} (${contact.displayName}) to ${contact.group}${presence}`);
    return undefined;
  },
  remove: async (cmd, s) => {
    const sip = s.sip(cmd.args[0] ?? '');
    await attempt('contactsRemove', () => s.client.removeContact(sip));
    if (![...s.watched].some((w) => sameSip(w, sip))) {
      await s.client.unsubscribePresence([sip]).catch(() => undefined);
      s.state.forgetPresence(sip);
    }
    s.out.info(`* removed ${s.fmt.name(sip)} from your contacts`);
    return undefined;
  },
  move: async (cmd, s) => {
    const sip = s.sip(cmd.args[0] ?? '');
    const contact = await attempt('contactsMove', () => s.client.moveContact(sip, cmd.args[1] ?? ''));
    s.groups.add(contact.group);
    s.out.info(`* moved ${s.fmt.name(contact.sip)} to ${contact.group}`);
    return undefined;
  },
  groups: async (_cmd, s) => {
    const list = await attempt('contactsList', () => s.client.listContacts());
    for (const g of list.groups) s.groups.add(g);
    for (const line of groupsLines(s.fmt, list)) s.out.info(line);
    return undefined;
  },
  search: async (cmd, s) => {
    const words = [...cmd.args];
    const last = words.at(-1) ?? '';
    const page = words.length > 1 && /^\d+$/.test(last) ? Math.max(1, Number(words.pop())) : 1;
    const query = words.join(' ');
    const result = await attempt('directorySearch', () => s.client.searchDirectory(query, page - 1));
    for (const line of searchLines(s.fmt, query, result)) s.out.info(line);
    return undefined;
  },
  watch: async (cmd, s) => {
    const users = cmd.args.map((a) => s.sip(a));
    const states = await watch(s, users);
    for (const u of users) s.watched.add(u);
    for (const line of statesLines(s.fmt, states)) s.out.info(line);
    return undefined;
  },
  unwatch: async (cmd, s) => {
    const users = cmd.args.map((a) => s.sip(a));
    await attempt('presenceUnsubscribe', () => s.client.unsubscribePresence(users));
    for (const u of users) {
      s.watched.delete(u);
      s.state.forgetPresence(u);
    }
    s.out.info(`* no longer watching ${users.map((u) => s.fmt.name(u)).join(', ')}`);
    return undefined;
  },
  meet: async (cmd, s) => {
    const [subject = '', startText = '', endText = ''] = cmd.args;
    const start = parseMeetingTime(startText, s.now());
    const end = parseMeetingTime(endText, s.now());
    for (const [text, at] of [[startText, start] as const, [endText, end] as const])
      if (at === undefined)
        throw new CommandFailed(
          `"${text}" is not a time — use 2026-12-01T15:00Z, 2026-12-01T15:00 (local) or +1h`,
        );
    const invitees = cmd.args.slice(3).map((a) => s.sip(a));
    const meeting = await attempt('meetingSchedule', () =>
      s.client.scheduleMeeting({ subject, start: start ?? '', end: end ?? '', invitees }),
    );
    s.meetings.add(meeting.meetingId);
    s.out.info(`* scheduled ${meetingLine(s.fmt, meeting)}`);
    return undefined;
  },
  meetings: async (_cmd, s) => {
    const { meetings } = await attempt('meetingList', () => s.client.listMeetings());
    for (const m of meetings) s.meetings.add(m.meetingId);
    for (const line of meetingsLines(s.fmt, meetings)) s.out.info(line);
    return undefined;
  },
  whoami: async (_cmd, s) => {
    const lines = whoamiLines(s.fmt, {
      session: s.signIn,
      mode: s.client.mode(),
      connection: s.client.state(),
      endpointId: s.client.endpointId(),
      watching: s.client.presenceSubscriptions(),
    });
    for (const line of lines) s.out.info(line);
    return undefined;
  },
  quit: async () => 'quit',
} satisfies Record<string, Handler>;
