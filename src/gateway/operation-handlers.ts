/**
 * @module The table from operation type to service call: thin adapters that hold no business rule. Whether
 * an operation is persistent or refused in resiliency mode is declared in the protocol's catalog, not here.
 */
import type { AddressBook } from '../directory/address-book.js';
import type { ContactService } from '../contacts/contact-service.js';
import type { ConferenceService } from '../conferencing/conference-service.js';
import type { MeetingService } from '../conferencing/meeting-service.js';
import type { ImService } from '../im/im-service.js';
import type { PresenceService } from '../presence/presence-service.js';
import type { SettingsService } from '../user-data/settings-service.js';
import { normalizeSip } from '../directory/sip-address.js';
import type { OperationKey, ParsedPayloadOf, SentResponseOf } from '../protocol/operations/index.js';
import type { SessionContext } from './session-context.js';

export interface Services {
  readonly presence: PresenceService;
  readonly contacts: ContactService;
  readonly im: ImService;
  readonly conferences: ConferenceService;
  readonly meetings: MeetingService;
  readonly settings: SettingsService;
  readonly addressBook: AddressBook;
}

/** A handler answers what its operation's response schema declares: another shape does not compile. */
type Handler<K extends OperationKey> = (
  ctx: SessionContext,
  payload: ParsedPayloadOf<K>,
) => Promise<SentResponseOf<K>>;
export type HandlerMap = { [K in Exclude<OperationKey, 'signIn' | 'signOut' | 'ping'>]: Handler<K> };

const sip = (s: string) => normalizeSip(s) ?? s.toLowerCase();
const sips = (list: readonly string[]) => list.map(sip);

export function operationHandlers(s: Services): HandlerMap {
  const caller = (ctx: SessionContext) => ({
    sip: ctx.endpoint.sip,
    displayName: ctx.endpoint.displayName,
    endpointId: ctx.endpoint.id,
  });
  const confCaller = (ctx: SessionContext) => ({
    sip: ctx.endpoint.sip,
    displayName: ctx.endpoint.displayName,
    server: ctx.server,
  });
  return {
    presencePublish: (ctx, p) => s.presence.publish(ctx.endpoint.sip, p.availability, p.note),
    presenceSubscribe: (ctx, p) => s.presence.subscribe(ctx.endpoint.sip, sips(p.users)),
    presenceUnsubscribe: async (ctx, p) => {
      s.presence.unsubscribe(ctx.endpoint.sip, sips(p.users));
      return {};
    },
    contactsList: (ctx) => s.contacts.list(ctx.endpoint.sip),
    contactsAdd: (ctx, p) => s.contacts.add(ctx.endpoint.sip, sip(p.sip), p.group),
    contactsRemove: async (ctx, p) => {
      await s.contacts.remove(ctx.endpoint.sip, sip(p.sip));
      return {};
    },
    contactsMove: (ctx, p) => s.contacts.move(ctx.endpoint.sip, sip(p.sip), p.group),
    groupsAdd: async (ctx, p) => {
      await s.contacts.addGroup(ctx.endpoint.sip, p.name);
      return {};
    },
    groupsRename: async (ctx, p) => {
      await s.contacts.renameGroup(ctx.endpoint.sip, p.name, p.newName);
      return {};
    },
    groupsRemove: async (ctx, p) => {
      await s.contacts.removeGroup(ctx.endpoint.sip, p.name);
      return {};
    },
    imInvite: (ctx, p) => s.im.invite(caller(ctx), sip(p.to), p.text),
    imAccept: async (ctx, p) => {
      await s.im.reply(caller(ctx), p.sessionId, true);
      return {};
    },
    imDecline: async (ctx, p) => {
      await s.im.reply(caller(ctx), p.sessionId, false);
      return {};
    },
    imSend: (ctx, p) => s.im.send(caller(ctx), p.sessionId, p.text),
    imTyping: async (ctx, p) => {
      await s.im.typing(caller(ctx), p.sessionId);
      return {};
    },
    imEnd: async (ctx, p) => {
      await s.im.end(caller(ctx), p.sessionId);
      return {};
    },
    confCreate: (ctx, p) => s.conferences.create(confCaller(ctx), p.subject ?? ''),
    confInvite: (ctx, p) =>
      s.conferences.op('confInvite', confCaller(ctx), p.confId, { users: sips(p.users) }),
    confJoin: (ctx, p) => s.conferences.join(confCaller(ctx), p.confId),
    confLeave: (ctx, p) => s.conferences.leave(confCaller(ctx), p.confId),
    confEnd: (ctx, p) => s.conferences.op('confEnd', confCaller(ctx), p.confId, {}),
    confMessage: (ctx, p) => s.conferences.op('confMessage', confCaller(ctx), p.confId, { text: p.text }),
    meetingSchedule: (ctx, p) => s.meetings.schedule(ctx.endpoint.sip, { ...p, invitees: sips(p.invitees) }),
    meetingUpdate: (ctx, p) => {
      const { meetingId, invitees, ...rest } = p;
      return s.meetings.update(ctx.endpoint.sip, meetingId, {
        ...rest,
        ...(invitees ? { invitees: sips(invitees) } : {}),
      });
    },
    meetingCancel: async (ctx, p) => {
      await s.meetings.cancel(ctx.endpoint.sip, p.meetingId);
      return {};
    },
    meetingList: async (ctx) => ({ meetings: await s.meetings.list(ctx.endpoint.sip) }),
    contentUpload: (ctx, p) =>
      s.conferences.op('contentUpload', confCaller(ctx), p.confId, {
        name: p.name,
        kind: p.kind,
        data: p.data,
      }),
    contentList: (ctx, p) => s.conferences.op('contentList', confCaller(ctx), p.confId, {}),
    contentGet: (ctx, p) =>
      s.conferences.op('contentGet', confCaller(ctx), p.confId, { contentId: p.contentId }),
    contentDelete: (ctx, p) =>
      s.conferences.op('contentDelete', confCaller(ctx), p.confId, { contentId: p.contentId }),
    settingsGet: async (ctx) => ({ settings: await s.settings.get(ctx.endpoint.sip) }),
    settingsSet: async (ctx, p) => {
      await s.settings.set(ctx.endpoint.sip, p.key, p.value);
      return {};
    },
    directorySearch: async (_ctx, p) => s.addressBook.search(p.query, p.page, p.pageSize),
  };
}
