/** @module Admin API handlers of the Backup Service cmdlets. */
import type { CmdletContext, HandlerTable, OutputRecord } from '../cmdlet-handler.js';
import { param } from '../cmdlet-handler.js';
import type { BackupClient } from '../../s2s/backup-links.js';
import type { PoolBackupView } from '../../backup-service/backup-service.js';
import { BackupModule, ExportStatus, ImportStatus } from '../../backup-service/backup-modules.js';
import { LINK_SILENCE_MS } from '../../backup-service/backup-status.js';
import { compareData, type DigestDifference } from '../../backup-service/data-digests.js';
import { syncWithProgress } from '../../backup-service/sync-progress.js';
import { DocKey } from '../../cms/cms-documents.js';
import { drainIfMasterHere, standbyProgress } from '../../cms/standby-sync.js';
import { poolOfServer, requirePool } from '../../topology/topology-lookups.js';
import { formatTimeSpan } from '../../timing/timespan.js';
import { TandemError, toTandemError } from '../../errors/index.js';

const when = (ms: number) => (ms > 0 ? new Date(ms) : '');

/** Test-CsBackupServiceData's words for how a user's data differs between the pool and its backup pool. */
const DIFFERENCE_TEXT: Record<DigestDifference, string> = {
  'only-first': 'missing at the backup pool',
  'only-second': 'present only at the backup pool',
  differs: 'differs',
};

export interface BackupHandlerDeps {
  readonly backup: BackupClient;
  readonly flush: (pool: string) => Promise<readonly string[]>;
}

