/** @module Peer-to-peer instant messaging operations: a session between two users, on any pools. */
import { z } from 'zod';
import { SipSchema } from '../model.js';
import { Limits } from '../limits.js';
import { emptyResponse, op, sentAt, sessionId, text } from './operation-def.js';

export const ImOperations = {
  imInvite: op({
    type: 'im.invite',
    summary: 'Starts a peer-to-peer IM session; the invitee gets im.invited.',
    payload: z.object({ to: SipSchema, text: text(Limits.maxMessageChars).optional() }).strict(),
    response: z.object({ sessionId: z.string() }),
    persistent: false,
    blockedInResiliency: false,
    errors: ['INVALID_ARGUMENT', 'USER_OFFLINE'],
    example: { to: 'sip:bob@litwareinc.com', text: 'Got a minute?' },
    exampleResponse: { sessionId: 'im-8c1d2e' },
  }),
  imAccept: op({
    type: 'im.accept',
    summary: 'Accepts an invitation; the inviter gets im.accepted.',
    payload: z.object({ sessionId }).strict(),
    response: emptyResponse,
    persistent: false,
    blockedInResiliency: false,
    errors: ['SESSION_NOT_FOUND'],
    example: { sessionId: 'im-8c1d2e' },
    exampleResponse: {},
  }),
  imDecline: op({
    type: 'im.decline',
    summary: 'Declines an invitation; the inviter gets im.declined.',
    payload: z.object({ sessionId }).strict(),
    response: emptyResponse,
    persistent: false,
    blockedInResiliency: false,
    errors: ['SESSION_NOT_FOUND'],
    example: { sessionId: 'im-8c1d2e' },
    exampleResponse: {},
  }),
  imSend: op({
    type: 'im.send',
    summary: 'Sends a message in an accepted session; the other side gets im.message.',
    payload: z.object({ sessionId, text: text(Limits.maxMessageChars).min(1) }).strict(),
    response: sentAt,
    persistent: false,
    blockedInResiliency: false,
    errors: ['SESSION_NOT_FOUND', 'USER_OFFLINE'],
    example: { sessionId: 'im-8c1d2e', text: 'Hello!' },
    exampleResponse: { at: 1795000000000 },
  }),
  imTyping: op({
    type: 'im.typing',
    summary: 'Tells the other side the user is typing (im.typing).',
    payload: z.object({ sessionId }).strict(),
    response: emptyResponse,
    persistent: false,
    blockedInResiliency: false,
    errors: ['SESSION_NOT_FOUND'],
    example: { sessionId: 'im-8c1d2e' },
    exampleResponse: {},
  }),
  imEnd: op({
    type: 'im.end',
    summary: 'Ends the session; the other side gets im.ended.',
    payload: z.object({ sessionId }).strict(),
    response: emptyResponse,
    persistent: false,
    blockedInResiliency: false,
    errors: ['SESSION_NOT_FOUND'],
    example: { sessionId: 'im-8c1d2e' },
    exampleResponse: {},
  }),
} as const;
