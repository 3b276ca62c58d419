/**
 * @module `tandem client <sip>`: signs in with the SDK, prints who and where, then reads lines until /quit,
 * Ctrl-D or Ctrl-C, and always signs out on the way out. The exit code is 0 unless sign-in failed.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { TandemClient, type SignInResult, type TandemClientError } from '../client-sdk/index.js';
import { toTandemError } from '../errors/index.js';
import { locateDeployment, trustedCaFile, type Deployment } from '../shell/deployment-locator.js';
import { loadTrustedCa } from '../certificates/deployment-pki.js';
import { defaultDataDir } from '../files/package-root.js';
import { watchContacts } from './account-commands.js';
import { ChatState } from './chat-state.js';
import type { ClientSession, Output } from './client-session.js';
import { completeLine, type CompletionSource } from './completion.js';
import { runLine } from './dispatch.js';
import { wireEvents } from './event-wiring.js';
import { failureLine, unreachableLine } from './format-events.js';
import { bannerLines, contactsSummaryLine, promptText } from './format-lists.js';
import { historyFile, passwordFromEnv, serverUrls, type ClientCommandOptions } from './launch-options.js';
import { domainOf, toSip } from './sip.js';
import { makeFmt, styleFor } from './style.js';
import { askHidden, Terminal } from './terminal.js';

export interface ClientIO {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
}

const TYPING_SHOWN_MS = 6_000;
const TYPING_SENT_EVERY_MS = 4_000;

export async function runTerminalClient(
  user: string,
  o: ClientCommandOptions,
  io: ClientIO = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  const fail = (message: string) => {
    io.stderr.write(`tandem client: ${message}\n`);
    return 1;
  };
  const where = {
    ...(o.topology ? { topologyPath: o.topology } : {}),
    ...(o.data ? { dataDir: o.data } : {}),
  };
  let deployment: Deployment | undefined;
  const located = () => (deployment ??= locateDeployment(where));
  let urls: string[];
  let domain: string | undefined;
  let trust: { ca?: string };
  try {
    urls = serverUrls(o.server, located);
    trust = clientTrust(o.data ?? defaultDataDir(), o.caFile);
    // A bare name (`tandem client alice`) takes the deployment's SIP domain.
    domain = domainOf(user) ?? located().topology.sipDomain.toLowerCase();
  } catch (err) {
    return fail(toTandemError(err).message);
  }
  const fromEnv = passwordFromEnv(o.passwordEnv, io.env);
  if (fromEnv.problem !== undefined) return fail(fromEnv.problem);
  const sip = toSip(user, domain);
  const tty = Boolean(io.stdin.isTTY && io.stdout.isTTY);
  let password = fromEnv.password;
  if (password === undefined && tty) password = await askHidden(`Password for ${sip}: `, io.stdin, io.stdout);

  const state = new ChatState();
  const session = {
    state,
    watched: new Set<string>(),
    meetings: new Set<string>(),
    groups: new Set<string>(),
  };
  const history = tty ? loadHistory(historyFile(io.env)) : [];
  const term = new Terminal({
    input: io.stdin,
    output: io.stdout,
    tty,
    history,
    completer: (line) => completeLine(line, completionSource(s)),
  });
  if (password === undefined) password = (await term.nextLine())?.trim();
  if (!password) {
    term.close();
    return fail('no password given (set TANDEM_PASSWORD, use --password-env, or type it)');
  }

  let quitting = false;
  let exitCode = 0;
  const fmt = makeFmt(styleFor(io.stdout, io.env), domain);
  const out: Output = {
    info: (line) => term.print(line),
    error: (line) => {
      if (!quitting) term.print(fmt.style.red(`! ${line}`));
    },
  };
  const client = new TandemClient({ urls, user: sip, password, clientName: 'tandem-terminal', ...trust });
  const s: ClientSession = {
    ...session,
    client,
    out,
    fmt,
    signIn: undefined,
    sip: (typed) => toSip(typed, domain),
    now: () => Date.now(),
  };
  /** Leaves the read loop; the client is closed at once so that a request in flight ends too. */
  const quit = (code: number) => {
    if (quitting) return;
    quitting = true;
    exitCode = code;
    term.close();
    void client.close();
  };
  let typing: { from: string; timer: NodeJS.Timeout } | undefined;
  const prompt = () =>
    promptText(fmt, {
      me: client.sip(),
      mode: client.mode(),
      // The endpoint goes with the link, before the state changes (`disconnected` fires in between).
      connected: client.endpointId() !== undefined,
      current: state.current(),
      typing: typing?.from,
    });
  const detach = wireEvents(s, {
    promptChanged: () => term.updatePrompt(prompt()),
    typing: (from) => {
      clearTimeout(typing?.timer);
      const stop = () => ((typing = undefined), term.updatePrompt(prompt()));
      typing = from === undefined ? undefined : { from, timer: setTimeout(stop, TYPING_SHOWN_MS) };
      term.updatePrompt(prompt());
    },
    failed: (err: TandemClientError) => {
      if (s.signIn === undefined) return; // the first sign-in reports its own refusal
      out.error(`signed out for good: ${err.message}`);
      quit(1);
    },
    quitting: () => quitting,
  });
  const onSignal = () => quit(0);
  term.onInterrupt(onSignal);
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  sendTypingWhileTyping(term, s, io.stdin);

  try {
    const signedIn = await signIn(s, term, urls.length);
    if (signedIn === undefined) return 1;
    await readLoop(s, term, prompt, tty ? historyFile(io.env) : undefined, () => quitting);
    quit(0);
    await client.close();
    io.stdout.write('* signed out\n');
    return exitCode;
  } finally {
    quit(exitCode);
    clearTimeout(typing?.timer);
    detach();
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    await client.close();
  }
}

