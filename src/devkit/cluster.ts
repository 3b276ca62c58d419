/**
 * @module A test deployment of real server processes on loopback ports, in a temporary data folder, with
 * helpers to run cmdlet lines (through the shell's own code) and the real `tandem` CLI, and to kill -9.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { packageRoot } from '../files/package-root.js';
import { parseCommandLine } from '../cmdlets/grammar/parser.js';
import { cmdletRegistry } from '../cmdlets/registry.js';
import { locateDeployment } from '../shell/deployment-locator.js';
import { loadShellCredential } from '../shell/credential.js';
import { runPipeline } from '../shell/run-pipeline.js';
import type { ShellIO } from '../shell/shell-io.js';
import { isReady } from '../supervisor/up.js';
import { litwareFixture, type Fixture, type FixtureOptions } from './topology-fixture.js';
import { PeerClient, type PeerTls } from '../s2s/peer-client.js';
import { caCertPath, ensureDeploymentCa } from '../certificates/deployment-pki.js';
import { UserDataContracts } from '../s2s/user-data-links.js';
import { deriveKey, KeyPurpose, loadDeploymentKey } from '../security/deployment-secrets.js';
import { patient } from './patience.js';
import { clusterStore, pairStores } from './cluster-stores.js';

export const REPO = packageRoot();
export const BIN = join(REPO, 'bin', 'tandem.js');

export interface ShellOutcome {
  readonly code: number;
  readonly out: string;
  readonly err: string;
  /** stdout parsed as JSON (the shell ran with --json). */
  json<T = Record<string, unknown>[]>(): T;
}

/** How many of a server's last log lines a failed test prints. */
const LOG_TAIL_LINES = 60;

export class Cluster {
  /** The clusters started and not yet stopped in this process: what a failed test reports on. */
  static readonly #live = new Set<Cluster>();
  private readonly procs = new Map<string, ChildProcess>();
  readonly logs = new Map<string, string[]>();
  #ca: string | undefined;

  private constructor(
    readonly dataDir: string,
    readonly topologyPath: string,
    readonly fixture: Fixture,
    private readonly releaseStores: () => Promise<void>,
    private readonly serverEnv: Record<string, string> = {},
  ) {}

  /** The pair on this run's store backend (src/devkit/cluster-stores.ts) unless `stores` or `postgres` says. */
  /** `serverEnv`: variables every server process of the cluster gets (e.g. TANDEM_ACCEPTORS). */
  static async start(
    opts: FixtureOptions & { start?: readonly ('atl' | 'dal')[]; serverEnv?: Record<string, string> } = {},
  ): Promise<Cluster> {
    const stores = opts.postgres ? undefined : await pairStores(opts.stores ?? clusterStore());
    const fixture = await litwareFixture({ ...opts, postgres: opts.postgres ?? stores?.postgres });
    return Cluster.fromFixture(fixture, opts.start ?? ['atl', 'dal'], stores?.release, opts.serverEnv);
  }

  /** `releaseStores` drops what was created for the fixture's stores, once the cluster stops. */
  static async fromFixture(
    fixture: Fixture,
    start: readonly ('atl' | 'dal')[] = ['atl', 'dal'],
    releaseStores: () => Promise<void> = async () => undefined,
    serverEnv: Record<string, string> = {},
  ): Promise<Cluster> {
    const dataDir = mkdtempSync(join(tmpdir(), 'tandem-it-'));
    const topologyPath = join(dataDir, 'topology.yaml');
    writeFileSync(topologyPath, fixture.yaml);
    const c = new Cluster(dataDir, topologyPath, fixture, releaseStores, serverEnv);
    Cluster.#live.add(c);
    try {
      // As `tandem up` does: the deployment CA first, then each server issues its own certificate from it.
      await ensureDeploymentCa(dataDir, 'litware-test');
      for (const which of start) for (const s of fixture[which].servers) await c.startServer(s.fqdn);
    } catch (err) {
      await c.stop();
      throw err;
    }
    return c;
  }

