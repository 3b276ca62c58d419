/**
 * @module The catalog of client operations: each request type with its payload schema and — in one place,
 * next to the operation — whether it makes a persistent change and whether it is refused in resiliency
 * mode. The server's gateway, the SDK's types and docs/protocol.md all read this table.
 */
import { z } from 'zod';
import { AvailabilitySchema, SipSchema, base64Schema } from './model.js';
import { Limits } from './limits.js';
import type { ErrorCode } from '../errors/registry.js';

export interface OperationDef<S extends z.ZodType = z.ZodType> {
  readonly type: string;
  readonly summary: string;
  readonly payload: S;
  /** The operation changes persistent user data (replicated by the Backup Service). */
  readonly persistent: boolean;
  /** Refused while the user is in resiliency mode: every persistent change, plus contacts and address book. */
  readonly blockedInResiliency: boolean;
  /** Allowed before sign-in. */
  readonly beforeSignIn?: boolean;
  /** The codes this operation answers besides those every operation may (see declaredErrors). */
  readonly errors: readonly ErrorCode[];
  readonly example: z.input<S>;
  readonly exampleResponse: unknown;
}

function op<S extends z.ZodType>(def: OperationDef<S>): OperationDef<S> {
  if (def.persistent && !def.blockedInResiliency)
    throw new Error(`${def.type}: a persistent change must be blocked in resiliency mode`);
  return def;
}

const empty = z.object({}).strict();
const text = (max: number) => z.string().max(max);
const name = z.string().trim().min(1).max(64);
const confId = z.string().min(3).max(200);
const isoDate = z.string().datetime({ offset: true });

