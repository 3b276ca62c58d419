/**
 * @module The password check of a sign-in (docs/sign-in.md): reserve an attempt with the limiter before any
 * work (guesses in flight count), refuse early what the limits refuse, then hash in the bounded, fair queue.
 * An unknown user costs the same hash in the same queue and gets the same answer as a wrong password, so
 * that neither the answer nor its timing tells which users exist. A failure is shared with the other
 * servers of the deployment before it is answered, so that the limits hold at every pool.
 */
import type { CmsService } from '../cms/cms-service.js';
import type { UserDoc } from '../cms/cms-documents.js';
import { verifyPassword, dummyHash } from '../security/password-hash.js';
import { TandemError } from '../errors/index.js';
import { SignInLimiter } from './sign-in-limiter.js';
import { HashWorkQueue } from './hash-work-queue.js';

/** Tells the other servers of the deployment about a failure; resolves when done or given up (bounded). */
export type FailureSharer = (failure: { user: string; source: string; at: number }) => Promise<void>;

export interface PasswordCheckOptions {
  readonly cms: CmsService;
  readonly limiter?: SignInLimiter;
  readonly queue?: HashWorkQueue;
  readonly share?: FailureSharer;
  readonly now?: () => number;
}

export class PasswordCheck {
  readonly limiter: SignInLimiter;
  readonly queue: HashWorkQueue;
  private dummy: Promise<string> | undefined;

  constructor(private readonly opts: PasswordCheckOptions) {
    this.limiter = opts.limiter ?? new SignInLimiter();
    this.queue = opts.queue ?? new HashWorkQueue();
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** The user whose password this is; throws SIGNIN_RATE_LIMITED, SIGNIN_BUSY or SIGNIN_FAILED. */
  async check(sip: string, password: string, source: string): Promise<UserDoc> {
    // Reserved synchronously, before the first await: concurrent guesses see each other's reservations.
    const at = this.now();
    const reservation = this.limiter.reserve(sip, source, at);
    if (!reservation.ok) {
      throw new TandemError(
        'SIGNIN_RATE_LIMITED',
        { scope: reservation.scope, seconds: Math.ceil(reservation.retryAfterMs / 1000) },
        { details: { retryAfterMs: reservation.retryAfterMs } },
      );
    }
    let ok: boolean;
    let user: UserDoc | undefined;
    try {
      ok = await this.queue.run(source, async () => {
        user = this.opts.cms.view.user(sip);
        const hash = user?.passwordHash || (await this.dummyHash());
        return verifyPassword(password, hash);
      });
    } catch (err) {
      // Shed (or failed) before the password was checked: the attempt is given back.
      reservation.release('cancel');
      throw err;
    }
    if (!ok || !user || user.passwordHash === '') {
      reservation.release('failure');
      await this.opts.share?.({ user: sip, source, at }).catch(() => undefined);
      throw new TandemError('SIGNIN_FAILED');
    }
    reservation.release('success');
    return user;
  }

  private dummyHash(): Promise<string> {
    this.dummy ??= dummyHash(this.opts.cms.topology().security.passwordHashCost);
    return this.dummy;
  }
}
