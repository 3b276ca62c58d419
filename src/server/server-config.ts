/**
 * @module TandemServer options: validated, defaults filled and frozen in one place, as the client SDK's are
 * (client-sdk/client-options.ts). A bad option throws INVALID_ARGUMENT naming its path (`cmsHeartbeatMs: ...`).
 */
import { z } from 'zod';
import { issuesText, safeParse } from '../json/safe-parse.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { TandemError } from '../errors/index.js';

export interface ServerOptions {
  readonly serverFqdn: string;
  readonly dataDir: string;
  /** Topology file used on first start, before the local replica holds a published topology. */
  readonly topologyPath?: string;
  /** Default: a logger named after the server. */
  readonly log?: Logger;
  /** How often the CMS master reaches every replica (its heartbeat). Default 1 s. */
  readonly cmsHeartbeatMs?: number;
  /** Pending connections the kernel may queue for this server (Node's default is 511). Default 8,192. */
  readonly acceptBacklog?: number;
  /** Descriptors accepting on the listening socket: up to this many connections per event-loop turn. Default 16. */
  readonly acceptors?: number;
}

export interface ServerConfig {
  /** The server's FQDN, lower case. */
  readonly fqdn: string;
  readonly dataDir: string;
  readonly topologyPath: string | undefined;
  readonly log: Logger;
  readonly cmsHeartbeatMs: number;
  readonly acceptBacklog: number;
  readonly acceptors: number;
}

const OptionsSchema = z.object({
  serverFqdn: z.string().min(1),
  dataDir: z.string().min(1),
  topologyPath: z.string().min(1).optional(),
  log: z.custom<Logger>((v) => typeof v === 'object' && v !== null, 'a logger').optional(),
  cmsHeartbeatMs: z.number().int().positive().max(2_147_483_647).default(1_000),
  acceptBacklog: z.number().int().positive().max(65_535).default(8_192),
  acceptors: z.number().int().min(1).max(256).default(16),
});

export function resolveServerOptions(options: ServerOptions): ServerConfig {
  const parsed = safeParse(OptionsSchema, options);
  if (!parsed.success) {
    const detail = issuesText(parsed.error, '(options)');
    throw new TandemError('INVALID_ARGUMENT', { detail: `TandemServer options: ${detail}` });
  }
  const o = parsed.data;
  const fqdn = o.serverFqdn.toLowerCase();
  return Object.freeze({
    fqdn,
    dataDir: o.dataDir,
    topologyPath: o.topologyPath,
    log: o.log ?? createLogger(fqdn),
    cmsHeartbeatMs: o.cmsHeartbeatMs,
    acceptBacklog: o.acceptBacklog,
    acceptors: o.acceptors,
  });
}
