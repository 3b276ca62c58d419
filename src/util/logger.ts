/**
 * @module Structured logs (pino), one JSON line per event. Fields that may carry secrets are redacted by
 * path, whatever code logs them.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export const REDACTED_PATHS = [
  'password',
  'secret',
  'token',
  'authorization',
  'headers.authorization',
  'key',
  '*.password',
  '*.secret',
  '*.token',
  '*.authorization',
  '*.passwordHash',
  '*.secretHash',
];

export function createLogger(server: string, level = process.env.TANDEM_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { server },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
