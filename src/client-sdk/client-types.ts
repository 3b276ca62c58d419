/**
 * @module The shapes the client hands to applications, derived from the protocol catalog: one response type
 * per operation (its response schema in src/protocol/operations/) and one payload type per server push
 * (src/protocol/pushes.ts). The SDK parses every answer and push with those same schemas.
 */
import type { OperationKey, ResponseOf as CatalogResponseOf } from '../protocol/operations/index.js';
import { Pushes, type PushName, type PushPayloadOf } from '../protocol/pushes.js';

/** The response payload of an operation, by its key in Operations. */
export type ResponseOf<K extends OperationKey> = CatalogResponseOf<K>;
export type OperationResponses = { [K in OperationKey]: ResponseOf<K> };

/** The success payload of `signin`. */
export type SignInResponse = ResponseOf<'signIn'>;
export type Registrars = SignInResponse['registrars'];

/** What connect() resolves with and `signed-in` carries. */
export type SignInResult = SignInResponse & {
  /** The URL of the server the client signed in at. */
  readonly url: string;
  /** False for the first sign-in of this client, true for every automatic or later one. */
  readonly reconnected: boolean;
};

export type EmptyResponse = ResponseOf<'signOut'>;
export type PingResponse = ResponseOf<'ping'>;
export type PresenceStates = ResponseOf<'presenceSubscribe'>;
export type ContactList = ResponseOf<'contactsList'>;
export type ImSession = ResponseOf<'imInvite'>;
export type SentAt = ResponseOf<'imSend'>;
export type ConferenceCreated = ResponseOf<'confCreate'>;
export type ConferenceInvited = ResponseOf<'confInvite'>;
export type ConferenceJoined = ResponseOf<'confJoin'>;
export type MeetingList = ResponseOf<'meetingList'>;
export type ContentList = ResponseOf<'contentList'>;
export type ContentData = ResponseOf<'contentGet'>;
export type Settings = ResponseOf<'settingsGet'>;
export type DirectoryPage = ResponseOf<'directorySearch'>;
export type DirectoryEntry = DirectoryPage['results'][number];

/** The payload of each push, by its name in src/protocol/pushes.ts. */
export type PushPayloads = { [N in PushName]: PushPayloadOf<N> };
export type ImInvitedPush = PushPayloadOf<'im.invited'>;
export type ImByPush = PushPayloadOf<'im.accepted'>;
export type ImMessagePush = PushPayloadOf<'im.message'>;
export type ImTypingPush = PushPayloadOf<'im.typing'>;
export type ImEndedPush = PushPayloadOf<'im.ended'>;
export type ConfInvitedPush = PushPayloadOf<'conf.invited'>;
export type ConfRosterPush = PushPayloadOf<'conf.roster'>;
export type ConfMessagePush = PushPayloadOf<'conf.message'>;
export type ConfEndedPush = PushPayloadOf<'conf.ended'>;
export type ContentAddedPush = PushPayloadOf<'content.added'>;
/** The fields of a content item that content.added is sure to carry. */
export type ContentSummary = ContentAddedPush['item'];
export type ContentRemovedPush = PushPayloadOf<'content.removed'>;
export type ModeChangedPush = PushPayloadOf<'mode.changed'>;
export type SignedOutPush = PushPayloadOf<'signed-out'>;

/** The pushes this SDK emits under their own names: every push of the catalog. */
export const TYPED_PUSHES: readonly PushName[] = Object.values(Pushes).map((p) => p.push);