/** The first sign-in, with a note while servers are unreachable; undefined when it failed (already said). */
async function signIn(s: ClientSession, term: Terminal, servers: number): Promise<SignInResult | undefined> {
  const { client, out, fmt } = s;
  out.info(
    fmt.style.dim(`* signing in as ${client.sip()} (${servers} server${servers === 1 ? '' : 's'} to try)…`),
  );
  const onRetry = (delayMs: number, attempt: number, err: TandemClientError) => {
    if (attempt === 1 || attempt % 10 === 0) out.info(unreachableLine(delayMs, err.message));
  };
  client.on('retrying', onRetry);
  try {
    const result = await client.connect();
    s.signIn = result;
    for (const line of bannerLines(fmt, result)) out.info(line);
  } catch (err) {
    if ((err as TandemClientError).code === 'CLIENT_CLOSED') out.info('* sign-in abandoned');
    else out.error(failureLine('signin', err));
    term.close();
    return undefined;
  } finally {
    client.off('retrying', onRetry);
  }
  try {
    const list = await watchContacts(s);
    out.info(contactsSummaryLine(fmt, list, s.state));
  } catch (err) {
    out.error(err instanceof Error ? err.message : String(err));
  }
  return s.signIn;
}

async function readLoop(
  s: ClientSession,
  term: Terminal,
  prompt: () => string,
  history: string | undefined,
  quitting: () => boolean,
): Promise<void> {
  for (;;) {
    term.prompt(prompt());
    const line = await term.nextLine();
    if (line === undefined || quitting()) return;
    if (history !== undefined && line.trim().startsWith('/')) remember(history, line.trim());
    if ((await runLine(line, s)) === 'quit') return;
  }
}

/** Tells the peer of the current chat that the user is typing, at most every few seconds. */
function sendTypingWhileTyping(term: Terminal, s: ClientSession, input: NodeJS.ReadableStream): void {
  let lastSent = 0;
  term.onKeypress((line) => {
    const chat = s.state.current();
    if (chat?.kind !== 'im' || chat.status !== 'active' || line === '' || line.startsWith('/')) return;
    if (s.now() - lastSent < TYPING_SENT_EVERY_MS) return;
    lastSent = s.now();
    s.client.typing(chat.sessionId).catch(() => undefined);
  }, input);
}

function completionSource(s: ClientSession): CompletionSource {
  const peers = () => s.state.chats().flatMap((c) => (c.kind === 'im' ? [c.peer] : []));
  return {
    users: () => [...s.client.presenceSubscriptions(), ...peers()].map((u) => s.fmt.name(u)),
    groups: () => [...s.groups],
    chats: () => [
      ...s.state.chats().map((c) => String(s.state.numberOf(c))),
      ...peers().map((u) => s.fmt.name(u)),
    ],
    invitations: () => s.state.pendingInvitations().map((c) => c.sessionId),
    conferences: () => [...s.state.confInvites().map((p) => p.confId), ...s.meetings],
  };
}

function loadHistory(path: string): string[] {
  try {
    return existsSync(path)
      ? readFileSync(path, 'utf8').split('\n').filter(Boolean).reverse().slice(0, 1000)
      : [];
  } catch {
    return [];
  }
}

function remember(path: string, line: string): void {
  try {
    appendFileSync(path, `${line}\n`, { mode: 0o600 });
  } catch {
    // History is a convenience; a read-only home must not stop the client.
  }
}

/**
 * The CA the client trusts: the file named (--ca-file, TANDEM_CA_FILE), which must be readable, else the
 * deployment CA in the data folder when there is one, else the system's authorities (a public CA).
 */
function clientTrust(dataDir: string, named: string | undefined): { ca?: string } {
  const file = trustedCaFile(dataDir, named);
  if (named === undefined && process.env.TANDEM_CA_FILE === undefined && !existsSync(file)) return {};
  return { ca: loadTrustedCa(file) };
}
