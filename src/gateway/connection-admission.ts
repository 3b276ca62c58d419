/**
 * @module How many connections a server takes, per source address and in all, kept below the process's
 * descriptor limit: past it the kernel's accepts fail and every connection — sign-ins, `/healthz`, the
 * admin API, server-to-server links — is reset. The budget keeps descriptors in reserve for the stores and
 * outgoing links, and a second reserve for the HTTP requests (health, admin API, links) that share the port
 * with client WebSockets, so that those still get through when the client slots are full.
 */

/** Descriptors never handed to accepted sockets: stores, logs, outgoing links (64 per peer server), the accept duplicates. */
export const PROCESS_RESERVE = 256;
/** Accepted sockets beyond the client cap: health checks, the admin API and links while clients are full. */
export const HTTP_RESERVE = 128;
/** Sockets one address may hold beyond its client cap: its HTTP requests and WebSocket handshakes. */
export const HTTP_PER_ADDRESS = 64;
/** The client cap when the descriptor limit cannot be read (not Linux) and the topology sets none. */
export const FALLBACK_MAX_CONNECTIONS = 4_096;

export interface ConnectionSettings {
  /** The pool's `registrar.maxConnections` (undefined: derive from the descriptor limit). */
  readonly maxConnections: number | undefined;
  readonly maxConnectionsPerAddress: number;
}

export interface ConnectionBudget {
  /** Client WebSocket connections in all, and from one source address. */
  readonly clients: number;
  readonly clientsPerAddress: number;
  /** Accepted TCP sockets of every kind in all, and from one source address. */
  readonly sockets: number;
  readonly socketsPerAddress: number;
}

/** The caps for a descriptor limit (undefined when unknown) and the pool's registrar settings. */
export function connectionBudget(
  descriptorLimit: number | undefined,
  settings: ConnectionSettings,
): ConnectionBudget {
  const ceiling =
    descriptorLimit === undefined
      ? (settings.maxConnections ?? FALLBACK_MAX_CONNECTIONS)
      : descriptorLimit - PROCESS_RESERVE - HTTP_RESERVE;
  const clients = Math.max(1, Math.min(settings.maxConnections ?? ceiling, ceiling));
  const clientsPerAddress = Math.min(settings.maxConnectionsPerAddress, clients);
  return {
    clients,
    clientsPerAddress,
    sockets: clients + HTTP_RESERVE,
    socketsPerAddress: clientsPerAddress + HTTP_PER_ADDRESS,
  };
}

export type Admission =
  | { readonly ok: true; readonly release: () => void }
  | { readonly ok: false; readonly scope: 'address' | 'server'; readonly limit: number };

/** Counts what is held per source address and in all; each admitted holder releases exactly once. */
export class ConnectionCounter {
  private readonly byAddress = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: () => { readonly total: number; readonly perAddress: number }) {}

  admit(address: string): Admission {
    const { total, perAddress } = this.limits();
    const held = this.byAddress.get(address) ?? 0;
    if (held >= perAddress) return { ok: false, scope: 'address', limit: perAddress };
    if (this.total >= total) return { ok: false, scope: 'server', limit: total };
    this.byAddress.set(address, held + 1);
    this.total += 1;
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        this.total -= 1;
        const left = (this.byAddress.get(address) ?? 1) - 1;
        if (left > 0) this.byAddress.set(address, left);
        else this.byAddress.delete(address);
      },
    };
  }

  count(): number {
    return this.total;
  }
}
