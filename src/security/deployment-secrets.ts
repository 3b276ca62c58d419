/**
 * @module The deployment key: 32 random bytes created once per deployment, mode 0600. Every other secret
 * of the deployment (sign-in token key, server-to-server key) is derived from it, never stored beside it.
 */
import { randomBytes, hkdfSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TandemError } from '../errors/index.js';

export const KeyPurpose = {
  ServerToServer: 'tandem/s2s/v1',
  SignInToken: 'tandem/sign-in-token/v1',
  /** The keys of TLS session tickets, the same at every server: a client resumes its session at any of them. */
  TlsTicket: 'tandem/tls-ticket/v1',
} as const;
export type KeyPurpose = (typeof KeyPurpose)[keyof typeof KeyPurpose];

export function deploymentKeyPath(dataDir: string): string {
  return join(dataDir, 'secrets', 'deployment.key');
}

/** Creates the deployment key when missing; returns its path. */
export function ensureDeploymentKey(dataDir: string): string {
  const path = deploymentKeyPath(dataDir);
  if (!existsSync(path)) {
    mkdirSync(join(dataDir, 'secrets'), { recursive: true, mode: 0o700 });
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  }
  chmodSync(path, 0o600);
  return path;
}

export function loadDeploymentKey(dataDir: string): Buffer {
  const path = deploymentKeyPath(dataDir);
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new TandemError(
      'S2S_UNAUTHENTICATED',
      {
        detail: `the deployment key ${path} cannot be read (${(err as Error).message}); start the deployment with \`tandem up\``,
      },
      { cause: err },
    );
  }
  if (!/^[0-9a-f]{64}$/.test(text)) {
    throw new TandemError('S2S_UNAUTHENTICATED', { detail: `the deployment key ${path} is malformed` });
  }
  return Buffer.from(text, 'hex');
}

/**
 * The key for `purpose`; a `context` (such as a ticket-key period) gives each context its own key, which every
 * server of the deployment computes alike.
 */
export function deriveKey(deploymentKey: Buffer, purpose: KeyPurpose, bytes = 32, context?: string): Buffer {
  const info = context === undefined ? purpose : `${purpose}/${context}`;
  return Buffer.from(hkdfSync('sha256', deploymentKey, Buffer.alloc(0), info, bytes));
}
