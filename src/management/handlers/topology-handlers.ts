/** @module Admin API handlers of the topology cmdlets. */
import type { CmdletContext, CmdletResult, HandlerTable } from '../cmdlet-handler.js';
import { param } from '../cmdlet-handler.js';
import {
  publishTopology,
  stripIdentityPrefix,
  withEdgeNextHop,
} from '../../deployment/topology-publication.js';
import { requireEdgePool, requirePool } from '../../topology/topology-lookups.js';
import type { PoolSpec } from '../../topology/topology-types.js';
import { TandemError } from '../../errors/index.js';
import { AdminRole } from '../../cmdlets/cmdlet-def.js';
import { redactYaml } from '../../logging/redact-yaml.js';

function poolRecord(ctx: CmdletContext, p: PoolSpec): Record<string, unknown> {
  const state = ctx.cms.view.poolState(p.fqdn);
  return {
    Identity: p.fqdn,
    Site: p.site,
    Edition: p.edition,
    BackupPool: p.backupPool ?? '',
    Servers: p.servers.map((s) => `${s.fqdn} (${s.address})`),
    Store: p.store.kind,
    PoolState: state.state,
    Users: [...ctx.cms.view.allUsers()].filter((u) => u.homePool === p.fqdn).length,
    HostsCms: ctx.cms.masterPool() === p.fqdn,
  };
}

function requireDataDirFile(ctx: CmdletContext, name: string): string {
  const content = ctx.attachments[name];
  if (content === undefined) {
    throw new TandemError('ADMIN_BAD_REQUEST', { detail: `the shell must attach the content of -${name}` });
  }
  return content;
}

