/** @module The user's settings and the address book search. */
import { z } from 'zod';
import { Limits } from '../limits.js';
import { empty, emptyResponse, name, op, text } from './operation-def.js';

export const AccountOperations = {
  settingsGet: op({
    type: 'settings.get',
    summary: "The user's settings (a flat map of strings).",
    payload: empty,
    response: z.object({ settings: z.record(z.string(), z.string()) }),
    persistent: false,
    blockedInResiliency: false,
    errors: [],
    example: {},
    exampleResponse: { settings: { theme: 'dark' } },
  }),
  settingsSet: op({
    type: 'settings.set',
    summary: 'Sets one setting; a null value deletes it.',
    payload: z.object({ key: name, value: text(1000).nullable() }).strict(),
    response: emptyResponse,
    persistent: true,
    blockedInResiliency: true,
    errors: [],
    example: { key: 'theme', value: 'dark' },
    exampleResponse: {},
  }),
  directorySearch: op({
    type: 'directory.search',
    summary: 'Searches the address book by name or SIP address, with paging.',
    payload: z
      .object({
        query: text(100),
        page: z.number().int().min(0).max(100_000).default(0),
        pageSize: z.number().int().min(1).max(Limits.maxPageSize).default(20),
      })
      .strict(),
    response: z.object({
      total: z.number(),
      page: z.number(),
      pageSize: z.number(),
      results: z.array(z.object({ sip: z.string(), displayName: z.string() })),
    }),
    persistent: false,
    blockedInResiliency: true,
    errors: [],
    example: { query: 'smith', page: 0, pageSize: 20 },
    exampleResponse: {
      total: 1,
      page: 0,
      pageSize: 20,
      results: [{ sip: 'sip:alice@litwareinc.com', displayName: 'Alice Smith' }],
    },
  }),
} as const;
