/**
 * @module The names a server's certificate carries: its FQDN (also the file name of its certificate and key),
 * its pool's FQDN, and the host it listens on, as an IP address or a DNS name.
 */
import { TandemError } from '../errors/index.js';

export interface ServerIdentity {
  readonly fqdn: string;
  readonly poolFqdn: string;
  /** The listen host: an IP address or a name. */
  readonly host: string;
}

export interface ServerNames {
  /** The FQDN, lower-case. */
  readonly fqdn: string;
  /** DNS names, the FQDN first (the subject's common name). */
  readonly names: string[];
  readonly ips: string[];
}

const HOSTNAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** Listening on every address names none: such a host is left out of the certificate. */
const WILDCARD_HOSTS: ReadonlySet<string> = new Set(['0.0.0.0', '::']);

/** A host name, checked: it becomes a file name, so a `/` or `..` in it must never reach the file system. */
function dnsName(value: string, what: string): string {
  const name = value.trim().toLowerCase();
  if (!HOSTNAME.test(name)) {
    throw new TandemError('INVALID_ARGUMENT', {
      detail: `the ${what} '${value}' is not a DNS name (letters, digits, '-' and '.')`,
    });
  }
  return name;
}

export function serverAlternativeNames(server: ServerIdentity): ServerNames {
  const fqdn = dnsName(server.fqdn, 'server FQDN');
  const names = [fqdn, dnsName(server.poolFqdn, 'pool FQDN')];
  const ips: string[] = [];
  const host = server.host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
  // A DNS name never holds ':', so a host that does is an IPv6 address.
  if (IPV4.test(host) || host.includes(':')) {
    if (!WILDCARD_HOSTS.has(host)) ips.push(host);
  } else {
    names.push(dnsName(host, 'listen host'));
  }
  return { fqdn, names: [...new Set(names)], ips };
}
