/**
 * @module The user directory: creating, disabling, moving and importing users. Users live in the CMS; a
 * user's persistent data lives in the home pool's store and moves with the user.
 */
import type { CmsService } from '../cms/cms-service.js';
import { DocKey, type UserDoc } from '../cms/cms-documents.js';
import type { CmsWrite } from '../storage/index.js';
import { requirePool } from '../topology/topology-lookups.js';
import { hashPassword, passwordHashProblem } from '../security/password-hash.js';
import { TandemError } from '../errors/index.js';
import { requireSip } from './sip-address.js';
import { findUser } from './user-records.js';
import type { ImportRow } from './user-import.js';

export const MIN_PASSWORD_LENGTH = 8;

/** Moves a user's persistent data between pools (implemented over server-to-server links). */
export interface UserDataMover {
  copy(owner: string, fromPool: string, toPool: string): Promise<number>;
  purge(owner: string, pool: string): Promise<void>;
}

export class UserDirectory {
  constructor(
    private readonly cms: CmsService,
    private readonly mover: UserDataMover,
  ) {}

  find(identity: string): UserDoc | undefined {
    const view = this.cms.view;
    return findUser(view.allUsers(), (sip) => view.user(sip), identity);
  }

  require(identity: string): UserDoc {
    const user = this.find(identity);
    if (!user) throw new TandemError('USER_NOT_FOUND', { identity });
    return user;
  }

  async enable(input: {
    displayName: string;
    sipAddress: string;
    pool: string;
    password?: string;
  }): Promise<UserDoc> {
    const sip = requireSip(input.sipAddress);
    const topology = this.cms.topology();
    const pool = requirePool(topology, input.pool).fqdn;
    if (this.cms.view.user(sip)) throw new TandemError('USER_EXISTS', { sip });
    const passwordHash = input.password === undefined ? '' : await this.hash(input.password);
    const doc: UserDoc = {
      sip,
      displayName: input.displayName.trim(),
      homePool: pool,
      passwordHash,
      enabled: true,
      tokenGeneration: 0,
      createdAt: Date.now(),
    };
    await this.cms.write(
      [{ key: DocKey.user(sip), value: JSON.stringify(doc), ifVersion: 0 }],
      'Enable-CsUser',
    );
    return doc;
  }

  async setPassword(identity: string, password: string): Promise<UserDoc> {
    const user = this.require(identity);
    // A new password revokes every sign-in token issued before it, at every server (tokens name the generation).
    return this.update(
      user,
      { passwordHash: await this.hash(password), tokenGeneration: user.tokenGeneration + 1 },
      'Set-CsUserPassword',
    );
  }

  /** Disables the user and raises the token generation, which revokes every sign-in token issued so far. */
  async disable(identity: string): Promise<UserDoc> {
    const user = this.require(identity);
    return this.update(user, { enabled: false, tokenGeneration: user.tokenGeneration + 1 }, 'Disable-CsUser');
  }

  /**
   * Rehomes a user with the user's data: copy to the target pool, switch the home pool in the CMS, then
   * purge the old pool. A failure before the switch leaves the user where it was, with its data intact.
   */
  async move(identity: string, target: string, log: (m: string) => void): Promise<UserDoc> {
    const user = this.require(identity);
    const pool = requirePool(this.cms.topology(), target).fqdn;
    if (pool === user.homePool) {
      throw new TandemError('CONFLICT', { detail: `${user.sip} is already homed on ${pool}.` });
    }
    const copied = await this.mover.copy(user.sip, user.homePool, pool);
    log(`Copied ${copied} item(s) of ${user.sip} from ${user.homePool} to ${pool}.`);
    const moved = await this.update(user, { homePool: pool }, 'Move-CsUser');
    await this.mover.purge(user.sip, user.homePool);
    log(`Removed the data of ${user.sip} from ${user.homePool}.`);
    return moved;
  }

  /** Creates every row; refuses the whole import if one SIP address exists already. */
  async import(rows: readonly ImportRow[], progress: (done: number, total: number) => void): Promise<number> {
    for (const r of rows) {
      const hashProblem = r.passwordHash === undefined ? undefined : passwordHashProblem(r.passwordHash);
      if (hashProblem !== undefined) {
        throw new TandemError('USER_IMPORT_INVALID', {
          line: r.line,
          detail: `the PasswordHash of ${r.sip} cannot be used: ${hashProblem}`,
        });
      }
      if (this.cms.view.user(r.sip)) {
        throw new TandemError('USER_IMPORT_INVALID', { line: r.line, detail: `${r.sip} exists already` });
      }
    }
    const CHUNK = 500;
    let done = 0;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const docs = await Promise.all(
        chunk.map(async (r): Promise<UserDoc> => ({
          sip: r.sip,
          displayName: r.displayName,
          homePool: r.pool,
          passwordHash: r.passwordHash ?? (r.password ? await this.hash(r.password) : ''),
          enabled: true,
          tokenGeneration: 0,
          createdAt: Date.now(),
        })),
      );
      const writes: CmsWrite[] = docs.map((d) => ({
        key: DocKey.user(d.sip),
        value: JSON.stringify(d),
        ifVersion: 0,
      }));
      await this.cms.write(writes, 'Import-CsUser');
      done += chunk.length;
      progress(done, rows.length);
    }
    return done;
  }

  private async update(user: UserDoc, change: Partial<UserDoc>, action: string): Promise<UserDoc> {
    const key = DocKey.user(user.sip);
    const next: UserDoc = { ...user, ...change };
    await this.cms.write(
      [{ key, value: JSON.stringify(next), ifVersion: this.cms.view.versionOf(key) }],
      action,
    );
    return next;
  }

  private async hash(password: string): Promise<string> {
    if (password.length < MIN_PASSWORD_LENGTH) {
      throw new TandemError('INVALID_ARGUMENT', {
        detail: `The password must have at least ${MIN_PASSWORD_LENGTH} characters.`,
      });
    }
    return hashPassword(password, this.cms.topology().security.passwordHashCost);
  }
}
