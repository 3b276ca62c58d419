/**
 * @module Conference content files across the Backup Service: a change that puts a content item carries its
 * file (by SHA-256) to the partner pool, and a change that deletes one deletes the file there too, once no
 * other item of the same user refers to it — as the home pool did when the item was deleted.
 */
import type { ChangeRecord, UserDataStore } from '../storage/index.js';
import type { ContentStore } from '../conferencing/content-store.js';
import { DATACONF_KINDS } from './backup-modules.js';
import { fieldOf } from '../json/json-shape.js';

/** A file of one user, by digest. */
export interface OwnedFile {
  readonly owner: string;
  readonly sha256: string;
}

/** The digest of the file a change's item refers to: a put of conference content; otherwise undefined. */
export function contentDigestOf(c: Pick<ChangeRecord, 'kind' | 'op' | 'value'>): string | undefined {
  if (c.op !== 'put' || !DATACONF_KINDS.includes(c.kind) || !c.value) return undefined;
  return digestIn(c.value);
}

function digestIn(value: string): string | undefined {
  try {
    const sha = fieldOf(JSON.parse(value), 'sha256');
    return typeof sha === 'string' ? sha : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the files the page's content puts refer to, each in its owner's folder. */
export async function storeFiles(
  files: ContentStore,
  changes: readonly ChangeRecord[],
  blobs: Readonly<Record<string, string>>,
): Promise<void> {
  const done = new Set<string>();
  for (const c of changes) {
    const sha = contentDigestOf(c);
    const data = sha === undefined ? undefined : blobs[sha];
    // No blob: the file was deleted at the source before it shipped; the item's deletion follows.
    if (sha === undefined || data === undefined || done.has(`${c.owner}\n${sha}`)) continue;
    done.add(`${c.owner}\n${sha}`);
    await files.put(c.owner, Buffer.from(data, 'base64'));
  }
}

/** Before the page is applied: the files of the content items its deletions remove (read from this store). */
export async function filesDeletedBy(
  store: UserDataStore,
  changes: readonly ChangeRecord[],
): Promise<OwnedFile[]> {
  const found: OwnedFile[] = [];
  for (const c of changes) {
    if (c.op !== 'del' || !DATACONF_KINDS.includes(c.kind)) continue;
    const item = await store.get(c.owner, c.kind, c.key);
    const sha = item ? digestIn(item.value) : undefined;
    if (sha !== undefined) found.push({ owner: c.owner, sha256: sha });
  }
  return found;
}

/** After the page is applied: deletes each of these files that no item of its owner refers to any more. */
export async function removeUnreferenced(
  store: UserDataStore,
  files: ContentStore,
  candidates: readonly OwnedFile[],
): Promise<number> {
  let removed = 0;
  for (const f of candidates) {
    const items = await Promise.all(DATACONF_KINDS.map((k) => store.list(f.owner, k)));
    if (items.flat().some((i) => digestIn(i.value) === f.sha256)) continue;
    await files.remove(f.owner, f.sha256);
    removed += 1;
  }
  return removed;
}
