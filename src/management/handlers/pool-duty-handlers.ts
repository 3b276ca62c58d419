/**
 * @module Admin API handlers of a pool's front ends and duties: Get-CsPoolFabricState (who is up, who holds what)
 * and Reset-CsPoolRegistrarState (front ends give their duties up and take them again).
 */
import type { HandlerTable } from '../cmdlet-handler.js';
import { param } from '../cmdlet-handler.js';
import { requirePool } from '../../topology/topology-lookups.js';
import type { PoolSpec } from '../../topology/topology-types.js';
import { TandemError } from '../../errors/index.js';
import type { HeldDuty } from '../../duties/duty-runner.js';
import type { PoolDutiesView } from '../../s2s/duty-links.js';

export interface PoolDutyPorts {
  /** Asks these servers of one pool for their part in it. */
  view(servers: readonly string[]): Promise<PoolDutiesView>;
  /** Makes one front end give its duties up (`stayOut`: and not ask for them again for now). */
  handBack(server: string, stayOut: boolean): Promise<{ handedBack: HeldDuty[]; asking: boolean }>;
}

const NO_QUORUM =
  "A Tandem pool has no quorum of front ends to lose: PostgreSQL arbitrates its duties and the users' data lives in the pool's store. Nothing to recover; Get-CsPoolFabricState shows the front ends and who holds each duty.";

const dutyList = (duties: readonly HeldDuty[]) =>
  duties.map((h) => `${h.duty} (epoch ${h.epoch})`).join(', ');

export function poolDutyHandlers(ports: PoolDutyPorts): HandlerTable {
  return {
    async 'Get-CsPoolFabricState'(params, ctx) {
      const pool = requirePool(ctx.topology(), param.requireStr(params, 'PoolFqdn'));
      const view = await ports.view(pool.servers.map((s) => s.fqdn));
      const frontEnds = view.frontEnds.map((f) => ({
        PoolFqdn: pool.fqdn,
        FrontEnd: f.server,
        State: f.up ? 'Up' : 'Down',
        UsersServed: f.usersServed,
        Duties: dutyList(f.holds),
      }));
      const duties = view.records.map((r) => ({
        PoolFqdn: pool.fqdn,
        Duty: r.duty,
        Holder: r.held ? r.holder : `(none; last ${r.holder})`,
        Epoch: r.epoch,
        Since: new Date(r.since),
      }));
      return { records: [...frontEnds, ...duties], view: 'list' };
    },

    async 'Reset-CsPoolRegistrarState'(params, ctx) {
      const pool = requirePool(ctx.topology(), param.requireStr(params, 'PoolFqdn'));
      const type = param.str(params, 'ResetType') ?? 'ServiceReset';
      const machine = param.str(params, 'MachineFqdn');
      if (type === 'QuorumLossRecovery')
        return { records: [{ PoolFqdn: pool.fqdn, ResetType: type, Result: NO_QUORUM }] };
      if (type === 'MachineStateRemoved')
        throw new TandemError('INVALID_ARGUMENT', {
          detail: `The topology says which servers pool ${pool.fqdn} has: to remove ${machine ?? 'a front end'}, delete it from the topology document and run Publish-CsTopology.`,
        });
      const targets =
        type === 'FullReset' || !machine ? pool.servers.map((s) => s.fqdn) : [frontEndOf(pool, machine)];
      const stayOut = param.bool(params, 'NoReStart');
      if (ctx.common.whatIf)
        return {
          records: targets.map((t) => ({
            WhatIf: `Would make ${t} give up the duties of ${pool.fqdn} it holds${stayOut ? ' and stop asking for them' : ''}.`,
          })),
        };
      const records = [];
      for (const server of targets) {
        ctx.verbose(`Asking ${server} to hand its duties back...`);
        const r = await ports.handBack(server, stayOut);
        records.push({
          PoolFqdn: pool.fqdn,
          FrontEnd: server,
          ResetType: type,
          HandedBack: dutyList(r.handedBack),
          AsksForDuties: r.asking,
        });
      }
      return { records, view: 'list' };
    },
  };
}

function frontEndOf(pool: PoolSpec, machine: string): string {
  const server = pool.servers.find((s) => s.fqdn.toLowerCase() === machine.toLowerCase());
  if (!server)
    throw new TandemError('UNKNOWN_SERVER', {
      server: machine,
      known: pool.servers.map((s) => s.fqdn).join(', '),
    });
  return server.fqdn;
}
