/**
 * @module A server's certificates as the certificate cmdlets manage them: the one in use, the ones ready to use
 * (issued or imported, kept by thumbprint), the key of an outstanding request, the switch to another one
 * while the server runs, and a switch scheduled for a later date (a roll). Keys stay in the server's data
 * folder: nothing here returns one.
 */
import { existsSync, rmSync } from 'node:fs';
import { TandemError } from '../errors/index.js';
import { checkCertificate, parseCertificate, type ParsedCertificate } from './certificate-checks.js';
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
  scheduledRollPath,
  serverCertPath,
  serverKeyPath,
  type ServerTlsMaterial,
} from './deployment-pki.js';
import {
  readScheduledRoll,
  removeScheduledRoll,
  writeScheduledRoll,
  type ScheduledRoll,
} from './certificate-roll.js';
import { readPfx } from './pfx-file.js';
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

/** A scheduled roll as Get-CsCertificate shows it: the certificate (when still readable) and why it failed, if it did. */
export interface RollView {
  readonly roll: ScheduledRoll;
  readonly certificate: CertificateInfo | undefined;
  /** Set when the roll came due and its certificate could not be put in use (it stays scheduled). */
  readonly failure: string | undefined;
}

/** What Set-CsCertificate -Roll did: put the certificate in use now (its date has passed) or scheduled it. */
export type RollOutcome =
  | { readonly kind: 'in-use'; readonly info: CertificateInfo }
  | { readonly kind: 'scheduled'; readonly info: CertificateInfo; readonly roll: ScheduledRoll };

/** A ready certificate, read from its files. */
interface ReadyCertificate {
  readonly thumbprint: string;
  readonly certFile: string;
  readonly keyFile: string;
  readonly certPem: string;
  readonly keyPem: string;
}

export class ServerCertificates {
  #current: ServerTlsMaterial;
  readonly #listeners: ((material: ServerTlsMaterial) => void)[] = [];
  readonly #rollListeners: (() => void)[] = [];
  readonly #fqdn: string;
  readonly #rollFile: string;
  #roll: ScheduledRoll | undefined;
  #rollFailure: string | undefined;

