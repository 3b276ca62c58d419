/** @module Tab completion: command names after `/`, then what each argument takes (command-table.ts). */
import { Availability } from '../protocol/model.js';
import { commandNames, findCommand, type ArgKind } from './command-table.js';

/** What the client knows that is worth offering; each list is read when Tab is pressed. */
export interface CompletionSource {
  /** Short names of contacts, watched users and chat peers. */
  users(): readonly string[];
  groups(): readonly string[];
  /** Chat numbers and peers, for /switch. */
  chats(): readonly string[];
  /** Session ids of pending chat invitations. */
  invitations(): readonly string[];
  /** Ids of conferences one was invited to, and of one's meetings. */
  conferences(): readonly string[];
}

function candidates(kind: ArgKind, source: CompletionSource): readonly string[] {
  switch (kind) {
    case 'availability':
      return Object.values(Availability);
    case 'user':
      return source.users();
    case 'group':
      return source.groups();
    case 'chat':
      return source.chats();
    case 'invitation':
      return source.invitations();
    case 'conference':
      return source.conferences();
    case 'command':
      return commandNames();
    case 'none':
      return [];
  }
}

/** readline's completer contract: the matches, and the part of the line they replace. */
export function completeLine(line: string, source: CompletionSource): [string[], string] {
  if (!line.startsWith('/')) return [[], line];
  const words = line.split(/\s+/);
  const current = words.at(-1) ?? '';
  if (words.length === 1) {
    const hits = commandNames()
      .filter((n) => `/${n}`.startsWith(current.toLowerCase()))
      .map((n) => `/${n}`)
      .sort();
    return [hits.length === 1 ? [`${hits[0]} `] : hits, current];
  }
  const spec = findCommand((words[0] ?? '').slice(1));
  const kinds = spec?.complete ?? [];
  const kind = kinds[Math.min(words.length - 2, kinds.length - 1)];
  if (kind === undefined) return [[], current];
  const lower = current.toLowerCase();
  const hits = [...new Set(candidates(kind, source))].filter((c) => c.toLowerCase().startsWith(lower)).sort();
  return [hits.length === 1 ? [`${hits[0]} `] : hits, current];
}
