/**
 * @module Peer-to-peer instant messaging. Each side's serving server keeps its user's half of a session,
 * bound to the endpoint that invited or accepted; when that endpoint goes away the other side is told.
 */
import { randomHex } from '../security/random-pool.js';
import type { CommsHub } from '../delivery/comms-hub.js';
import type { Fabric } from '../delivery/fabric.js';
import type { UserEvent } from '../delivery/user-events.js';
import type { Endpoint } from '../delivery/endpoint-registry.js';
import { TandemError } from '../errors/index.js';
import type { ImEndReason } from '../protocol/pushes.js';

type SessionState = 'inviting' | 'invited' | 'active';

interface Session {
  readonly id: string;
  readonly local: string;
  readonly peer: string;
  state: SessionState;
  /** The local endpoint bound to the session (the inviter's, or the one that accepted). */
  endpointId: string | undefined;
  /** The server of the other side's endpoint, once known (from its invitation or its answer). */
  peerServer: string | undefined;
}

export interface Caller {
  readonly sip: string;
  readonly displayName: string;
  readonly endpointId: string;
}

/** Both halves of a session live on one server when both users do: a half is keyed by id and local user. */
const keyOf = (sessionId: string, local: string) => `${sessionId}|${local}`;

export class ImService {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly hub: CommsHub,
    private readonly fabric: Fabric,
  ) {
    hub.onUserEventKind('im.invite', (sip, e) => this.onEvent(sip, e));
    hub.onUserEventKind('im.reply', (sip, e) => this.onEvent(sip, e));
    hub.onUserEventKind('im.message', (sip, e) => this.onEvent(sip, e));
    hub.onUserEventKind('im.typing', (sip, e) => this.onEvent(sip, e));
    hub.onUserEventKind('im.end', (sip, e) => this.onEvent(sip, e));
    hub.endpoints.on('gone', (ep) => void this.endpointGone(ep));
  }

  async invite(caller: Caller, to: string, text?: string): Promise<{ sessionId: string }> {
    if (to === caller.sip)
      throw new TandemError('INVALID_ARGUMENT', { detail: 'a user cannot start an IM session with itself' });
    const id = `im-${randomHex(6)}`;
    this.sessions.set(keyOf(id, caller.sip), {
      id,
      local: caller.sip,
      peer: to,
      state: 'inviting',
      endpointId: caller.endpointId,
      peerServer: undefined,
    });
    const reached = await this.fabric.sendToUser(to, {
      kind: 'im.invite',
      sessionId: id,
      from: caller.sip,
      fromServer: this.fabric.self,
      displayName: caller.displayName,
      ...(text !== undefined ? { text } : {}),
    });
    if (reached === 0) {
      this.sessions.delete(keyOf(id, caller.sip));
      throw new TandemError('USER_OFFLINE', { sip: to });
    }
    return { sessionId: id };
  }

  async reply(caller: Caller, sessionId: string, accepted: boolean): Promise<void> {
    const s = this.require(caller, sessionId, 'invited');
    if (accepted) {
      s.state = 'active';
      s.endpointId = caller.endpointId;
    } else {
      this.sessions.delete(keyOf(sessionId, caller.sip));
    }
    await this.fabric.sendToUser(s.peer, {
      kind: 'im.reply',
      sessionId,
      by: caller.sip,
      byServer: this.fabric.self,
      accepted,
    });
  }

  async send(caller: Caller, sessionId: string, text: string): Promise<{ at: number }> {
    const s = this.require(caller, sessionId, 'active');
    const at = Date.now();
    const reached = await this.fabric.sendToUser(s.peer, {
      kind: 'im.message',
      sessionId,
      from: caller.sip,
      text,
      at,
    });
    if (reached === 0) {
      this.sessions.delete(keyOf(sessionId, caller.sip));
      this.hub.push(caller.sip, 'im.ended', { sessionId, by: s.peer, reason: 'endpoint-gone' });
      throw new TandemError('USER_OFFLINE', { sip: s.peer });
    }
    return { at };
  }

  async typing(caller: Caller, sessionId: string): Promise<void> {
    const s = this.require(caller, sessionId, 'active');
    await this.fabric.sendToUser(s.peer, { kind: 'im.typing', sessionId, from: caller.sip });
  }

  async end(caller: Caller, sessionId: string): Promise<void> {
    const s = this.require(caller, sessionId);
    await this.close(s, caller.sip, 'ended');
  }

  /**
   * Ends every session half here whose user or peer is affected (their pool was failed over, or lost),
   * telling the local user why at once, then the other side (which may not answer: a lost pool).
   */
  async endSessionsOf(affected: (sip: string) => boolean, reason: ImEndReason): Promise<number> {
    return this.endSessions(
      [...this.sessions.values()].filter((s) => affected(s.local) || affected(s.peer)),
      reason,
      (s) => (affected(s.local) ? s.local : s.peer),
    );
  }

  /** Ends every session whose other side is at one of these servers (their pool was lost). */
  async endSessionsWithServers(servers: ReadonlySet<string>, reason: ImEndReason): Promise<number> {
    return this.endSessions(
      [...this.sessions.values()].filter((s) => s.peerServer !== undefined && servers.has(s.peerServer)),
      reason,
      (s) => s.peer,
    );
  }

  private async endSessions(
    doomed: readonly Session[],
    reason: ImEndReason,
    byOf: (s: Session) => string,
  ): Promise<number> {
    for (const s of doomed) {
      this.sessions.delete(keyOf(s.id, s.local));
      this.hub.push(s.local, 'im.ended', {
        sessionId: s.id,
        by: byOf(s),
        reason,
      });
    }
    await Promise.all(
      doomed.map((s) =>
        this.fabric
          .sendToUser(s.peer, { kind: 'im.end', sessionId: s.id, by: s.local, reason })
          .catch(() => 0),
      ),
    );
    return doomed.length;
  }

  sessionCount(): number {
    return this.sessions.size;
  }

  private async close(s: Session, by: string, reason: ImEndReason): Promise<void> {
    this.sessions.delete(keyOf(s.id, s.local));
    await this.fabric.sendToUser(s.peer, { kind: 'im.end', sessionId: s.id, by, reason }).catch(() => 0);
  }

  private require(caller: Caller, sessionId: string, state?: SessionState): Session {
    const s = this.sessions.get(keyOf(sessionId, caller.sip));
    if (!s || (state !== undefined && s.state !== state)) {
      throw new TandemError('SESSION_NOT_FOUND', { sessionId });
    }
    return s;
  }

  private onEvent(sip: string, e: UserEvent): number {
    switch (e.kind) {
      case 'im.invite': {
        if (!this.hub.endpoints.isOnline(sip)) return 0;
        this.sessions.set(keyOf(e.sessionId, sip), {
          id: e.sessionId,
          local: sip,
          peer: e.from,
          state: 'invited',
          endpointId: undefined,
          peerServer: e.fromServer,
        });
        return this.hub.push(sip, 'im.invited', {
          sessionId: e.sessionId,
          from: e.from,
          displayName: e.displayName,
          ...(e.text !== undefined ? { text: e.text } : {}),
        });
      }
      case 'im.reply': {
        const s = this.sessions.get(keyOf(e.sessionId, sip));
        if (!s) return 0;
        s.peerServer = e.byServer;
        if (e.accepted) s.state = 'active';
        else this.sessions.delete(keyOf(e.sessionId, sip));
        return this.hub.push(sip, e.accepted ? 'im.accepted' : 'im.declined', {
          sessionId: e.sessionId,
          by: e.by,
        });
      }
      case 'im.message':
        return this.sessions.has(keyOf(e.sessionId, sip))
          ? this.hub.push(sip, 'im.message', { sessionId: e.sessionId, from: e.from, text: e.text, at: e.at })
          : 0;
      case 'im.typing':
        return this.sessions.has(keyOf(e.sessionId, sip))
          ? this.hub.push(sip, 'im.typing', { sessionId: e.sessionId, from: e.from })
          : 0;
      case 'im.end': {
        if (!this.sessions.delete(keyOf(e.sessionId, sip))) return 0;
        return this.hub.push(sip, 'im.ended', { sessionId: e.sessionId, by: e.by, reason: e.reason });
      }
      default:
        return 0;
    }
  }

  /** An endpoint went away: its sessions end, and the other side hears `endpoint-gone`. */
  private async endpointGone(ep: Endpoint): Promise<void> {
    const remaining = this.hub.endpoints.isOnline(ep.sip);
    for (const s of [...this.sessions.values()]) {
      if (s.local !== ep.sip) continue;
      // A session bound to this endpoint ends; an unanswered invitation ends when no endpoint is left.
      if (s.endpointId === ep.id || (s.endpointId === undefined && !remaining))
        await this.close(s, ep.sip, 'endpoint-gone');
    }
  }
}
