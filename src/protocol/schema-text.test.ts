import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { schemaText } from './schema-text.js';

describe('schemaText', () => {
  it('writes a schema as a short type', () => {
    const schema = z.object({
      sip: z.string(),
      at: z.number(),
      mode: z.enum(['regular', 'resiliency']).optional(),
      tags: z.array(z.union([z.string(), z.number()])).default([]),
      settings: z.record(z.string(), z.string().nullable()),
      done: z.boolean(),
    });
    expect(schemaText(schema)).toBe(
      '{ sip: string, at: number, mode?: "regular" | "resiliency", tags?: (string | number)[], ' +
        'settings: { [key: string]: string | null }, done: boolean }',
    );
    expect(schemaText(z.object({}))).toBe('{}');
  });
});
