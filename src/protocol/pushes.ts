/**
 * @module The catalog of server pushes: each event the server sends without a request, with its payload schema
 * and an example. Every push goes out through encodePush, typed by this table, so that a push with the wrong
 * payload does not compile; the SDK's event types derive from the same schemas.
 */
import { z } from 'zod';
import { safeParse } from '../json/safe-parse.js';
import {
  ClientModeSchema,
  ContentItemSchema,
  PresenceStateSchema,
  RosterEntrySchema,
  ServerAddressSchema,
  type Sendable,
} from './model.js';

export interface PushDef<N extends string = string, S extends z.ZodType = z.ZodType> {
  readonly push: N;
  readonly summary: string;
  readonly payload: S;
  readonly example: z.input<S>;
}

function def<N extends string, S extends z.ZodType>(
  push: N,
  summary: string,
  payload: S,
  example: z.input<S>,
): PushDef<N, S> {
  return { push, summary, payload, example };
}

const imBy = z.object({ sessionId: z.string(), by: z.string() });

/** Why an IM session ended (im.ended). */
export const ImEndReasonSchema = z.enum(['ended', 'endpoint-gone', 'failover', 'pool-lost']);
export type ImEndReason = z.output<typeof ImEndReasonSchema>;
/** Why a conference ended (conf.ended). */
export const ConfEndReasonSchema = z.enum([
  'ended-by-organizer',
  'organizer-failed-over',
  'failback',
  'host-lost',
]);
export type ConfEndReason = z.output<typeof ConfEndReasonSchema>;

export const Pushes = {
  presenceChanged: def(
    'presence.changed',
    'A subscribed user’s presence changed. `Unknown` while that user is in resiliency mode, and as soon as the pool serving that user is declared lost (silent for its failure detection interval); once a failover completes, the state seen at the pool that serves the user now (its last published state when it signs in there, `Offline` until then).',
    PresenceStateSchema,
    {
      sip: 'sip:bob@litwareinc.com',
      availability: 'Away',
      note: 'Back at 2',
      at: 1795000000000,
    },
  ),
  imInvited: def(
    'im.invited',
    'Someone invites this user to a peer-to-peer IM session.',
    z.object({
      sessionId: z.string(),
      from: z.string(),
      displayName: z.string(),
      text: z.string().optional(),
    }),
    {
      sessionId: 'im-8c1d2e',
      from: 'sip:alice@litwareinc.com',
      displayName: 'Alice Smith',
      text: 'Got a minute?',
    },
  ),
  imAccepted: def('im.accepted', 'The invitee accepted.', imBy, {
    sessionId: 'im-8c1d2e',
    by: 'sip:bob@litwareinc.com',
  }),
  imDeclined: def('im.declined', 'The invitee declined.', imBy, {
    sessionId: 'im-8c1d2e',
    by: 'sip:bob@litwareinc.com',
  }),
  imMessage: def(
    'im.message',
    'A message in a session.',
    z.object({ sessionId: z.string(), from: z.string(), text: z.string(), at: z.number() }),
    {
      sessionId: 'im-8c1d2e',
      from: 'sip:alice@litwareinc.com',
      text: 'Hello!',
      at: 1795000000000,
    },
  ),
  imTyping: def(
    'im.typing',
    'The other side is typing.',
    z.object({ sessionId: z.string(), from: z.string() }),
    {
      sessionId: 'im-8c1d2e',
      from: 'sip:alice@litwareinc.com',
    },
  ),
  imEnded: def(
    'im.ended',
    "The session ended: `ended` (by the other side), `endpoint-gone` (its endpoint went away), `failover` (its pool was failed over), `pool-lost` (the other side's pool stopped answering for its failure detection interval: sent by this user's server as soon as it declares that pool lost).",
    z.object({
      sessionId: z.string(),
      by: z.string(),
      reason: ImEndReasonSchema,
    }),
    {
      sessionId: 'im-8c1d2e',
      by: 'sip:alice@litwareinc.com',
      reason: 'endpoint-gone',
    },
  ),
  confInvited: def(
    'conf.invited',
    'Someone invites this user to a conference.',
    z.object({ confId: z.string(), from: z.string(), subject: z.string() }),
    {
      confId: 'alice@litwareinc.com/adhoc-3k9f2a',
      from: 'sip:alice@litwareinc.com',
      subject: 'Quick sync',
    },
  ),
  confRoster: def(
    'conf.roster',
    'The participants of a conference the user is in, after any change.',
    z.object({ confId: z.string(), roster: z.array(RosterEntrySchema) }),
    {
      confId: 'alice@litwareinc.com/adhoc-3k9f2a',
      roster: [{ sip: 'sip:alice@litwareinc.com', displayName: 'Alice Smith', role: 'organizer' }],
    },
  ),
  confMessage: def(
    'conf.message',
    'A message to every participant.',
    z.object({ confId: z.string(), from: z.string(), text: z.string(), at: z.number() }),
    {
      confId: 'alice@litwareinc.com/adhoc-3k9f2a',
      from: 'sip:bob@litwareinc.com',
      text: 'Agenda is in the whiteboard',
      at: 1795000000000,
    },
  ),
  confEnded: def(
    'conf.ended',
    "The conference ended: `ended-by-organizer`, `organizer-failed-over`, `failback` or `host-lost` (the pool hosting it, the organizer's, stopped answering for its failure detection interval).",
    z.object({
      confId: z.string(),
      reason: ConfEndReasonSchema,
    }),
    {
      confId: 'alice@litwareinc.com/adhoc-3k9f2a',
      reason: 'ended-by-organizer',
    },
  ),
  contentAdded: def(
    'content.added',
    'A participant uploaded content.',
    z.object({
      confId: z.string(),
      // The example shows the fields a client needs; the server sends the whole item.
      item: ContentItemSchema.partial().required({
        contentId: true,
        name: true,
        kind: true,
        size: true,
        uploadedBy: true,
      }),
    }),
    {
      confId: 'alice@litwareinc.com/m-7q2w9e',
      item: {
        contentId: 'c-1a2b3c',
        name: 'agenda.txt',
        kind: 'file',
        size: 18,
        uploadedBy: 'sip:alice@litwareinc.com',
      },
    },
  ),
  contentRemoved: def(
    'content.removed',
    'A content item was deleted.',
    z.object({ confId: z.string(), contentId: z.string() }),
    {
      confId: 'alice@litwareinc.com/m-7q2w9e',
      contentId: 'c-1a2b3c',
    },
  ),
  modeChanged: def(
    'mode.changed',
    'The endpoint’s mode changed (regular or resiliency), with the reason.',
    z.object({ mode: ClientModeSchema, reason: z.string() }),
    {
      mode: 'regular',
      reason: 'failover-complete',
    },
  ),
  signedOut: def(
    'signed-out',
    'The server signs this endpoint out (sent just before it closes the connection): `failover`, `failback`, `fallback` (sign in again at `servers`, where the user is served now) or `disabled`. After a relocation, `reconnectWithinMs` paces the users signed out together: a client signs in again at a random moment within it, counted from this push (the users of one relocation share one deadline, so those signed out later get less: 19,500 users relocated to a pool taking 2,000 sign-ins per second are all told to be back 9,750 ms after the first was signed out), so that they do not all arrive at once.',
    z.object({
      reason: z.string(),
      detail: z.string(),
      /** Where the user is served now (failover, failback, fallback). */
      servers: z.array(ServerAddressSchema).optional(),
      /** Sign in again at a random moment within this many ms (the server paces a relocation); the SDK does. */
      reconnectWithinMs: z.number().optional(),
    }),
    {
      reason: 'failover',
      detail:
        'atl-cs-001.litwareinc.com was failed over; sign in again: your backup registrar serves you now',
      servers: [{ fqdn: 'dal-cs-001.litwareinc.com', url: 'wss://127.0.0.1:5062/v1/client' }],
      reconnectWithinMs: 9_750,
    },
  ),
} as const;

