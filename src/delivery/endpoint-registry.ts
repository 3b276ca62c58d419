/**
 * @module The endpoints signed in at this server, by user. The registry knows a connection only as a handle
 * that can send a frame and close; the WebSocket gateway provides it.
 */
import { EventEmitter } from 'node:events';
import { TandemError } from '../errors/index.js';
import type { ClientMode } from '../protocol/model.js';

export interface EndpointHandle {
  /**
   * Sends an already serialized frame; false when the connection can no longer carry it (closing or closed),
   * so that a sender is never told a message reached an endpoint that will not see it.
   */
  sendFrame(frame: string | Buffer): boolean;
  /** Closes the connection; `lastFrame`, if given, is sent first, in the same write as the close frame. */
  close(code: number, reason: string, lastFrame?: string): void;
}

export interface Endpoint {
  readonly id: string;
  readonly sip: string;
  readonly displayName: string;
  readonly homePool: string;
  readonly legacy: boolean;
  readonly handle: EndpointHandle;
  readonly signedInAt: number;
  mode: ClientMode;
  lastSeen: number;
}

export interface EndpointEvents {
  /** The user's first endpoint at this server signed in. */
  online: [sip: string];
  /** The user's last endpoint at this server went away. */
  offline: [sip: string];
  /** One endpoint went away (signed out, closed, expired). */
  gone: [endpoint: Endpoint, reason: string];
  /** An endpoint switched mode in place (resiliency to regular when a failover completes, or back). */
  mode: [endpoint: Endpoint];
}

export class EndpointRegistry extends EventEmitter<EndpointEvents> {
  private readonly byUser = new Map<string, Endpoint[]>();

  constructor(private readonly maxPerUser: number) {
    super();
  }

  add(ep: Endpoint): void {
    const list = this.byUser.get(ep.sip) ?? [];
    if (list.length >= this.maxPerUser) {
      throw new TandemError('TOO_MANY_ENDPOINTS', { sip: ep.sip, max: this.maxPerUser });
    }
    list.push(ep);
    this.byUser.set(ep.sip, list);
    if (list.length === 1) this.emit('online', ep.sip);
  }

  remove(ep: Endpoint, reason: string): boolean {
    const list = this.byUser.get(ep.sip);
    const i = list?.indexOf(ep) ?? -1;
    if (!list || i < 0) return false;
    list.splice(i, 1);
    if (list.length === 0) this.byUser.delete(ep.sip);
    this.emit('gone', ep, reason);
    if (list.length === 0) this.emit('offline', ep.sip);
    return true;
  }

  setMode(ep: Endpoint, mode: ClientMode): void {
    if (ep.mode === mode) return;
    ep.mode = mode;
    this.emit('mode', ep);
  }

  endpointsOf(sip: string): readonly Endpoint[] {
    return this.byUser.get(sip) ?? [];
  }

  isOnline(sip: string): boolean {
    return this.byUser.has(sip);
  }

  users(): IterableIterator<string> {
    return this.byUser.keys();
  }

  userCount(): number {
    return this.byUser.size;
  }

  *all(): Generator<Endpoint> {
    for (const list of this.byUser.values()) yield* list;
  }

  /** Sends one serialized frame to every endpoint of a user; returns how many endpoints took it. */
  sendFrame(sip: string, frame: string | Buffer): number {
    const list = this.byUser.get(sip);
    if (!list) return 0;
    let took = 0;
    for (const ep of list) if (ep.handle.sendFrame(frame)) took += 1;
    return took;
  }

  /** Endpoints silent for longer than `timeoutMs`. */
  silentSince(now: number, timeoutMs: number): Endpoint[] {
    const out: Endpoint[] = [];
    for (const ep of this.all()) if (now - ep.lastSeen > timeoutMs) out.push(ep);
    return out;
  }
}
