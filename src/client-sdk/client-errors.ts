/**
 * @module The one error type the SDK rejects with: server error responses keep their wire code, and the SDK's
 * own conditions (not connected, connection lost, redirect loop...) get client codes with `retryable` set.
 */
import { ErrorCodes, formatMessage, type ErrorCode, type ErrorParams } from '../errors/index.js';

interface ClientErrorSpec {
  readonly message: string;
  readonly retryable: boolean;
}

/** Conditions only the client sees; the server's codes live in src/errors/registry.ts. */
export const ClientErrorCodes = {
  NOT_CONNECTED: { message: 'Not signed in: the client is {state}.', retryable: true },
  CONNECTION_LOST: {
    message: 'The connection to {url} was lost before {type} was answered.',
    retryable: true,
  },
  SERVER_UNREACHABLE: { message: 'Cannot connect to {url}: {detail}', retryable: true },
  SERVER_NOT_TRUSTED: {
    message:
      "The server at {url} presented a certificate this client does not trust ({reason}). Give the deployment's CA certificate with the `ca` option (the demo's is <data folder>/pki/ca.crt; the shell and the terminal client also read TANDEM_CA_FILE); see docs/security.md.",
    retryable: false,
  },
  BAD_SERVER_FRAME: { message: 'The server sent a malformed frame: {detail}', retryable: true },
  REDIRECT_LOOP: {
    message: 'Sign-in was redirected more than {max} times (last to {url}); giving up.',
    retryable: false,
  },
  CLIENT_CLOSED: { message: 'The client was closed.', retryable: false },
} as const satisfies Record<string, ClientErrorSpec>;
export type ClientErrorCode = keyof typeof ClientErrorCodes;

export type TandemClientErrorCode = ErrorCode | ClientErrorCode;

export interface TandemClientErrorInit {
  readonly code: TandemClientErrorCode;
  readonly message: string;
  readonly retryable: boolean;
  readonly params?: ErrorParams;
  readonly details?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/** What an error response carries (src/protocol/envelope.ts), checked by server-frames.ts. */
export interface WireErrorLike {
  readonly code: string;
  readonly message: string;
  readonly retryable?: boolean | undefined;
  readonly params?: ErrorParams | undefined;
  readonly details?: Readonly<Record<string, unknown>> | undefined;
}

function specOf(code: TandemClientErrorCode): ClientErrorSpec {
  return code in ClientErrorCodes ? ClientErrorCodes[code as ClientErrorCode] : ErrorCodes[code as ErrorCode];
}

export class TandemClientError extends Error {
  readonly code: TandemClientErrorCode;
  /** Whether the same request may succeed later unchanged; decide retries from this, never the message. */
  readonly retryable: boolean;
  readonly params: ErrorParams;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(init: TandemClientErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'TandemClientError';
    this.code = init.code;
    this.retryable = init.retryable;
    this.params = init.params ?? {};
    this.details = init.details;
  }

  /** An error raised by the client itself, its message built from the code's template. */
  static of(
    code: TandemClientErrorCode,
    params: ErrorParams = {},
    extra: { details?: Record<string, unknown>; cause?: unknown } = {},
  ): TandemClientError {
    const spec = specOf(code);
    return new TandemClientError({
      code,
      message: formatMessage(spec.message, params),
      retryable: spec.retryable,
      params,
      ...extra,
    });
  }

  /** Rebuilds the error a server answered; a code this SDK does not know becomes INTERNAL, text kept. */
  static fromWire(wire: WireErrorLike): TandemClientError {
    const known = wire.code in ErrorCodes;
    const code: ErrorCode = known ? (wire.code as ErrorCode) : 'INTERNAL';
    return new TandemClientError({
      code,
      message: wire.message,
      retryable: wire.retryable ?? ErrorCodes[code].retryable,
      params: known ? (wire.params ?? {}) : { ...wire.params, serverCode: wire.code },
      details: wire.details,
    });
  }
}

/** Normalizes whatever was thrown inside the SDK so that callers only ever see TandemClientError. */
export function toClientError(err: unknown): TandemClientError {
  if (err instanceof TandemClientError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return TandemClientError.of('INTERNAL', { detail }, { cause: err });
}
