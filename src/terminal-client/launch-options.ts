/**
 * @module What `tandem client` needs before it can sign in, from its options and environment: the server
 * URLs (given, or every server of the deployment), the password variable, the history file.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface ClientCommandOptions {
  /** The environment variable holding the password (default TANDEM_PASSWORD, when set). */
  readonly passwordEnv?: string;
  /** wss:// URLs or host:port, comma-separated (default: the servers of the deployment). */
  readonly server?: string;
  readonly topology?: string;
  readonly data?: string;
  /** The CA certificate to trust (default TANDEM_CA_FILE, else the deployment CA in the data folder). */
  readonly caFile?: string;
}

export const CLIENT_PATH = '/v1/client';

/** A server as typed (`127.0.0.1:5061`, `wss://host/v1/client`) as a client URL; `ws://` is refused. */
export function toClientUrl(server: string): string {
  const s = server.trim();
  if (/^ws:\/\//i.test(s))
    throw new Error(`${s}: Tandem servers accept TLS only; use wss:// (or just host:port)`);
  const withScheme = /^wss:\/\//i.test(s) ? s : `wss://${s}`;
  const url = new URL(withScheme);
  if (url.pathname === '/' || url.pathname === '') url.pathname = CLIENT_PATH;
  return url.toString();
}

/** The URLs to try: those given, else every server of the deployment (the SDK follows redirects). */
export function serverUrls(
  server: string | undefined,
  deployment: () => { readonly servers: readonly { readonly address: string }[] },
): string[] {
  if (server !== undefined && server.trim() !== '')
    return server
      .split(',')
      .filter((s) => s.trim() !== '')
      .map(toClientUrl);
  const servers = deployment().servers;
  if (servers.length === 0) throw new Error('the deployment has no front-end servers');
  return servers.map((s) => `wss://${s.address}${CLIENT_PATH}`);
}

/**
 * The password from the environment: the named variable (an error when it is not set), else TANDEM_PASSWORD
 * when set; undefined means "ask".
 */
export function passwordFromEnv(
  variable: string | undefined,
  env: NodeJS.ProcessEnv,
): { readonly password?: string; readonly problem?: string } {
  if (variable !== undefined) {
    const value = env[variable];
    return value ? { password: value } : { problem: `the environment variable ${variable} is not set` };
  }
  const fallback = env.TANDEM_PASSWORD;
  return fallback ? { password: fallback } : {};
}

/** Where commands typed at a terminal are remembered (chat text never is). */
export function historyFile(env: NodeJS.ProcessEnv): string {
  return env.TANDEM_CLIENT_HISTORY ?? join(homedir(), '.tandem_client_history');
}
