/**
 * @module A deployment's files are its administrators' alone: stores and CMS replicas hold password and
 * administrator-secret hashes, logs name users, content is users' own. Every Tandem process that writes data
 * runs with umask 077 (files 0600, folders 0700, SQLite's -wal/-shm files included, as SQLite gives them
 * the database file's mode), and a data folder an older version left open is closed once on start.
 */
import { chmodSync, existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const PRIVATE_UMASK = 0o077;

/** Sets the process umask so that everything created from now on is private. */
export function usePrivateFileModes(): void {
  process.umask(PRIVATE_UMASK);
}

/**
 * Makes an existing data folder private. A folder already 0700 was created private and is left alone (a
 * start stays cheap however many content files it holds); an open one is walked once and every file and
 * folder loses its group and other bits. Only a folder that holds Tandem's own data (its `secrets` or `run`
 * folder) is walked, so a data folder named by mistake (a home folder) is not rewritten.
 */
export function makeDataFolderPrivate(dataDir: string): void {
  if (!existsSync(dataDir)) return;
  const top = lstatSync(dataDir);
  if ((top.mode & 0o777 & PRIVATE_UMASK) === 0) return;
  const ours = existsSync(join(dataDir, 'secrets')) || existsSync(join(dataDir, 'run'));
  if (ours) {
    for (const rel of readdirSync(dataDir, { recursive: true, encoding: 'utf8' })) {
      closeUp(join(dataDir, rel));
    }
  }
  closeUp(dataDir);
}

function closeUp(path: string): void {
  try {
    const st = lstatSync(path);
    // A symbolic link's own mode means nothing; what it points to may not be ours.
    if (st.isSymbolicLink() || (st.mode & PRIVATE_UMASK) === 0) return;
    chmodSync(path, st.mode & 0o777 & ~PRIVATE_UMASK);
  } catch (err) {
    // A temporary file may be gone between the listing and here.
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}