export function topologyHandlers(dataDir: string): HandlerTable {
  return {
    async 'Get-CsTopology'(params, ctx): Promise<CmdletResult> {
      const doc = ctx.cms.view.topology();
      if (param.bool(params, 'AsYaml')) {
        if (!doc) throw new TandemError('NOT_FOUND', { what: 'Published topology', name: 'topology' });
        // Shown to any role, view-only included: the demo password and connection string passwords are blanked.
        return { records: [], text: redactYaml(doc.yaml) };
      }
      const t = ctx.topology();
      return {
        records: [
          {
            Name: t.name,
            SipDomain: t.sipDomain,
            Revision: doc?.revision ?? 0,
            PublishedAt: doc ? new Date(doc.publishedAt) : '',
            PublishedBy: doc?.publishedBy ?? '',
            Sites: t.sites.map((s) => s.name),
            Pools: t.pools.map(
              (p) => `${p.fqdn} (${p.site}, ${p.edition}, backup ${p.backupPool ?? 'none'})`,
            ),
            EdgePools: t.edgePools.map((e) => `${e.fqdn} (next hop ${e.nextHopPool})`),
            CentralManagementStore: ctx.cms.masterPool(),
            Users: ctx.cms.view.userCount(),
          },
        ],
        view: 'list',
      };
    },

    async 'Publish-CsTopology'(params, ctx) {
      const yaml = requireDataDirFile(ctx, 'FileName');
      ctx.verbose(`Validating the topology (${Buffer.byteLength(yaml)} bytes).`);
      const result = await publishTopology(ctx.cms, yaml, ctx.admin.name, dataDir, ctx.common.whatIf);
      const t = result.topology;
      if (ctx.common.whatIf) {
        return {
          records: [
            {
              WhatIf: `Would publish revision ${result.revision}: ${t.pools.length} pool(s), ${t.edgePools.length} Edge pool(s).`,
            },
          ],
        };
      }
      ctx.verbose(`Published ${param.str(params, 'FileName')} as revision ${result.revision}.`);
      return {
        records: [
          {
            Revision: result.revision,
            Pools: t.pools.map((p) => p.fqdn),
            EdgePools: t.edgePools.map((e) => e.fqdn),
          },
        ],
        view: 'list',
      };
    },

    async 'Export-CsTopology'(params, ctx) {
      const doc = ctx.cms.view.topology();
      if (!doc) throw new TandemError('NOT_FOUND', { what: 'Published topology', name: 'topology' });
      const path = param.requireStr(params, 'FileName');
      // Only an administrator who may publish gets the document whole (to edit and publish it again).
      const content = ctx.admin.role === AdminRole.CsAdministrator ? doc.yaml : redactYaml(doc.yaml);
      return { records: [{ FileName: path, Revision: doc.revision }], file: { path, content } };
    },

    async 'Get-CsPool'(params, ctx) {
      const t = ctx.topology();
      const id = param.str(params, 'Identity');
      const pools = id ? [requirePool(t, id)] : t.pools;
      const records = pools.map((p) => poolRecord(ctx, p));
      if (!id) {
        for (const e of t.edgePools) {
          records.push({
            Identity: e.fqdn,
            Site: e.site,
            Edition: 'Edge',
            BackupPool: '',
            Servers: [],
            Store: '',
            PoolState: '',
            Users: 0,
            HostsCms: false,
          });
        }
      }
      return { records, view: id ? 'list' : 'table' };
    },

    async 'Get-CsSite'(params, ctx) {
      const t = ctx.topology();
      const id = param.str(params, 'Identity');
      const sites = t.sites.filter((s) => !id || s.name.toLowerCase() === id.toLowerCase());
      if (id && sites.length === 0) throw new TandemError('NOT_FOUND', { what: 'Site', name: id });
      return {
        records: sites.map((s) => ({
          Identity: s.name,
          Pools: t.pools.filter((p) => p.site === s.name).map((p) => p.fqdn),
          EdgePools: t.edgePools.filter((e) => e.site === s.name).map((e) => e.fqdn),
        })),
      };
    },

    async 'Get-CsPoolBackupRelationship'(params, ctx) {
      const pool = requirePool(ctx.topology(), param.requireStr(params, 'PoolFqdn'));
      if (!pool.backupPool) {
        ctx.warn(`${pool.fqdn} has no backup pool: it cannot be failed over. Pair it in the topology.`);
      }
      return { records: [{ PoolFqdn: pool.fqdn, BackupPoolFqdn: pool.backupPool ?? '' }], view: 'list' };
    },

    async 'Get-CsEdgeServer'(params, ctx) {
      const t = ctx.topology();
      const id = param.str(params, 'Identity');
      const edges = id ? [requireEdgePool(t, stripIdentityPrefix(id, 'EdgeServer'))] : t.edgePools;
      return {
        records: edges.map((e) => ({
          Identity: `EdgeServer:${e.fqdn}`,
          Site: e.site,
          Registrar: `Registrar:${e.nextHopPool}`,
        })),
      };
    },

    async 'Set-CsEdgeServer'(params, ctx) {
      const edge = stripIdentityPrefix(param.requireStr(params, 'Identity'), 'EdgeServer');
      const nextHop = stripIdentityPrefix(param.requireStr(params, 'Registrar'), 'Registrar');
      const { yaml, previous } = withEdgeNextHop(ctx.cms, edge, nextHop);
      if (ctx.common.whatIf) {
        return {
          records: [
            { WhatIf: `Would change the next hop of ${edge} from ${previous} to ${nextHop.toLowerCase()}.` },
          ],
        };
      }
      const result = await publishTopology(ctx.cms, yaml, ctx.admin.name, dataDir);
      ctx.verbose(
        `Next hop of ${edge}: ${previous} -> ${nextHop.toLowerCase()} (topology revision ${result.revision}).`,
      );
      const e = requireEdgePool(result.topology, edge);
      return {
        records: [
          {
            Identity: `EdgeServer:${e.fqdn}`,
            Registrar: `Registrar:${e.nextHopPool}`,
            Revision: result.revision,
          },
        ],
        view: 'list',
      };
    },
  };
}
