/**
 * @module The client's connection states and the transitions allowed between them (the diagram is at the
 * top of tandem-client.ts). Kept as data so that a test can check every transition the client makes.
 */

export const ConnectionState = {
  /** Not connected and not trying: before connect(), or after a loss with reconnection disabled. */
  Idle: 'idle',
  /** Opening a WebSocket to one candidate server. */
  Connecting: 'connecting',
  /** The socket is open; the signin request is in flight. */
  SigningIn: 'signing-in',
  SignedIn: 'signed-in',
  /** No socket: the backoff timer runs before the next round of attempts. */
  Reconnecting: 'reconnecting',
  /** Final: after close(), or a refusal that retrying cannot fix. */
  Closed: 'closed',
} as const;
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

const S = ConnectionState;

export const Transitions: Readonly<Record<ConnectionState, readonly ConnectionState[]>> = {
  [S.Idle]: [S.Connecting, S.Closed],
  [S.Connecting]: [S.SigningIn, S.Reconnecting, S.Idle, S.Closed],
  [S.SigningIn]: [S.Connecting, S.SignedIn, S.Reconnecting, S.Idle, S.Closed],
  [S.SignedIn]: [S.Reconnecting, S.Idle, S.Closed],
  [S.Reconnecting]: [S.Connecting, S.Closed],
  [S.Closed]: [],
};

export function canTransition(from: ConnectionState, to: ConnectionState): boolean {
  return Transitions[from].includes(to);
}