export const Operations = {
  signIn: op({
    type: 'signin',
    summary: 'Signs in with a password or a sign-in token; may answer SIGNIN_REDIRECT to the serving pool.',
    payload: z
      .object({
        user: SipSchema,
        password: z.string().min(1).max(256).optional(),
        token: z.string().min(1).max(2048).optional(),
        /** The highest failover epoch of the home pool this client has seen: a server with an older view refuses. */
        epoch: z.number().int().nonnegative().optional(),
        /** Capabilities of the client; `legacy` marks a client that cannot sign in during failback. */
        client: z
          .object({ name: text(64).optional(), legacy: z.boolean().optional() })
          .strict()
          .optional(),
      })
      .strict()
      .refine(
        (p) => (p.password === undefined) !== (p.token === undefined),
        'give exactly one of password and token',
      ),
    persistent: false,
    blockedInResiliency: false,
    errors: [
      'SIGNIN_FAILED',
      'SIGNIN_REDIRECT',
      'SIGNIN_UNAVAILABLE',
      'SIGNIN_RATE_LIMITED',
      'SIGNIN_BUSY',
      'TOKEN_INVALID',
      'TOKEN_EXPIRED',
      'USER_DISABLED',
      'STALE_EPOCH',
      'LEGACY_CLIENT_REFUSED',
      'TOO_MANY_ENDPOINTS',
      'ALREADY_SIGNED_IN',
      'NOT_SIGNED_IN',
    ],
    beforeSignIn: true,
    example: {
      user: 'sip:alice@litwareinc.com',
      password: 'Tandem-Demo-2026',
      client: { name: 'tandem-cli' },
    },
    exampleResponse: {
      sip: 'sip:alice@litwareinc.com',
      displayName: 'Alice Smith',
      endpointId: 'ep-5f2a9c',
      mode: 'regular',
      servedBy: 'atl-cs-001.litwareinc.com',
      poolEpoch: 0,
      token: 'v1.eyJzaXAiOi….Hs8d…',
      tokenExpiresAt: 1795000000000,
      registrars: {
        primary: {
          pool: 'atl-cs-001.litwareinc.com',
          servers: [{ fqdn: 'atl-cs-001.litwareinc.com', url: 'ws://127.0.0.1:5061/v1/client' }],
        },
        backup: {
          pool: 'dal-cs-001.litwareinc.com',
          servers: [{ fqdn: 'dal-cs-001.litwareinc.com', url: 'ws://127.0.0.1:5062/v1/client' }],
        },
      },
    },
  }),
  signOut: op({
    type: 'signout',
    summary: 'Signs this endpoint out; the server closes the connection with code 1000.',
    payload: empty,
    persistent: false,
    blockedInResiliency: false,
    errors: [],
    example: {},
    exampleResponse: {},
  }),
  ping: op({
    type: 'ping',
    summary: 'Keepalive: resets the endpoint expiry. Allowed before sign-in.',
    payload: empty,
    persistent: false,
    blockedInResiliency: false,
    errors: [],
    beforeSignIn: true,
    example: {},
    exampleResponse: { now: 1795000000000 },
  }),
  presencePublish: op({
    type: 'presence.publish',
    summary: "Publishes the user's availability and note (persisted as user data).",
    payload: z
      .object({ availability: AvailabilitySchema, note: text(Limits.maxNoteChars).optional() })
      .strict(),
    persistent: true,
    blockedInResiliency: true,
    errors: [],
    example: { availability: 'Busy', note: 'In a meeting until 3' },
    exampleResponse: {
      sip: 'sip:alice@litwareinc.com',
      availability: 'Busy',
      note: 'In a meeting until 3',
      at: 1795000000000,
    },
  }),
  presenceSubscribe: op({
    type: 'presence.subscribe',
    summary:
      'Subscribes to users (on any pool); answers their current states, then pushes presence.changed. ' +
      'Each user the address book does not list (no such user, or disabled) is refused in `refused` with ' +
      '`USER_NOT_FOUND`, the others are subscribed. A user holds at most ' +
      `${Limits.maxPresenceSubscriptions} subscriptions at a server (\`LIMIT_EXCEEDED\`, nothing subscribed).`,
    payload: z.object({ users: z.array(SipSchema).min(1).max(Limits.maxContacts) }).strict(),
    persistent: false,
    blockedInResiliency: false,
    errors: ['LIMIT_EXCEEDED'],
    example: { users: ['sip:bob@litwareinc.com', 'sip:nobody@litwareinc.com'] },
    exampleResponse: {
      states: [{ sip: 'sip:bob@litwareinc.com', availability: 'Online', note: '', at: 1795000000000 }],
      refused: [
        {
          sip: 'sip:nobody@litwareinc.com',
          error: {
            code: 'USER_NOT_FOUND',
            message: 'There is no user sip:nobody@litwareinc.com.',
            retryable: false,
            params: { identity: 'sip:nobody@litwareinc.com' },
          },
        },
      ],
    },
  }),
  presenceUnsubscribe: op({
    type: 'presence.unsubscribe',
    summary: 'Stops presence.changed pushes for these users.',
    payload: z.object({ users: z.array(SipSchema).min(1).max(Limits.maxContacts) }).strict(),
    persistent: false,
    blockedInResiliency: false,
    errors: [],
    example: { users: ['sip:bob@litwareinc.com'] },
    exampleResponse: {},
  }),
  contactsList: op({
    type: 'contacts.list',
    summary: 'The contact list: groups and contacts.',
    payload: empty,
    persistent: false,
    blockedInResiliency: true,
    errors: [],
    example: {},
    exampleResponse: {
      groups: ['Friends', 'Team'],
      contacts: [{ sip: 'sip:bob@litwareinc.com', group: 'Team', displayName: 'Bob Jones' }],
    },
  }),
  contactsAdd: op({
    type: 'contacts.add',
    summary: 'Adds a contact to a group (created if missing; default group "Contacts").',
    payload: z.object({ sip: SipSchema, group: name.optional() }).strict(),
    persistent: true,
    blockedInResiliency: true,
    errors: ['INVALID_ARGUMENT', 'LIMIT_EXCEEDED'],
    example: { sip: 'sip:bob@litwareinc.com', group: 'Team' },
    exampleResponse: { sip: 'sip:bob@litwareinc.com', group: 'Team', displayName: 'Bob Jones' },
  }),
  contactsRemove: op({
    type: 'contacts.remove',
    summary: 'Removes a contact.',
    payload: z.object({ sip: SipSchema }).strict(),
    persistent: true,
    blockedInResiliency: true,
    errors: ['NOT_FOUND'],
    example: { sip: 'sip:bob@litwareinc.com' },
    exampleResponse: {},
  }),
  contactsMove: op({
    type: 'contacts.move',
    summary: 'Moves a contact to another group (created if missing).',
    payload: z.object({ sip: SipSchema, group: name }).strict(),
    persistent: true,
    blockedInResiliency: true,
    errors: ['NOT_FOUND', 'LIMIT_EXCEEDED'],
    example: { sip: 'sip:bob@litwareinc.com', group: 'Friends' },
    exampleResponse: { sip: 'sip:bob@litwareinc.com', group: 'Friends', displayName: 'Bob Jones' },
  }),
  groupsAdd: op({
    type: 'groups.add',
    summary: 'Creates an empty group.',
    payload: z.object({ name }).strict(),
    persistent: true,
    blockedInResiliency: true,
    errors: ['CONFLICT', 'LIMIT_EXCEEDED'],
    example: { name: 'Project X' },
    exampleResponse: {},
  }),
  groupsRename: op({
    type: 'groups.rename',
    summary: 'Renames a group; its contacts follow.',
    payload: z.object({ name, newName: name }).strict(),
    persistent: true,
    blockedInResiliency: true,
    errors: ['NOT_FOUND', 'CONFLICT'],
    example: { name: 'Project X', newName: 'Project Y' },
    exampleResponse: {},
  }),
  groupsRemove: op({
    type: 'groups.remove',
    summary: 'Removes a group and the contacts in it.',
    payload: z.object({ name }).strict(),
    persistent: true,
    blockedInResiliency: true,
    errors: ['NOT_FOUND'],
    example: { name: 'Project Y' },
    exampleResponse: {},
  }),
  imInvite: op({
    type: 'im.invite',
    summary: 'Starts a peer-to-peer IM session; the invitee gets im.invited.',
    payload: z.object({ to: SipSchema, text: text(Limits.maxMessageChars).optional() }).strict(),
    persistent: false,
    blockedInResiliency: false,
    errors: ['INVALID_ARGUMENT', 'USER_OFFLINE'],
    example: { to: 'sip:bob@litwareinc.com', text: 'Got a minute?' },
    exampleResponse: { sessionId: 'im-8c1d2e' },
  }),
  imAccept: op({
    type: 'im.accept',
    summary: 'Accepts an invitation; the inviter gets im.accepted.',
    payload: z.object({ sessionId: z.string().min(1).max(100) }).strict(),
    persistent: false,
    blockedInResiliency: false,
    errors: ['SESSION_NOT_FOUND'],
    example: { sessionId: 'im-8c1d2e' },
    exampleResponse: {},
  }),
  imDecline: op({
    type: 'im.decline',
    summary: 'Declines an invitation; the inviter gets im.declined.',
    payload: z.object({ sessionId: z.string().min(1).max(100) }).strict(),
    persistent: false,
    blockedInResiliency: false,
    errors: ['SESSION_NOT_FOUND'],
    example: { sessionId: 'im-8c1d2e' },
    exampleResponse: {},
  }),
  imSend: op({
    type: 'im.send',
    summary: 'Sends a message in an accepted session; the other side gets im.message.',
    payload: z
      .object({ sessionId: z.string().min(1).max(100), text: text(Limits.maxMessageChars).min(1) })
      .strict(),
    persistent: false,
    blockedInResiliency: false,
    errors: ['SESSION_NOT_FOUND', 'USER_OFFLINE'],
    example: { sessionId: 'im-8c1d2e', text: 'Hello!' },
    exampleResponse: { at: 1795000000000 },
  }),
  imTyping: op({
    type: 'im.typing',
    summary: 'Tells the other side the user is typing (im.typing).',
    payload: z.object({ sessionId: z.string().min(1).max(100) }).strict(),
    persistent: false,
    blockedInResiliency: false,
    errors: ['SESSION_NOT_FOUND'],
    example: { sessionId: 'im-8c1d2e' },
    exampleResponse: {},
  }),
  imEnd: op({
    type: 'im.end',
    summary: 'Ends the session; the other side gets im.ended.',
    payload: z.object({ sessionId: z.string().min(1).max(100) }).strict(),
    persistent: false,
    blockedInResiliency: false,
    errors: ['SESSION_NOT_FOUND'],
    example: { sessionId: 'im-8c1d2e' },
    exampleResponse: {},
  }),
  confCreate: op({
    type: 'conf.create',
    summary: 'Creates an ad-hoc conference hosted by the organizer’s serving pool; the organizer joins it.',
    payload: z.object({ subject: text(200).optional() }).strict(),
    persistent: true,
    blockedInResiliency: true,
    errors: ['CONFERENCE_NOT_FOUND', 'NOT_ORGANIZER'],
    example: { subject: 'Quick sync' },
    exampleResponse: {
      confId: 'alice@litwareinc.com/adhoc-3k9f2a',
      roster: [{ sip: 'sip:alice@litwareinc.com', displayName: 'Alice Smith', role: 'organizer' }],
    },
  }),
  confInvite: op({
    type: 'conf.invite',
    summary: 'Invites users to a conference (conf.invited push).',
    payload: z.object({ confId, users: z.array(SipSchema).min(1).max(100) }).strict(),
    persistent: false,
    blockedInResiliency: false,
    errors: ['CONFERENCE_NOT_FOUND', 'NOT_PARTICIPANT', 'INVALID_ARGUMENT'],
    example: { confId: 'alice@litwareinc.com/adhoc-3k9f2a', users: ['sip:bob@litwareinc.com'] },
    exampleResponse: { invited: ['sip:bob@litwareinc.com'] },
  }),
  confJoin: op({
    type: 'conf.join',
    summary: 'Joins an ad-hoc conference or a scheduled meeting by its id; everyone gets conf.roster.',
    payload: z.object({ confId }).strict(),
    persistent: false,
    blockedInResiliency: false,
    errors: ['CONFERENCE_NOT_FOUND'],
    example: { confId: 'alice@litwareinc.com/adhoc-3k9f2a' },
    exampleResponse: {
      confId: 'alice@litwareinc.com/adhoc-3k9f2a',
      subject: 'Quick sync',
      roster: [
        { sip: 'sip:alice@litwareinc.com', displayName: 'Alice Smith', role: 'organizer' },
        { sip: 'sip:bob@litwareinc.com', displayName: 'Bob Jones', role: 'attendee' },
      ],
    },
  }),
  confLeave: op({
    type: 'conf.leave',
    summary: 'Leaves a conference; the others get conf.roster.',
    payload: z.object({ confId }).strict(),
    persistent: false,
    blockedInResiliency: false,
    errors: ['CONFERENCE_NOT_FOUND', 'NOT_PARTICIPANT'],
    example: { confId: 'alice@litwareinc.com/adhoc-3k9f2a' },
    exampleResponse: {},
  }),
  confEnd: op({
    type: 'conf.end',
    summary: 'Ends a conference (organizer only); everyone gets conf.ended.',
    payload: z.object({ confId }).strict(),
    persistent: false,
    blockedInResiliency: false,
    errors: ['CONFERENCE_NOT_FOUND', 'NOT_ORGANIZER'],
    example: { confId: 'alice@litwareinc.com/adhoc-3k9f2a' },
    exampleResponse: {},
  }),
  confMessage: op({
    type: 'conf.message',
    summary: 'Sends a message to every participant (conf.message push).',
    payload: z.object({ confId, text: text(Limits.maxMessageChars).min(1) }).strict(),
    persistent: false,
    blockedInResiliency: false,
    errors: ['CONFERENCE_NOT_FOUND', 'NOT_PARTICIPANT'],
    example: { confId: 'alice@litwareinc.com/adhoc-3k9f2a', text: 'Agenda is in the whiteboard' },
    exampleResponse: { at: 1795000000000 },
  }),
  meetingSchedule: op({
    type: 'meeting.schedule',
    summary: 'Schedules a meeting (persisted with organizer, subject, time and invitees).',
    payload: z
      .object({
        subject: text(200).min(1),
        start: isoDate,
        end: isoDate,
        invitees: z.array(SipSchema).max(250).default([]),
      })
      .strict(),
    persistent: true,
    blockedInResiliency: true,
    errors: ['INVALID_ARGUMENT'],
    example: {
      subject: 'Quarterly review',
      start: '2026-12-01T15:00:00Z',
      end: '2026-12-01T16:00:00Z',
      invitees: ['sip:bob@litwareinc.com'],
    },
    exampleResponse: {
      meetingId: 'alice@litwareinc.com/m-7q2w9e',
      organizer: 'sip:alice@litwareinc.com',
      subject: 'Quarterly review',
      start: '2026-12-01T15:00:00Z',
      end: '2026-12-01T16:00:00Z',
      invitees: ['sip:bob@litwareinc.com'],
    },
  }),
  meetingUpdate: op({
    type: 'meeting.update',
    summary: 'Changes a meeting the user organizes.',
    payload: z
      .object({
        meetingId: confId,
        subject: text(200).min(1).optional(),
        start: isoDate.optional(),
        end: isoDate.optional(),
        invitees: z.array(SipSchema).max(250).optional(),
      })
      .strict(),
    persistent: true,
    blockedInResiliency: true,
    errors: ['CONFERENCE_NOT_FOUND', 'INVALID_ARGUMENT'],
    example: { meetingId: 'alice@litwareinc.com/m-7q2w9e', subject: 'Quarterly review (moved)' },
    exampleResponse: {
      meetingId: 'alice@litwareinc.com/m-7q2w9e',
      organizer: 'sip:alice@litwareinc.com',
      subject: 'Quarterly review (moved)',
      start: '2026-12-01T15:00:00Z',
      end: '2026-12-01T16:00:00Z',
      invitees: ['sip:bob@litwareinc.com'],
    },
  }),
  meetingCancel: op({
    type: 'meeting.cancel',
    summary: 'Cancels a meeting the user organizes, with its content.',
    payload: z.object({ meetingId: confId }).strict(),
    persistent: true,
    blockedInResiliency: true,
    errors: ['CONFERENCE_NOT_FOUND'],
    example: { meetingId: 'alice@litwareinc.com/m-7q2w9e' },
    exampleResponse: {},
  }),
  meetingList: op({
    type: 'meeting.list',
    summary: 'The meetings the user organizes.',
    payload: empty,
    persistent: false,
    blockedInResiliency: false,
    errors: [],
    example: {},
    exampleResponse: { meetings: [] },
  }),
  contentUpload: op({
    type: 'content.upload',
    summary:
      'Uploads a file or whiteboard item to a conference (base64, documented size limit). Past the content ' +
      'quota of the conference or of its organizer: `CONTENT_QUOTA_EXCEEDED`, naming the quota and the usage.',
    payload: z
      .object({
        confId,
        name: text(200).min(1),
        kind: z.enum(['file', 'whiteboard']),
        data: base64Schema(Math.ceil((Limits.maxContentBytes * 4) / 3) + 4),
      })
      .strict(),
    persistent: true,
    blockedInResiliency: true,
    errors: ['CONFERENCE_NOT_FOUND', 'NOT_PARTICIPANT', 'CONTENT_QUOTA_EXCEEDED', 'INVALID_ARGUMENT'],
    example: {
      confId: 'alice@litwareinc.com/m-7q2w9e',
      name: 'agenda.txt',
      kind: 'file',
      data: 'QWdlbmRhOiAxLiBSZXN1bHRz',
    },
    exampleResponse: {
      contentId: 'c-1a2b3c',
      confId: 'alice@litwareinc.com/m-7q2w9e',
      name: 'agenda.txt',
      kind: 'file',
      size: 18,
      sha256: 'f1c9…',
      uploadedBy: 'sip:alice@litwareinc.com',
      at: 1795000000000,
    },
  }),
  contentList: op({
    type: 'content.list',
    summary:
      'Lists the content of a conference (its organizer or a participant; anyone else gets NOT_PARTICIPANT).',
    payload: z.object({ confId }).strict(),
    persistent: false,
    blockedInResiliency: false,
    errors: ['CONFERENCE_NOT_FOUND', 'NOT_PARTICIPANT'],
    example: { confId: 'alice@litwareinc.com/m-7q2w9e' },
    exampleResponse: { items: [] },
  }),
  contentGet: op({
    type: 'content.get',
    summary: 'Downloads one content item (base64); its organizer or a participant.',
    payload: z.object({ confId, contentId: z.string().min(1).max(100) }).strict(),
    persistent: false,
    blockedInResiliency: false,
    errors: ['CONFERENCE_NOT_FOUND', 'NOT_PARTICIPANT', 'NOT_FOUND'],
    example: { confId: 'alice@litwareinc.com/m-7q2w9e', contentId: 'c-1a2b3c' },
    exampleResponse: {
      contentId: 'c-1a2b3c',
      name: 'agenda.txt',
      kind: 'file',
      data: 'QWdlbmRhOiAxLiBSZXN1bHRz',
    },
  }),
  contentDelete: op({
    type: 'content.delete',
    summary:
      'Deletes a content item (its uploader or the organizer), and its file at the home pool and, through the ' +
      'Backup Service, at the backup pool.',
    payload: z.object({ confId, contentId: z.string().min(1).max(100) }).strict(),
    persistent: true,
    blockedInResiliency: true,
    errors: ['CONFERENCE_NOT_FOUND', 'NOT_PARTICIPANT', 'NOT_FOUND', 'NOT_ORGANIZER'],
    example: { confId: 'alice@litwareinc.com/m-7q2w9e', contentId: 'c-1a2b3c' },
    exampleResponse: {},
  }),
  settingsGet: op({
    type: 'settings.get',
    summary: "The user's settings (a flat map of strings).",
    payload: empty,
    persistent: false,
    blockedInResiliency: false,
    errors: [],
    example: {},
    exampleResponse: { settings: { theme: 'dark' } },
  }),
  settingsSet: op({
    type: 'settings.set',
    summary: 'Sets one setting; a null value deletes it.',
    payload: z.object({ key: name, value: text(1000).nullable() }).strict(),
    persistent: true,
    blockedInResiliency: true,
    errors: [],
    example: { key: 'theme', value: 'dark' },
    exampleResponse: {},
  }),
  directorySearch: op({
    type: 'directory.search',
    summary: 'Searches the address book by name or SIP address, with paging.',
    payload: z
      .object({
        query: text(100),
        page: z.number().int().min(0).max(100_000).default(0),
        pageSize: z.number().int().min(1).max(Limits.maxPageSize).default(20),
      })
      .strict(),
    persistent: false,
    blockedInResiliency: true,
    errors: [],
    example: { query: 'smith', page: 0, pageSize: 20 },
    exampleResponse: {
      total: 1,
      page: 0,
      pageSize: 20,
      results: [{ sip: 'sip:alice@litwareinc.com', displayName: 'Alice Smith' }],
    },
  }),
} as const;

