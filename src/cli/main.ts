/**
 * @module The `tandem` command: deployment verbs (up, down, server, shell) and, for anything else, a cmdlet
 * command line run against the deployment, as a Lync administrator types it.
 */
import { Command, Option } from 'commander';
import { parseArgv } from '../cmdlets/grammar/parser.js';
import { cmdletRegistry } from '../cmdlets/registry.js';
import { toTandemError } from '../errors/index.js';
import { runUp } from '../supervisor/up.js';
import { runDown } from '../supervisor/down.js';
import { runServerMain } from '../server/server-main.js';
import { defaultDataDir, demoTopologyPath } from '../files/package-root.js';
import { locateDeployment, type Deployment } from '../shell/deployment-locator.js';
import { loadShellCredential, type ShellCredential } from '../shell/credential.js';
import { runPipeline, type ShellSession } from '../shell/run-pipeline.js';
import { processIO } from '../shell/shell-io.js';
import { runInteractiveShell } from '../shell/interactive-shell.js';
import { allServers } from '../topology/topology-lookups.js';
import { cmdletsMarkdown } from '../shell/help/cmdlets-markdown.js';
import { runTerminalClient } from '../terminal-client/run-client.js';

const VERBS = new Set([
  'up',
  'down',
  'server',
  'shell',
  'client',
  'docs',
  'help',
  '--help',
  '-h',
  '--version',
  '-V',
]);
const SHELL_FLAGS = new Set([
  '--json',
  '--topology',
  '--data',
  '--credential',
  '--credential-file',
  '--ca-file',
]);

interface ShellFlags {
  json: boolean;
  topology?: string;
  data?: string;
  credential?: string;
  credentialFile?: string;
  caFile?: string;
}

