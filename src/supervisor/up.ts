/**
 * @module `tandem up`: runs a deployment on this machine, one child process per front-end server, with
 * output prefixed per server, pids recorded in the data folder, and a clean stop on Ctrl-C.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import https from 'node:https';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { readTopologyFile } from '../topology/parse-topology.js';
import { allServers, findPool, poolOfServer } from '../topology/topology-lookups.js';
import type { ServerSpec, Topology } from '../topology/topology-types.js';
import { ensureDeploymentKey } from '../security/deployment-secrets.js';
import { ensureDeploymentCa } from '../certificates/deployment-pki.js';
import { adminCredentialPath, ensureAdminCredentialFile } from '../security/admin-credential.js';
import { splitAddress } from '../s2s/peer-client.js';
import { packageRoot } from '../files/package-root.js';
import { makeDataFolderPrivate, usePrivateFileModes } from '../files/private-files.js';
import { TandemError } from '../errors/index.js';
import { humanLogLine, shortName } from './log-lines.js';
import { LogFile } from './log-file.js';
import {
  isAlive,
  readServerRecords,
  removeServerRecord,
  writeDeploymentRecord,
  writeServerRecord,
} from './run-state.js';

export interface UpOptions {
  readonly topologyPath: string;
  readonly dataDir: string;
  readonly pool?: string;
  readonly server?: string;
  readonly print: (line: string) => void;
  /** Milliseconds to wait for every server to be ready before giving up. */
  readonly readyTimeoutMs?: number;
}

export async function runUp(options: UpOptions): Promise<number> {
  const opts = { ...options, print: keepSupervising(options.print) };
  const topologyPath = resolve(opts.topologyPath);
  const dataDir = resolve(opts.dataDir);
  const topology = readTopologyFile(topologyPath, { dataDir });
  const selected = selectServers(topology, opts);
  usePrivateFileModes();
  mkdirSync(dataDir, { recursive: true });
  makeDataFolderPrivate(dataDir);
  ensureDeploymentKey(dataDir);
  // The deployment CA, before any server starts: each issues its own certificate from it.
  const caFile = await ensureDeploymentCa(dataDir, topology.name);
  const ca = readFileSync(caFile, 'utf8');
  ensureAdminCredentialFile(dataDir, topology.name);
  const running = new Map(readServerRecords(dataDir).map((r) => [r.fqdn, r]));
  for (const s of selected) {
    const rec = running.get(s.fqdn);
    if (rec && isAlive(rec.pid)) {
      throw new TandemError('CONFLICT', {
        detail: `${s.fqdn} is already running (pid ${rec.pid}). Stop it with \`tandem down --server ${s.fqdn}\`.`,
      });
    }
  }
  writeDeploymentRecord({ topologyPath, dataDir, startedAt: Date.now() });
  mkdirSync(join(dataDir, 'logs'), { recursive: true });

  const children = new Map<string, ChildProcess>();
  let stopping = false;
  // A server that exits non-zero on its own failed; one killed by a signal (`tandem down --kill`) was asked to.
  let failed = false;
  const width = Math.max(...selected.map((s) => shortName(s.fqdn).length));
  const allExited = new Promise<void>((resolveAll) => {
    for (const s of selected) {
      const child = startServer(s, topologyPath, dataDir, (line) => opts.print(line), width);
      children.set(s.fqdn, child);
      writeServerRecord(dataDir, {
        fqdn: s.fqdn,
        pool: s.poolFqdn,
        pid: child.pid ?? -1,
        address: s.address,
        supervisorPid: process.pid,
        startedAt: Date.now(),
      });
      child.on('exit', (code, signal) => {
        children.delete(s.fqdn);
        removeServerRecord(dataDir, s.fqdn);
        const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
        if (!signal && code !== 0) failed = true;
        opts.print(`${shortName(s.fqdn).padEnd(width)} | ${stopping ? 'stopped' : how}`);
        if (children.size === 0) resolveAll();
      });
    }
  });

  const stopAll = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    opts.print(`Stopping ${children.size} server(s)...`);
    for (const c of children.values()) c.kill(signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
    setTimeout(() => {
      for (const c of children.values()) c.kill('SIGKILL');
    }, 15_000).unref();
  };
  process.on('SIGINT', () => stopAll('SIGINT'));
  process.on('SIGTERM', () => stopAll('SIGTERM'));

  const ready = await waitReady(selected, ca, opts.readyTimeoutMs ?? 60_000, () => children.size === 0);
  if (ready) printBanner(topology, selected, dataDir, caFile, opts.print);
  else if (!stopping) opts.print('Some servers did not become ready; see the lines above. Stop with Ctrl-C.');
  await allExited;
  return failed && !stopping ? 1 : 0;
}

