/**
 * @module Conferences as a participant's server sees them: it forwards each operation to the host (the
 * organizer's serving pool) and remembers which conferences its users are in, to leave them when the
 * user's last endpoint goes away.
 */
import type { CommsHub } from '../delivery/comms-hub.js';
import type { Fabric } from '../delivery/fabric.js';
import { TandemError } from '../errors/index.js';
import { parseResponse, type OperationKey, type ResponseOf } from '../protocol/operations/index.js';
import { newConferenceId, organizerOf } from './conference-id.js';
import type { ConferenceHost, ConfCaller } from './conference-host.js';

const MOVES = new Set(['failover', 'failback', 'fallback']);

/** The client operations a participant's server forwards to the host, with the host's name for each. */
const HOST_OPS = {
  confCreate: 'create',
  confJoin: 'join',
  confLeave: 'leave',
  confInvite: 'invite',
  confEnd: 'end',
  confMessage: 'message',
  contentUpload: 'content.upload',
  contentList: 'content.list',
  contentGet: 'content.get',
  contentDelete: 'content.delete',
} as const satisfies Partial<Record<OperationKey, string>>;
type HostOp = keyof typeof HOST_OPS;
/** The operations that run at the host as they are, with nothing to remember here but the end. */
export type ForwardedOp = Exclude<HostOp, 'confCreate' | 'confJoin' | 'confLeave'>;

export class ConferenceService {
  private readonly joined = new Map<string, Set<string>>();

  constructor(
    private readonly hub: CommsHub,
    private readonly fabric: Fabric,
    host: ConferenceHost,
  ) {
    hub.onServerCallKind('conf.op', async (m) => {
      if (m.kind !== 'conf.op') return {};
      return host.run(m.op, m.confId, m.caller, m.payload);
    });
    // A user who signs out leaves its conferences; one moved by a failover or failback stays in those it does
    // not organize ("User experience during pool failure") and is found at its new server by the host's pushes.
    hub.endpoints.on('gone', (ep, reason) => {
      if (!MOVES.has(reason) && !hub.endpoints.isOnline(ep.sip)) void this.leaveAll(ep.sip);
    });
  }

  async create(caller: ConfCaller, subject: string): Promise<ResponseOf<'confCreate'>> {
    const confId = newConferenceId(caller.sip, 'adhoc');
    const res = await this.atHost('confCreate', confId, caller, { subject });
    this.track(caller.sip, confId, true);
    return res;
  }

  async join(caller: ConfCaller, confId: string): Promise<ResponseOf<'confJoin'>> {
    const res = await this.atHost('confJoin', confId, caller, {});
    this.track(caller.sip, confId, true);
    return res;
  }

  async leave(caller: ConfCaller, confId: string): Promise<ResponseOf<'confLeave'>> {
    this.track(caller.sip, confId, false);
    return this.atHost('confLeave', confId, caller, {});
  }

  /** Any other operation (message, invite, end, content.*) runs at the host as is. */
  async op<K extends ForwardedOp>(
    key: K,
    caller: ConfCaller,
    confId: string,
    payload: Record<string, unknown>,
  ): Promise<ResponseOf<K>> {
    const res = await this.atHost(key, confId, caller, payload);
    if (key === 'confEnd') this.track(caller.sip, confId, false);
    return res;
  }

  /**
   * The pool hosting some conferences was lost (their organizers are served there): the local participants
   * are told the conference ended, as Lync ends the conferences a user of a failed pool organized.
   */
  hostLost(organizerAffected: (sip: string) => boolean): number {
    let told = 0;
    for (const [sip, confs] of [...this.joined]) {
      for (const confId of [...confs]) {
        if (!organizerAffected(organizerOf(confId))) continue;
        this.track(sip, confId, false);
        told += this.hub.push(sip, 'conf.ended', { confId, reason: 'host-lost' });
      }
    }
    return told;
  }

  /** Runs the operation at the host; its answer is the client's, so the client's response schema checks it. */
  private async atHost<K extends HostOp>(
    key: K,
    confId: string,
    caller: ConfCaller,
    payload: Record<string, unknown>,
  ): Promise<ResponseOf<K>> {
    const host = this.fabric.serversOf(organizerOf(confId))[0];
    if (!host) throw new TandemError('CONFERENCE_NOT_FOUND', { confId });
    const op = HOST_OPS[key];
    const answer = await this.fabric.call(host, { kind: 'conf.op', op, confId, caller, payload });
    const parsed = parseResponse(key, answer);
    if (!parsed.ok)
      throw new TandemError('INTERNAL', {
        detail: `the host of ${confId} answered ${op} with another shape`,
      });
    return parsed.value;
  }

  private track(sip: string, confId: string, joined: boolean): void {
    const set = this.joined.get(sip) ?? new Set<string>();
    if (joined) set.add(confId);
    else set.delete(confId);
    if (set.size === 0) this.joined.delete(sip);
    else this.joined.set(sip, set);
  }

  private async leaveAll(sip: string): Promise<void> {
    const confs = this.joined.get(sip);
    if (!confs) return;
    this.joined.delete(sip);
    const caller = { sip, displayName: sip, server: this.fabric.self };
    for (const confId of confs) await this.atHost('confLeave', confId, caller, {}).catch(() => undefined);
  }
}
