/** @module Presence operations: publishing the user's own state and subscribing to others'. */
import { z } from 'zod';
import { AvailabilitySchema, PresenceStateSchema, SipSchema, WireErrorSchema } from '../model.js';
import { Limits } from '../limits.js';
import { emptyResponse, op, text } from './operation-def.js';

const users = z.array(SipSchema).min(1).max(Limits.maxContacts);

export const PresenceOperations = {
  presencePublish: op({
    type: 'presence.publish',
    summary: "Publishes the user's availability and note (persisted as user data).",
    payload: z
      .object({ availability: AvailabilitySchema, note: text(Limits.maxNoteChars).optional() })
      .strict(),
    response: PresenceStateSchema,
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
    payload: z.object({ users }).strict(),
    response: z.object({
      states: z.array(PresenceStateSchema),
      /** Users not subscribed to (no such user, or disabled): each with its error, `USER_NOT_FOUND`. */
      refused: z.array(z.object({ sip: z.string(), error: WireErrorSchema })).default([]),
    }),
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
    payload: z.object({ users }).strict(),
    response: emptyResponse,
    persistent: false,
    blockedInResiliency: false,
    errors: [],
    example: { users: ['sip:bob@litwareinc.com'] },
    exampleResponse: {},
  }),
} as const;
