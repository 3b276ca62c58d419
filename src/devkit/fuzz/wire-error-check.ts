/** @module The contract every error answer must meet, whichever transport carried it. */
import { ErrorCodes } from '../../errors/index.js';

/** Why `error` is not a well-formed, non-internal error of the registry; undefined when it is. */
export function wireErrorProblem(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return `the error is not an object: ${String(error)}`;
  const e = error as { code?: unknown; message?: unknown; retryable?: unknown };
  if (typeof e.code !== 'string' || !Object.hasOwn(ErrorCodes, e.code))
    return `error code ${String(e.code)} is not in the registry`;
  if (e.code === 'INTERNAL') return `internal error: ${String(e.message)}`;
  if (typeof e.message !== 'string' || e.message.trim() === '') return `error ${e.code} has no message`;
  if (typeof e.retryable !== 'boolean') return `error ${e.code} does not say whether it is retryable`;
  return undefined;
}

/** The registry's HTTP status for a code (for the admin API and server-to-server answers). */
export function httpStatusOf(code: string): number | undefined {
  return Object.hasOwn(ErrorCodes, code) ? ErrorCodes[code as keyof typeof ErrorCodes].http : undefined;
}
