/**
 * @module The administrator credential the shell presents: --credential name:secret, TANDEM_ADMIN_CREDENTIAL,
 * or the file the deployment wrote into its data folder.
 */
import { existsSync } from 'node:fs';
import { adminCredentialPath, readAdminCredentialFile } from '../security/admin-credential.js';
import { TandemError } from '../errors/index.js';

export interface ShellCredential {
  readonly name: string;
  readonly secret: string;
}

export function loadShellCredential(dataDir: string, explicit?: string): ShellCredential {
  const text = explicit ?? process.env.TANDEM_ADMIN_CREDENTIAL;
  const path = adminCredentialPath(dataDir);
  if (text) {
    const i = text.indexOf(':');
    if (i <= 0 || i === text.length - 1) {
      throw new TandemError('ADMIN_UNAUTHENTICATED', { detail: 'a credential is written name:secret', path });
    }
    return { name: text.slice(0, i), secret: text.slice(i + 1) };
  }
  if (!existsSync(path)) {
    throw new TandemError('ADMIN_UNAUTHENTICATED', {
      detail:
        'no credential file found; start the deployment first (npm start) or pass --credential name:secret',
      path,
    });
  }
  try {
    const cred = readAdminCredentialFile(path);
    return { name: cred.name, secret: cred.secret };
  } catch (err) {
    throw new TandemError('ADMIN_UNAUTHENTICATED', {
      detail: `the credential file is unreadable (${(err as Error).message})`,
      path,
    });
  }
}
