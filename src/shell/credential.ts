/**
 * @module The administrator credential the shell presents: `--credential name:secret`, `--credential -`
 * (standard input), `--credential-file path`, TANDEM_ADMIN_CREDENTIAL, or the file the deployment wrote into
 * its data folder. Only the last is bound to a deployment: it goes only to the servers of the topology that
 * wrote it, so a topology file naming other addresses cannot collect it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { adminCredentialPath, readAdminCredentialFile } from '../security/admin-credential.js';
import { TandemError } from '../errors/index.js';

export interface ShellCredential {
  readonly name: string;
  readonly secret: string;
}

/** Where the shell's user said the credential is; nothing given means the environment, then the data folder. */
export interface CredentialSource {
  /** `name:secret`, or `-` for standard input. */
  readonly text?: string;
  /** A file holding `name:secret` (or the JSON credential file a deployment writes). */
  readonly file?: string;
}

/** The deployment the credential is for: its data folder and the name of its topology. */
export interface CredentialTarget {
  readonly dataDir: string;
  readonly topology: { readonly name: string };
}

export function loadShellCredential(
  target: CredentialTarget,
  source: CredentialSource = {},
  readStdin: () => string = () => readFileSync(0, 'utf8'),
): ShellCredential {
  const path = adminCredentialPath(target.dataDir);
  if (source.text === '-') {
    if (process.stdin.isTTY) {
      throw new TandemError('ADMIN_UNAUTHENTICATED', {
        detail: '--credential - reads name:secret from standard input; pipe it in, or use --credential-file',
        path,
      });
    }
    return parseCredentialText(firstLine(readStdin()), 'standard input', path);
  }
  if (source.file !== undefined) return readCredentialFile(source.file, path);
  const text = source.text ?? process.env.TANDEM_ADMIN_CREDENTIAL;
  if (text) return parseCredentialText(text, 'the credential', path);
  if (!existsSync(path)) {
    throw new TandemError('ADMIN_UNAUTHENTICATED', {
      detail:
        'no credential file found; start the deployment first (npm start) or pass --credential-file <file>',
      path,
    });
  }
  let cred;
  try {
    cred = readAdminCredentialFile(path);
  } catch (err) {
    throw new TandemError('ADMIN_UNAUTHENTICATED', {
      detail: `the credential file is unreadable (${(err as Error).message})`,
      path,
    });
  }
  if (cred.deployment !== undefined && cred.deployment !== target.topology.name) {
    throw new TandemError('ADMIN_UNAUTHENTICATED', {
      detail: `the credential in the data folder is for the deployment ${cred.deployment}, and the topology names ${target.topology.name}; the shell sends it only to its own deployment's servers. Name that deployment's topology with --topology, or give a credential for this one with --credential-file`,
      path,
    });
  }
  return { name: cred.name, secret: cred.secret };
}

function readCredentialFile(file: string, path: string): ShellCredential {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new TandemError('ADMIN_UNAUTHENTICATED', {
      detail: `cannot read the credential file ${file} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      path,
    });
  }
  // A deployment's own JSON credential file may be named too.
  if (text.trimStart().startsWith('{')) {
    try {
      const cred = readAdminCredentialFile(file);
      return { name: cred.name, secret: cred.secret };
    } catch {
      throw new TandemError('ADMIN_UNAUTHENTICATED', {
        detail: `the credential file ${file} is not a credential file a deployment wrote`,
        path,
      });
    }
  }
  return parseCredentialText(firstLine(text), `the credential file ${file}`, path);
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/)[0] ?? '').trim();
}

function parseCredentialText(text: string, where: string, path: string): ShellCredential {
  const i = text.indexOf(':');
  if (i <= 0 || i === text.length - 1) {
    // The text itself is never echoed: it may be most of a secret.
    throw new TandemError('ADMIN_UNAUTHENTICATED', { detail: `${where} must be written name:secret`, path });
  }
  return { name: text.slice(0, i), secret: text.slice(i + 1) };
}
