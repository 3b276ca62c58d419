/** @module The error type that crosses every boundary of Tandem, and the normalizer applied at each one. */
import { ErrorCodes, type ErrorCode } from './registry.js';

export type ErrorParams = Readonly<Record<string, string | number | boolean | undefined>>;

/** A serialisable error, as sent on the wire (admin API, client protocol, server-to-server). */
export interface WireError {
  code: ErrorCode;
  message: string;
  retryable: boolean;
  params?: ErrorParams;
  /** Structured data a machine acts on (for SIGNIN_REDIRECT: the servers to go to). */
  details?: Record<string, unknown>;
}

export function formatMessage(template: string, params: ErrorParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export class TandemError extends Error {
  readonly code: ErrorCode;
  readonly params: ErrorParams;
  readonly details: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    params: ErrorParams = {},
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(formatMessage(ErrorCodes[code].message, params), options);
    this.name = 'TandemError';
    this.code = code;
    this.params = params;
    this.details = options?.details;
  }

  get retryable(): boolean {
    return ErrorCodes[this.code].retryable;
  }

  get httpStatus(): number {
    return ErrorCodes[this.code].http;
  }

  toWire(): WireError {
    const wire: WireError = {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      params: this.params,
    };
    if (this.details) wire.details = this.details;
    return wire;
  }

  static fromWire(wire: WireError): TandemError {
    const code = wire.code in ErrorCodes ? wire.code : 'INTERNAL';
    const err = new TandemError(
      code,
      wire.params ?? { detail: wire.message },
      wire.details ? { details: wire.details } : undefined,
    );
    // Keep the exact text the other side produced: it may carry details the template cannot rebuild.
    err.message = wire.message;
    return err;
  }
}

/** Normalizes whatever was thrown into a TandemError; unknown errors become INTERNAL with the cause kept. */
export function toTandemError(err: unknown): TandemError {
  if (err instanceof TandemError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new TandemError('INTERNAL', { detail }, { cause: err });
}

export function isWireError(value: unknown): value is WireError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { code?: unknown }).code === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
