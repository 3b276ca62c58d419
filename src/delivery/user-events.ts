/**
 * @module What servers tell each other about users: events delivered to a user's serving server, and calls
 * addressed to one server. Validated when they arrive from a link.
 */
import { z } from 'zod';
import { ImEndReasonSchema, type PushName, type SentPushPayloadOf } from '../protocol/pushes.js';

const sip = z.string().min(1).max(300);
const sessionId = z.string().min(1).max(100);
const confId = z.string().min(1).max(200);

export const PresenceStateSchema = z.object({
  sip,
  availability: z.enum(['Online', 'Busy', 'DoNotDisturb', 'BeRightBack', 'Away', 'Offline', 'Unknown']),
  note: z.string().max(2000),
  at: z.number(),
});

/** Events delivered to every endpoint of one user, at the servers that serve that user. */
export const UserEventSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('push'),
    push: z.string().min(1).max(64),
    payload: z.record(z.string(), z.unknown()),
  }),
  z.object({
    kind: z.literal('im.invite'),
    sessionId,
    from: sip,
    fromServer: z.string(),
    displayName: z.string(),
    text: z.string().optional(),
  }),
  z.object({ kind: z.literal('im.reply'), sessionId, by: sip, byServer: z.string(), accepted: z.boolean() }),
  z.object({ kind: z.literal('im.message'), sessionId, from: sip, text: z.string(), at: z.number() }),
  z.object({ kind: z.literal('im.typing'), sessionId, from: sip }),
  z.object({ kind: z.literal('im.end'), sessionId, by: sip, reason: ImEndReasonSchema }),
]);
export type UserEvent = z.infer<typeof UserEventSchema>;

/** A push for a user's endpoints wherever they are signed in: its payload is the one the push catalog declares. */
export type PushEvent = {
  [N in PushName]: { readonly kind: 'push'; readonly push: N; readonly payload: SentPushPayloadOf<N> };
}[PushName];

/** What a service sends through the fabric: a push is checked against the catalog; the rest as received. */
export type OutgoingUserEvent = Exclude<UserEvent, { kind: 'push' }> | PushEvent;

/** Calls addressed to one server (presence watching, conference operations at the host). */
export const ServerCallSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('presence.watch'), watcher: z.string(), users: z.array(sip).max(5000) }),
  z.object({ kind: z.literal('presence.unwatch'), watcher: z.string(), users: z.array(sip).max(5000) }),
  z.object({ kind: z.literal('presence.notify'), states: z.array(PresenceStateSchema).max(5000) }),
  z.object({
    kind: z.literal('conf.op'),
    op: z.string().max(40),
    confId,
    caller: z.object({ sip, displayName: z.string(), server: z.string() }),
    payload: z.record(z.string(), z.unknown()),
  }),
]);
export type ServerCall = z.infer<typeof ServerCallSchema>;

/** The answer to `presence.watch`: the current states of the watched users served there. */
export const PresenceWatchAnswerSchema = z.object({ states: z.array(PresenceStateSchema).max(5000) });
