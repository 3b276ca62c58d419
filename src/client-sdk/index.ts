/** @module The public API of the Tandem client SDK. */
export { TandemClient } from './tandem-client.js';
export type { TandemClientOptions, ReconnectOptions } from './client-options.js';
export { ConnectionState, Transitions, canTransition } from './connection-state.js';
export {
  TandemClientError,
  ClientErrorCodes,
  type ClientErrorCode,
  type TandemClientErrorCode,
} from './client-errors.js';
export type { ClientEvents, ClientEventName } from './client-emitter.js';
export { ConnectCause, serverOrder, type ServerOrderInput } from './server-order.js';
export { Backoff, type BackoffOptions } from '../timing/backoff.js';
export type * from './client-types.js';
export { TYPED_PUSHES } from './client-types.js';
export { Availability, ClientMode } from '../protocol/model.js';
export type {
  Contact,
  ContentItem,
  Meeting,
  PresenceState,
  RegistrarInfo,
  RosterEntry,
  SeenAvailability,
} from '../protocol/model.js';
