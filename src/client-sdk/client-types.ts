/**
 * @module The shapes the client hands to applications: one response type per operation (following the
 * exampleResponse of each entry in src/protocol/operations.ts) and one payload type per server push.
 */
import type { OperationKey } from '../protocol/operations/index.js';
import type { WireError } from '../errors/index.js';
import type {
  ClientMode,
  Contact,
  ContentItem,
  Meeting,
  PresenceState,
  RegistrarInfo,
  RosterEntry,
} from '../protocol/model.js';

export interface Registrars {
  readonly primary: RegistrarInfo;
  readonly backup?: RegistrarInfo | undefined;
}

/** The success payload of `signin`. */
export interface SignInResponse {
  readonly sip: string;
  readonly displayName: string;
  readonly endpointId: string;
  readonly mode: ClientMode;
  /** FQDN of the front-end server that signed the endpoint in. */
  readonly servedBy: string;
  /** The failover epoch of the user's home pool the server acted on; the client sends it back (fencing). */
  readonly poolEpoch: number;
  readonly token: string;
  readonly tokenExpiresAt: number;
  readonly registrars: Registrars;
}

/** What connect() resolves with and `signed-in` carries. */
export interface SignInResult extends SignInResponse {
  /** The URL of the server the client signed in at. */
  readonly url: string;
  /** False for the first sign-in of this client, true for every automatic or later one. */
  readonly reconnected: boolean;
}

export type EmptyResponse = Record<string, never>;

export interface PingResponse {
  readonly now: number;
}
export interface PresenceStates {
  readonly states: readonly PresenceState[];
  /** Users not subscribed to (no such user, or disabled): each with its error, `USER_NOT_FOUND`. */
  readonly refused: readonly { readonly sip: string; readonly error: WireError }[];
}
export interface ContactList {
  readonly groups: readonly string[];
  readonly contacts: readonly Contact[];
}
export interface ImSession {
  readonly sessionId: string;
}
export interface SentAt {
  readonly at: number;
}
export interface ConferenceCreated {
  readonly confId: string;
  readonly roster: readonly RosterEntry[];
}
export interface ConferenceInvited {
  readonly invited: readonly string[];
}
export interface ConferenceJoined {
  readonly confId: string;
  readonly subject: string;
  readonly roster: readonly RosterEntry[];
}
export interface MeetingList {
  readonly meetings: readonly Meeting[];
}
export interface ContentList {
  readonly items: readonly ContentItem[];
}
export interface ContentData {
  readonly contentId: string;
  readonly name: string;
  readonly kind: ContentItem['kind'];
  /** base64 */
  readonly data: string;
}
export interface Settings {
  readonly settings: Readonly<Record<string, string>>;
}
export interface DirectoryEntry {
  readonly sip: string;
  readonly displayName: string;
}
export interface DirectoryPage {
  readonly total: number;
  readonly page: number;
  readonly pageSize: number;
  readonly results: readonly DirectoryEntry[];
}

/** The response payload of each operation, by its key in Operations. */
export interface OperationResponses {
  signIn: SignInResponse;
  signOut: EmptyResponse;
  ping: PingResponse;
  presencePublish: PresenceState;
  presenceSubscribe: PresenceStates;
  presenceUnsubscribe: EmptyResponse;
  contactsList: ContactList;
  contactsAdd: Contact;
  contactsRemove: EmptyResponse;
  contactsMove: Contact;
  groupsAdd: EmptyResponse;
  groupsRename: EmptyResponse;
  groupsRemove: EmptyResponse;
  imInvite: ImSession;
  imAccept: EmptyResponse;
  imDecline: EmptyResponse;
  imSend: SentAt;
  imTyping: EmptyResponse;
  imEnd: EmptyResponse;
  confCreate: ConferenceCreated;
  confInvite: ConferenceInvited;
  confJoin: ConferenceJoined;
  confLeave: EmptyResponse;
  confEnd: EmptyResponse;
  confMessage: SentAt;
  meetingSchedule: Meeting;
  meetingUpdate: Meeting;
  meetingCancel: EmptyResponse;
  meetingList: MeetingList;
  contentUpload: ContentItem;
  contentList: ContentList;
  contentGet: ContentData;
  contentDelete: EmptyResponse;
  settingsGet: Settings;
  settingsSet: EmptyResponse;
  directorySearch: DirectoryPage;
}
export type ResponseOf<K extends OperationKey> = OperationResponses[K];

