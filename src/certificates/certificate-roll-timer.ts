/**
 * @module Makes a scheduled certificate roll take effect at its date: a timer armed for the roll in force (again
 * whenever Set-CsCertificate replaces or clears it), and, when a server starts, the roll whose date passed
 * while it was stopped. Either way the switch is Set-CsCertificate's: new connections get the new
 * certificate, connections already open keep theirs.
 */
import { fireAt, systemClock, type TimerClock } from '../timing/fire-at.js';
import type { ServerCertificates } from './server-certificates.js';

/** The two log levels the timer writes (a server's pino logger). */
export interface RollLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export class CertificateRollTimer {
  #cancel: (() => void) | undefined;
  #started = false;

  constructor(
    private readonly certificates: ServerCertificates,
    private readonly log: RollLog,
    private readonly clock: TimerClock = systemClock,
  ) {
    certificates.onRollChange(() => {
      if (this.#started) this.#arm();
    });
  }

  /** Puts the scheduled certificate in use if its date has come; a failure is logged, not thrown. */
  applyDue(): void {
    const due = this.certificates.scheduledRoll()?.roll;
    try {
      const info = this.certificates.applyDueRoll(new Date(this.clock.now()));
      if (info === undefined || due === undefined) return;
      this.log.info(
        { thumbprint: info.Thumbprint, previousThumbprint: due.previousThumbprint },
        `the certificate ${info.Thumbprint} took effect as scheduled for ${due.effectiveDate.toISOString()} (Set-CsCertificate -Roll): new connections get it`,
      );
    } catch (err) {
      this.log.error(
        { err, thumbprint: due?.thumbprint },
        `the certificate roll scheduled for ${due?.effectiveDate.toISOString() ?? 'now'} could not take effect; the server keeps its certificate. Get-CsCertificate shows why; schedule another with Set-CsCertificate (docs/security.md)`,
      );
    }
  }

  /** Arms the timer for the roll in force, and for each one scheduled later. */
  start(): void {
    this.#started = true;
    this.#arm();
  }

  stop(): void {
    this.#started = false;
    this.#cancel?.();
    this.#cancel = undefined;
  }

  #arm(): void {
    this.#cancel?.();
    this.#cancel = undefined;
    const view = this.certificates.scheduledRoll();
    // A roll that failed waits for a restart or a new Set-CsCertificate: trying again at once would fail again.
    if (view === undefined || view.failure !== undefined) return;
    this.#cancel = fireAt(view.roll.effectiveDate.getTime(), () => this.applyDue(), { clock: this.clock });
  }
}
