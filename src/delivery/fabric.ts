/**
 * @module The fabric: how services reach users and servers wherever they are, without knowing about links.
 * Local delivery short-circuits; remote delivery goes over signed server-to-server requests.
 */
import type { OutgoingUserEvent, ServerCall, UserEvent } from './user-events.js';

export interface Fabric {
  readonly self: string;
  /** The servers that may hold the user's endpoints: the user's serving pool, in the user's preferred order. */
  serversOf(sip: string): readonly string[];
  /** Delivers an event to the user's endpoints; resolves with how many endpoints it reached (0 = offline). */
  sendToUser(sip: string, event: OutgoingUserEvent): Promise<number>;
  /** Calls one server (possibly this one) and returns its answer. */
  call(server: string, message: ServerCall): Promise<unknown>;
}

/** Where incoming events and calls land on this server. */
export interface FabricReceiver {
  onUserEvent(sip: string, event: UserEvent): Promise<number>;
  onServerCall(message: ServerCall, from: string): Promise<unknown>;
}