export function backupHandlers(d: BackupHandlerDeps): HandlerTable {
  const partnerOf = (ctx: CmdletContext, poolFqdn: string) => {
    const pool = requirePool(ctx.topology(), poolFqdn);
    if (!pool.backupPool)
      throw new TandemError('CONFLICT', {
        detail: `${pool.fqdn} has no backup pool: pair it in the topology first.`,
      });
    return { pool: pool.fqdn, partner: pool.backupPool };
  };

  return {
    async 'Get-CsBackupServiceConfiguration'(_p, ctx) {
      const ms = ctx.cms.view.backupConfig().syncIntervalMs;
      return {
        records: [
          {
            Identity: 'Global',
            SyncInterval: ms > 0 ? formatTimeSpan(ms) : 'Continuous',
            Mode: ms > 0 ? 'Batched' : 'Continuous',
          },
        ],
        view: 'list',
      };
    },

    async 'Set-CsBackupServiceConfiguration'(params, ctx) {
      const interval = param.num(params, 'SyncInterval');
      const continuous = param.bool(params, 'Continuous');
      if ((interval === undefined) === !continuous) {
        throw new TandemError('INVALID_ARGUMENT', {
          detail: 'give either -SyncInterval <TimeSpan> (5 s to 3 h) or -Continuous',
        });
      }
      const syncIntervalMs = continuous ? 0 : (interval ?? 0);
      const text = syncIntervalMs > 0 ? formatTimeSpan(syncIntervalMs) : 'Continuous';
      if (ctx.common.whatIf)
        return { records: [{ WhatIf: `Would set the Backup Service sync interval to ${text}.` }] };
      await ctx.cms.write(
        [
          {
            key: DocKey.backupConfig,
            value: JSON.stringify({ syncIntervalMs }),
            ifVersion: ctx.cms.view.versionOf(DocKey.backupConfig),
          },
        ],
        'Set-CsBackupServiceConfiguration',
      );
      return { records: [{ Identity: 'Global', SyncInterval: text }], view: 'list' };
    },

    async 'Get-CsBackupServiceStatus'(params, ctx) {
      const { pool, partner } = partnerOf(ctx, param.requireStr(params, 'PoolFqdn'));
      const category = param.str(params, 'Category');
      const records: OutputRecord[] = [];
      if (category !== 'CMS') records.push(...(await userDataStatus(d.backup, pool, partner, ctx)));
      if (category !== 'UserData') {
        const cms = await cmsStatus(ctx, pool);
        if (cms) records.push(cms);
      }
      return { records, view: 'list' };
    },

    async 'Invoke-CsBackupServiceSync'(params, ctx) {
      const { pool, partner } = partnerOf(ctx, param.requireStr(params, 'PoolFqdn'));
      const module = param.str(params, 'BackupModule') ?? 'All';
      const records: OutputRecord[] = [];
      const started = Date.now();
      if (module !== 'CMSMaster') {
        ctx.verbose(`Syncing ${pool} to ${partner}...`);
        const s = await syncWithProgress(
          () => d.backup.sync(partner, pool, 600_000),
          () => d.backup.view(partner),
          (p) => ctx.progress({ activity: `Syncing ${pool} to ${partner}`, ...p }),
        );
        records.push({
          Module: 'UserData, DataConf',
          PoolFqdn: pool,
          BackupPoolFqdn: partner,
          AppliedUpTo: s.cursor,
          SourceHead: s.sourceHead,
          Complete: s.cursor >= s.sourceHead,
          Seconds: (Date.now() - started) / 1000,
        });
        if (s.cursor < s.sourceHead)
          ctx.warn(`The sync did not complete: ${s.linkError ?? s.applyError ?? 'timed out'}.`);
      }
      if (module === 'All' || module === 'CMSMaster') {
        const drained = await drainIfMasterHere(ctx.cms.localMaster(), pool, 30_000);
        if (drained !== undefined) {
          records.push({
            Module: BackupModule.CMSMaster,
            PoolFqdn: pool,
            BackupPoolFqdn: partner,
            AppliedUpTo: drained,
            Complete: true,
            Seconds: (Date.now() - started) / 1000,
          });
        } else if (module === 'CMSMaster') {
          const standby = standbyProgress(await ctx.cms.replicationStatus(ctx.serverFqdn), pool);
          records.push({
            Module: BackupModule.CMSMaster,
            PoolFqdn: pool,
            AppliedUpTo: standby.version,
            Complete: standby.upToDate,
          });
        }
      }
      return { records, view: 'list' };
    },

    async 'Test-CsBackupServiceData'(params, ctx) {
      const { pool, partner } = partnerOf(ctx, param.requireStr(params, 'PoolFqdn'));
      const started = Date.now();
      const synced = await d.backup.sync(partner, pool, 120_000);
      if (synced.cursor < synced.sourceHead)
        ctx.warn(
          `The backup pool has not applied everything yet (${synced.sourceHead - synced.cursor} change(s) behind); differences may be in flight.`,
        );
      const owners = [...ctx.cms.view.allUsers()].filter((u) => u.homePool === pool).map((u) => u.sip);
      const differences = await compareData((p, o) => d.backup.digests(p, o), pool, partner, owners);
      const differing = differences.map((x) => x.owner);
      for (const { owner, difference } of differences.slice(0, 50))
        ctx.verbose(`${owner}: ${DIFFERENCE_TEXT[difference]}`);
      return {
        records: [
          {
            PoolFqdn: pool,
            BackupPoolFqdn: partner,
            UsersCompared: owners.length,
            Differences: differing.length,
            Result: differing.length === 0 ? 'Consistent' : 'Differences found',
            UsersDiffering: differing.slice(0, 1000),
            Seconds: (Date.now() - started) / 1000,
          },
        ],
        view: 'list',
      };
    },

    async 'Invoke-CsStorageServiceFlush'(params, ctx) {
      const pools = param.str(params, 'PoolFqdn')
        ? [requirePool(ctx.topology(), param.requireStr(params, 'PoolFqdn')).fqdn]
        : ctx.topology().pools.map((p) => p.fqdn);
      const records: OutputRecord[] = [];
      for (const p of pools) records.push({ PoolFqdn: p, Flushed: await d.flush(p) });
      return { records, view: 'table' };
    },
  };
}

