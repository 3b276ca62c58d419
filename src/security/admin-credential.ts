/**
 * @module Administrator credentials: a name and a random secret. The CMS stores only the secret's SHA-256;
 * the secret of the first administrator is written once, mode 0600, into the data folder.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export const AdminCredentialSchema = z.object({
  name: z.string().min(1),
  secret: z.string().min(16),
  role: z.string().optional(),
  deployment: z.string().optional(),
});
export type AdminCredential = z.infer<typeof AdminCredentialSchema>;

export function adminCredentialPath(dataDir: string): string {
  return join(dataDir, 'admin-credential.json');
}

export function newAdminSecret(): string {
  return randomBytes(24).toString('base64url');
}

export function hashAdminSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function adminSecretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashAdminSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Writes the credential file (mode 0600) unless it exists; returns the credential in force. */
export function ensureAdminCredentialFile(dataDir: string, deployment: string): AdminCredential {
  const path = adminCredentialPath(dataDir);
  if (existsSync(path)) return readAdminCredentialFile(path);
  const cred: AdminCredential = {
    name: 'admin',
    secret: newAdminSecret(),
    role: 'CsAdministrator',
    deployment,
  };
  writeFileSync(path, `${JSON.stringify(cred, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return cred;
}

export function readAdminCredentialFile(path: string): AdminCredential {
  return AdminCredentialSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
}

/** `Authorization: Bearer name:secret`. */
export function formatAdminAuthorization(cred: Pick<AdminCredential, 'name' | 'secret'>): string {
  return `Bearer ${cred.name}:${cred.secret}`;
}

export function parseAdminAuthorization(
  header: string | undefined,
): { name: string; secret: string } | undefined {
  const m = /^Bearer ([^:\s]+):(\S+)$/.exec(header ?? '');
  return m?.[1] && m[2] ? { name: m[1], secret: m[2] } : undefined;
}
