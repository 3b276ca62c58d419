/** @module Admin API handlers of pool failover, failback and divergent changes. */
import type { CmdletContext, HandlerTable } from '../cmdlet-handler.js';
import { param } from '../cmdlet-handler.js';
import type { DivergentClient, FailoverPorts } from '../../failover/failover-ports.js';
import { DEFAULT_DISASTER_WAIT_MS, failover, failoverPlan } from '../../failover/pool-failover.js';
import { DEFAULT_FAILBACK_WAIT_MS, failback, failbackPlan } from '../../failover/pool-failback.js';
import { requirePool } from '../../topology/topology-lookups.js';
import { normalizeSip } from '../../directory/sip-address.js';
import { TandemError } from '../../errors/index.js';
import { PoolState } from '../../cms/cms-documents.js';

const when = (ms: number) => (ms > 0 ? new Date(ms) : '');

export function failoverHandlers(ports: FailoverPorts, divergent: DivergentClient): HandlerTable {
  const log = (ctx: CmdletContext) => ({
    verbose: (m: string) => ctx.verbose(m),
    warn: (m: string) => ctx.warn(m),
    progress: (p: Parameters<CmdletContext['progress']>[0]) => ctx.progress(p),
  });
  return {
    async 'Invoke-CsPoolFailOver'(params, ctx) {
      const pool = param.requireStr(params, 'PoolFqdn');
      const opts = {
        disaster: param.bool(params, 'DisasterMode'),
        flushStorage: param.bool(params, 'FlushStorageService'),
        waitTimeMs: param.num(params, 'WaitTime') ?? DEFAULT_DISASTER_WAIT_MS,
        force: ctx.common.force,
      };
      if (ctx.common.whatIf) {
        return {
          records: failoverPlan(ports, pool, opts).map((s) => ({
            Step: s.step,
            Action: s.action,
            Checks: s.checks,
          })),
          view: 'list',
        };
      }
      const r = await failover(ports, pool, opts, log(ctx)).catch((err: unknown) => {
        const fqdn = requirePool(ctx.topology(), pool).fqdn;
        if (ports.view.poolState(fqdn).state === PoolState.FailingOver)
          ctx.warn(
            `${fqdn} stays FailingOver (its users are read-only): run Invoke-CsPoolFailOver -PoolFqdn ${fqdn} again to resume the failover, with -DisasterMode if the pool is lost (docs/failover.md, "Recovery from interrupted operations").`,
          );
        throw err;
      });
      return {
        records: [
          {
            PoolFqdn: r.pool,
            BackupPoolFqdn: r.backup,
            Mode: r.mode === 'disaster' ? 'Disaster' : 'Planned',
            PoolState: 'FailedOver',
            Epoch: r.epoch,
            Seconds: r.seconds,
            LastAppliedChange: r.lastAppliedChange,
            LastAppliedChangeWrittenAt: when(r.lastAppliedChangeWrittenAt),
            PossiblyLostChanges: r.possiblyLostChanges,
            VerifiedUsers: r.verifiedUsers,
          },
        ],
        view: 'list',
      };
    },

    async 'Invoke-CsPoolFailBack'(params, ctx) {
      const pool = param.requireStr(params, 'PoolFqdn');
      if (ctx.common.whatIf) {
        return {
          records: failbackPlan(ports, pool).map((s) => ({
            Step: s.step,
            Action: s.action,
            Checks: s.checks,
          })),
          view: 'list',
        };
      }
      const batchSize = param.num(params, 'BatchSize');
      const batchIntervalMs = param.num(params, 'BatchInterval');
      const r = await failback(
        ports,
        pool,
        {
          waitTimeMs: param.num(params, 'WaitTime') ?? DEFAULT_FAILBACK_WAIT_MS,
          force: ctx.common.force,
          ...(batchSize !== undefined ? { batchSize } : {}),
          ...(batchIntervalMs !== undefined ? { batchIntervalMs } : {}),
        },
        log(ctx),
      ).catch((err: unknown) => {
        const fqdn = requirePool(ctx.topology(), pool).fqdn;
        if (ports.view.poolState(fqdn).state === PoolState.FailingBack)
          ctx.warn(
            `${fqdn} stays FailingBack (its users are read-only): run Invoke-CsPoolFailBack -PoolFqdn ${fqdn} again to finish the failback.`,
          );
        throw err;
      });
      return {
        records: [
          {
            PoolFqdn: r.pool,
            BackupPoolFqdn: r.backup,
            PoolState: 'Active',
            Epoch: r.epoch,
            Seconds: r.seconds,
            UsersMoved: r.usersMoved,
            VerifiedUsers: r.verifiedUsers,
            UsersWithDivergentChanges: r.divergentUsers,
          },
        ],
        view: 'list',
      };
    },

    async 'Get-CsPoolDivergentChange'(params, ctx) {
      const pool = requirePool(ctx.topology(), param.requireStr(params, 'PoolFqdn')).fqdn;
      const identity = param.str(params, 'Identity');
      const owner = identity ? (normalizeSip(identity) ?? identity) : undefined;
      const changes = await divergent.list(pool, owner);
      return {
        records: changes.map((c) => ({
          Identity: c.owner,
          Kind: c.kind,
          Key: c.key,
          Operation: c.op === 'del' ? 'Delete' : 'Put',
          Value: (c.value ?? '').slice(0, 120),
          WrittenAt: when(c.at),
          Sequence: c.seq,
          KeptAsideAt: when(c.foundAt),
        })),
        view: 'table',
      };
    },

    async 'Restore-CsPoolDivergentChange'(params, ctx) {
      const { pool, owner, changes } = await ownerChanges(ctx, params, divergent);
      const user = ctx.cms.view.user(owner);
      if (!user) throw new TandemError('USER_NOT_FOUND', { identity: owner });
      const servedBy = ctx.cms.view.poolState(user.homePool).servedBy;
      if (ctx.common.whatIf)
        return {
          records: [{ WhatIf: `Would re-apply ${changes.length} change(s) of ${owner} at ${servedBy}.` }],
        };
      const n = await divergent.reapply(servedBy, owner, changes);
      await divergent.drop(
        pool,
        changes.map((c) => c.id),
      );
      ctx.verbose(
        `Re-applied ${n} change(s) of ${owner} at ${servedBy}; they replicate to its backup pool as usual.`,
      );
      return { records: [{ Identity: owner, Reapplied: n, At: servedBy }], view: 'list' };
    },

    async 'Remove-CsPoolDivergentChange'(params, ctx) {
      const { pool, owner, changes } = await ownerChanges(ctx, params, divergent);
      if (ctx.common.whatIf)
        return { records: [{ WhatIf: `Would discard ${changes.length} change(s) of ${owner}.` }] };
      const n = await divergent.drop(
        pool,
        changes.map((c) => c.id),
      );
      return { records: [{ Identity: owner, Discarded: n }], view: 'list' };
    },
  };
}

async function ownerChanges(
  ctx: CmdletContext,
  params: Parameters<HandlerTable[string]>[0],
  divergent: DivergentClient,
) {
  const pool = requirePool(ctx.topology(), param.requireStr(params, 'PoolFqdn')).fqdn;
  const identity = param.requireStr(params, 'Identity');
  const owner = normalizeSip(identity) ?? identity;
  const changes = await divergent.list(pool, owner);
  if (changes.length === 0) throw new TandemError('DIVERGENT_NOT_FOUND', { identity: owner, pool });
  return { pool, owner, changes };
}
