import { describe, expect, it } from 'vitest';
import { MAX_ID_CHARS, MAX_INTEGER_ID, RequestIdSchema } from './envelope.js';
import { protocolMarkdown } from './protocol-markdown.js';

describe('request ids', () => {
  it('are what docs/protocol.md says: a non-empty string up to the limit, or an integer up to 2^53 - 1', () => {
    const ok = [0, 1, MAX_INTEGER_ID, 'a', 'x'.repeat(MAX_ID_CHARS), '👩'.repeat(MAX_ID_CHARS)];
    const refused = ['', 'x'.repeat(MAX_ID_CHARS + 1), -1, 1.5, MAX_INTEGER_ID + 2, null, true, {}];
    for (const id of ok) expect(RequestIdSchema.safeParse(id).success, JSON.stringify(id)).toBe(true);
    for (const id of refused) expect(RequestIdSchema.safeParse(id).success, JSON.stringify(id)).toBe(false);
    const page = protocolMarkdown();
    expect(page).toContain(`non-empty string of at most\n${MAX_ID_CHARS} characters`);
    expect(page).toContain(`an integer from 0 to ${MAX_INTEGER_ID}`);
  });
});
