/**
 * @module The live side of conferences, at the host server (the organizer's serving pool): roster,
 * messages, content, and the end of the conference. Participants reach it through the fabric.
 */
import { issuesText, safeParse } from '../json/safe-parse.js';
import { randomHex } from '../security/random-pool.js';
import { z } from 'zod';
import type { Fabric } from '../delivery/fabric.js';
import type { PushEvent } from '../delivery/user-events.js';
import type { UserDataAccess } from '../user-data/user-data-access.js';
import { base64Schema, type ContentItem, type RosterEntry } from '../protocol/model.js';
import { Limits } from '../protocol/limits.js';
import type { SentResponseOf } from '../protocol/operations/index.js';
import type { ConfEndReason } from '../protocol/pushes.js';
import { TandemError } from '../errors/index.js';
import { isMeetingId, organizerOf } from './conference-id.js';
import type { ContentLibrary } from './content-library.js';
import type { MeetingService } from './meeting-service.js';

export const ADHOC = 'conference';

/** Payloads arrive from other servers: each operation's shape is checked again at the host. */
const OpPayload = {
  create: z.object({ subject: z.string().max(200).default('') }),
  message: z.object({ text: z.string().min(1).max(Limits.maxMessageChars) }),
  invite: z.object({ users: z.array(z.string().max(300)).max(100) }),
  upload: z.object({
    name: z.string().min(1).max(200),
    kind: z.enum(['file', 'whiteboard']),
    data: base64Schema(Math.ceil((Limits.maxContentBytes * 4) / 3) + 4),
  }),
  content: z.object({ contentId: z.string().min(1).max(100) }),
};

/** A payload of the operation's shape; a peer that sends another gets INVALID_ARGUMENT, not an internal error. */
function payloadOf<S extends z.ZodType>(schema: S, payload: unknown, op: string): z.output<S> {
  const parsed = safeParse(schema, payload);
  if (parsed.success) return parsed.data;
  const detail = issuesText(parsed.error, 'payload');
  throw new TandemError('INVALID_ARGUMENT', { detail: `bad conference ${op} payload: ${detail}` });
}

export interface ConfCaller {
  readonly sip: string;
  readonly displayName: string;
  readonly server: string;
}

interface LiveConference {
  readonly confId: string;
  readonly organizer: string;
  readonly subject: string;
  readonly participants: Map<string, RosterEntry>;
}

export class ConferenceHost {
  private readonly live = new Map<string, LiveConference>();

  constructor(
    private readonly fabric: Fabric,
    private readonly data: UserDataAccess,
    private readonly meetings: MeetingService,
    private readonly content: ContentLibrary,
  ) {}

  /** Runs one operation for a participant; the payload is checked against the operation's shape first. */
  async run(
    op: string,
    confId: string,
    caller: ConfCaller,
    payload: Record<string, unknown>,
  ): Promise<unknown> {
    switch (op) {
      case 'create':
        return this.create(confId, caller, payloadOf(OpPayload.create, payload, op).subject);
      case 'join':
        return this.join(await this.liveOrMeeting(confId), caller);
      case 'leave':
        return this.leave(this.require(confId), caller.sip);
      case 'message':
        return this.message(
          this.participant(confId, caller),
          caller,
          payloadOf(OpPayload.message, payload, op).text,
        );
      case 'invite':
        return this.invite(
          this.participant(confId, caller),
          caller,
          payloadOf(OpPayload.invite, payload, op).users,
        );
      case 'end':
        return this.end(this.require(confId), caller.sip, 'ended-by-organizer');
      case 'content.upload':
        return this.upload(confId, caller, payloadOf(OpPayload.upload, payload, op));
      case 'content.list':
        return { items: await this.content.list(this.reader(confId, caller)) };
      case 'content.get':
        return this.download(
          this.reader(confId, caller),
          payloadOf(OpPayload.content, payload, op).contentId,
        );
      case 'content.delete':
        return this.deleteContent(confId, caller, payloadOf(OpPayload.content, payload, op).contentId);
      default:
        throw new TandemError('INVALID_ARGUMENT', { detail: `unknown conference operation ${op}` });
    }
  }

