/**
 * The management shell does not trust what a server answers, nor hand its credential around: a rogue server
 * at a deployment address, even one holding a certificate of the deployment CA, cannot make the shell write a
 * file where it chooses; one whose certificate another CA issued gets nothing at all; the credential of a data
 * folder goes only to the servers of that folder's deployment, and a credential can come from a file or
 * standard input instead of the command line (where `ps` shows it).
 */
import { spawn } from 'node:child_process';
import https from 'node:https';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIN, REPO, runCli } from '../../src/devkit/cluster.js';
import { freePorts } from '../../src/devkit/ports.js';
import { ATL, litwareFixture } from '../../src/devkit/topology-fixture.js';
import { caCertPath, caKeyPath, ensureDeploymentCa } from '../../src/certificates/deployment-pki.js';
import { createCa, issueCertificate } from '../../src/certificates/certificate-authority.js';

const SECRET = 'Rogue-Test-Secret-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'tandem-shell-trust-'));
const dataDir = join(dir, 'data');
const topologyPath = join(dir, 'topology.yaml');
/** What the rogue server saw, and the answer it gives (one NDJSON result line). */
const seen: { authorization: string | undefined; cmdlet: string }[] = [];
let answer: Record<string, unknown> = {};
let rogue: https.Server;
let rogueAddress = '';
let otherAddress = '';
let deploymentCa = '';

beforeAll(async () => {
  const [rp, op] = await freePorts(2);
  rogueAddress = `127.0.0.1:${rp}`;
  otherAddress = `127.0.0.1:${op}`;
  // The rogue holds a certificate of the deployment CA for Atlanta: a server that was taken over.
  await ensureDeploymentCa(dataDir, 'litware-test');
  deploymentCa = readFileSync(caCertPath(dataDir), 'utf8');
  const issued = await issueCertificate(
    { cert: deploymentCa, key: readFileSync(caKeyPath(dataDir), 'utf8') },
    { names: [ATL], ips: ['127.0.0.1'] },
  );
  rogue = https.createServer({ cert: issued.cert, key: issued.key }, (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const cmdlet = String((JSON.parse(body) as { cmdlet?: unknown }).cmdlet);
      seen.push({ authorization: req.headers.authorization, cmdlet });
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.end(`${JSON.stringify({ type: 'result', ...answer })}\n`);
    });
  });
  await new Promise<void>((r) => rogue.listen(rp, '127.0.0.1', r));
  // The Atlanta server's address is the rogue's; Dallas is a free port nobody listens on.
  const fixture = await litwareFixture({ ports: [rp ?? 0, op ?? 0] });
  writeFileSync(topologyPath, fixture.yaml);
});

afterAll(async () => {
  await new Promise((r) => rogue.close(r));
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  seen.length = 0;
  answer = { records: [{ Identity: 'atl-cs-001.litwareinc.com' }] };
});

const shellArgs = ['--topology', topologyPath, '--data', dataDir];

/** Runs the real CLI with text on its standard input. */
function runWithStdin(args: readonly string[], input: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: REPO, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stdout.resume();
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code: code ?? -1, stderr }));
    child.stdin.end(input);
  });
}

describe('the shell and a rogue server', () => {
  it("writes no file that a non-exporting cmdlet's answer names", async () => {
    const target = join(dir, 'planted.txt');
    answer = { records: [{ Identity: 'x' }], file: { path: target, content: 'planted by the server' } };
    const r = await runCli(['Get-CsPool', ...shellArgs, '--credential', `admin:${SECRET}`]);
    expect(seen.map((s) => s.cmdlet)).toEqual(['Get-CsPool']);
    expect(r.code).toBe(0);
    expect(existsSync(target)).toBe(false);
  });

  it('writes an export only to the path its user typed, whatever path the answer names', async () => {
    const typed = join(dir, 'export.yaml');
    const elsewhere = join(dir, 'elsewhere.yaml');
    answer = { records: [{ FileName: elsewhere }], file: { path: elsewhere, content: 'name: exported\n' } };
    const r = await runCli([
      'Export-CsTopology',
      '-FileName',
      typed,
      ...shellArgs,
      '--credential',
      `admin:${SECRET}`,
    ]);
    expect(r.code).toBe(0);
    expect(existsSync(elsewhere)).toBe(false);
    expect(readFileSync(typed, 'utf8')).toBe('name: exported\n');
  });
});

