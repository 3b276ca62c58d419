/**
 * @module A front-end server's listen address, `host:port` (`[::1]:5061` for IPv6): parsing, and the key under
 * which two addresses are the same socket (loopback spellings agree; a wildcard takes the whole port).
 */

export interface ListenAddress {
  /** Lower-cased host, without the brackets of an IPv6 literal. */
  readonly host: string;
  readonly port: number;
  /** Canonical `host:port`, brackets kept around an IPv6 host. */
  readonly address: string;
}

const HOSTNAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const IPV6 = /^[0-9a-f:.]+$/;

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '::1']);
const WILDCARD_HOSTS: ReadonlySet<string> = new Set(['0.0.0.0', '::']);

/** Parses `host:port`; returns a message naming what is wrong when the text is not a listen address. */
export function parseListenAddress(text: string): ListenAddress | { readonly error: string } {
  const value = text.trim().toLowerCase();
  const bracketed = /^\[([^\]]+)\]:(.*)$/.exec(value);
  const colon = value.lastIndexOf(':');
  const host = bracketed ? (bracketed[1] ?? '') : colon > 0 ? value.slice(0, colon) : '';
  const portText = bracketed ? (bracketed[2] ?? '') : colon > 0 ? value.slice(colon + 1) : '';
  const hint = 'write host:port, for example 127.0.0.1:5061';
  if (host === '' || portText === '') return { error: `'${text}' is not a listen address; ${hint}` };
  if (!/^\d+$/.test(portText) || Number(portText) < 1 || Number(portText) > 65535) {
    return { error: `port '${portText}' of '${text}' must be a whole number from 1 to 65535; ${hint}` };
  }
  const ipv4 = IPV4.exec(host);
  const validHost = bracketed
    ? IPV6.test(host) && host.includes(':')
    : ipv4
      ? ipv4.slice(1).every((octet) => Number(octet) <= 255)
      : HOSTNAME.test(host);
  if (!validHost) {
    const extra = !bracketed && host.includes(':') ? ' (put an IPv6 address in brackets: [::1]:5061)' : '';
    return { error: `host '${host}' of '${text}' is not a host name or IP address${extra}; ${hint}` };
  }
  const port = Number(portText);
  return { host, port, address: bracketed ? `[${host}]:${port}` : `${host}:${port}` };
}

/** The host two addresses are compared by: every loopback spelling is one host. */
function hostKey(host: string): string {
  return LOOPBACK_HOSTS.has(host) ? 'loopback' : host;
}

/** Whether two listen addresses would bind the same socket: same port, and the same host or a wildcard. */
export function addressesCollide(a: ListenAddress, b: ListenAddress): boolean {
  if (a.port !== b.port) return false;
  if (WILDCARD_HOSTS.has(a.host) || WILDCARD_HOSTS.has(b.host)) return true;
  return hostKey(a.host) === hostKey(b.host);
}
