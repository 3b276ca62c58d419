/** @module Admin API handlers of the directory cmdlets. */
import type { HandlerTable } from '../cmdlet-handler.js';
import { param } from '../cmdlet-handler.js';
import type { UserDirectory } from '../../directory/user-directory.js';
import { userRecord } from '../../directory/user-records.js';
import { userPoolInfo } from '../../directory/user-pool-info.js';
import { parseUserCsv } from '../../directory/user-import.js';
import { requirePool } from '../../topology/topology-lookups.js';
import { TandemError } from '../../errors/index.js';
import { wildcardToRegExp } from '../../cmdlets/grammar/where-compare.js';
import type { UserFilter } from '../user-filter.js';

const DEFAULT_RESULT_SIZE = 1000;

export function userHandlers(
  directory: UserDirectory,
  compileFilter: (text: string) => UserFilter,
): HandlerTable {
  return {
    async 'Enable-CsUser'(params, ctx) {
      const input = {
        displayName: param.requireStr(params, 'Identity'),
        sipAddress: param.requireStr(params, 'SipAddress'),
        pool: param.requireStr(params, 'RegistrarPool'),
        ...(param.str(params, 'Password') !== undefined
          ? { password: param.requireStr(params, 'Password') }
          : {}),
      };
      if (ctx.common.whatIf) {
        requirePool(ctx.topology(), input.pool);
        return {
          records: [{ WhatIf: `Would enable ${input.sipAddress} (${input.displayName}) on ${input.pool}.` }],
        };
      }
      const user = await directory.enable(input);
      ctx.verbose(`Enabled ${user.sip} on ${user.homePool}.`);
      return { records: [userRecord(user)], view: 'list' };
    },

    async 'Get-CsUser'(params, ctx) {
      const identity = param.str(params, 'Identity');
      const pool = param.str(params, 'RegistrarPool');
      const filterText = param.str(params, 'Filter');
      const limit = param.num(params, 'ResultSize') ?? DEFAULT_RESULT_SIZE;
      if (identity && !identity.includes('*')) {
        return { records: [userRecord(directory.require(identity))], view: 'list' };
      }
      // Only `*` is a wildcard in an identity; the shared matcher stays linear on many stars.
      const pattern = identity ? wildcardToRegExp(identity.replace(/[?[`]/g, '`$&')) : undefined;
      const filter = filterText ? compileFilter(filterText) : undefined;
      const candidates = [...ctx.cms.view.allUsers()]
        .filter(
          (u) =>
            (!pool || u.homePool === pool) &&
            (!pattern || pattern.test(u.sip) || pattern.test(u.displayName)),
        )
        .sort((a, b) => a.sip.localeCompare(b.sip))
        .map(userRecord);
      const matches = filter ? await filterInSlices(candidates, filter) : candidates;
      if (matches.length > limit) {
        ctx.warn(`${matches.length} users match; showing the first ${limit}. Use -ResultSize to see more.`);
      }
      return { records: matches.slice(0, limit), view: 'table' };
    },

    async 'Disable-CsUser'(params, ctx) {
      const identity = param.requireStr(params, 'Identity');
      if (ctx.common.whatIf) {
        const u = directory.require(identity);
        return { records: [{ WhatIf: `Would disable ${u.sip} and revoke its sign-in tokens.` }] };
      }
      const user = await directory.disable(identity);
      ctx.verbose(
        `Disabled ${user.sip}; sign-in tokens of generation < ${user.tokenGeneration} are refused.`,
      );
      return { records: [userRecord(user)], view: 'list' };
    },

    async 'Set-CsUserPassword'(params, ctx) {
      const user = await directory.setPassword(
        param.requireStr(params, 'Identity'),
        param.requireStr(params, 'Password'),
      );
      ctx.verbose(`Sign-in tokens of ${user.sip} issued before this password are revoked at every server.`);
      return { records: [{ SipAddress: user.sip, PasswordSet: true }], view: 'list' };
    },

    async 'Move-CsUser'(params, ctx) {
      const identity = param.requireStr(params, 'Identity');
      const target = param.requireStr(params, 'Target');
      if (ctx.common.whatIf) {
        const u = directory.require(identity);
        requirePool(ctx.topology(), target);
        return { records: [{ WhatIf: `Would move ${u.sip} and its data from ${u.homePool} to ${target}.` }] };
      }
      const user = await directory.move(identity, target, (m) => ctx.verbose(m));
      return { records: [userRecord(user)], view: 'list' };
    },

    async 'Import-CsUser'(_params, ctx) {
      const text = ctx.attachments.FileName;
      if (text === undefined)
        throw new TandemError('ADMIN_BAD_REQUEST', {
          detail: 'the shell must attach the content of -FileName',
        });
      const rows = parseUserCsv(text, new Set(ctx.topology().pools.map((p) => p.fqdn)));
      if (ctx.common.whatIf) return { records: [{ WhatIf: `Would create ${rows.length} user(s).` }] };
      const started = Date.now();
      const created = await directory.import(rows, (done, total) => {
        const elapsed = Date.now() - started;
        ctx.progress({
          activity: 'Creating users',
          done,
          total,
          etaMs: done > 0 ? (elapsed / done) * (total - done) : 0,
        });
      });
      return {
        records: [{ Created: created, Seconds: Math.round((Date.now() - started) / 100) / 10 }],
        view: 'list',
      };
    },

    async 'Get-CsUserPoolInfo'(params, ctx) {
      const user = directory.require(param.requireStr(params, 'Identity'));
      const state = ctx.cms.view.poolState(user.homePool);
      return { records: [userPoolInfo(ctx.topology(), user, state)], view: 'list' };
    },
  };
}

/** Records evaluated between two turns of the event loop while a -Filter runs. */
const FILTER_SLICE = 200;

/**
 * Evaluates a filter a slice of records at a time, letting the event loop answer users and /healthz in
 * between: a condition within the limits is cheap per record, but a deployment can have many users.
 */
async function filterInSlices<T>(records: readonly T[], keep: (record: T) => boolean): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < records.length; i += FILTER_SLICE) {
    if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    for (const r of records.slice(i, i + FILTER_SLICE)) if (keep(r)) out.push(r);
  }
  return out;
}
