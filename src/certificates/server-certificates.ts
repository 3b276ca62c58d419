/**
 * @module A server's certificates as the certificate cmdlets manage them: the one in use, the ones ready to use
 * (issued or imported, kept by thumbprint), the key of an outstanding request, and the switch to another one
 * while the server runs. Keys stay in the server's data folder: nothing here returns one.
 */
import { existsSync, rmSync } from 'node:fs';
import { TandemError } from '../errors/index.js';
import { checkCertificate } from './certificate-checks.js';
import { describeCertificate, describeParsed, type CertificateInfo } from './certificate-info.js';
import {
  checkImportedCertificate,
  createCertificateRequest,
  namesInTopology,
} from './certificate-request.js';
import {
  issueFromDeploymentCa,
  pendingCertPath,
  pendingKeyPath,
  requestKeyPath,
  serverCertPath,
  serverKeyPath,
  type ServerTlsMaterial,
} from './deployment-pki.js';
import { PRIVATE_FILE, readText, writeAtomically } from './pki-files.js';
import { serverAlternativeNames, type ServerIdentity } from './server-names.js';

/** A Windows thumbprint as an administrator may paste it (spaces, colons, any case), or undefined. */
export function normalizeThumbprint(text: string): string | undefined {
  const hex = text.replace(/[\s:]/g, '').toUpperCase();
  // Checked before it names a file: a thumbprint is 40 hex digits and nothing else.
  return /^[0-9A-F]{40}$/.test(hex) ? hex : undefined;
}

export interface NewCertificateRequest {
  readonly domainNames: readonly string[];
  readonly friendlyName?: string;
  /** The FQDNs of the topology's servers and pools. */
  readonly allowedNames: readonly string[];
}

export class ServerCertificates {
  #current: ServerTlsMaterial;
  readonly #listeners: ((material: ServerTlsMaterial) => void)[] = [];
  readonly #fqdn: string;

  constructor(
    private readonly dataDir: string,
    private readonly server: ServerIdentity,
    current: ServerTlsMaterial,
  ) {
    this.#current = current;
    this.#fqdn = serverAlternativeNames(server).fqdn;
  }

  get fqdn(): string {
    return this.#fqdn;
  }

  /** The certificate, key and CA the server uses now. */
  current(): ServerTlsMaterial {
    return this.#current;
  }

  describeCurrent(now?: Date): CertificateInfo {
    return describeCertificate(this.#current.cert, now);
  }

  /** Called after Set-CsCertificate has put another certificate in place (the HTTPS server, the links). */
  onChange(listener: (material: ServerTlsMaterial) => void): void {
    this.#listeners.push(listener);
  }

  /**
   * A PKCS#10 request for an external CA. Its key is written to this server's data folder, replacing the key
   * of an earlier request: the certificate that comes back is imported here, and the key never leaves.
   */
  async request(opts: NewCertificateRequest): Promise<string> {
    const { csrPem, keyPem } = await createCertificateRequest(opts);
    writeAtomically(requestKeyPath(this.dataDir, this.#fqdn), keyPem, PRIVATE_FILE);
    return csrPem;
  }

  /**
   * A new certificate from the deployment CA, kept ready to use. It always names the server, its pool and its
   * listen address as well as the names asked for: without them the server's own clients would refuse it.
   */
  async issue(opts: NewCertificateRequest): Promise<CertificateInfo> {
    const asked = namesInTopology(opts);
    const own = serverAlternativeNames(this.server);
    const names = [...new Set([...own.names, ...asked])];
    const issued = await issueFromDeploymentCa(this.dataDir, this.#fqdn, { names, ips: own.ips });
    return this.keep(issued.cert, issued.key, 'the certificate issued');
  }

  /**
   * Checks a certificate from the administrator (against the deployment CA, with `keyPem` or else the key of
   * this server's outstanding request) and keeps it ready to use.
   */
  import(certPem: string, keyPem: string | undefined, file: string): CertificateInfo {
    const requestKey = requestKeyPath(this.dataDir, this.#fqdn);
    let key = keyPem;
    if (key === undefined) {
      if (!existsSync(requestKey)) throw new TandemError('CERT_NO_REQUEST_KEY', { file, server: this.#fqdn });
      key = readText(
        requestKey,
        (detail, cause) =>
          new TandemError(
            'CERT_UNREADABLE',
            { file, detail: `its request key ${requestKey}: ${detail}` },
            { cause },
          ),
      );
    }
    const info = this.keep(certPem, key, file);
    // The request is answered: its key now lives beside the certificate it signed.
    if (keyPem === undefined) rmSync(requestKey, { force: true });
    return info;
  }

  /**
   * Puts the ready certificate `thumbprint` in place of the server's: checked again, written to the server's
   * files (each whole or not at all), then handed to the listeners. Connections already open keep theirs.
   */
  use(thumbprint: string): CertificateInfo {
    const t = normalizeThumbprint(thumbprint);
    const unknown = () =>
      new TandemError('CERT_UNKNOWN_THUMBPRINT', { server: this.#fqdn, thumbprint: thumbprint.trim() });
    if (t === undefined) throw unknown();
    if (t === this.#current.thumbprint) return this.describeCurrent();
    const certFile = pendingCertPath(this.dataDir, this.#fqdn, t);
    const keyFile = pendingKeyPath(this.dataDir, this.#fqdn, t);
    if (!existsSync(certFile) || !existsSync(keyFile)) throw unknown();
    const unreadable = (detail: string, cause: unknown) =>
      new TandemError('CERT_UNREADABLE', { file: certFile, detail }, { cause });
    const certPem = readText(certFile, unreadable);
    const keyPem = readText(keyFile, unreadable);
    const { ca } = this.#current;
    // Checked again: it may have expired, or the CA changed, since it was added.
    const cert = checkCertificate({ certPem, keyPem, caPem: ca, fqdn: this.#fqdn, file: certFile, keyFile });
    // The key goes first, as when a certificate is issued at start; the ready copies are removed last, so a
    // crash between the two writes leaves them to run Set-CsCertificate with again.
    const liveCert = serverCertPath(this.dataDir, this.#fqdn);
    writeAtomically(serverKeyPath(this.dataDir, this.#fqdn), keyPem, PRIVATE_FILE);
    writeAtomically(liveCert, certPem, PRIVATE_FILE);
    rmSync(certFile, { force: true });
    rmSync(keyFile, { force: true });
    this.#current = {
      cert: cert.parsed.toString('pem'),
      key: keyPem,
      ca,
      certFile: liveCert,
      thumbprint: t,
      notAfter: cert.parsed.notAfter,
    };
    for (const listener of this.#listeners) listener(this.#current);
    return describeParsed(cert);
  }

  /** Checks a certificate and its key, then writes them under its thumbprint; returns its view. */
  private keep(certPem: string, keyPem: string, file: string): CertificateInfo {
    const { ca } = this.#current;
    const info = checkImportedCertificate({ certPem, keyPem, caPem: ca, fqdn: this.#fqdn, file });
    writeAtomically(pendingKeyPath(this.dataDir, this.#fqdn, info.Thumbprint), keyPem, PRIVATE_FILE);
    writeAtomically(pendingCertPath(this.dataDir, this.#fqdn, info.Thumbprint), certPem, PRIVATE_FILE);
    return info;
  }
}
