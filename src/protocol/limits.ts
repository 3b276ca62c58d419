/** @module The documented limits of the client protocol. docs/protocol.md quotes these values. */

export const PROTOCOL_VERSION = 1;
/** WebSocket path served by every front-end server. */
export const CLIENT_PATH = '/v1/client';

export const Limits = {
  /** Largest inbound frame; larger frames close the connection with CloseCode.TooLarge. */
  maxFrameBytes: 2 * 1024 * 1024,
  /** Largest frame before the connection signs in; larger frames close it with CloseCode.TooLarge. */
  maxFrameBytesBeforeSignIn: 16 * 1024,
  /** Deepest nesting of arrays and objects in a frame; deeper frames get LIMIT_EXCEEDED. */
  maxFrameDepth: 16,
  /** Most values (scalars, arrays, objects) in one frame; more get LIMIT_EXCEEDED. */
  maxFrameValues: 5_000,
  /** Frames per second a connection may send on average... */
  ratePerSecond: 50,
  /** ...with bursts up to this many. Frames beyond it get RATE_LIMITED; a connection that keeps flooding is closed. */
  rateBurst: 100,
  /** The rate-limited frame in a row that closes the connection with CloseCode.Flood (unanswered). */
  floodCloseAfter: 200,
  /** Signed-in endpoints per user (Lync's default is 8). */
  maxEndpointsPerUser: 8,
  /** An endpoint that sends nothing (not even `ping`) for this long expires and is closed. */
  keepaliveTimeoutMs: 90_000,
  /** Clients should ping at this interval. */
  keepaliveIntervalMs: 30_000,
  /** A connection must sign in within this time. */
  signInTimeoutMs: 30_000,
  /** Conference content item: the decoded size. */
  maxContentBytes: 1024 * 1024,
  /** Instant message and conference message text. */
  maxMessageChars: 8_000,
  /** Presence note. */
  maxNoteChars: 500,
  maxContacts: 1_000,
  /**
   * Users one user may hold presence subscriptions to at a server (all the user's endpoints there share
   * one set): twice the contact list, for the people a client watches beyond its contacts.
   */
  maxPresenceSubscriptions: 2_000,
  maxGroups: 64,
  /** Address book page size. */
  maxPageSize: 100,
  /**
   * Password sign-in attempts one source address may have failed (or have in flight) for one user within
   * failureWindowMs; beyond it that source is slowed down (SIGNIN_RATE_LIMITED with retryAfterMs), other
   * sources of the same user are not.
   */
  maxFailuresPerUserSource: 5,
  /**
   * Failures for one user from all sources within failureWindowMs (counted across the deployment); beyond it
   * only sources the user signed in from recently may still try a password. A token always signs in.
   */
  maxFailuresPerUser: 50,
  /** Password sign-in failures per remote address (all users) within failureWindowMs. */
  maxFailuresPerAddress: 20,
  failureWindowMs: 60_000,
  /** Password hashes (scrypt) a server computes at once for sign-ins. */
  hashConcurrency: 2,
  /** Password sign-ins waiting for a hash slot at one server; beyond it they are shed with SIGNIN_BUSY. */
  hashQueue: 64,
  /** Of those, waiting from one source address (the queue serves sources in turn). */
  hashQueuePerSource: 8,
} as const;

/** WebSocket close codes Tandem uses (4000-4999 are application codes). */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  /** A text frame that is not UTF-8: RFC 6455 makes the receiver close the connection. */
  InvalidText: 1007,
  TooLarge: 1009,
  SignInTimeout: 4001,
  KeepaliveTimeout: 4002,
  Flood: 4003,
  SignedOutByServer: 4004,
  /** The user's pool was failed over or back: sign in again (the client follows its registrars). */
  Relocated: 4005,
  // 4006 is not used: a sign-in beyond the endpoint limit gets TOO_MANY_ENDPOINTS and the connection stays open.
  UserDisabled: 4007,
  /**
   * The server holds as many client connections as it takes from this source address, or in all: connect
   * later, or to another server of the pool. Sent right after the upgrade, before any frame is read.
   */
  ConnectionLimit: 4008,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];