  /** Throws CERT_ROLL_UNREADABLE when the file of a scheduled roll cannot be read. */
  constructor(
    private readonly dataDir: string,
    private readonly server: ServerIdentity,
    current: ServerTlsMaterial,
  ) {
    this.#current = current;
    this.#fqdn = serverAlternativeNames(server).fqdn;
    this.#rollFile = scheduledRollPath(dataDir, this.#fqdn);
    this.#roll = readScheduledRoll(this.#rollFile);
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

  /** Called when a roll is scheduled, replaced or cleared (the timer that makes it take effect). */
  onRollChange(listener: () => void): void {
    this.#rollListeners.push(listener);
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
   * Checks the certificate and key of a PKCS#12 (PFX) file, opened with `password`, as import does a PEM
   * certificate, and keeps them ready to use. The password is used here and kept nowhere.
   */
  importPfx(bytes: Buffer, password: string, file: string): CertificateInfo {
    const { certPem, keyPem } = readPfx(bytes, password, file);
    return this.keep(certPem, keyPem, file);
  }

  /**
   * Puts the ready certificate `thumbprint` in place of the server's: checked again, written to the server's
   * files (each whole or not at all), then handed to the listeners. Connections already open keep theirs.
   * It replaces a scheduled roll, as a new Set-CsCertificate does in Lync; naming the certificate in use
   * cancels one.
   */
  use(thumbprint: string): CertificateInfo {
    const t = this.#known(thumbprint);
    if (t === this.#current.thumbprint) {
      this.#clearRoll();
      return this.describeCurrent();
    }
    const ready = this.#readReady(t, thumbprint);
    const { ca } = this.#current;
    // Checked again: it may have expired, or the CA changed, since it was added.
    const cert = this.#check(ready);
    // The key goes first, as when a certificate is issued at start; the ready copies are removed last, so a
    // crash between the two writes leaves them to run Set-CsCertificate with again.
    const liveCert = serverCertPath(this.dataDir, this.#fqdn);
    writeAtomically(serverKeyPath(this.dataDir, this.#fqdn), ready.keyPem, PRIVATE_FILE);
    writeAtomically(liveCert, ready.certPem, PRIVATE_FILE);
    rmSync(ready.certFile, { force: true });
    rmSync(ready.keyFile, { force: true });
    this.#current = {
      cert: cert.parsed.toString('pem'),
      key: ready.keyPem,
      ca,
      certFile: liveCert,
      thumbprint: t,
      notAfter: cert.parsed.notAfter,
    };
    this.#clearRoll();
    for (const listener of this.#listeners) listener(this.#current);
    return describeParsed(cert);
  }

  /**
   * Set-CsCertificate -Roll -EffectiveDate: the ready certificate `thumbprint` takes effect at `effectiveDate`.
   * It is checked now as it will be then (its key, the deployment CA, the server's name, valid at that date),
   * and the roll is written to the data folder, replacing one scheduled before. A date that has passed puts
   * it in use now, as Lync does.
   */
  scheduleRoll(thumbprint: string, effectiveDate: Date, now: Date = new Date()): RollOutcome {
    const t = this.#known(thumbprint);
    if (t === this.#current.thumbprint || effectiveDate <= now) {
      return { kind: 'in-use', info: this.use(t) };
    }
    const ready = this.#readReady(t, thumbprint);
    const cert = this.#check(ready, effectiveDate);
    const roll: ScheduledRoll = {
      thumbprint: t,
      effectiveDate,
      previousThumbprint: this.#current.thumbprint,
      scheduledAt: now,
    };
    writeScheduledRoll(this.#rollFile, roll);
    this.#roll = roll;
    this.#rollFailure = undefined;
    for (const listener of this.#rollListeners) listener();
    return { kind: 'scheduled', info: describeParsed(cert, now), roll };
  }

  /** The scheduled roll, if any, with its certificate as it stands now. */
  scheduledRoll(now: Date = new Date()): RollView | undefined {
    const roll = this.#roll;
    if (roll === undefined) return undefined;
    let certificate: CertificateInfo | undefined;
    try {
      const { certPem } = this.#readReady(roll.thumbprint, roll.thumbprint);
      certificate = describeCertificate(certPem, now);
    } catch {
      // Its files are gone or damaged: the roll is still shown, and fails when it comes due.
    }
    return { roll, certificate, failure: this.#rollFailure };
  }

  /**
   * Puts the scheduled certificate in use once its date has come; returns it, or undefined when no roll is
   * due. A certificate that cannot be used then throws, and the roll stays scheduled (Get-CsCertificate shows
   * why): a restart tries it again, and a new Set-CsCertificate replaces it.
   */
  applyDueRoll(now: Date = new Date()): CertificateInfo | undefined {
    const roll = this.#roll;
    if (roll === undefined || now < roll.effectiveDate) return undefined;
    try {
      return this.use(roll.thumbprint);
    } catch (err) {
      this.#rollFailure =
        err instanceof TandemError
          ? `${err.code}: ${err.message}`
          : err instanceof Error
            ? err.message
            : String(err);
      throw err;
    }
  }

  /** A thumbprint as typed, normalized; CERT_UNKNOWN_THUMBPRINT when it is none. */
  #known(thumbprint: string): string {
    const t = normalizeThumbprint(thumbprint);
    if (t === undefined) {
      throw new TandemError('CERT_UNKNOWN_THUMBPRINT', { server: this.#fqdn, thumbprint: thumbprint.trim() });
    }
    return t;
  }

  /** The files of the ready certificate `t` (as the administrator typed it: `typed`). */
  #readReady(t: string, typed: string): ReadyCertificate {
    const certFile = pendingCertPath(this.dataDir, this.#fqdn, t);
    const keyFile = pendingKeyPath(this.dataDir, this.#fqdn, t);
    if (!existsSync(certFile) || !existsSync(keyFile)) {
      throw new TandemError('CERT_UNKNOWN_THUMBPRINT', { server: this.#fqdn, thumbprint: typed.trim() });
    }
    const unreadable = (detail: string, cause: unknown) =>
      new TandemError('CERT_UNREADABLE', { file: certFile, detail }, { cause });
    return {
      thumbprint: t,
      certFile,
      keyFile,
      certPem: readText(certFile, unreadable),
      keyPem: readText(keyFile, unreadable),
    };
  }

  /**
   * Checks a ready certificate against the deployment CA and this server; `at` is the moment it must be valid
   * (a roll's effective date), else now. Outside its validity at that date is CERT_ROLL_OUTSIDE_VALIDITY.
   */
  #check(ready: ReadyCertificate, at?: Date): ParsedCertificate {
    const check = {
      certPem: ready.certPem,
      keyPem: ready.keyPem,
      caPem: this.#current.ca,
      fqdn: this.#fqdn,
      file: ready.certFile,
      keyFile: ready.keyFile,
    };
    if (at === undefined) return checkCertificate(check);
    try {
      return checkCertificate({ ...check, now: at });
    } catch (err) {
      if (
        !(err instanceof TandemError) ||
        (err.code !== 'CERT_EXPIRED' && err.code !== 'CERT_NOT_YET_VALID')
      ) {
        throw err;
      }
      const { parsed } = parseCertificate(ready.certPem, ready.certFile);
      throw new TandemError('CERT_ROLL_OUTSIDE_VALIDITY', {
        thumbprint: ready.thumbprint,
        notBefore: parsed.notBefore.toISOString(),
        notAfter: parsed.notAfter.toISOString(),
        effectiveDate: at.toISOString(),
      });
    }
  }

  #clearRoll(): void {
    if (this.#roll === undefined) return;
    removeScheduledRoll(this.#rollFile);
    this.#roll = undefined;
    this.#rollFailure = undefined;
    for (const listener of this.#rollListeners) listener();
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
