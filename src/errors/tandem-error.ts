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

/**
 * The codes with which a file system or a database says it is out of space: the OS (ENOSPC, EDQUOT: quota),
 * SQLite (SQLITE_FULL) and PostgreSQL (SQLSTATE 53100 disk_full). Matched by code, so no driver is imported.
 */
const STORAGE_FULL_CODES: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL', '53100']);

function isStorageFull(err: unknown): boolean {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && STORAGE_FULL_CODES.has(code)) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Normalizes whatever was thrown into a TandemError; unknown errors become INTERNAL with the cause kept. A
 * storage that is out of space becomes STORAGE_FULL (retryable): nothing was stored, and the same request
 * succeeds once space is back.
 */
export function toTandemError(err: unknown): TandemError {
  if (err instanceof TandemError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  if (isStorageFull(err)) return new TandemError('STORAGE_FULL', { detail }, { cause: err });
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
