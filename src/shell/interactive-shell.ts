/**
 * @module `tandem shell`: an interactive prompt with history (kept between sessions) and tab completion of
 * cmdlet names, parameter names, enum values and pool FQDNs.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { parseCommandLine } from '../cmdlets/grammar/parser.js';
import { acceptedParams } from '../cmdlets/grammar/binder.js';
import type { CmdletRegistry } from '../cmdlets/registry.js';
import { toTandemError } from '../errors/index.js';
import { runPipeline, type ShellSession } from './run-pipeline.js';

const HISTORY_LIMIT = 1000;

export function historyPath(): string {
  return process.env.TANDEM_HISTORY ?? join(homedir(), '.tandem_history');
}

/** Completion candidates for the text before the cursor. */
export function complete(
  line: string,
  registry: CmdletRegistry,
  fqdns: () => readonly string[],
): [string[], string] {
  const segment = line.slice(line.lastIndexOf('|') + 1).trimStart();
  const words = segment.split(/\s+/);
  const current = words.at(-1) ?? '';
  if (words.length <= 1) {
    const hits = registry.names().filter((n) => n.toLowerCase().startsWith(current.toLowerCase()));
    return [hits, current];
  }
  const def = registry.find(words[0] ?? '');
  if (!def) return [[], current];
  if (/^[-\u2013\u2014]/.test(current)) {
    const prefix = current.slice(1).toLowerCase();
    const hits = acceptedParams(def)
      .map((p) => p.name)
      .filter((n) => n.toLowerCase().startsWith(prefix))
      .map((n) => `-${n}`);
    return [hits, current];
  }
  const prev = words.at(-2) ?? '';
  const param = /^[-\u2013\u2014]/.test(prev)
    ? acceptedParams(def).find((p) => p.name.toLowerCase() === prev.slice(1).toLowerCase())
    : undefined;
  const values = param?.values ?? (param?.type === 'fqdn' ? fqdns() : []);
  return [values.filter((v) => v.toLowerCase().startsWith(current.toLowerCase())), current];
}

export async function runInteractiveShell(
  session: ShellSession,
  fqdns: () => readonly string[],
): Promise<void> {
  const path = historyPath();
  const history = existsSync(path)
    ? readFileSync(path, 'utf8').split('\n').filter(Boolean).reverse().slice(0, HISTORY_LIMIT)
    : [];
  const rl: Interface = createInterface({
    input: process.stdin,
    output: process.stdout,
    history,
    historySize: HISTORY_LIMIT,
    completer: (line: string) => complete(line, session.registry, fqdns),
    prompt: 'PS tandem> ',
  });
  session.io.out(
    'Tandem management shell. Type Get-Command for the cmdlets, Get-Help <cmdlet> for help, exit to leave.',
  );
  rl.prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === 'exit' || line === 'quit') break;
    if (line) {
      try {
        // A command line that carries a password never reaches the history file.
        if (!/[-\u2013\u2014]password/i.test(line)) appendFileSync(path, `${line}\n`, { mode: 0o600 });
      } catch {
        // History is a convenience; a read-only home must not stop the shell.
      }
      try {
        await runPipeline(parseCommandLine(line), session);
      } catch (err) {
        session.io.err(toTandemError(err).message);
      }
    }
    rl.prompt();
  }
  rl.close();
}
