/**
 * @module What the certificate tests share: data folders removed after each test, and a check that an error is
 * the expected CERT_ code and quotes no private key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect } from 'vitest';
import { TandemError, type ErrorCode } from '../errors/index.js';

const made: string[] = [];

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A new, empty data folder, removed after the test. */
export function tempDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-certs-'));
  made.push(dir);
  return dir;
}

export const SERVER = {
  fqdn: 'atl-fe01.litwareinc.com',
  poolFqdn: 'atl-pool.litwareinc.com',
  host: '127.0.0.1',
} as const;

/** The lines of a PEM text between its armour: what would show if a key leaked into a message. */
function pemBody(pem: string): string[] {
  return pem
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('-----'));
}

/**
 * Runs `fn`, expects a TandemError of `code`, and checks that its message (and its cause's) holds not one line
 * of the private keys given. Returns the error for further assertions.
 */
export async function expectCertError(
  fn: () => unknown,
  code: ErrorCode,
  keys: readonly string[],
): Promise<TandemError> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  expect(caught, `expected ${code}`).toBeInstanceOf(TandemError);
  const err = caught as TandemError;
  expect(err.code, err.message).toBe(code);
  const cause = err.cause instanceof Error ? err.cause.message : '';
  const text = `${err.message}\n${JSON.stringify(err.params)}\n${cause}`;
  for (const line of keys.flatMap(pemBody)) expect(text).not.toContain(line);
  return err;
}
