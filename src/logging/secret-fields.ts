/** @module The field names whose values are secrets or derived from one (hashes can be attacked offline). */
export const SECRET_FIELDS = [
  'password',
  'passwordHash',
  'secret',
  'secretHash',
  'token',
  'authorization',
  // Import-CsCertificate: the shell attaches the key file's content under the parameter's name.
  'PrivateKeyPath',
  'privateKey',
  // Cmdlet parameters as bound (Import-CsCertificate, Enable-CsUser, Set-CsUserPassword): isSecretField
  // matches any case, but the logger's redaction paths are exact.
  'Password',
] as const;

const SECRET_NAMES: ReadonlySet<string> = new Set(SECRET_FIELDS.map((f) => f.toLowerCase()));

/** What a secret's value is replaced with wherever it is shown. */
export const REDACTED = '[redacted]';

export function isSecretField(name: string): boolean {
  return SECRET_NAMES.has(name.toLowerCase());
}

/** `postgres://user:secret@host/db` → `postgres://user:[redacted]@host/db`; other text unchanged. */
export function redactUrlPassword(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*):[^@\s]*@/i, `$1:${REDACTED}@`);
}
