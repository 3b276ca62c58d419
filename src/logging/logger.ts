/**
 * @module Structured logs (pino), one JSON line per event. Fields that may carry secrets are redacted by
 * path, whatever code logs them.
 */
import { pino, type Logger } from 'pino';
import { SECRET_FIELDS } from './secret-fields.js';

export type { Logger };

export const REDACTED_PATHS = [
  ...SECRET_FIELDS,
  'headers.authorization',
  'key',
  ...SECRET_FIELDS.map((field) => `*.${field}`),
];

export function createLogger(server: string, level = process.env.TANDEM_LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { server },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
