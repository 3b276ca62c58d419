/**
 * @module TLS session tickets that every server of the deployment accepts, with keys that rotate. A client that
 * reconnects (after a network blip, or to the backup pool's servers after a failover) resumes its TLS session
 * at whichever server it reaches, skipping the certificate exchange and signatures of a full handshake.
 *
 * The keys are derived from the deployment key and the current period (a UTC day): every server computes the
 * same keys without talking to the others, and they all switch at the same moment. A ticket lives no longer than
 * one period; a ticket issued under the previous period's keys is declined and the client makes a full handshake
 * (Node gives a server one set of ticket keys at a time). Resumed TLS 1.3 sessions still make a fresh
 * Diffie-Hellman exchange (psk_dhe_ke), so a ticket key does not open recorded traffic.
 */
import { deriveKey, KeyPurpose } from '../security/deployment-secrets.js';
import { fireAt, systemClock } from '../timing/fire-at.js';

/** How long one set of ticket keys is in use (UTC days). */
export const TICKET_KEY_PERIOD_MS = 86_400_000;
/** The longest a TLS session may be resumed after its handshake (seconds): one key period. */
export const TLS_SESSION_LIFETIME_S = TICKET_KEY_PERIOD_MS / 1000;
/** Node's ticketKeys: 16 bytes of key name, 16 of HMAC key, 16 of AES key. */
const TICKET_KEYS_BYTES = 48;

export function ticketPeriodOf(atMs: number): number {
  return Math.floor(atMs / TICKET_KEY_PERIOD_MS);
}

/** The ticket keys every server of the deployment uses at `atMs`. */
export function ticketKeysAt(deploymentKey: Buffer, atMs: number): Buffer {
  return deriveKey(deploymentKey, KeyPurpose.TlsTicket, TICKET_KEYS_BYTES, String(ticketPeriodOf(atMs)));
}

/** Gives the server the keys of each new period as it begins. */
export class TicketKeyRotation {
  private cancel: (() => void) | undefined;

  constructor(
    private readonly deploymentKey: Buffer,
    /** Installs keys on the TLS server (https.Server#setTicketKeys). */
    private readonly apply: (keys: Buffer) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The keys of the period under way. */
  current(): Buffer {
    return ticketKeysAt(this.deploymentKey, this.now());
  }

  /** Installs the keys of the period under way, then switches at every period's start. */
  start(): void {
    this.stop();
    this.apply(this.current());
    const nextStart = (ticketPeriodOf(this.now()) + 1) * TICKET_KEY_PERIOD_MS;
    this.cancel = fireAt(nextStart, () => this.start(), { clock: { ...systemClock, now: this.now } });
  }

  stop(): void {
    this.cancel?.();
    this.cancel = undefined;
  }
}
