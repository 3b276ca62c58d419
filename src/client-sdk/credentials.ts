/**
 * @module What the client signs in with, and the signin payload built from it. The token of the last
 * sign-in is preferred: the server checks it without a password hash, and it is all a reconnecting client
 * needs. A password from the options is used only when no usable token is left.
 */

export type SignInSecret = { readonly password: string } | { readonly token: string };

export interface ClientIdentity {
  readonly user: string;
  readonly clientName: string | undefined;
  readonly legacy: boolean | undefined;
}

export class Credentials {
  readonly #identity: ClientIdentity;
  readonly #password: string | undefined;
  #token: string | undefined;
  #tokenExpiresAt: number | undefined;
  /** The highest home-pool epoch a server acted on for us: sent with every sign-in, so a stale server refuses. */
  #epoch: number | undefined;

  constructor(identity: ClientIdentity, password: string | undefined, token: string | undefined) {
    this.#identity = identity;
    this.#password = password;
    this.#token = token;
  }

  get tokenExpiresAt(): number | undefined {
    return this.#tokenExpiresAt;
  }

  /** The signin payload: built per attempt, since a refused token switches the next one to the password. */
  signInPayload(now: number): Record<string, unknown> {
    const { user, clientName, legacy } = this.#identity;
    const client =
      clientName === undefined && legacy === undefined ? undefined : { name: clientName, legacy };
    return {
      user,
      ...this.secret(now),
      client,
      ...(this.#epoch !== undefined ? { epoch: this.#epoch } : {}),
    };
  }

  secret(now: number): SignInSecret {
    const tokenUsable = this.#token !== undefined && (this.#tokenExpiresAt ?? Infinity) > now;
    if (this.#token !== undefined && (tokenUsable || this.#password === undefined))
      return { token: this.#token };
    // The options guarantee a password or a token; with no token left, the password is there.
    return { password: this.#password ?? '' };
  }

  adoptToken(token: string, expiresAt: number): void {
    this.#token = token;
    this.#tokenExpiresAt = expiresAt;
  }

  adoptEpoch(epoch: number): void {
    this.#epoch = Math.max(this.#epoch ?? 0, epoch);
  }

  /** Forgets a token the server refused; true when a password remains to sign in with. */
  dropToken(): boolean {
    if (this.#token === undefined || this.#password === undefined) return false;
    this.#token = undefined;
    this.#tokenExpiresAt = undefined;
    return true;
  }
}
