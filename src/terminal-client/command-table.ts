/**
 * @module The terminal client's commands as data: usage, one-line summary, example, arity and what Tab
 * completes for each argument. /help, completion and the "did you mean" hint all read this table.
 */
import { closest } from './command-line.js';

/** What Tab offers for an argument. */
export type ArgKind =
  'availability' | 'user' | 'group' | 'chat' | 'invitation' | 'conference' | 'command' | 'none';

export interface CommandSpec {
  readonly name: string;
  readonly aliases?: readonly string[];
  /** The arguments, as /help shows them. */
  readonly usage: string;
  readonly summary: string;
  readonly example: string;
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Completion per argument position; the last kind repeats. */
  readonly complete?: readonly ArgKind[];
}

/** One command from its usage line: `<x>` is required, `[x]` optional, `...` takes any number of words. */
function c<N extends string>(
  name: N,
  usage: string,
  summary: string,
  example: string,
  complete: readonly ArgKind[] = [],
  aliases: readonly string[] = [],
): CommandSpec & { readonly name: N } {
  const params = usage.match(/<[^>]*>|\[[^\]]*\]/g) ?? [];
  const minArgs = params.filter((p) => p.startsWith('<')).length;
  const maxArgs = params.some((p) => p.includes('...')) ? Number.POSITIVE_INFINITY : params.length;
  return { name, usage, summary, example, minArgs, maxArgs, complete, aliases };
}

const AVAILABILITY = '<Online|Busy|DoNotDisturb|BeRightBack|Away|Offline> [note...]';

export const COMMANDS = [
  c('help', '[command]', 'list the commands, or explain one', '/help im', ['command']),
  c('presence', AVAILABILITY, 'publish your availability and a note', '/presence busy In a meeting', [
    'availability',
  ]),
  c('contacts', '', 'your contacts by group, with live presence', '/contacts'),
  c('add', '<sip> [group]', 'add a contact (default group "Contacts")', '/add bob Team', ['user', 'group']),
  c('remove', '<sip>', 'remove a contact', '/remove bob', ['user']),
  c('move', '<sip> <group>', 'move a contact to another group', '/move bob Friends', ['user', 'group']),
  c('groups', '', 'your contact groups', '/groups'),
  c('search', '<text...> [page]', 'search the address book by name or address', '/search smith 2'),
  c('watch', '<sip...>', "follow users' presence (contacts: automatic)", '/watch carol', ['user']),
  c('unwatch', '<sip...>', "stop following users' presence", '/unwatch carol', ['user']),
  c('im', '<sip> [message...]', 'start a chat, which becomes the current one', '/im bob Got a minute?', [
    'user',
  ]),
  c('accept', '[sessionId]', 'accept a chat invitation (default: latest)', '/accept', ['invitation']),
  c('decline', '[sessionId]', 'decline a chat invitation (default: latest)', '/decline', ['invitation']),
  c('chats', '', 'your chats and conferences, numbered', '/chats'),
  c('switch', '<n|sip>', 'change the current chat or conference', '/switch 2', ['chat']),
  c('end', '', 'end the current chat', '/end'),
  c('conf', '[subject...]', 'create an ad-hoc conference and enter it', '/conf Planning'),
  c('invite', '<sip...>', 'invite users to the current conference', '/invite bob carol', ['user']),
  c('join', '[confId]', 'join a conference or meeting (default: latest)', '/join', ['conference']),
  c('leave', '', 'leave the current conference', '/leave'),
  c('roster', '', 'who is in the current conference', '/roster'),
  c('endconf', '', 'end the current conference (organizer only)', '/endconf'),
  c(
    'meet',
    '<subject> <start> <end> [invitees...]',
    'schedule a meeting (ISO times or +30m/+2h/+1d)',
    '/meet "Design review" +1h +2h bob carol',
    ['none', 'none', 'none', 'user'],
  ),
  c('meetings', '', 'the meetings you organize', '/meetings'),
  c('whoami', '', 'who is signed in, where, and in which mode', '/whoami'),
  c('quit', '', 'sign out and leave (also Ctrl-D, Ctrl-C)', '/quit', [], ['exit']),
] as const;

export type CommandName = (typeof COMMANDS)[number]['name'];

const byName = new Map<string, CommandSpec>();
for (const spec of COMMANDS as readonly CommandSpec[]) {
  byName.set(spec.name, spec);
  for (const alias of spec.aliases ?? []) byName.set(alias, spec);
}

/** Every name a command answers to (aliases included), for completion and suggestions. */
export function commandNames(): string[] {
  return [...byName.keys()];
}

export function findCommand(name: string): (CommandSpec & { name: CommandName }) | undefined {
  return byName.get(name.toLowerCase()) as (CommandSpec & { name: CommandName }) | undefined;
}

/** The one-line answer to an unknown command, with the closest known one when there is one. */
export function unknownCommandMessage(name: string): string {
  const guess = closest(name, commandNames());
  const hint = guess !== undefined ? `did you mean /${guess}?` : 'type /help for the list';
  return `unknown command /${name} — ${hint}`;
}

/** Undefined when the argument count fits the command, else the usage line to show. */
export function arityProblem(spec: CommandSpec, count: number): string | undefined {
  if (count >= spec.minArgs && count <= spec.maxArgs) return undefined;
  return `usage: ${usageOf(spec)}   (e.g. ${spec.example})`;
}

export function usageOf(spec: CommandSpec): string {
  return spec.usage === '' ? `/${spec.name}` : `/${spec.name} ${spec.usage}`;
}

/** /help: every command with its summary and an example, or the detail of one. */
export function helpLines(topic?: string): string[] {
  if (topic !== undefined) {
    const spec = findCommand(topic.replace(/^\//, ''));
    if (spec === undefined) return [unknownCommandMessage(topic.replace(/^\//, ''))];
    const aliases = spec.aliases?.length ? [`  also: ${spec.aliases.map((a) => `/${a}`).join(', ')}`] : [];
    return [usageOf(spec), `  ${spec.summary}`, `  e.g. ${spec.example}`, ...aliases];
  }
  const specs: readonly CommandSpec[] = COMMANDS;
  const nameWidth = Math.max(...specs.map((s) => s.name.length)) + 1;
  const summaryWidth = Math.max(...specs.map((s) => s.summary.length));
  return [
    'Commands (a line without a leading / goes to the current chat or conference):',
    ...specs.map((s) => `  /${s.name.padEnd(nameWidth)} ${s.summary.padEnd(summaryWidth)}  ${s.example}`),
    'Short addresses work: bob means sip:bob@<your domain>. /help <command> shows its arguments.',
  ];
}
