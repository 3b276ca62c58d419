/**
 * @module The deployment's own PKI in its data folder: one CA, created once and shared by every server of the
 * deployment (like the deployment key), and each server's TLS certificate, issued from it when missing and
 * checked whenever it is loaded.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { TandemError } from '../errors/index.js';
import { pollUntil } from '../timing/poll-until.js';
import { createCa, issueCertificate, type CertificateAndKey } from './certificate-authority.js';
import { checkCertificate, parseCaCertificate } from './certificate-checks.js';
import { thumbprintOf } from './certificate-info.js';
import { createExclusive, PRIVATE_FILE, readText, writeAtomically } from './pki-files.js';
import { serverAlternativeNames, type ServerIdentity } from './server-names.js';

export type { ServerIdentity } from './server-names.js';

export interface ServerTlsMaterial {
  /** The server's certificate, PEM (the leaf only). */
  readonly cert: string;
  /** Its private key, PKCS#8 PEM. */
  readonly key: string;
  /** The deployment CA's certificate, PEM. */
  readonly ca: string;
  readonly certFile: string;
  /** SHA-1 of the certificate, upper-case hex, as Windows and Lync show it. */
  readonly thumbprint: string;
  readonly notAfter: Date;
}

export function caCertPath(dataDir: string): string {
  return join(dataDir, 'pki', 'ca.crt');
}

export function caKeyPath(dataDir: string): string {
  return join(dataDir, 'secrets', 'ca.key');
}

export function serverCertPath(dataDir: string, fqdn: string): string {
  return join(dataDir, 'pki', 'servers', `${fqdn}.crt`);
}

export function serverKeyPath(dataDir: string, fqdn: string): string {
  return join(dataDir, 'secrets', 'servers', `${fqdn}.key`);
}

/** The key of a server's outstanding certificate request (Request-CsCertificate -Output), kept for the import. */
export function requestKeyPath(dataDir: string, fqdn: string): string {
  return join(dataDir, 'secrets', 'servers', `${fqdn}.pending.key`);
}

/** A certificate of `fqdn` that is ready but not in use yet (Request- or Import-CsCertificate), by thumbprint. */
export function pendingCertPath(dataDir: string, fqdn: string, thumbprint: string): string {
  return join(dataDir, 'pki', 'servers', 'pending', fqdn, `${thumbprint}.crt`);
}

export function pendingKeyPath(dataDir: string, fqdn: string, thumbprint: string): string {
  return join(dataDir, 'secrets', 'servers', 'pending', fqdn, `${thumbprint}.key`);
}

/** The certificate roll scheduled at `fqdn` (Set-CsCertificate -Roll -EffectiveDate), kept across restarts. */
export function scheduledRollPath(dataDir: string, fqdn: string): string {
  return join(dataDir, 'pki', 'servers', `${fqdn}.roll.json`);
}

/** How long a process waits for the CA certificate another process is creating. */
const CA_WAIT_MS = 10_000;

/**
 * Creates the deployment CA when missing; returns the CA certificate's path. Of processes that start together,
 * the one whose exclusive create of the CA key succeeds writes the certificate; the others wait for it. The
 * certificate is renamed into place after the key is whole, so once it exists both files are complete.
 */
export async function ensureDeploymentCa(
  dataDir: string,
  deploymentName: string,
  options: { readonly waitMs?: number } = {},
): Promise<string> {
  const certFile = caCertPath(dataDir);
  const keyFile = caKeyPath(dataDir);
  if (!existsSync(certFile) && !existsSync(keyFile)) {
    const ca = await createCa(`Tandem deployment CA (${deploymentName})`);
    if (createExclusive(keyFile, ca.key, PRIVATE_FILE)) {
      writeAtomically(certFile, ca.cert, PRIVATE_FILE);
      return certFile;
    }
  }
  const waitMs = options.waitMs ?? CA_WAIT_MS;
  if (!(await pollUntil(() => existsSync(certFile), { timeoutMs: waitMs, backoff: 50 }))) {
    throw new TandemError('CERT_CA_UNREADABLE', {
      file: certFile,
      detail: `it was not written within ${waitMs / 1000} s although the CA key ${keyFile} exists, so the process creating the CA stopped midway. If no Tandem process is starting, delete ${keyFile} and start again (a demo deployment's server certificates are then issued again)`,
    });
  }
  loadTrustedCa(certFile);
  return certFile;
}

