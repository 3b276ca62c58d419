import { describe, expect, it } from 'vitest';
import { clientAnswerProblem } from './client-protocol-fuzz.js';

describe('the client answer check', () => {
  const answer = (re: unknown) => ({
    kind: 'answer' as const,
    frame: { re, ok: false, error: { code: 'PROTOCOL_BAD_ENVELOPE', message: 'x', retryable: false } },
  });

  it('wants every id the envelope accepts echoed, and null for one it refuses', () => {
    const frame = (id: string | number) => ({ data: '{}', binary: false, id, kind: 'envelope-mutated' });
    expect(clientAnswerProblem(frame(7), answer(8))).toMatch(/not the request id/);
    // 72 UTF-16 units but 45 code points: a valid id (the soak found the server answering re: null to it).
    const emoji = '👩‍👩‍👧'.repeat(9);
    expect(clientAnswerProblem(frame(emoji), answer(null))).toMatch(/not the request id/);
    const tooLong = 'x'.repeat(65);
    expect(clientAnswerProblem(frame(tooLong), answer(null))).not.toMatch(/request id|unreadable/);
    expect(clientAnswerProblem(frame(tooLong), answer('other'))).toMatch(/unreadable id/);
  });
});