  /**
   * A test names a server by its FQDN or, for the Litware pair, by its pool's: a Standard pool's one server
   * shares the pool's FQDN, an Enterprise pool's has its own, and the same test runs on both.
   */
  serverOf(fqdn: string): string {
    for (const p of [this.fixture.atl, this.fixture.dal]) if (fqdn === p.pool) return p.server;
    return fqdn;
  }

  /** The deployment CA's certificate (PEM): what the clients and tools of a test trust. */
  get ca(): string {
    return (this.#ca ??= readFileSync(caCertPath(this.dataDir), 'utf8'));
  }

  /** What a test trusts and presents to act as a server of the deployment (default the Atlanta one). */
  tlsAs(server: string = this.fixture.atl.server): PeerTls {
    return serverTlsFiles(this.dataDir, this.serverOf(server));
  }

  /** The client URL of the server of a pool (or a server), `wss://host:port/v1/client`. */
  clientUrl(fqdn: string): string {
    return `wss://${this.addressOf(fqdn)}/v1/client`;
  }

  addressOf(fqdn: string): string {
    const server = this.serverOf(fqdn);
    for (const p of [this.fixture.atl, this.fixture.dal])
      for (const s of p.servers) if (s.fqdn === server) return s.address;
    return this.fixture.dal.address;
  }

  /** `env` adds variables for this process only (e.g. TANDEM_FAILPOINTS, src/failover/failpoints.ts). */
  async startServer(name: string, waitReady = true, env: Record<string, string> = {}): Promise<void> {
    const fqdn = this.serverOf(name);
    const child = spawn(
      process.execPath,
      [BIN, 'server', '--fqdn', fqdn, '--data', this.dataDir, '--topology', this.topologyPath],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          TANDEM_LOG_LEVEL: process.env.TANDEM_LOG_LEVEL ?? 'info',
          ...this.serverEnv,
          ...env,
        },
      },
    );
    this.procs.set(fqdn, child);
    const lines = this.logs.get(fqdn) ?? [];
    this.logs.set(fqdn, lines);
    for (const s of [child.stdout, child.stderr])
      if (s) createInterface({ input: s }).on('line', (l) => lines.push(l));
    if (!waitReady) return;
    const deadline = Date.now() + 30_000;
    while (!(await isReady({ fqdn, address: this.addressOf(fqdn) }, this.ca))) {
      if (child.exitCode !== null) throw new Error(`${fqdn} exited during start:\n${lines.join('\n')}`);
      if (Date.now() > deadline) throw new Error(`${fqdn} not ready within 30 s:\n${lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Resolves once the server printed this line (e.g. failpointLine); false after the timeout. */
  async waitForLine(fqdn: string, text: string, timeoutMs = 120_000, fromLine = 0): Promise<boolean> {
    return eventually(
      () =>
        this.logOf(fqdn)
          .slice(fromLine)
          .some((l) => l.includes(text)),
      timeoutMs,
      50,
    );
  }

  /** The lines a server printed so far. */
  logOf(fqdn: string): readonly string[] {
    return this.logs.get(this.serverOf(fqdn)) ?? [];
  }

  pid(fqdn: string): number | undefined {
    return this.procs.get(this.serverOf(fqdn))?.pid;
  }

  /** Stops a server with a signal (SIGKILL by default: a lost site) and waits for it to be gone. */
  async kill(name: string, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const fqdn = this.serverOf(name);
    const child = this.procs.get(fqdn);
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill(signal);
    await gone;
    this.procs.delete(fqdn);
  }

  /** Runs a command line through the shell's own pipeline code, with --json output. */
  async shell(line: string, opts: { credential?: string; server?: string } = {}): Promise<ShellOutcome> {
    let out = '';
    let err = '';
    const io: ShellIO = {
      interactive: false,
      out: (t) => (out += `${t}\n`),
      err: (t) => (err += `${t}\n`),
      confirm: () => Promise.resolve(false),
      progress: () => undefined,
      endProgress: () => undefined,
    };
    const located = locateDeployment({ topologyPath: this.topologyPath, dataDir: this.dataDir });
    const deployment = opts.server
      ? { ...located, servers: located.servers.filter((s) => s.fqdn === this.serverOf(opts.server ?? '')) }
      : located;
    const code = await runPipeline(parseCommandLine(line), {
      registry: cmdletRegistry,
      io,
      json: true,
      deployment: () => deployment,
      credential: () =>
        loadShellCredential(deployment, opts.credential !== undefined ? { text: opts.credential } : {}),
    }).catch((e: unknown) => {
      err += String(e);
      return 1;
    });
    return {
      code,
      out,
      err,
      json: <T>() => {
        if (code !== 0) throw new Error(`\`${line}\` failed (exit ${code}):\n${err}`);
        return JSON.parse(out) as T;
      },
    };
  }

  /** Runs the real CLI (`node bin/tandem.js ...`) against this deployment. */
  cli(
    args: readonly string[],
    env: Record<string, string> = {},
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    return runCli(args, { TANDEM_DATA: this.dataDir, TANDEM_TOPOLOGY: this.topologyPath, ...env });
  }

  /**
   * The servers' warnings and errors and the last lines of each server's log, for every running cluster of this
   * process: printed when an integration test fails (test/setup/report-server-logs.ts), so that a failure
   * on a loaded CI machine can be read without rerunning it.
   */
  static serverLogReport(): string {
    const out: string[] = [];
    for (const c of Cluster.#live)
      for (const [fqdn, lines] of c.logs) {
        const flagged = lines.filter((l) => /"level":(4|5|6)\d/.test(l)).slice(-LOG_TAIL_LINES);
        out.push(`--- ${fqdn}: ${flagged.length} warning/error line(s), last ${LOG_TAIL_LINES} shown`);
        out.push(...flagged);
        out.push(`--- ${fqdn}: last ${LOG_TAIL_LINES} of ${lines.length} line(s)`);
        out.push(...lines.slice(-LOG_TAIL_LINES));
      }
    return out.join('\n');
  }

  async stop(): Promise<void> {
    Cluster.#live.delete(this);
    await Promise.all([...this.procs.keys()].map((f) => this.kill(f, 'SIGTERM')));
    rmSync(this.dataDir, { recursive: true, force: true });
    await this.releaseStores();
  }
}

