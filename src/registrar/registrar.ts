/**
 * @module The registrar: authenticates a sign-in (password or token), decides whether this server serves the
 * user or redirects to the serving pool, and issues a fresh sign-in token with the user's registrars.
 */
import type { CmsService } from '../cms/cms-service.js';
import type { UserDoc } from '../cms/cms-documents.js';
import { normalizeSip } from '../directory/sip-address.js';
import { findPool, serversInPreferredOrder } from '../topology/topology-lookups.js';
import { CLIENT_PATH } from '../protocol/limits.js';
import { ClientMode, type RegistrarInfo } from '../protocol/model.js';
import { TandemError } from '../errors/index.js';
import { PoolState, type PoolStateDoc } from '../cms/cms-documents.js';
import { modeAt } from '../cms/pool-mode.js';
import type { PoolLiveness } from './pool-liveness.js';
import { issueToken, verifyToken } from './sign-in-token.js';
import { PasswordCheck } from './password-check.js';

export interface SignInRequest {
  readonly user: string;
  readonly password?: string;
  readonly token?: string;
  readonly legacy?: boolean;
  readonly remoteAddress: string;
  /** The highest epoch of the user's home pool the client has seen (a fencing token). */
  readonly epoch?: number;
}

export interface SignInGrant {
  readonly user: UserDoc;
  readonly mode: ClientMode;
  readonly servedBy: string;
  readonly token: string;
  readonly tokenExpiresAt: number;
  readonly registrars: { readonly primary: RegistrarInfo; readonly backup?: RegistrarInfo };
  /** The home pool's failover epoch this server acts on. */
  readonly poolEpoch: number;
}

export interface RegistrarOptions {
  readonly cms: CmsService;
  readonly poolFqdn: string;
  readonly tokenKey: Buffer;
  /** Limits, hash queue and failure sharing of password sign-ins. */
  readonly passwords?: PasswordCheck;
  readonly now?: () => number;
  /** Heartbeats of the partner pool, for registrar resiliency. */
  readonly liveness?: PoolLiveness;
  /**
   * False while the server starts: until its CMS replica is confirmed current, the pool states it holds may
   * be stale (a failover happened while it was down), so it serves nobody (fencing).
   */
  readonly ready?: () => boolean;
}

export class Registrar {
  readonly passwords: PasswordCheck;

