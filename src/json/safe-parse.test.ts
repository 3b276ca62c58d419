import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { safeParse } from './safe-parse.js';

describe('safeParse', () => {
  const schema = z.object({ owners: z.array(z.string()).max(10) });

  it('reports a value that makes zod itself throw as a validation failure', () => {
    const body = JSON.parse('{"owners": {"length": {"toString": false}}}') as unknown;
    expect(() => schema.safeParse(body)).toThrow(TypeError);
    const parsed = safeParse(schema, body);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/^malformed value \(/);
  });

  it('passes ordinary results through', () => {
    expect(safeParse(schema, { owners: ['a'] })).toMatchObject({ success: true, data: { owners: ['a'] } });
    expect(safeParse(schema, { owners: 'a' }).success).toBe(false);
  });
});