  /** Ends every conference organized by a user matching `affected`, telling the participants why. */
  async endOrganizedBy(affected: (sip: string) => boolean, reason: ConfEndReason): Promise<number> {
    const doomed = [...this.live.values()].filter((c) => affected(c.organizer));
    for (const c of doomed) await this.end(c, c.organizer, reason);
    return doomed.length;
  }

  liveCount(): number {
    return this.live.size;
  }

  private async create(
    confId: string,
    caller: ConfCaller,
    subject: string,
  ): Promise<SentResponseOf<'confCreate'>> {
    if (organizerOf(confId) !== caller.sip)
      throw new TandemError('NOT_ORGANIZER', { confId, action: 'create it' });
    await this.data.write(caller.sip, [
      { kind: ADHOC, key: confId, value: { subject, createdAt: Date.now() } },
    ]);
    const conf: LiveConference = { confId, organizer: caller.sip, subject, participants: new Map() };
    this.live.set(confId, conf);
    return this.join(conf, caller);
  }

  private async liveOrMeeting(confId: string): Promise<LiveConference> {
    const existing = this.live.get(confId);
    if (existing) return existing;
    const organizer = organizerOf(confId);
    const meeting = isMeetingId(confId) ? await this.meetings.find(organizer, confId) : undefined;
    if (!meeting) throw new TandemError('CONFERENCE_NOT_FOUND', { confId });
    const conf: LiveConference = { confId, organizer, subject: meeting.subject, participants: new Map() };
    this.live.set(confId, conf);
    return conf;
  }

  private async join(conf: LiveConference, caller: ConfCaller): Promise<SentResponseOf<'confJoin'>> {
    conf.participants.set(caller.sip, {
      sip: caller.sip,
      displayName: caller.displayName,
      role: caller.sip === conf.organizer ? 'organizer' : 'attendee',
    });
    const roster = [...conf.participants.values()];
    await this.broadcast(conf, {
      kind: 'push',
      push: 'conf.roster',
      payload: { confId: conf.confId, roster },
    });
    return { confId: conf.confId, subject: conf.subject, roster };
  }

  private async leave(conf: LiveConference, sip: string): Promise<SentResponseOf<'confLeave'>> {
    if (!conf.participants.delete(sip)) return {};
    if (conf.participants.size === 0) {
      await this.finish(conf);
      return {};
    }
    await this.broadcast(conf, {
      kind: 'push',
      push: 'conf.roster',
      payload: { confId: conf.confId, roster: [...conf.participants.values()] },
    });
    return {};
  }

  private async message(
    conf: LiveConference,
    caller: ConfCaller,
    text: string,
  ): Promise<SentResponseOf<'confMessage'>> {
    const at = Date.now();
    await this.broadcast(conf, {
      kind: 'push',
      push: 'conf.message',
      payload: { confId: conf.confId, from: caller.sip, text, at },
    });
    return { at };
  }

  private async invite(
    conf: LiveConference,
    caller: ConfCaller,
    users: readonly string[],
  ): Promise<SentResponseOf<'confInvite'>> {
    const invited: string[] = [];
    for (const u of users) {
      const reached = await this.fabric
        .sendToUser(u, {
          kind: 'push',
          push: 'conf.invited',
          payload: { confId: conf.confId, from: caller.sip, subject: conf.subject },
        })
        .catch(() => 0);
      if (reached > 0) invited.push(u);
    }
    return { invited };
  }

  private async end(
    conf: LiveConference,
    by: string,
    reason: ConfEndReason,
  ): Promise<SentResponseOf<'confEnd'>> {
    if (by !== conf.organizer)
      throw new TandemError('NOT_ORGANIZER', { confId: conf.confId, action: 'end it' });
    await this.broadcast(conf, {
      kind: 'push',
      push: 'conf.ended',
      payload: { confId: conf.confId, reason },
    });
    await this.finish(conf);
    return {};
  }

