/** @module Conference content operations: files and whiteboard items kept with a conference. */
import { z } from 'zod';
import { ContentItemSchema, ContentKindSchema, base64Schema } from '../model.js';
import { Limits } from '../limits.js';
import { confId, emptyResponse, op, text } from './operation-def.js';

const contentId = z.string().min(1).max(100);

export const ContentOperations = {
  contentUpload: op({
    type: 'content.upload',
    summary:
      'Uploads a file or whiteboard item to a conference (base64, documented size limit). Past the content ' +
      'quota of the conference or of its organizer: `CONTENT_QUOTA_EXCEEDED`, naming the quota and the usage.',
    payload: z
      .object({
        confId,
        name: text(200).min(1),
        kind: ContentKindSchema,
        data: base64Schema(Math.ceil((Limits.maxContentBytes * 4) / 3) + 4),
      })
      .strict(),
    response: ContentItemSchema,
    persistent: true,
    blockedInResiliency: true,
    errors: ['CONFERENCE_NOT_FOUND', 'NOT_PARTICIPANT', 'CONTENT_QUOTA_EXCEEDED', 'INVALID_ARGUMENT'],
    example: {
      confId: 'alice@litwareinc.com/m-7q2w9e',
      name: 'agenda.txt',
      kind: 'file',
      data: 'QWdlbmRhOiAxLiBSZXN1bHRz',
    },
    exampleResponse: {
      contentId: 'c-1a2b3c',
      confId: 'alice@litwareinc.com/m-7q2w9e',
      name: 'agenda.txt',
      kind: 'file',
      size: 18,
      sha256: 'f1c9…',
      uploadedBy: 'sip:alice@litwareinc.com',
      at: 1795000000000,
    },
  }),
  contentList: op({
    type: 'content.list',
    summary:
      'Lists the content of a conference (its organizer or a participant; anyone else gets NOT_PARTICIPANT).',
    payload: z.object({ confId }).strict(),
    response: z.object({ items: z.array(ContentItemSchema) }),
    persistent: false,
    blockedInResiliency: false,
    errors: ['CONFERENCE_NOT_FOUND', 'NOT_PARTICIPANT'],
    example: { confId: 'alice@litwareinc.com/m-7q2w9e' },
    exampleResponse: { items: [] },
  }),
  contentGet: op({
    type: 'content.get',
    summary: 'Downloads one content item (base64); its organizer or a participant.',
    payload: z.object({ confId, contentId }).strict(),
    response: z.object({
      contentId: z.string(),
      name: z.string(),
      kind: ContentKindSchema,
      /** base64 */
      data: z.string(),
    }),
    persistent: false,
    blockedInResiliency: false,
    errors: ['CONFERENCE_NOT_FOUND', 'NOT_PARTICIPANT', 'NOT_FOUND'],
    example: { confId: 'alice@litwareinc.com/m-7q2w9e', contentId: 'c-1a2b3c' },
    exampleResponse: {
      contentId: 'c-1a2b3c',
      name: 'agenda.txt',
      kind: 'file',
      data: 'QWdlbmRhOiAxLiBSZXN1bHRz',
    },
  }),
  contentDelete: op({
    type: 'content.delete',
    summary:
      'Deletes a content item (its uploader or the organizer), and its file at the home pool and, through the ' +
      'Backup Service, at the backup pool.',
    payload: z.object({ confId, contentId }).strict(),
    response: emptyResponse,
    persistent: true,
    blockedInResiliency: true,
    errors: ['CONFERENCE_NOT_FOUND', 'NOT_PARTICIPANT', 'NOT_FOUND', 'NOT_ORGANIZER'],
    example: { confId: 'alice@litwareinc.com/m-7q2w9e', contentId: 'c-1a2b3c' },
    exampleResponse: {},
  }),
} as const;