  constructor(private readonly opts: RegistrarOptions) {
    this.passwords =
      opts.passwords ?? new PasswordCheck({ cms: opts.cms, ...(opts.now ? { now: opts.now } : {}) });
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  async signIn(req: SignInRequest): Promise<SignInGrant> {
    const sip = normalizeSip(req.user) ?? req.user.toLowerCase();
    const session =
      req.token !== undefined
        ? this.checkToken(sip, req.token, req.remoteAddress)
        : {
            user: await this.passwords.check(sip, req.password ?? '', req.remoteAddress),
            started: this.now(),
          };
    const user = session.user;
    if (!user.enabled) throw new TandemError('USER_DISABLED', { sip });
    if (this.opts.ready && !this.opts.ready())
      throw new TandemError(
        'SIGNIN_UNAVAILABLE',
        { sip, detail: 'this server is starting and has not yet confirmed the pool states with the CMS' },
        { details: { retryAfterMs: 250 } },
      );
    const state = this.opts.cms.view.poolState(user.homePool);
    // Fencing: a client that saw a newer epoch than this server knows must not be served from a stale view.
    if (req.epoch !== undefined && req.epoch > state.epoch) {
      throw new TandemError('STALE_EPOCH', { known: state.epoch, pool: user.homePool, seen: req.epoch });
    }
    const mode = this.decide(user, state, req.legacy === true);
    const now = this.now();
    const security = this.opts.cms.topology().security;
    // A renewal never extends the session past its absolute lifetime, counted from the password sign-in.
    const tokenExpiresAt = Math.min(
      now + security.tokenLifetimeMs,
      session.started + security.sessionLifetimeMs,
    );
    const token = issueToken(this.opts.tokenKey, {
      sip,
      gen: user.tokenGeneration,
      iat: now,
      exp: tokenExpiresAt,
      sess: session.started,
    });
    return {
      user,
      mode,
      servedBy: this.opts.poolFqdn,
      token,
      tokenExpiresAt,
      registrars: this.registrarsFor(user),
      poolEpoch: state.epoch,
    };
  }

  /**
   * Whether this pool serves the user now, and in which mode: the serving pool does (read-only while its
   * users fail over or back); the backup pool also does, in resiliency mode, once the home pool has been
   * silent for the failure detection interval (Lync's "User experience during pool failure"). Anyone else redirects.
   */
  private decide(user: UserDoc, state: PoolStateDoc, legacy: boolean): ClientMode {
    const own = this.opts.poolFqdn;
    if (state.servedBy === own) {
      if (legacy && state.state === PoolState.FailingBack) {
        throw new TandemError('LEGACY_CLIENT_REFUSED', { pool: user.homePool, state: state.state });
      }
      return modeAt(state, own);
    }
    const home = findPool(this.opts.cms.topology(), user.homePool);
    const liveness = this.opts.liveness;
    // FailingBack too: with the home pool lost during a failback, its users are served here read-only rather
    // than sent to a pool that does not answer.
    const homeServing =
      state.servedBy === user.homePool &&
      (state.state === PoolState.Active ||
        state.state === PoolState.FailingOver ||
        state.state === PoolState.FailingBack);
    if (home?.backupPool === own && homeServing && liveness) {
      const silent = liveness.silentForMs(user.homePool, this.now());
      if (silent >= home.registrar.failureDetectionMs) return ClientMode.Resiliency;
      if (silent > 3 * liveness.heartbeatMs()) {
        const left = Math.ceil((home.registrar.failureDetectionMs - silent) / 1000);
        throw new TandemError(
          'SIGNIN_UNAVAILABLE',
          {
            sip: user.sip,
            detail: `the home pool ${user.homePool} has not answered for ${Math.round(silent / 1000)} s; this backup pool serves you after the failure detection interval, in about ${left} s`,
          },
          { details: { retryAfterMs: Math.max(250, left * 1000) } },
        );
      }
    }
    throw redirect(user.sip, state.servedBy, this.poolServers(state.servedBy, user.sip));
  }

  registrarsFor(user: UserDoc): { primary: RegistrarInfo; backup?: RegistrarInfo } {
    const home = findPool(this.opts.cms.topology(), user.homePool);
    const primary = { pool: user.homePool, servers: this.poolServers(user.homePool, user.sip) };
    if (!home?.backupPool) return { primary };
    return {
      primary,
      backup: { pool: home.backupPool, servers: this.poolServers(home.backupPool, user.sip) },
    };
  }

  /** A pool's servers in the user's preferred order, with their client URLs. */
  poolServers(pool: string, sip: string): { fqdn: string; url: string }[] {
    const spec = findPool(this.opts.cms.topology(), pool);
    if (!spec) return [];
    return serversInPreferredOrder(spec, sip).map((s) => ({
      fqdn: s.fqdn,
      url: `wss://${s.address}${CLIENT_PATH}`,
    }));
  }

  sweep(): void {
    this.passwords.limiter.sweep(this.now());
  }

  private checkToken(sip: string, token: string, source: string): { user: UserDoc; started: number } {
    const verdict = verifyToken(this.opts.tokenKey, token, this.now());
    if (!verdict.ok) {
      if (verdict.reason === 'expired')
        throw new TandemError('TOKEN_EXPIRED', { at: new Date(verdict.exp ?? 0).toISOString() });
      throw new TandemError('TOKEN_INVALID', { detail: verdict.reason });
    }
    if (verdict.claims.sip !== sip)
      throw new TandemError('TOKEN_INVALID', { detail: 'it was issued to another user' });
    const user = this.opts.cms.view.user(sip);
    if (!user) throw new TandemError('TOKEN_INVALID', { detail: 'unknown user' });
    // Disable-CsUser and Set-CsUserPassword raise the generation: tokens of an older one are revoked.
    if (verdict.claims.gen !== user.tokenGeneration) {
      throw new TandemError(user.enabled ? 'TOKEN_INVALID' : 'USER_DISABLED', {
        detail: 'it was revoked',
        sip,
      });
    }
    // The user proved itself from this address: its password sign-ins here skip the per-user count.
    this.passwords.limiter.trust(sip, source, this.now());
    return { user, started: verdict.claims.sess ?? verdict.claims.iat };
  }
}

function redirect(sip: string, pool: string, servers: { fqdn: string; url: string }[]): TandemError {
  return new TandemError('SIGNIN_REDIRECT', { sip, pool }, { details: { pool, servers } });
}