export function runCli(
  args: readonly string[],
  env: Record<string, string> = {},
  cwd = REPO,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return runNode(BIN, args, env, cwd);
}

/** Runs a Node script of the package to its end, collecting its output. */
export function runNode(
  script: string,
  args: readonly string[],
  env: Record<string, string> = {},
  cwd = REPO,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script, ...args], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * A signed server-to-server client for tests and tools that act as a server of the deployment would: it
 * presents that server's certificate (issued at its first start) and signs as it.
 */
export function harnessPeer(c: Cluster, as: string = c.fixture.atl.server): PeerClient {
  const key = deriveKey(loadDeploymentKey(c.dataDir), KeyPurpose.ServerToServer);
  return new PeerClient(as, key, { addressOf: (s) => c.addressOf(s) }, () => serverTlsFiles(c.dataDir, as));
}

/** The certificate, key and CA a server of a test deployment presents on its links. */
export function serverTlsFiles(dataDir: string, fqdn: string): PeerTls {
  return {
    cert: readFileSync(join(dataDir, 'pki', 'servers', `${fqdn}.crt`), 'utf8'),
    key: readFileSync(join(dataDir, 'secrets', 'servers', `${fqdn}.key`), 'utf8'),
    ca: readFileSync(caCertPath(dataDir), 'utf8'),
  };
}

/** The items a pool's store holds for one owner (its own data, or its copy of a partner's user). */
export async function itemsAt(
  peer: PeerClient,
  server: string,
  owner: string,
): Promise<{ kind: string; key: string; value: string }[]> {
  const res = await peer.call(server, UserDataContracts.export, { owner });
  return res.items;
}

/**
 * Polls `check` until it returns true or the timeout passes; returns the last result. The timeout is what an
 * idle machine would need, stretched by the test patience (src/devkit/patience.ts).
 */
export async function eventually(
  check: () => Promise<boolean> | boolean,
  timeoutMs = 10_000,
  stepMs = 50,
): Promise<boolean> {
  const deadline = Date.now() + patient(timeoutMs);
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, stepMs));
  }
}
