import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { REDACTED_PATHS } from './logger.js';

describe('the logger redaction', () => {
  it('hides passwords however a field spells them, at the top or one level down', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const log = pino({ redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, sink);
    log.info({ password: 'Secret-One-1', params: { Password: 'Secret-Two-2', Path: 'atl.pfx' } }, 'x');
    expect(lines.join('')).not.toMatch(/Secret-/);
    expect(lines.join('')).toContain('atl.pfx');
  });
});
