/**
 * @module Conference content as stored: items in the organizer's user data (replicated by the Backup
 * Service) and their files in the pool's file store. Enforces the content quotas — per conference and per
 * organizing user — and deletes a file with the last item of its user that refers to it.
 */
import type { UserDataAccess } from '../user-data/user-data-access.js';
import type { ContentItem } from '../protocol/model.js';
import type { ConferencingSpec } from '../topology/topology-types.js';
import { TandemError } from '../errors/index.js';
import { organizerOf } from './conference-id.js';
import type { ContentStore } from './content-store.js';
import { CONTENT } from './meeting-service.js';

/** An item takes at least a file system block: a quota so counted also bounds the number of tiny items. */
export const MIN_CHARGED_BYTES = 4_096;

export class ContentLibrary {
  /** Per organizer: the tail of its content operations, run one after another (see `serial`). */
  private readonly tails = new Map<string, Promise<unknown>>();

  constructor(
    private readonly data: UserDataAccess,
    private readonly files: ContentStore,
    private readonly quotas: () => ConferencingSpec,
  ) {}

  /** Stores the file and the item, unless the conference's or the organizer's content would pass its quota. */
  add(item: Omit<ContentItem, 'sha256'>, bytes: Buffer): Promise<ContentItem> {
    const organizer = organizerOf(item.confId);
    return this.serial(organizer, async () => {
      const held = await this.data.list<ContentItem>(organizer, CONTENT);
      const q = this.quotas();
      const inConference = sizeOf(held.filter((i) => i.key.startsWith(`${item.confId}#`)));
      const ofUser = sizeOf(held);
      const charged = Math.max(bytes.length, MIN_CHARGED_BYTES);
      if (inConference + charged > q.maxContentBytesPerConference)
        throw quotaError(
          bytes.length,
          `conference ${item.confId}`,
          inConference,
          q.maxContentBytesPerConference,
          'maxContentStorageMb',
        );
      if (ofUser + charged > q.maxContentBytesPerUser)
        throw quotaError(
          bytes.length,
          `the conferences ${organizer} organizes`,
          ofUser,
          q.maxContentBytesPerUser,
          'maxContentStorageMbPerUser',
        );
      const sha256 = await this.files.put(organizer, bytes);
      const stored: ContentItem = { ...item, sha256 };
      await this.data.write(organizer, [
        { kind: CONTENT, key: keyOf(item.confId, item.contentId), value: stored },
      ]);
      return stored;
    });
  }

  async list(confId: string): Promise<ContentItem[]> {
    const items = await this.data.list<ContentItem>(organizerOf(confId), CONTENT);
    return items.filter((i) => i.key.startsWith(`${confId}#`)).map((i) => i.value);
  }

  async find(confId: string, contentId: string): Promise<ContentItem | undefined> {
    return this.data.get<ContentItem>(organizerOf(confId), CONTENT, keyOf(confId, contentId));
  }

  async read(item: ContentItem): Promise<Buffer> {
    return this.files.get(organizerOf(item.confId), item.sha256);
  }

  /** Deletes the item, then its file when no other item of the organizer refers to it. */
  remove(item: ContentItem): Promise<void> {
    const organizer = organizerOf(item.confId);
    return this.serial(organizer, async () => {
      await this.data.write(organizer, [
        { kind: CONTENT, key: keyOf(item.confId, item.contentId), value: undefined },
      ]);
      const left = await this.data.list<ContentItem>(organizer, CONTENT);
      if (!left.some((i) => i.value.sha256 === item.sha256)) await this.files.remove(organizer, item.sha256);
    });
  }

  /**
   * Runs an organizer's content operations one at a time: a quota check sees every upload before it, and a
   * deletion never removes a file that an upload of the same bytes has just referred to again.
   */
  private serial<T>(organizer: string, run: () => Promise<T>): Promise<T> {
    const before = this.tails.get(organizer) ?? Promise.resolve();
    const result = before.then(run, run);
    const tail = result.catch(() => undefined);
    this.tails.set(organizer, tail);
    void tail.then(() => {
      if (this.tails.get(organizer) === tail) this.tails.delete(organizer);
    });
    return result;
  }
}

function keyOf(confId: string, contentId: string): string {
  return `${confId}#${contentId}`;
}

function sizeOf(items: readonly { value: ContentItem }[]): number {
  return items.reduce(
    (sum, i) => sum + Math.max(Number.isFinite(i.value.size) ? i.value.size : 0, MIN_CHARGED_BYTES),
    0,
  );
}

function quotaError(size: number, scope: string, usage: number, quota: number, setting: string): TandemError {
  return new TandemError('CONTENT_QUOTA_EXCEEDED', { size, scope, usage, quota, setting });
}
