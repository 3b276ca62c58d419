import { describe, expect, it } from 'vitest';
import { REDACTED, redactJson } from './redact-json.js';

describe('redactJson', () => {
  it('blanks secret fields at any depth and keeps the rest', () => {
    const doc = {
      sip: 'sip:alice@litwareinc.com',
      passwordHash: 'scrypt$32768$8$1$c2FsdA$aGFzaA',
      nested: [{ secretHash: 'abc', token: 't', name: 'x' }],
    };
    expect(JSON.parse(redactJson(JSON.stringify(doc)))).toEqual({
      sip: 'sip:alice@litwareinc.com',
      passwordHash: REDACTED,
      nested: [{ secretHash: REDACTED, token: REDACTED, name: 'x' }],
    });
  });

  it('returns text that is not JSON unchanged', () => {
    expect(redactJson('not json {')).toBe('not json {');
    expect(redactJson('"just a string"')).toBe('"just a string"');
  });
});
