/**
 * @module PFX files for tests, made as administrators make them: by `openssl pkcs12 -export` (OpenSSL 3's
 * defaults, AES-256-CBC, PBKDF2 and a SHA-256 MAC, or `-legacy`, the RC2/3DES of older Windows exports).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PfxExport {
  readonly certPem: string;
  /** Left out: a PFX without a private key. */
  readonly keyPem?: string;
  readonly password: string;
  /** More certificates to include (a chain's CA certificate). */
  readonly chainPem?: string;
  readonly legacy?: boolean;
}

/** The PFX file `openssl pkcs12 -export` writes; the password goes through the environment, not argv. */
export function exportPfx(opts: PfxExport): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-pfx-'));
  try {
    const file = (name: string, text: string) => {
      const path = join(dir, name);
      writeFileSync(path, text, { mode: 0o600 });
      return path;
    };
    const out = join(dir, 'out.pfx');
    const args = ['pkcs12', '-export', '-in', file('cert.pem', opts.certPem), '-out', out];
    args.push(...(opts.keyPem === undefined ? ['-nokeys'] : ['-inkey', file('key.pem', opts.keyPem)]));
    if (opts.chainPem !== undefined) args.push('-certfile', file('chain.pem', opts.chainPem));
    if (opts.legacy) args.push('-legacy');
    args.push('-passout', 'env:TANDEM_TEST_PFX_PASSWORD');
    execFileSync('openssl', args, {
      env: { ...process.env, TANDEM_TEST_PFX_PASSWORD: opts.password },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An RSA certificate for `names` signed by the CA `ca` with `openssl x509 -req`, as many external CAs issue. */
export function issueRsaWithOpenssl(
  ca: { readonly cert: string; readonly key: string },
  names: readonly string[],
): { certPem: string; keyPem: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-rsa-'));
  try {
    const path = (name: string) => join(dir, name);
    writeFileSync(path('ca.crt'), ca.cert);
    writeFileSync(path('ca.key'), ca.key, { mode: 0o600 });
    writeFileSync(
      path('ext.cnf'),
      `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\nextendedKeyUsage=serverAuth,clientAuth\n`,
    );
    const run = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    run(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', path('key.pem')]);
    run(['req', '-new', '-key', path('key.pem'), '-subj', `/CN=${names[0] ?? 'x'}`, '-out', path('req.csr')]);
    run([
      'x509',
      '-req',
      '-in',
      path('req.csr'),
      '-CA',
      path('ca.crt'),
      '-CAkey',
      path('ca.key'),
      '-CAcreateserial',
      '-days',
      '30',
      '-sha256',
      '-extfile',
      path('ext.cnf'),
      '-out',
      path('cert.pem'),
    ]);
    return { certPem: readFileSync(path('cert.pem'), 'utf8'), keyPem: readFileSync(path('key.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