export type OperationKey = keyof typeof Operations;
export type OperationType = (typeof Operations)[OperationKey]['type'];
export type PayloadOf<K extends OperationKey> = z.input<(typeof Operations)[K]['payload']>;
export type ParsedPayloadOf<K extends OperationKey> = z.output<(typeof Operations)[K]['payload']>;

const byType = new Map<string, OperationDef>(
  Object.values(Operations).map((o) => [o.type, o as OperationDef]),
);

export function operationOf(type: string): OperationDef | undefined {
  return byType.get(type);
}

export function allOperations(): OperationDef[] {
  return [...byType.values()];
}

/** Codes any frame may get, whatever its type: the envelope, the rate, and a failure of the server itself. */
export const COMMON_ERRORS: readonly ErrorCode[] = [
  'PROTOCOL_BAD_FRAME',
  'PROTOCOL_UNKNOWN_TYPE',
  'PROTOCOL_BAD_PAYLOAD',
  'RATE_LIMITED',
  // A frame nested too deeply or holding too many values, measured before its type is read.
  'LIMIT_EXCEEDED',
  'INTERNAL',
];

/**
 * Every code an operation may answer: its own, the common ones, NOT_SIGNED_IN before sign-in, RESILIENCY_MODE
 * where the catalog refuses it in resiliency mode, and for a persistent change POOL_READ_ONLY (during a
 * failover or failback, or at a pool that no longer serves the user) and STORAGE_FULL. docs/protocol.md lists them per operation.
 */
export function declaredErrors(def: OperationDef): ReadonlySet<ErrorCode> {
  const codes = new Set<ErrorCode>([...COMMON_ERRORS, ...def.errors]);
  if (!def.beforeSignIn) codes.add('NOT_SIGNED_IN');
  if (def.blockedInResiliency) codes.add('RESILIENCY_MODE');
  if (def.persistent) {
    codes.add('POOL_READ_ONLY');
    codes.add('STORAGE_FULL');
  }
  return codes;
}