/** Pulls the shell's own double-dash flags out of a cmdlet command line. */
export function extractShellFlags(argv: readonly string[]): { flags: ShellFlags; rest: string[] } {
  const flags: ShellFlags = { json: false };
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    const [name, inline] = a.includes('=')
      ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
      : [a, undefined];
    if (!SHELL_FLAGS.has(name)) {
      rest.push(a);
      continue;
    }
    if (name === '--json') {
      flags.json = true;
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${name} needs a value`);
    if (name === '--topology') flags.topology = value;
    if (name === '--data') flags.data = value;
    if (name === '--credential') flags.credential = value;
    if (name === '--credential-file') flags.credentialFile = value;
    if (name === '--ca-file') flags.caFile = value;
  }
  return { flags, rest };
}

function session(flags: ShellFlags): ShellSession {
  let dep: Deployment | undefined;
  let cred: ShellCredential | undefined;
  const deployment = () =>
    (dep ??= locateDeployment({
      ...(flags.topology ? { topologyPath: flags.topology } : {}),
      ...(flags.data ? { dataDir: flags.data } : {}),
      ...(flags.caFile ? { caFile: flags.caFile } : {}),
    }));
  return {
    registry: cmdletRegistry,
    io: processIO(),
    json: flags.json,
    deployment,
    credential: () =>
      (cred ??= loadShellCredential(deployment(), {
        ...(flags.credential !== undefined ? { text: flags.credential } : {}),
        ...(flags.credentialFile !== undefined ? { file: flags.credentialFile } : {}),
      })),
  };
}

async function runCmdlet(argv: readonly string[]): Promise<number> {
  const { flags, rest } = extractShellFlags(argv);
  const s = session(flags);
  try {
    return await runPipeline(parseArgv(rest), s);
  } catch (err) {
    s.io.err(`tandem: ${toTandemError(err).message}`);
    return 1;
  }
}

function program(): Command {
  const print = (line: string) => process.stdout.write(`${line}\n`);
  const cmd = new Command('tandem')
    .description(
      'Tandem: paired pools that fail over in seconds. Run a cmdlet as `tandem <Cmdlet> -Param value`.',
    )
    .version('0.1.0')
    .showHelpAfterError()
    .addHelpText(
      'after',
      `
Options of a cmdlet command line (tandem <Cmdlet> ... [options]):
  --json                      machine-readable output
  --topology <file>           topology of the deployment (default: the one \`tandem up\` runs)
  --data <dir>                data folder (default: the one \`tandem up\` uses)
  --credential-file <file>    read the administrator credential (name:secret) from this file
  --ca-file <file>            trust this CA certificate (default: TANDEM_CA_FILE, else <data>/pki/ca.crt)
  --credential -              read the administrator credential (name:secret) from standard input
  --credential <name:secret>  the credential itself: avoid it, every user of the machine sees it in \`ps\`
Without one of these, TANDEM_ADMIN_CREDENTIAL or the data folder's admin-credential.json is used. The
credential is sent only to the addresses of the deployment's topology.`,
    );
  cmd
    .command('up')
    .description(
      'run a deployment on this machine (default: the Litware demo), one process per front-end server',
    )
    .argument('[topology]', 'topology YAML file', demoTopologyPath())
    .option('--data <dir>', 'data folder', defaultDataDir())
    .option('--pool <fqdn>', 'only the servers of this pool')
    .option('--server <fqdn>', 'only this server')
    .action(async (topology: string, o: { data: string; pool?: string; server?: string }) => {
      process.exitCode = await runUp({
        topologyPath: topology,
        dataDir: o.data,
        print,
        ...(o.pool ? { pool: o.pool } : {}),
        ...(o.server ? { server: o.server } : {}),
      });
    });
  cmd
    .command('down')
    .description('stop part or all of the running deployment')
    .option('--data <dir>', 'data folder', defaultDataDir())
    .option('--pool <fqdn>', 'only the servers of this pool')
    .option('--server <fqdn>', 'only this server')
    .option('--kill', 'kill -9 instead of a graceful stop (rehearses a lost site)', false)
    .action(async (o: { data: string; pool?: string; server?: string; kill: boolean }) => {
      process.exitCode = await runDown({
        dataDir: o.data,
        kill: o.kill,
        print,
        ...(o.pool ? { pool: o.pool } : {}),
        ...(o.server ? { server: o.server } : {}),
      });
    });
  cmd
    .command('server')
    .description('run one front-end server in this process')
    .requiredOption('--fqdn <fqdn>', 'FQDN of the front-end server, as in the topology')
    .option('--data <dir>', 'data folder', defaultDataDir())
    .option('--topology <file>', 'topology file used until the CMS replica holds one')
    .addOption(
      new Option(
        '--acceptors <n>',
        'descriptors accepting connections on the listening socket (default 16; docs/operations.md)',
      )
        .env('TANDEM_ACCEPTORS')
        .argParser(Number),
    )
    .action(async (o: { fqdn: string; data: string; topology?: string; acceptors?: number }) => {
      await runServerMain({
        fqdn: o.fqdn,
        dataDir: o.data,
        ...(o.topology ? { topologyPath: o.topology } : {}),
        ...(o.acceptors !== undefined ? { acceptors: o.acceptors } : {}),
      });
    });
  cmd
    .command('shell')
    .description('interactive management shell with history and tab completion')
    .option('--topology <file>', 'topology of the deployment (default: the one `tandem up` runs)')
    .option('--data <dir>', 'data folder')
    .option(
      '--credential <name:secret>',
      'administrator credential; "-" reads it from standard input (a command line shows in `ps`)',
    )
    .option('--credential-file <file>', 'read the administrator credential (name:secret) from this file')
    .option('--ca-file <file>', 'trust this CA certificate (default: TANDEM_CA_FILE, else <data>/pki/ca.crt)')
    .option('--json', 'machine-readable output', false)
    .action(async (o: ShellFlags) => {
      const s = session(o);
      await runInteractiveShell(s, () => {
        try {
          const t = s.deployment().topology;
          return [...t.pools.map((p) => p.fqdn), ...allServers(t).map((x) => x.fqdn)];
        } catch {
          return [];
        }
      });
    });
  cmd
    .command('client')
    .description('terminal client: sign in as a user and try presence, contacts, IM and conferences by hand')
    .argument('<sip>', 'the user to sign in as, e.g. sip:alice@litwareinc.com')
    .option(
      '--password-env <var>',
      'read the password from this environment variable (default TANDEM_PASSWORD)',
    )
    .option(
      '--server <url>',
      'wss:// URL or host:port of a front-end server (default: every server of the deployment)',
    )
    .option('--topology <file>', 'topology of the deployment (default: the one `tandem up` runs)')
    .option('--data <dir>', 'data folder')
    .option('--ca-file <file>', 'trust this CA certificate (default: TANDEM_CA_FILE, else <data>/pki/ca.crt)')
    .action(
      async (
        sip: string,
        o: { passwordEnv?: string; server?: string; topology?: string; data?: string; caFile?: string },
      ) => {
        process.exitCode = await runTerminalClient(sip, o);
      },
    );
  cmd
    .command('docs')
    .description('print generated documentation')
    .argument('<what>', '"cmdlets": the cmdlet reference (docs/cmdlets.md)')
    .action((what: string) => {
      if (what !== 'cmdlets') throw new Error(`unknown docs '${what}'; try: tandem docs cmdlets`);
      process.stdout.write(cmdletsMarkdown(cmdletRegistry.all()));
    });
  return cmd;
}

async function main(argv: string[]): Promise<void> {
  const first = argv[0];
  if (first !== undefined && !VERBS.has(first) && !first.startsWith('--')) {
    process.exitCode = await runCmdlet(argv);
    return;
  }
  try {
    await program().parseAsync(argv, { from: 'user' });
  } catch (err) {
    process.stderr.write(`tandem: ${toTandemError(err).message}\n`);
    process.exitCode = 1;
  }
}

await main(process.argv.slice(2));
