/**
 * @module The pool's file store for conference content: files named by their SHA-256, in a folder per user
 * whose conferences hold them (a file is deleted once no item of that user refers to it, so a folder never
 * shares a file with another user's items). Written to a temporary name, flushed and renamed, so a crash never
 * leaves a torn file under a real name. Files of older versions, directly in the store's folder, are still read.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { TandemError } from '../errors/index.js';

const DIGEST = /^[0-9a-f]{64}$/;

/** The folder of a user's files: a digest of the SIP address, so that no address can name a path. */
function userFolder(dir: string, owner: string): string {
  return join(dir, createHash('sha256').update(owner).digest('hex').slice(0, 32));
}

/** Where the store at `dir` keeps `owner`'s file with this digest. */
export function contentFilePath(dir: string, owner: string, sha256: string): string {
  return join(userFolder(dir, owner), sha256);
}

export class ContentStore {
  constructor(private readonly dir: string) {}

  async put(owner: string, data: Buffer): Promise<string> {
    const sha256 = createHash('sha256').update(data).digest('hex');
    const folder = userFolder(this.dir, owner);
    await mkdir(folder, { recursive: true });
    const tmp = join(folder, `.${sha256}.${randomBytes(4).toString('hex')}.tmp`);
    const fh = await open(tmp, 'w', 0o600);
    try {
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, join(folder, sha256));
    } catch (err) {
      // A partial file (a full disk: ENOSPC) would hold the very space that ran out.
      await rm(tmp, { force: true });
      throw err;
    }
    return sha256;
  }

  async get(owner: string, sha256: string): Promise<Buffer> {
    checkDigest(sha256);
    try {
      return await readFile(contentFilePath(this.dir, owner, sha256));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    try {
      return await readFile(join(this.dir, sha256));
    } catch (err) {
      throw new TandemError('NOT_FOUND', { what: 'Content file', name: sha256 }, { cause: err });
    }
  }

  /**
   * Deletes `owner`'s file (the caller checked that no item of the owner refers to it). A file of an older
   * version, directly in the store's folder, may be shared by several users and stays.
   */
  async remove(owner: string, sha256: string): Promise<void> {
    checkDigest(sha256);
    try {
      await unlink(contentFilePath(this.dir, owner, sha256));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

function checkDigest(sha256: string): void {
  if (!DIGEST.test(sha256)) throw new TandemError('INVALID_ARGUMENT', { detail: 'bad content digest' });
}