  private async finish(conf: LiveConference): Promise<void> {
    this.live.delete(conf.confId);
    if (!isMeetingId(conf.confId)) {
      const record = await this.data.get(conf.organizer, ADHOC, conf.confId);
      // Ended by a failover, the organizer's data is read-only here: the record stays, marked by the
      // conference's end for nobody (a later conf.create never reuses an id), and is harmless.
      if (record) {
        await this.data
          .write(conf.organizer, [{ kind: ADHOC, key: conf.confId, value: undefined }])
          .catch((err: unknown) => {
            if (!(err instanceof TandemError && err.code === 'POOL_READ_ONLY')) throw err;
          });
      }
    }
  }

  private async upload(
    confId: string,
    caller: ConfCaller,
    payload: z.infer<typeof OpPayload.upload>,
  ): Promise<ContentItem> {
    const conf = await this.liveOrMeeting(confId);
    if (!conf.participants.has(caller.sip) && caller.sip !== conf.organizer)
      throw new TandemError('NOT_PARTICIPANT', { confId });
    const data = Buffer.from(payload.data, 'base64');
    if (data.length > Limits.maxContentBytes) {
      throw new TandemError('LIMIT_EXCEEDED', {
        what: `A content item (${data.length} bytes)`,
        limit: `${Limits.maxContentBytes} bytes`,
      });
    }
    const item = await this.content.add(
      {
        contentId: `c-${randomHex(5)}`,
        confId,
        name: payload.name,
        kind: payload.kind,
        size: data.length,
        uploadedBy: caller.sip,
        at: Date.now(),
      },
      data,
    );
    await this.broadcast(conf, { kind: 'push', push: 'content.added', payload: { confId, item } });
    return item;
  }

  private async download(confId: string, contentId: string): Promise<SentResponseOf<'contentGet'>> {
    const item = await this.content.find(confId, contentId);
    if (!item) throw new TandemError('NOT_FOUND', { what: 'Content item', name: contentId });
    const data = await this.content.read(item);
    return { contentId, name: item.name, kind: item.kind, data: data.toString('base64') };
  }

  private async deleteContent(
    confId: string,
    caller: ConfCaller,
    contentId: string,
  ): Promise<SentResponseOf<'contentDelete'>> {
    const item = await this.content.find(confId, contentId);
    if (!item) throw new TandemError('NOT_FOUND', { what: 'Content item', name: contentId });
    if (caller.sip !== item.uploadedBy && caller.sip !== organizerOf(confId))
      throw new TandemError('NOT_ORGANIZER', { confId, action: 'delete content others uploaded' });
    await this.content.remove(item);
    const conf = this.live.get(confId);
    if (conf)
      await this.broadcast(conf, { kind: 'push', push: 'content.removed', payload: { confId, contentId } });
    return {};
  }

  private require(confId: string): LiveConference {
    const conf = this.live.get(confId);
    if (!conf) throw new TandemError('CONFERENCE_NOT_FOUND', { confId });
    return conf;
  }

  /**
   * Content is read by its organizer or by a participant, as it is uploaded: someone who only knows the id
   * joins first, and so shows in the roster, rather than reading unseen.
   */
  private reader(confId: string, caller: ConfCaller): string {
    if (caller.sip !== organizerOf(confId) && !this.live.get(confId)?.participants.has(caller.sip))
      throw new TandemError('NOT_PARTICIPANT', { confId });
    return confId;
  }

  private participant(confId: string, caller: ConfCaller): LiveConference {
    const conf = this.require(confId);
    if (!conf.participants.has(caller.sip)) throw new TandemError('NOT_PARTICIPANT', { confId });
    return conf;
  }

  private async broadcast(conf: LiveConference, event: PushEvent): Promise<void> {
    await Promise.all(
      [...conf.participants.keys()].map((sip) => this.fabric.sendToUser(sip, event).catch(() => 0)),
    );
  }
}
