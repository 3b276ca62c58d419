/**
 * @module Benchmark of CMS failover on the demo topology (two pools, 300 users): planned (Atlanta → Dallas
 * and back) and disaster (Atlanta killed with SIGKILL; and Atlanta black-holed behind its link, so that
 * every connection to it hangs, the standby at Dallas promoted). Each measures the
 * command, then the time from the command until the new master takes a write and every answering replica
 * is UpToDate.
 */
import { Cluster } from '../devkit/cluster.js';
import { startSplitCluster } from '../devkit/split-cluster.js';
import { ATL, DAL } from '../devkit/topology-fixture.js';
import { provisionUsers } from './bench-deployment.js';
import { round } from './stats.js';

interface Timing {
  /** The cmdlet, start to answer. */
  readonly commandSeconds: number;
  /** From the command until a user can be enabled through the new master. */
  readonly writableSeconds: number;
  /** From the command until every answering replica reports UpToDate at the new master's version. */
  readonly replicasUpToDateSeconds: number;
}

export interface CmsFailoverBenchResult {
  readonly users: number;
  readonly planned: Timing;
  readonly plannedBack: Timing;
  readonly disaster: Timing & { readonly possiblyLostVersions: number };
  readonly disasterBlackholed: Timing;
}

const DEMO_USERS = 300;
let serial = 0;

async function measure(
  c: Cluster,
  line: string,
  server: string,
): Promise<{ timing: Timing; record: Record<string, unknown> }> {
  const t = Date.now();
  const r = await c.shell(line, { server });
  if (r.code !== 0) throw new Error(`\`${line}\` failed: ${r.err}`);
  const commandSeconds = (Date.now() - t) / 1000;
  const record = r.json<Record<string, unknown>[]>()[0] ?? {};
  const pool = String(record.ActiveMasterFqdn);
  for (;;) {
    const n = ++serial;
    const w = await c.shell(
      `Enable-CsUser -Identity "Bench ${n}" -SipAddress sip:cmsbench${n}@litwareinc.com -RegistrarPool ${pool}`,
      { server },
    );
    if (w.code === 0) break;
    if (Date.now() - t > 30_000) throw new Error(`no write through ${pool} after 30 s: ${w.err}`);
  }
  const writableSeconds = (Date.now() - t) / 1000;
  for (;;) {
    const s = await c.shell('Get-CsManagementStoreReplicationStatus', { server });
    const rows = s.code === 0 ? s.json<{ UpToDate: boolean }[]>() : [];
    if (rows.length > 0 && rows.every((x) => x.UpToDate)) break;
    if (Date.now() - t > 30_000) throw new Error(`replicas not UpToDate after 30 s: ${s.out}${s.err}`);
    await new Promise((res) => setTimeout(res, 20));
  }
  return {
    timing: {
      commandSeconds: round(commandSeconds, 3),
      writableSeconds: round(writableSeconds, 3),
      replicasUpToDateSeconds: round((Date.now() - t) / 1000, 3),
    },
    record,
  };
}

export async function cmsFailoverBench(): Promise<CmsFailoverBenchResult> {
  const c = await Cluster.start({ users: 0 });
  try {
    await provisionUsers(c, DEMO_USERS / 2, 'cms-atl', ATL);
    await provisionUsers(c, DEMO_USERS / 2, 'cms-dal', DAL);
    const planned = (await measure(c, 'Invoke-CsManagementServerFailover', DAL)).timing;
    const plannedBack = (await measure(c, 'Invoke-CsManagementServerFailover', ATL)).timing;
    await c.kill(ATL, 'SIGKILL');
    const { record, timing: disaster } = await measure(
      c,
      `Invoke-CsManagementServerFailover -BackupSqlServerFqdn ${DAL} -BackupSqlInstanceName rtc -Force`,
      DAL,
    );
    return {
      users: DEMO_USERS,
      planned,
      plannedBack,
      disaster: { ...disaster, possiblyLostVersions: Number(record.PossiblyLostVersions ?? 0) },
      disasterBlackholed: await blackholedDisaster(),
    };
  } finally {
    await c.stop();
  }
}

/** The site is lost behind its router: Atlanta's server runs, but every connection to it hangs. */
async function blackholedDisaster(): Promise<Timing> {
  const split = await startSplitCluster({
    users: 0,
  });
  const { cluster: c } = split;
  try {
    await provisionUsers(c, DEMO_USERS / 2, 'cms-atl', ATL);
    await provisionUsers(c, DEMO_USERS / 2, 'cms-dal', DAL);
    split.both((p) => p.blackhole());
    const { timing } = await measure(
      c,
      `Invoke-CsManagementServerFailover -BackupSqlServerFqdn ${DAL} -BackupSqlInstanceName rtc -Force`,
      DAL,
    );
    return timing;
  } finally {
    await split.stop();
  }
}
