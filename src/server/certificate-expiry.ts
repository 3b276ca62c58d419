/**
 * @module Warns of a certificate that is about to expire: once when the server starts and then once a day, a
 * log line naming the certificate, its end and what to do, while fewer than EXPIRY_WARNING_DAYS are left.
 * (Get-CsCertificate shows the same warning; /metrics has tandem_certificate_days_left. An expired certificate
 * is refused when the server starts: CERT_EXPIRED.)
 */
import type { CertificateInfo } from '../certificates/certificate-info.js';
import type { Logger } from '../logging/logger.js';

const DAY_MS = 86_400_000;

export class CertificateExpiryWatch {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    /** The certificate in use, described at a moment (it changes with Set-CsCertificate). */
    private readonly describe: (now: Date) => CertificateInfo,
    private readonly log: Pick<Logger, 'warn'>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Logs the warning when it is due; returns whether it was. */
  check(): boolean {
    const info = this.describe(this.now());
    if (!info.ExpiryWarning) return false;
    this.log.warn(
      { thumbprint: info.Thumbprint, notAfter: info.NotAfter, daysLeft: info.DaysLeft },
      `the certificate in use (${info.Subject}) expires on ${info.NotAfter}, in ${info.DaysLeft} day(s): request and assign a new one (Request-CsCertificate, Set-CsCertificate; docs/security.md)`,
    );
    return true;
  }

  start(intervalMs = DAY_MS): void {
    this.check();
    this.timer = setInterval(() => this.check(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