/**
 * The supervisor's own output must not end it either: its terminal may be gone (EPIPE) or redirected to a
 * file on a full disk (ENOSPC). A line that cannot be printed is dropped; the servers stay supervised.
 */
function keepSupervising(print: (line: string) => void): (line: string) => void {
  for (const s of [process.stdout, process.stderr])
    if (s.listenerCount('error') === 0) s.on('error', () => {});
  return (line) => {
    try {
      print(line);
    } catch {
      // dropped: see above
    }
  };
}

function selectServers(topology: Topology, opts: UpOptions): ServerSpec[] {
  const servers = allServers(topology);
  if (opts.server) {
    const s = servers.find((x) => x.fqdn === opts.server?.toLowerCase());
    if (!s)
      throw new TandemError('UNKNOWN_SERVER', {
        server: opts.server,
        known: servers.map((x) => x.fqdn).join(', '),
      });
    return [s];
  }
  if (opts.pool) {
    const pool = findPool(topology, opts.pool);
    if (!pool)
      throw new TandemError('UNKNOWN_POOL', {
        pool: opts.pool,
        known: topology.pools.map((p) => p.fqdn).join(', '),
      });
    return [...pool.servers];
  }
  return [...servers];
}

function startServer(
  s: ServerSpec,
  topologyPath: string,
  dataDir: string,
  print: (l: string) => void,
  width: number,
): ChildProcess {
  const bin = join(packageRoot(), 'bin', 'tandem.js');
  const child = spawn(
    process.execPath,
    [bin, 'server', '--fqdn', s.fqdn, '--data', dataDir, '--topology', topologyPath],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: process.env,
    },
  );
  const prefix = `${shortName(s.fqdn).padEnd(width)} |`;
  const file = new LogFile(join(dataDir, 'logs', `${s.fqdn}.log`), (m) => print(`${prefix} WARN  ${m}`));
  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      file.write(line);
      print(humanLogLine(prefix, line));
    });
  }
  child.on('exit', () => file.end());
  return child;
}

async function waitReady(
  servers: readonly ServerSpec[],
  ca: string,
  timeoutMs: number,
  gaveUp: () => boolean,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  const pending = new Set(servers);
  while (pending.size > 0 && Date.now() < deadline && !gaveUp()) {
    for (const s of [...pending]) if (await isReady(s, ca)) pending.delete(s);
    if (pending.size > 0) await new Promise((r) => setTimeout(r, 150));
  }
  return pending.size === 0;
}

/** Whether the server answers GET /readyz with 200 over TLS, its certificate issued by `ca` for its FQDN. */
export function isReady(
  server: { readonly fqdn: string; readonly address: string },
  ca: string,
): Promise<boolean> {
  const [host, port] = splitAddress(server.address);
  return new Promise((resolveReady) => {
    const req = https.get(
      { host, port: Number(port), servername: server.fqdn, ca, path: '/readyz', timeout: 1000 },
      (res) => {
        res.resume();
        resolveReady(res.statusCode === 200);
      },
    );
    req.on('error', () => resolveReady(false));
    req.on('timeout', () => req.destroy());
  });
}

function printBanner(
  topology: Topology,
  servers: readonly ServerSpec[],
  dataDir: string,
  caFile: string,
  print: (l: string) => void,
): void {
  const lines = ['', `Tandem deployment "${topology.name}" is running:`];
  for (const s of servers) {
    const pool = poolOfServer(topology, s.fqdn);
    const cms = pool?.fqdn === topology.cmsPool ? ', hosts the CMS' : '';
    lines.push(
      `  ${s.fqdn.padEnd(32)} https://${s.address}  wss://${s.address}/v1/client   (site ${pool?.site ?? '?'}, backup pool ${pool?.backupPool ?? 'none'}${cms})`,
    );
  }
  lines.push(`Trust the deployment CA: ${caFile} (the shell and the terminal client read it from here)`);
  lines.push(`Admin credential: ${adminCredentialPath(dataDir)} (mode 0600)`);
  if (topology.demo) {
    lines.push(
      `Demo users: ${topology.demo.users}, e.g. sip:alice@${topology.sipDomain} and sip:bob@${topology.sipDomain}, password ${topology.demo.password}`,
    );
  }
  lines.push('Try, in a second terminal:');
  const first = topology.pools[0]?.fqdn ?? '<pool>';
  lines.push(`  npx tandem Get-CsPoolBackupRelationship -PoolFqdn ${first}`);
  lines.push(`  npx tandem Get-CsUserPoolInfo -Identity sip:alice@${topology.sipDomain}`);
  lines.push('  npx tandem Get-CsTopology');
  lines.push('  npx tandem shell');
  lines.push(
    'Stop every server with Ctrl-C; `npx tandem down --pool <fqdn> --kill` rehearses a lost site.',
    '',
  );
  for (const l of lines) print(l);
}
