/**
 * @module The commands about conversations: IM sessions (/im, /accept, /decline, /end), conferences (/conf,
 * /invite, /join, /leave, /roster, /endconf), /chats and /switch, and sending a typed line to the current one.
 */
import type { ConfChat, ImChat } from './chat-state.js';
import { textFrom } from './command-line.js';
import { attempt, CommandFailed, type ClientSession } from './client-session.js';
import type { Handler } from './account-commands.js';
import { rosterNames } from './format-events.js';
import { chatsLines, chatTitle, rosterLines } from './format-lists.js';
import { sameSip } from './sip.js';

function currentConf(s: ClientSession): ConfChat {
  const chat = s.state.current();
  if (chat?.kind === 'conf') return chat;
  throw new CommandFailed('no current conference — /conf creates one, /join enters one, /switch picks one');
}

/** The invitation a command means: the one named, else the latest. */
function invitation(s: ClientSession, sessionId: string | undefined, verb: string): ImChat {
  const pending = s.state.pendingInvitations();
  const chat = sessionId === undefined ? pending.at(-1) : pending.find((c) => c.sessionId === sessionId);
  if (chat !== undefined) return chat;
  throw new CommandFailed(
    sessionId === undefined
      ? `no chat invitation to ${verb}`
      : `no chat invitation ${sessionId} — /chats lists them`,
  );
}

async function sendIm(s: ClientSession, chat: ImChat, text: string): Promise<void> {
  if (chat.status === 'inviting')
    throw new CommandFailed(`${s.fmt.name(chat.peer)} has not accepted yet; your message was not sent`);
  if (chat.status === 'invited')
    throw new CommandFailed(`accept the invitation first: /accept ${chat.sessionId}`);
  await attempt('imSend', () => s.client.sendIm(chat.sessionId, text));
}

/** Sends a line that is not a command to the current chat or conference. */
export async function sendToCurrent(s: ClientSession, text: string): Promise<void> {
  const chat = s.state.current();
  if (chat === undefined) {
    const invited = s.state.pendingInvitations().at(-1);
    if (invited !== undefined)
      throw new CommandFailed(`no chat open — /accept to answer ${s.fmt.name(invited.peer)}'s invitation`);
    throw new CommandFailed(
      'no chat open — /im <sip> starts one, /chats lists yours, /help lists the commands',
    );
  }
  if (chat.kind === 'im') await sendIm(s, chat, text);
  else await attempt('confMessage', () => s.client.sendConferenceMessage(chat.confId, text));
}

