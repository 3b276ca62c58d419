import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { protocolMarkdown } from './protocol-markdown.js';
import { allOperations } from './operations/index.js';
import { allPushes } from './pushes.js';

const PATH = new URL('../../docs/protocol.md', import.meta.url);

describe('docs/protocol.md', () => {
  it('is generated from the protocol catalog', () => {
    const text = protocolMarkdown();
    if (process.env.UPDATE_DOCS === '1') writeFileSync(PATH, text);
    const committed = readFileSync(PATH, 'utf8');
    expect(
      committed === text,
      'docs/protocol.md is out of date: run `npm run docs` and commit the result.',
    ).toBe(true);
  });

  it("has examples that the server's own schemas accept", () => {
    for (const op of allOperations()) {
      const parsed = op.payload.safeParse(op.example);
      expect(parsed.success, `${op.type} example: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });

  it('has example answers and pushes that their own schemas accept', () => {
    for (const op of allOperations()) {
      const parsed = op.response.safeParse(op.exampleResponse);
      expect(parsed.success, `${op.type} response: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
    for (const push of allPushes()) {
      const parsed = push.payload.safeParse(push.example);
      expect(parsed.success, `${push.push} example: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
  });

  it('marks every persistent change as refused in resiliency mode', () => {
    for (const op of allOperations()) if (op.persistent) expect(op.blockedInResiliency, op.type).toBe(true);
  });
});