function unreadable(file: string): (detail: string, cause: unknown) => TandemError {
  return (detail, cause) => new TandemError('CERT_UNREADABLE', { file, detail }, { cause });
}

/** The deployment CA's key, to issue the certificate `certFile` of `server` with; checked against the CA. */
function loadCaKey(dataDir: string, caPem: string, issuing: { server: string; certFile: string }): string {
  const file = caKeyPath(dataDir);
  const unusable = (detail: string, cause?: unknown) =>
    new TandemError('CERT_CA_KEY_UNUSABLE', { ...issuing, file, detail }, { cause });
  const pem = readText(file, unusable);
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    // The parser's message is left out: it could quote the key.
    throw unusable('it is not a readable PEM private key');
  }
  if (!new X509Certificate(caPem).checkPrivateKey(key)) {
    throw unusable(`it is not the key of the CA certificate ${caCertPath(dataDir)}`);
  }
  return pem;
}

/**
 * Issues a certificate for `names` from the deployment CA (Request-CsCertificate without -Output); the CA key
 * is checked first, as when a server's missing certificate is issued.
 */
export async function issueFromDeploymentCa(
  dataDir: string,
  server: string,
  names: { readonly names: readonly string[]; readonly ips?: readonly string[] },
): Promise<CertificateAndKey> {
  const ca = loadTrustedCa(caCertPath(dataDir));
  const caKey = loadCaKey(dataDir, ca, { server, certFile: serverCertPath(dataDir, server) });
  return issueCertificate({ cert: ca, key: caKey }, names);
}

/** Reads a CA file a client or server is told to trust; throws CERT_CA_UNREADABLE. Returns the PEM text. */
export function loadTrustedCa(caFile: string): string {
  const pem = readText(
    caFile,
    (detail, cause) => new TandemError('CERT_CA_UNREADABLE', { file: caFile, detail }, { cause }),
  );
  parseCaCertificate(pem, caFile);
  return pem;
}

/**
 * Loads the server's certificate, issuing it from the deployment CA when missing, and checks it: its key, its
 * issuer, its validity and its name. The key is written before the certificate: the certificate's file is what
 * says that a server has one, so a crash between the two leads to a new certificate, never to a lone one.
 */
export async function ensureServerCertificate(
  dataDir: string,
  server: ServerIdentity,
): Promise<ServerTlsMaterial> {
  const names = serverAlternativeNames(server);
  const caFile = caCertPath(dataDir);
  const ca = loadTrustedCa(caFile);
  const certFile = serverCertPath(dataDir, names.fqdn);
  const keyFile = serverKeyPath(dataDir, names.fqdn);
  if (!existsSync(certFile)) {
    const caKey = loadCaKey(dataDir, ca, { server: names.fqdn, certFile });
    const issued = await issueCertificate({ cert: ca, key: caKey }, names);
    writeAtomically(keyFile, issued.key, PRIVATE_FILE);
    writeAtomically(certFile, issued.cert, PRIVATE_FILE);
  }
  const certPem = readText(certFile, unreadable(certFile));
  // A key that cannot be read is blamed on the certificate: deleting that file is what has both issued again.
  const key = readText(keyFile, (detail, cause) =>
    unreadable(certFile)(`its private key ${keyFile}: ${detail}`, cause),
  );
  const cert = checkCertificate({
    certPem,
    keyPem: key,
    caPem: ca,
    fqdn: names.fqdn,
    file: certFile,
    keyFile,
    caFile,
  });
  return {
    cert: cert.parsed.toString('pem'),
    key,
    ca,
    certFile,
    thumbprint: thumbprintOf(cert),
    notAfter: cert.parsed.notAfter,
  };
}