async function userDataStatus(
  client: BackupClient,
  pool: string,
  partner: string,
  ctx: CmdletContext,
): Promise<OutputRecord[]> {
  let view: PoolBackupView;
  const answeredBy = pool;
  try {
    view = await client.view(pool);
  } catch (err) {
    if (toTandemError(err).code !== 'S2S_UNREACHABLE') throw err;
    // The pool is down: its backup pool knows how far it got.
    return [partnerView(await client.view(partner), pool, partner, ctx)];
  }
  const inbound = view.inbound;
  const importStatus = inbound?.applyError ? ImportStatus.ErrorState : ImportStatus.NormalState;
  const rows: [string, PoolBackupView['outbound']['userData']][] = [
    [BackupModule.PresenceFocus, view.outbound.userData],
    [BackupModule.DataConf, view.outbound.dataConf],
  ];
  return rows.map(([module, dir]) => ({
    PoolFqdn: pool,
    BackupPoolFqdn: partner,
    Module: module,
    ExportStatus: dir.exportStatus,
    ImportStatus: importStatus,
    ExportBacklogChanges: dir.backlogChanges,
    ExportBacklogBytes: dir.backlogBytes,
    ExposureSeconds: dir.exposureSeconds,
    ExposureChanges: dir.backlogChanges,
    LastExportPull: when(dir.lastPullAt),
    LastExportApplied: when(dir.lastAppliedAt),
    ImportBacklogChanges: inbound ? Math.max(0, inbound.sourceHead - inbound.cursor) : 0,
    LastImportApplied: when(inbound?.appliedAt ?? 0),
    ImportLinkError: inbound?.linkError ?? (inbound?.waitingFor ? `Waiting: ${inbound.waitingFor}` : ''),
    AnsweredBy: answeredBy,
  }));
}

function partnerView(view: PoolBackupView, pool: string, partner: string, ctx: CmdletContext): OutputRecord {
  const inb = view.inbound;
  ctx.warn(`${pool} is unreachable; the status is its backup pool's (${partner}) view of the last contact.`);
  const silentFor = inb ? Date.now() - inb.lastContactAt : Number.POSITIVE_INFINITY;
  return {
    PoolFqdn: pool,
    BackupPoolFqdn: partner,
    Module: `${BackupModule.PresenceFocus}, ${BackupModule.DataConf}`,
    ExportStatus:
      !inb || inb.lastContactAt === 0
        ? ExportStatus.NotInitialized
        : silentFor > LINK_SILENCE_MS
          ? ExportStatus.NonSteadyState
          : ExportStatus.SteadyState,
    ImportStatus: inb?.applyError ? ImportStatus.ErrorState : ImportStatus.NormalState,
    LastAppliedChange: inb?.cursor ?? 0,
    LastAppliedChangeWrittenAt: when(inb?.cursorWrittenAt ?? 0),
    KnownBacklogChanges: inb ? Math.max(0, inb.sourceHead - inb.cursor) : 0,
    LastContact: when(inb?.lastContactAt ?? 0),
    LinkError: inb?.linkError ?? '',
    AnsweredBy: partner,
  };
}

async function cmsStatus(ctx: CmdletContext, pool: string): Promise<OutputRecord | undefined> {
  try {
    const s = await ctx.cms.replicationStatus(ctx.serverFqdn);
    const standby = s.targets.find((t) => t.kind === 'standby');
    if (s.activeMasterPool !== pool) {
      // The pool that holds the standby copy imports the CMS.
      const holds =
        standby !== undefined &&
        requirePool(ctx.topology(), pool).servers.some((sv) => sv.fqdn === standby.server);
      if (!holds) return undefined;
      return {
        PoolFqdn: pool,
        BackupPoolFqdn: s.activeMasterPool,
        Module: BackupModule.CMSMaster,
        Role: 'Standby',
        ExportStatus: ExportStatus.NotInitialized,
        ImportStatus: standby.lastError ? ImportStatus.ErrorState : ImportStatus.NormalState,
        MasterVersion: s.version,
        StandbyVersion: standby.version,
        LastStandbyReport: when(standby.lastStatusReport),
      };
    }
    const fresh = standby !== undefined && Date.now() - standby.lastStatusReport < LINK_SILENCE_MS;
    const exportStatus =
      !standby || standby.version < 0
        ? ExportStatus.NotInitialized
        : standby.upToDate && fresh
          ? ExportStatus.SteadyState
          : ExportStatus.NonSteadyState;
    return {
      PoolFqdn: pool,
      // The pool that holds the standby copy (on an Enterprise pool its server has a name of its own).
      BackupPoolFqdn: standby ? (poolOfServer(ctx.topology(), standby.server)?.fqdn ?? standby.server) : '',
      Module: BackupModule.CMSMaster,
      ExportStatus: exportStatus,
      ImportStatus: ImportStatus.NormalState,
      MasterVersion: s.version,
      StandbyVersion: standby?.version ?? -1,
      ExposureChanges: standby ? Math.max(0, s.version - standby.version) : s.version,
      LastStandbyReport: when(standby?.lastStatusReport ?? 0),
    };
  } catch {
    return undefined;
  }
}