describe('where the credential goes', () => {
  it('sends a data folder credential only to the servers of the deployment that wrote it', async () => {
    const otherData = join(dir, 'other-data');
    // The credential file of another deployment's data folder; the topology given names litware-test.
    const { mkdirSync } = await import('node:fs');
    mkdirSync(otherData, { recursive: true });
    writeFileSync(
      join(otherData, 'admin-credential.json'),
      JSON.stringify({ name: 'admin', secret: SECRET, role: 'CsAdministrator', deployment: 'contoso-prod' }),
      { mode: 0o600 },
    );
    const r = await runCli(['Get-CsPool', '--topology', topologyPath, '--data', otherData]);
    expect(seen).toEqual([]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('contoso-prod');
    expect(r.stderr).toContain('ADMIN_UNAUTHENTICATED');
  });

  it('never sends the credential to an address outside the topology', async () => {
    // The shell's own path to the admin API refuses a target the deployment's topology does not list.
    const { runAtDeployment } = await import('../../src/shell/admin-client.js');
    const request = {
      cmdlet: 'Get-CsPool',
      params: {},
      common: { verbose: false, whatIf: false, confirm: false, force: false },
    };
    const events = { verbose: () => undefined, warning: () => undefined, progress: () => undefined };
    const refused = await runAtDeployment(
      {
        servers: [{ fqdn: 'stranger.example.com', address: rogueAddress }],
        trusted: [otherAddress],
        trust: () => ({ ca: deploymentCa, file: caCertPath(dataDir) }),
      },
      `Bearer admin:${SECRET}`,
      request,
      events,
    ).catch((e: unknown) => e);
    expect(String(refused)).toContain('not an address of the topology');
    expect(seen).toEqual([]);
  });
});

describe('a server whose certificate another CA issued', () => {
  it('gets no credential: the shell stops with TLS_SERVER_NOT_TRUSTED, naming the server and the CA file', async () => {
    const impostorCa = await createCa('Impostor CA');
    const cert = await issueCertificate(impostorCa, { names: [ATL], ips: ['127.0.0.1'] });
    const [port] = await freePorts(1);
    const impostor = https.createServer(cert, (req, res) => {
      seen.push({ authorization: req.headers.authorization, cmdlet: 'reached the impostor' });
      res.end();
    });
    await new Promise<void>((r) => impostor.listen(port, '127.0.0.1', r));
    try {
      const fixture = await litwareFixture({ ports: [port ?? 0, 1] });
      const topology = join(dir, 'impostor-topology.yaml');
      writeFileSync(topology, fixture.yaml);
      const r = await runCli([
        'Get-CsPool',
        '--topology',
        topology,
        '--data',
        dataDir,
        '--credential',
        `admin:${SECRET}`,
      ]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('TLS_SERVER_NOT_TRUSTED');
      expect(r.stderr).toContain(ATL);
      expect(r.stderr).toContain(caCertPath(dataDir));
      expect(seen).toEqual([]);
    } finally {
      await new Promise((r) => impostor.close(r));
    }
  });
});

describe('a credential kept off the command line', () => {
  it('is read from --credential-file', async () => {
    const file = join(dir, 'cred.txt');
    writeFileSync(file, `admin:${SECRET}\n`, { mode: 0o600 });
    const r = await runCli(['Get-CsPool', ...shellArgs, '--credential-file', file]);
    expect(r.stderr).toBe('');
    expect(seen.map((s) => s.authorization)).toEqual([`Bearer admin:${SECRET}`]);
  });

  it('is read from standard input with --credential -', async () => {
    const r = await runWithStdin(['Get-CsPool', ...shellArgs, '--credential', '-'], `admin:${SECRET}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(seen.map((s) => s.authorization)).toEqual([`Bearer admin:${SECRET}`]);
  });

  it('names what is wrong with an unreadable credential file', async () => {
    const r = await runCli(['Get-CsPool', ...shellArgs, '--credential-file', join(dir, 'missing.txt')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('missing.txt');
    expect(seen).toEqual([]);
  });
});
