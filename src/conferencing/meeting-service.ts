/** @module Scheduled meetings: persisted with organizer, subject, time and invitees in the organizer's data. */
import type { UserDataAccess } from '../user-data/user-data-access.js';
import type { Meeting } from '../protocol/model.js';
import { TandemError } from '../errors/index.js';
import { newConferenceId } from './conference-id.js';

export const MEETING = 'meeting';
export const CONTENT = 'content';

export interface MeetingInput {
  readonly subject: string;
  readonly start: string;
  readonly end: string;
  readonly invitees: readonly string[];
}

export class MeetingService {
  constructor(private readonly data: UserDataAccess) {}

  async schedule(organizer: string, input: MeetingInput): Promise<Meeting> {
    checkTimes(input.start, input.end);
    const meeting: Meeting = {
      meetingId: newConferenceId(organizer, 'm'),
      organizer,
      ...input,
      invitees: [...input.invitees],
    };
    await this.data.write(organizer, [{ kind: MEETING, key: meeting.meetingId, value: meeting }]);
    return meeting;
  }

  async update(organizer: string, meetingId: string, change: Partial<MeetingInput>): Promise<Meeting> {
    const current = await this.require(organizer, meetingId);
    const next: Meeting = {
      ...current,
      ...Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)),
    };
    checkTimes(next.start, next.end);
    await this.data.write(organizer, [{ kind: MEETING, key: meetingId, value: next }]);
    return next;
  }

  /** Cancels the meeting and deletes its content, in one transaction. */
  async cancel(organizer: string, meetingId: string): Promise<void> {
    await this.require(organizer, meetingId);
    const content = await this.data.list(organizer, CONTENT);
    await this.data.write(organizer, [
      ...content
        .filter((c) => c.key.startsWith(`${meetingId}#`))
        .map((c) => ({ kind: CONTENT, key: c.key, value: undefined })),
      { kind: MEETING, key: meetingId, value: undefined },
    ]);
  }

  async list(organizer: string): Promise<Meeting[]> {
    const items = await this.data.list<Meeting>(organizer, MEETING);
    return items.map((i) => i.value).sort((a, b) => a.start.localeCompare(b.start));
  }

  async find(organizer: string, meetingId: string): Promise<Meeting | undefined> {
    return this.data.get<Meeting>(organizer, MEETING, meetingId);
  }

  private async require(organizer: string, meetingId: string): Promise<Meeting> {
    const m = await this.find(organizer, meetingId);
    if (!m) throw new TandemError('CONFERENCE_NOT_FOUND', { confId: meetingId });
    return m;
  }
}

function checkTimes(start: string, end: string): void {
  if (Date.parse(end) <= Date.parse(start)) {
    throw new TandemError('INVALID_ARGUMENT', {
      detail: `the meeting ends (${end}) before it starts (${start})`,
    });
  }
}