export type PushKey = keyof typeof Pushes;
export type PushName = (typeof Pushes)[PushKey]['push'];
type PushDefOf<N extends PushName> = Extract<(typeof Pushes)[PushKey], { readonly push: N }>;
/** A push's payload as a client reads it. */
export type PushPayloadOf<N extends PushName> = z.output<PushDefOf<N>['payload']>;
/** What the server may send as a push's payload: anything its schema accepts. */
export type SentPushPayloadOf<N extends PushName> = Sendable<z.input<PushDefOf<N>['payload']>>;

const byName = new Map<string, PushDef>(Object.values(Pushes).map((p) => [p.push, p as PushDef]));

export function pushOf(name: string): PushDef | undefined {
  return byName.get(name);
}

export function allPushes(): PushDef[] {
  return [...byName.values()];
}

/** A push this catalog knows, with its payload checked: narrowing on `name` types `payload`. */
export type KnownPush = {
  [N in PushName]: { readonly name: N; readonly payload: PushPayloadOf<N> };
}[PushName];

/**
 * Checks a received push against its schema: undefined for a push this catalog does not know (a newer server's),
 * the problem as text for a known push of another shape. (The result is asserted to KnownPush because TypeScript
 * cannot relate the name of a looked-up entry to its schema; the schema that parsed it is that name's.)
 */
export function parsePush(name: string, payload: unknown): KnownPush | string | undefined {
  const push = byName.get(name);
  if (push === undefined) return undefined;
  const parsed = safeParse(push.payload, payload);
  return parsed.success ? ({ name, payload: parsed.data } as KnownPush) : z.prettifyError(parsed.error);
}

/** The frame of one push, as sent to every endpoint it is for: the one place a push is put on the wire. */
export function encodePush<N extends PushName>(name: N, payload: SentPushPayloadOf<N>): string {
  return JSON.stringify({ push: name, payload });
}
