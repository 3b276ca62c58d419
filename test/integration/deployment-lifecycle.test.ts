/**
 * The whole deployment as an administrator runs it: `tandem up` starts one process per server, cmdlets run
 * through the real CLI, `tandem down --pool X --kill` really kills a site, and Get-* cmdlets still answer
 * from the other site's CMS replica; a second `tandem up` finds the same data.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/devkit/cluster.js';
import { startUp, type UpProcess } from '../../src/devkit/up-process.fixture.js';
import { litwareFixture, ATL, DAL } from '../../src/devkit/topology-fixture.js';
import { clusterStore, pairStores, type PairStores } from '../../src/devkit/cluster-stores.js';
import { readServerRecords, isAlive } from '../../src/supervisor/run-state.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tandem-up-'));
const topologyPath = join(dataDir, 'topology.yaml');
const env = { TANDEM_DATA: dataDir, TANDEM_TOPOLOGY: topologyPath };
const supervisors: ChildProcess[] = [];
let stores: PairStores | undefined;

afterAll(async () => {
  await runCli(['down', '--data', dataDir, '--kill'], env);
  for (const s of supervisors) s.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  await stores?.release();
});

function up(args: string[] = []): UpProcess {
  const u = startUp(topologyPath, dataDir, args);
  supervisors.push(u.proc);
  return u;
}

describe('deployment lifecycle with tandem up / down', () => {
  it('starts, answers cmdlets, survives a killed site, stops cleanly and restarts with its data', async () => {
    stores = await pairStores(clusterStore());
    const fixture = await litwareFixture({ users: 40, postgres: stores.postgres });
    writeFileSync(topologyPath, fixture.yaml);

    const first = up();
    await first.waitFor('is running');
    const banner = first.output();
    expect(banner).toContain(`https://${fixture.atl.address}`);
    expect(banner).toContain(`https://${fixture.dal.address}`);
    expect(banner).toContain(join(dataDir, 'admin-credential.json'));
    expect(banner).toContain('npx tandem Get-CsPoolBackupRelationship');
    expect(statSync(join(dataDir, 'admin-credential.json')).mode & 0o777).toBe(0o600);
    const records = readServerRecords(dataDir);
    expect(records.map((r) => r.fqdn).sort()).toEqual([fixture.atl.server, fixture.dal.server]);

    const rel = await runCli(['Get-CsPoolBackupRelationship', '-PoolFqdn', ATL], env);
    expect(rel.stderr).toBe('');
    expect(rel.code).toBe(0);
    expect(rel.stdout).toMatch(/BackupPoolFqdn\s+:\s+dal-cs-001\.litwareinc\.com/);

    const created = await runCli(
      [
        'Enable-CsUser',
        '-Identity',
        'Erin Example',
        '-SipAddress',
        'sip:erin@litwareinc.com',
        '-RegistrarPool',
        DAL,
        '-Password',
        'Erin-Secret-1',
      ],
      env,
    );
    expect(created.code).toBe(0);

    // kill -9 of the Atlanta site, which hosts the CMS master
    const atlPid = records.find((r) => r.fqdn === fixture.atl.server)?.pid ?? -1;
    const down = await runCli(['down', '--pool', ATL, '--kill', '--data', dataDir], env);
    expect(down.code).toBe(0);
    expect(down.stdout).toContain('kill -9');
    expect(isAlive(atlPid)).toBe(false);
    await first.waitFor('killed by SIGKILL');

    const info = await runCli(['Get-CsUserPoolInfo', '-Identity', 'sip:erin@litwareinc.com', '--json'], env);
    expect(info.code).toBe(0);
    const rec = (JSON.parse(info.stdout) as Record<string, unknown>[])[0];
    expect(rec).toMatchObject({ PrimaryPoolFqdn: DAL, BackupPoolFqdn: ATL });
    const topo = await runCli(['Get-CsTopology', '--json'], env);
    expect(JSON.parse(topo.stdout)).toMatchObject([{ CentralManagementStore: ATL, Users: 41 }]);

    // a change needs the CMS master: refused with a message pointing to CMS failover
    const refused = await runCli(['Disable-CsUser', '-Identity', 'sip:erin@litwareinc.com'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('CMS_UNAVAILABLE');
    expect(refused.stderr).toContain('Invoke-CsManagementServerFailover');

    const stopAll = await runCli(['down', '--data', dataDir], env);
    expect(stopAll.code).toBe(0);
    expect(await first.exited).toBe(0);
    expect(readServerRecords(dataDir)).toEqual([]);

    const second = up();
    await second.waitFor('is running');
    const again = await runCli(['Get-CsUser', '-Identity', 'sip:erin@litwareinc.com', '--json'], env);
    expect(JSON.parse(again.stdout)).toMatchObject([
      { SipAddress: 'sip:erin@litwareinc.com', RegistrarPool: DAL },
    ]);
    const logs = readFileSync(join(dataDir, 'logs', `${fixture.dal.server}.log`), 'utf8');
    expect(logs).not.toContain('Erin-Secret-1');
    second.proc.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });
});
