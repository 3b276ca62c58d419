/**
 * @module Certificate and key files as the deployment keeps them: like every file of the data folder, readable
 * by their owner alone (0600, in folders 0700; operations.md "File modes"): certificates are not secret, but the
 * data folder is private as a whole, and clients are given a copy of the CA certificate. A file is written under
 * a temporary name and renamed, so that a reader never sees half of one.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TandemError } from '../errors/index.js';

export const PRIVATE_FILE = { file: 0o600, folder: 0o700 } as const;

export type FileModes = typeof PRIVATE_FILE;

function makeFolder(path: string, modes: FileModes): void {
  mkdirSync(dirname(path), { recursive: true, mode: modes.folder });
}

/**
 * Creates `path` with `text` unless it exists; false when it did (another process made it first). Not renamed
 * into place: the exclusive create is what decides which process owns the file.
 */
export function createExclusive(path: string, text: string, modes: FileModes): boolean {
  makeFolder(path, modes);
  try {
    writeFileSync(path, text, { mode: modes.file, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  chmodSync(path, modes.file);
  return true;
}

/** Writes `path` whole or not at all. The mode is set explicitly: a server runs with umask 077. */
export function writeAtomically(path: string, text: string, modes: FileModes): void {
  makeFolder(path, modes);
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, text, { mode: modes.file, flag: 'wx' });
    chmodSync(tmp, modes.file);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** A file's text; `fail` builds the error from what went wrong (the path is the caller's to name). */
export function readText(path: string, fail: (detail: string, cause: unknown) => TandemError): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(
      code === 'ENOENT' ? 'the file does not exist' : `the file cannot be read (${code ?? 'error'})`,
      err,
    );
  }
}
