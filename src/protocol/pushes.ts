/** @module The catalog of server pushes: each event the server sends without a request, with an example. */

export interface PushDef {
  readonly push: string;
  readonly summary: string;
  readonly example: Record<string, unknown>;
}

function def(push: string, summary: string, example: Record<string, unknown>): PushDef {
  return { push, summary, example };
}

export const Pushes = {
  presenceChanged: def(
    'presence.changed',
    'A subscribed user’s presence changed. `Unknown` while that user is in resiliency mode, and as soon as the pool serving that user is declared lost (silent for its failure detection interval); once a failover completes, the state seen at the pool that serves the user now (its last published state when it signs in there, `Offline` until then).',
    {
      sip: 'sip:bob@litwareinc.com',
      availability: 'Away',
      note: 'Back at 2',
      at: 1795000000000,
    },
  ),
  imInvited: def('im.invited', 'Someone invites this user to a peer-to-peer IM session.', {
    sessionId: 'im-8c1d2e',
    from: 'sip:alice@litwareinc.com',
    displayName: 'Alice Smith',
    text: 'Got a minute?',
  }),
  imAccepted: def('im.accepted', 'The invitee accepted.', {
    sessionId: 'im-8c1d2e',
    by: 'sip:bob@litwareinc.com',
  }),
  imDeclined: def('im.declined', 'The invitee declined.', {
    sessionId: 'im-8c1d2e',
    by: 'sip:bob@litwareinc.com',
  }),
  imMessage: def('im.message', 'A message in a session.', {
    sessionId: 'im-8c1d2e',
    from: 'sip:alice@litwareinc.com',
    text: 'Hello!',
    at: 1795000000000,
  }),
  imTyping: def('im.typing', 'The other side is typing.', {
    sessionId: 'im-8c1d2e',
    from: 'sip:alice@litwareinc.com',
  }),
  imEnded: def(
    'im.ended',
    "The session ended: `ended` (by the other side), `endpoint-gone` (its endpoint went away), `failover` (its pool was failed over), `pool-lost` (the other side's pool stopped answering for its failure detection interval: sent by this user's server as soon as it declares that pool lost).",
    {
      sessionId: 'im-8c1d2e',
      by: 'sip:alice@litwareinc.com',
      reason: 'endpoint-gone',
    },
  ),
  confInvited: def('conf.invited', 'Someone invites this user to a conference.', {
    confId: 'alice@litwareinc.com/adhoc-3k9f2a',
    from: 'sip:alice@litwareinc.com',
    subject: 'Quick sync',
  }),
  confRoster: def('conf.roster', 'The participants of a conference the user is in, after any change.', {
    confId: 'alice@litwareinc.com/adhoc-3k9f2a',
    roster: [{ sip: 'sip:alice@litwareinc.com', displayName: 'Alice Smith', role: 'organizer' }],
  }),
  confMessage: def('conf.message', 'A message to every participant.', {
    confId: 'alice@litwareinc.com/adhoc-3k9f2a',
    from: 'sip:bob@litwareinc.com',
    text: 'Agenda is in the whiteboard',
    at: 1795000000000,
  }),
  confEnded: def(
    'conf.ended',
    "The conference ended: `ended-by-organizer`, `organizer-failed-over`, `failback` or `host-lost` (the pool hosting it, the organizer's, stopped answering for its failure detection interval).",
    {
      confId: 'alice@litwareinc.com/adhoc-3k9f2a',
      reason: 'ended-by-organizer',
    },
  ),
  contentAdded: def('content.added', 'A participant uploaded content.', {
    confId: 'alice@litwareinc.com/m-7q2w9e',
    item: {
      contentId: 'c-1a2b3c',
      name: 'agenda.txt',
      kind: 'file',
      size: 18,
      uploadedBy: 'sip:alice@litwareinc.com',
    },
  }),
  contentRemoved: def('content.removed', 'A content item was deleted.', {
    confId: 'alice@litwareinc.com/m-7q2w9e',
    contentId: 'c-1a2b3c',
  }),
  modeChanged: def('mode.changed', 'The endpoint’s mode changed (regular or resiliency), with the reason.', {
    mode: 'regular',
    reason: 'failover-complete',
  }),
  signedOut: def(
    'signed-out',
    'The server signs this endpoint out (sent just before it closes the connection): `failover`, `failback`, `fallback` (sign in again at `servers`, where the user is served now) or `disabled`. After a relocation, `reconnectWithinMs` paces the users signed out together: a client signs in again at a random moment within it, counted from this push (the users of one relocation share one deadline, so those signed out later get less: 19,500 users relocated to a pool taking 2,000 sign-ins per second are all told to be back 9,750 ms after the first was signed out), so that they do not all arrive at once.',
    {
      reason: 'failover',
      detail:
        'atl-cs-001.litwareinc.com was failed over; sign in again: your backup registrar serves you now',
      servers: [{ fqdn: 'dal-cs-001.litwareinc.com', url: 'ws://127.0.0.1:5062/v1/client' }],
      reconnectWithinMs: 9_750,
    },
  ),
} as const;

export type PushName = (typeof Pushes)[keyof typeof Pushes]['push'];

export function allPushes(): PushDef[] {
  return Object.values(Pushes);
}