export const chatCommands = {
  im: async (cmd, s) => {
    const to = s.sip(cmd.args[0] ?? '');
    if (sameSip(to, s.client.sip())) throw new CommandFailed('you cannot chat with yourself');
    const text = textFrom(cmd, 1);
    const open = s.state
      .chats()
      .find((c): c is ImChat => c.kind === 'im' && c.status === 'active' && sameSip(c.peer, to));
    if (open !== undefined) {
      s.state.setCurrent(open);
      if (text !== '') await sendIm(s, open, text);
      else s.out.info(`* back to your chat with ${s.fmt.name(to)}`);
      return undefined;
    }
    const { sessionId } = await attempt('imInvite', () =>
      s.client.inviteIm(to, text === '' ? undefined : text),
    );
    const chat = s.state.addIm(sessionId, to, 'inviting');
    if (s.state.im(sessionId) === undefined) return undefined; // declined before the invitation was answered
    s.state.setCurrent(chat);
    if (chat.status === 'inviting')
      s.out.info(`* inviting ${s.fmt.name(to)} to chat… you can type once they accept`);
    return undefined;
  },
  accept: async (cmd, s) => {
    const chat = invitation(s, cmd.args[0], 'accept');
    await attempt('imAccept', () => s.client.acceptIm(chat.sessionId));
    chat.status = 'active';
    s.state.setCurrent(chat);
    s.out.info(`* chatting with ${s.fmt.name(chat.peer)} — type to send, /end to close`);
    return undefined;
  },
  decline: async (cmd, s) => {
    const chat = invitation(s, cmd.args[0], 'decline');
    await attempt('imDecline', () => s.client.declineIm(chat.sessionId));
    s.state.removeIm(chat.sessionId);
    s.out.info(`* declined ${s.fmt.name(chat.peer)}'s invitation`);
    return undefined;
  },
  chats: async (_cmd, s) => {
    for (const line of chatsLines(s.fmt, s.state)) s.out.info(line);
    return undefined;
  },
  switch: async (cmd, s) => {
    const ref = cmd.args[0] ?? '';
    const chat = s.state.find(ref, (name) => s.sip(name));
    if (chat === undefined) throw new CommandFailed(`no chat matches "${ref}" — /chats lists them`);
    s.state.setCurrent(chat);
    const hint =
      chat.kind === 'im' && chat.status === 'invited' ? ` — /accept ${chat.sessionId} to answer` : '';
    s.out.info(`* now in ${chat.kind === 'im' ? 'the chat with ' : ''}${chatTitle(s.fmt, chat)}${hint}`);
    return undefined;
  },
  end: async (_cmd, s) => {
    const chat = s.state.current();
    if (chat?.kind === 'conf')
      throw new CommandFailed('the current chat is a conference: /leave it or /endconf');
    if (chat === undefined) throw new CommandFailed('no current chat to end');
    await attempt('imEnd', () => s.client.endIm(chat.sessionId));
    s.state.removeIm(chat.sessionId);
    s.out.info(`* chat with ${s.fmt.name(chat.peer)} ended`);
    return undefined;
  },
  conf: async (cmd, s) => {
    const typed = textFrom(cmd, 0);
    const subject = typed === '' ? `${s.fmt.name(s.client.sip())}'s conference` : typed;
    const created = await attempt('confCreate', () => s.client.createConference(subject));
    s.state.setCurrent(s.state.addConf(created.confId, subject, created.roster));
    s.out.info(`* conference "${subject}" created — /invite <sip...> to bring people in (${created.confId})`);
    return undefined;
  },
  invite: async (cmd, s) => {
    const conf = currentConf(s);
    const users = cmd.args.map((a) => s.sip(a));
    const { invited } = await attempt('confInvite', () => s.client.inviteToConference(conf.confId, users));
    const missed = users.filter((u) => !invited.some((i) => sameSip(i, u)));
    if (invited.length > 0)
      s.out.info(`* invited ${invited.map((u) => s.fmt.name(u)).join(', ')} to "${conf.subject}"`);
    if (missed.length > 0)
      s.out.error(`not reached (signed out?): ${missed.map((u) => s.fmt.name(u)).join(', ')}`);
    return undefined;
  },
  join: async (cmd, s) => {
    const confId = cmd.args[0] ?? s.state.confInvites().at(-1)?.confId;
    if (confId === undefined) throw new CommandFailed('no conference invitation — /join <confId>');
    const joined = await attempt('confJoin', () => s.client.joinConference(confId));
    const subject = joined.subject === '' ? confId : joined.subject;
    s.state.setCurrent(s.state.addConf(joined.confId, subject, joined.roster));
    s.out.info(`* joined "${subject}" with ${rosterNames(s.fmt, joined.roster)}`);
    return undefined;
  },
  leave: async (_cmd, s) => {
    const conf = currentConf(s);
    await attempt('confLeave', () => s.client.leaveConference(conf.confId));
    s.state.removeConf(conf.confId);
    s.out.info(`* left "${conf.subject}"`);
    return undefined;
  },
  roster: async (_cmd, s) => {
    for (const line of rosterLines(s.fmt, currentConf(s))) s.out.info(line);
    return undefined;
  },
  endconf: async (_cmd, s) => {
    const conf = currentConf(s);
    // Forgotten first, so that the conf.ended push that may beat the answer is not announced as news.
    s.state.removeConf(conf.confId);
    try {
      await attempt('confEnd', () => s.client.endConference(conf.confId));
    } catch (err) {
      s.state.setCurrent(s.state.addConf(conf.confId, conf.subject, conf.roster));
      throw err;
    }
    s.out.info(`* ended "${conf.subject}" for everyone`);
    return undefined;
  },
} satisfies Record<string, Handler>;
