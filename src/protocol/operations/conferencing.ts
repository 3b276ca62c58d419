/** @module Conference operations: ad-hoc conferences and joining scheduled meetings, hosted by the organizer's pool. */
import { z } from 'zod';
import { RosterEntrySchema, SipSchema } from '../model.js';
import { Limits } from '../limits.js';
import { confId, emptyResponse, op, sentAt, text } from './operation-def.js';

const joined = z.object({ confId: z.string(), subject: z.string(), roster: z.array(RosterEntrySchema) });

export const ConferenceOperations = {
  confCreate: op({
    type: 'conf.create',
    summary: 'Creates an ad-hoc conference hosted by the organizer’s serving pool; the organizer joins it.',
    payload: z.object({ subject: text(200).optional() }).strict(),
    response: joined,
    persistent: true,
    blockedInResiliency: true,
    errors: ['CONFERENCE_NOT_FOUND', 'NOT_ORGANIZER'],
    example: { subject: 'Quick sync' },
    exampleResponse: {
      confId: 'alice@litwareinc.com/adhoc-3k9f2a',
      subject: 'Quick sync',
      roster: [{ sip: 'sip:alice@litwareinc.com', displayName: 'Alice Smith', role: 'organizer' }],
    },
  }),
  confInvite: op({
    type: 'conf.invite',
    summary: 'Invites users to a conference (conf.invited push).',
    payload: z.object({ confId, users: z.array(SipSchema).min(1).max(100) }).strict(),
    response: z.object({ invited: z.array(z.string()) }),
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
    response: joined,
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
    response: emptyResponse,
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
    response: emptyResponse,
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
    response: sentAt,
    persistent: false,
    blockedInResiliency: false,
    errors: ['CONFERENCE_NOT_FOUND', 'NOT_PARTICIPANT'],
    example: { confId: 'alice@litwareinc.com/adhoc-3k9f2a', text: 'Agenda is in the whiteboard' },
    exampleResponse: { at: 1795000000000 },
  }),
} as const;
