/**
 * @module The pool's file store for conference content: content-addressed files (name = SHA-256), written
 * to a temporary name, flushed and renamed, so a crash never leaves a torn file under a real name.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TandemError } from '../errors/index.js';

export class ContentStore {
  constructor(private readonly dir: string) {}

  async put(data: Buffer): Promise<string> {
    const sha256 = createHash('sha256').update(data).digest('hex');
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `.${sha256}.${randomBytes(4).toString('hex')}.tmp`);
    const fh = await open(tmp, 'w', 0o600);
    try {
      try {
        await fh.writeFile(data);
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, join(this.dir, sha256));
    } catch (err) {
      // A partial file (a full disk: ENOSPC) would hold the very space that ran out.
      await rm(tmp, { force: true });
      throw err;
    }
    return sha256;
  }

  async get(sha256: string): Promise<Buffer> {
    if (!/^[0-9a-f]{64}$/.test(sha256))
      throw new TandemError('INVALID_ARGUMENT', { detail: 'bad content digest' });
    try {
      return await readFile(join(this.dir, sha256));
    } catch (err) {
      throw new TandemError('NOT_FOUND', { what: 'Content file', name: sha256 }, { cause: err });
    }
  }
}
