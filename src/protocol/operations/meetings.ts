/** @module Scheduled meeting operations: the meetings a user organizes (persistent user data). */
import { z } from 'zod';
import { MeetingSchema, SipSchema } from '../model.js';
import { confId, empty, emptyResponse, isoDate, op, text } from './operation-def.js';

export const MeetingOperations = {
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
    response: MeetingSchema,
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
    response: MeetingSchema,
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
    response: emptyResponse,
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
    response: z.object({ meetings: z.array(MeetingSchema) }),
    persistent: false,
    blockedInResiliency: false,
    errors: [],
    example: {},
    exampleResponse: { meetings: [] },
  }),
} as const;