export interface ImInvitedPush {
  readonly sessionId: string;
  readonly from: string;
  readonly displayName: string;
  readonly text?: string;
}
export interface ImByPush {
  readonly sessionId: string;
  readonly by: string;
}
export interface ImMessagePush {
  readonly sessionId: string;
  readonly from: string;
  readonly text: string;
  readonly at: number;
}
export interface ImTypingPush {
  readonly sessionId: string;
  readonly from: string;
}
export interface ImEndedPush {
  readonly sessionId: string;
  readonly by: string;
  readonly reason: 'ended' | 'endpoint-gone' | 'failover' | 'pool-lost';
}
export interface ConfInvitedPush {
  readonly confId: string;
  readonly from: string;
  readonly subject: string;
}
export interface ConfRosterPush {
  readonly confId: string;
  readonly roster: readonly RosterEntry[];
}
export interface ConfMessagePush {
  readonly confId: string;
  readonly from: string;
  readonly text: string;
  readonly at: number;
}
export interface ConfEndedPush {
  readonly confId: string;
  readonly reason: 'ended-by-organizer' | 'organizer-failed-over' | 'failback' | 'host-lost';
}
/** The push example carries this subset of ContentItem. */
export type ContentSummary = Pick<ContentItem, 'contentId' | 'name' | 'kind' | 'size' | 'uploadedBy'> &
  Partial<ContentItem>;
export interface ContentAddedPush {
  readonly confId: string;
  readonly item: ContentSummary;
}
export interface ContentRemovedPush {
  readonly confId: string;
  readonly contentId: string;
}
export interface ModeChangedPush {
  readonly mode: ClientMode;
  readonly reason: string;
}
export interface SignedOutPush {
  readonly reason: string;
  readonly detail: string;
  /** Where the user is served now (failover, failback, fallback). */
  readonly servers?: readonly { readonly fqdn: string; readonly url: string }[];
  /** Sign in again at a random moment within this many ms (the server paces a relocation); the SDK does. */
  readonly reconnectWithinMs?: number;
}

/** The payload of each push, by its name in src/protocol/pushes.ts. */
export interface PushPayloads {
  'presence.changed': PresenceState;
  'im.invited': ImInvitedPush;
  'im.accepted': ImByPush;
  'im.declined': ImByPush;
  'im.message': ImMessagePush;
  'im.typing': ImTypingPush;
  'im.ended': ImEndedPush;
  'conf.invited': ConfInvitedPush;
  'conf.roster': ConfRosterPush;
  'conf.message': ConfMessagePush;
  'conf.ended': ConfEndedPush;
  'content.added': ContentAddedPush;
  'content.removed': ContentRemovedPush;
  'mode.changed': ModeChangedPush;
  'signed-out': SignedOutPush;
}

/** The pushes this SDK has types for; a test keeps the list equal to src/protocol/pushes.ts. */
export const TYPED_PUSHES = [
  'presence.changed',
  'im.invited',
  'im.accepted',
  'im.declined',
  'im.message',
  'im.typing',
  'im.ended',
  'conf.invited',
  'conf.roster',
  'conf.message',
  'conf.ended',
  'content.added',
  'content.removed',
  'mode.changed',
  'signed-out',
] as const satisfies readonly (keyof PushPayloads)[];

// Compile-time guards: a new operation in src/protocol, or a new push type here, must be listed.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const operationsCovered: Same<keyof OperationResponses, OperationKey> = true;
const pushesListed: Same<(typeof TYPED_PUSHES)[number], keyof PushPayloads> = true;
void operationsCovered;
void pushesListed;
