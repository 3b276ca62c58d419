/**
 * @module Source addresses for simulated clients. Tens of thousands of clients on one host connecting to
 * one loopback server share one source address, so every reconnection makes the kernel search the
 * ephemeral port range (28,231 ports by default) for a port whose connection to that server is unused, and
 * a failover bench spent a seventh of its CPU there. Linux routes all of 127.0.0.0/8 to the loopback
 * interface: spreading the clients over several 127.0.0.x sources gives each its own port space.
 */

/** How many loopback sources the simulated clients are spread over. */
export const LOOPBACK_SOURCES = 16;

/** The source address for client `i` of a server at `url`; undefined unless the server is on 127.0.0.0/8. */
export function loopbackSourceFor(url: string, i: number): string | undefined {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return undefined;
  }
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)) return undefined;
  return `127.0.0.${2 + (Math.abs(Math.trunc(i)) % LOOPBACK_SOURCES)}`;
}
