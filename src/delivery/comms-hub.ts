/**
 * @module The local end of the fabric: receives user events and server calls (from links or from this
 * server itself) and hands them to the service that registered for their kind.
 */
import { TandemError } from '../errors/index.js';
import { encodePush, type PushName, type SentPushPayloadOf } from '../protocol/pushes.js';
import type { EndpointRegistry } from './endpoint-registry.js';
import type { FabricReceiver } from './fabric.js';
import type { ServerCall, UserEvent } from './user-events.js';

type UserEventHandler = (sip: string, event: UserEvent) => Promise<number> | number;
type ServerCallHandler = (message: ServerCall, from: string) => Promise<unknown>;

export class CommsHub implements FabricReceiver {
  private readonly userHandlers = new Map<UserEvent['kind'], UserEventHandler>();
  private readonly callHandlers = new Map<ServerCall['kind'], ServerCallHandler>();

  constructor(readonly endpoints: EndpointRegistry) {
    // A push another server sent through the fabric: its payload was checked against the catalog where it
    // was built (user-events.ts, PushEvent), so it is relayed as is.
    this.onUserEventKind('push', (sip, e) =>
      e.kind === 'push'
        ? this.endpoints.sendFrame(sip, JSON.stringify({ push: e.push, payload: e.payload }))
        : 0,
    );
  }

  onUserEventKind(kind: UserEvent['kind'], handler: UserEventHandler): void {
    this.userHandlers.set(kind, handler);
  }

  onServerCallKind(kind: ServerCall['kind'], handler: ServerCallHandler): void {
    this.callHandlers.set(kind, handler);
  }

  async onUserEvent(sip: string, event: UserEvent): Promise<number> {
    const handler = this.userHandlers.get(event.kind);
    if (!handler) throw new TandemError('INTERNAL', { detail: `no handler for user event ${event.kind}` });
    return handler(sip, event);
  }

  async onServerCall(message: ServerCall, from: string): Promise<unknown> {
    const handler = this.callHandlers.get(message.kind);
    if (!handler) throw new TandemError('INTERNAL', { detail: `no handler for server call ${message.kind}` });
    return handler(message, from);
  }

  /** Sends a push to every local endpoint of a user; returns how many got it. */
  push<N extends PushName>(sip: string, name: N, payload: SentPushPayloadOf<N>): number {
    return this.endpoints.sendFrame(sip, encodePush(name, payload));
  }
}
