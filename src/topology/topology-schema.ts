/**
 * @module The shape of a raw topology document (YAML), checked by zod: strict objects, so a misspelt key is an
 * error. Cross-references (pairing, sites, addresses) are checked afterwards by semantic-checks.ts.
 */
import { z } from 'zod';
import { parseTimeSpan } from '../timing/timespan.js';
import { Edition } from './topology-types.js';
import { MAX_HASH_COST, MIN_HASH_COST } from '../security/password-hash.js';

/** Values a document may leave out, as Lync ships them. */
export const TopologyDefaults = {
  passwordHashCost: 32_768,
  tokenLifetimeMs: 8 * 60 * 60 * 1000,
  /** How long token renewals may extend a session after its password sign-in. */
  sessionLifetimeMs: 7 * 24 * 60 * 60 * 1000,
  /** Registrar failure detection interval (Lync default 120 s). */
  failureDetectionMs: 120_000,
  /** Registrar fallback detection interval (Lync default 240 s). */
  fallbackDetectionMs: 240_000,
  /** Signed-in endpoints per user (Lync's MaxEndpointsPerUser default). */
  maxEndpointsPerUser: 8,
  /** An endpoint silent for this long expires. */
  keepaliveTimeoutMs: 90_000,
  /**
   * Sign-ins per second one server of a pool takes when a failover or failback sends users to it: the pool
   * that signs them out spreads their reconnections over the time this rate calls for.
   */
  relocationRate: 2_000,
  /**
   * Client connections one server takes from one source address. A failover bench puts 19,500 users on one
   * server from 16 loopback addresses (about 1,220 each): this leaves room for twice that during reconnections.
   * Raise it when clients reach the pool through a proxy or a NAT that gives them one address.
   */
  maxConnectionsPerAddress: 2_500,
  /** Conference content one conference may hold, in MB (Lync's MaxContentStorageMb default). */
  maxContentStorageMb: 500,
  /** Conference content of all the conferences one user organizes (stored with that user's data), in MB. */
  maxContentStorageMbPerUser: 2_000,
  /** Folder of a pool's file store, relative to the data folder. */
  fileStoreFolder: (poolFqdn: string): string => `files/${poolFqdn}`,
} as const;

/** An FQDN as written; lower-cased here so that every later comparison is case-insensitive. */
const fqdn = z
  .string()
  .min(1, 'must not be empty; write a fully qualified domain name such as atl-cs-001.litwareinc.com')
  .transform((value) => value.trim().toLowerCase());

const nonEmpty = z.string().trim().min(1, 'must not be empty');

/** A TimeSpan (`00:02:00`) or a number of seconds (`120`), compiled into milliseconds. */
const duration = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const ms =
    typeof value === 'number'
      ? Number.isFinite(value) && value >= 0
        ? Math.round(value * 1000)
        : undefined
      : parseTimeSpan(value);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `'${String(value)}' is not a duration; write a TimeSpan such as "00:02:00" or a number of seconds such as 120`,
    });
    return z.NEVER;
  }
  return ms;
});

const edition = z.string().transform((value, ctx) => {
  const canonical = Object.values(Edition).find((e) => e.toLowerCase() === value.trim().toLowerCase());
  if (canonical === undefined) {
    ctx.addIssue({ code: 'custom', message: `'${value}' is not an edition; write Standard or Enterprise` });
    return z.NEVER;
  }
  return canonical;
});

/** Exactly one of `{ sqlite: <file> }` or `{ postgres: <connection string> }`. */
const store = z
  .strictObject({ sqlite: nonEmpty.optional(), postgres: nonEmpty.optional() })
  .transform((value, ctx) => {
    if ((value.sqlite === undefined) === (value.postgres === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message:
          'give exactly one of { sqlite: <file> } (a SQLite file, relative to the data folder) or { postgres: <connection string> }',
      });
      return z.NEVER;
    }
    if (value.sqlite !== undefined) return { kind: 'sqlite' as const, path: value.sqlite };
    const connectionString = value.postgres ?? '';
    if (!/^postgres(ql)?:\/\//i.test(connectionString)) {
      ctx.addIssue({
        code: 'custom',
        path: ['postgres'],
        message: `'${connectionString}' is not a PostgreSQL connection string; write postgres://user@host:5432/database`,
      });
      return z.NEVER;
    }
    return { kind: 'postgres' as const, connectionString };
  });

const registrar = z.strictObject({
  failureDetection: duration.optional(),
  fallbackDetection: duration.optional(),
  maxEndpointsPerUser: z.number().int().min(1).max(64).optional(),
  keepaliveTimeout: duration.optional(),
  relocationRate: z.number().int().min(1).max(1_000_000).optional(),
  /** Client connections per server; by default derived from the server's descriptor limit (docs/operations.md). */
  maxConnections: z.number().int().min(1).max(10_000_000).optional(),
  maxConnectionsPerAddress: z.number().int().min(1).max(10_000_000).optional(),
});

const server = z.strictObject({
  fqdn,
  /** `host:port`; its syntax and collisions are checked by semantic-checks.ts. */
  address: nonEmpty,
  /** Where other servers reach this one, when not at its listen address (a NAT, a relay between sites). */
  linkAddress: nonEmpty.optional(),
});

const pool = z.strictObject({
  fqdn,
  site: nonEmpty,
  edition,
  backupPool: fqdn.optional(),
  store,
  fileStore: nonEmpty.optional(),
  registrar: registrar.optional(),
  servers: z.array(server).min(1, 'a pool needs at least one front-end server; list it under servers'),
});

const edgePool = z.strictObject({ fqdn, site: nonEmpty, nextHopPool: fqdn });

const security = z.strictObject({
  passwordHashCost: z
    .number()
    .int()
    .refine((n) => n >= MIN_HASH_COST && n <= MAX_HASH_COST && (n & (n - 1)) === 0, {
      message: `must be a power of two between ${MIN_HASH_COST} and ${MAX_HASH_COST} (scrypt N); the default is ${TopologyDefaults.passwordHashCost}`,
    })
    .optional(),
  tokenLifetime: duration.optional(),
  sessionLifetime: duration.optional(),
});

/** Conference content quotas, in MB (fractions allowed); see docs/operations.md. */
const conferencing = z.strictObject({
  maxContentStorageMb: z.number().positive().max(10_000_000).optional(),
  maxContentStorageMbPerUser: z.number().positive().max(10_000_000).optional(),
});

const demo = z.strictObject({
  users: z.number().int().min(0).max(100_000),
  password: z.string().min(8, 'must be at least 8 characters long'),
});

export const topologySchema = z.strictObject({
  name: nonEmpty,
  sipDomain: fqdn,
  cmsPool: fqdn,
  security: security.optional(),
  conferencing: conferencing.optional(),
  demo: demo.optional(),
  sites: z
    .array(z.strictObject({ name: nonEmpty }))
    .min(1, 'a topology needs at least one site; list it under sites'),
  pools: z.array(pool).min(1, 'a topology needs at least one front-end pool; list it under pools'),
  edgePools: z.array(edgePool).optional(),
});

/** A document that passed the schema: FQDNs lower-cased, editions canonical, durations in milliseconds. */
export type TopologyDocument = z.output<typeof topologySchema>;
export type PoolDocument = TopologyDocument['pools'][number];
