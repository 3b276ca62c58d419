/**
 * @module The compiled topology: what a validated topology document becomes. Everything downstream reads
 * this frozen shape, never the raw YAML.
 */

export const Edition = { Standard: 'Standard', Enterprise: 'Enterprise' } as const;
export type Edition = (typeof Edition)[keyof typeof Edition];

export type StoreSpec =
  | { readonly kind: 'sqlite'; /** absolute path, resolved against the data folder */ readonly path: string }
  | { readonly kind: 'postgres'; readonly connectionString: string };

export interface ServerSpec {
  readonly fqdn: string;
  readonly poolFqdn: string;
  readonly host: string;
  readonly port: number;
  /** `host:port`, the listen address. */
  readonly address: string;
  /** `host:port` other servers use to reach this one (server-to-server links); the listen address by default. */
  readonly linkAddress: string;
}

export interface RegistrarSpec {
  /** Registrar resiliency: how long the backup pool waits without a heartbeat (Lync default 120 s). */
  readonly failureDetectionMs: number;
  /** How long clients wait before returning to a recovered home pool (Lync default 240 s). */
  readonly fallbackDetectionMs: number;
  /** Signed-in endpoints per user (Lync default 8). */
  readonly maxEndpointsPerUser: number;
  /** An endpoint that sends nothing for this long expires. */
  readonly keepaliveTimeoutMs: number;
  /** Sign-ins per second one of this pool's servers takes when users are relocated to it. */
  readonly relocationRate: number;
  /**
   * Client connections per server; undefined: derived from the server's descriptor limit. Either way the
   * server keeps descriptors in reserve for its stores, links and admin API (docs/operations.md).
   */
  readonly maxConnections: number | undefined;
  /** Client connections per server from one source address. */
  readonly maxConnectionsPerAddress: number;
}

export interface PoolSpec {
  readonly fqdn: string;
  readonly site: string;
  readonly edition: Edition;
  readonly backupPool: string | undefined;
  readonly store: StoreSpec;
  /** Absolute path of the folder holding conference content of this pool. */
  readonly fileStore: string;
  readonly servers: readonly ServerSpec[];
  readonly registrar: RegistrarSpec;
}

export interface EdgePoolSpec {
  readonly fqdn: string;
  readonly site: string;
  /** The internal next-hop front-end pool. */
  readonly nextHopPool: string;
}

/** Conference content quotas (bytes): a refused upload names the quota and the usage. */
export interface ConferencingSpec {
  /** Content of one conference. */
  readonly maxContentBytesPerConference: number;
  /** Content of all the conferences one user organizes. */
  readonly maxContentBytesPerUser: number;
}

export interface SecuritySpec {
  /** scrypt cost parameter N (a power of two). */
  readonly passwordHashCost: number;
  /** Sign-in token lifetime. */
  readonly tokenLifetimeMs: number;
  /**
   * Absolute session lifetime: tokens renewed by token sign-ins never outlive the password sign-in that
   * started the session by more than this.
   */
  readonly sessionLifetimeMs: number;
}

export interface DemoSpec {
  /** Demo users to create on first start, split between the pools. */
  readonly users: number;
  readonly password: string;
}

export interface Topology {
  readonly name: string;
  readonly sipDomain: string;
  readonly sites: readonly { readonly name: string }[];
  readonly pools: readonly PoolSpec[];
  readonly edgePools: readonly EdgePoolSpec[];
  /** The pool that hosts the Central Management Store when the deployment is first created. */
  readonly cmsPool: string;
  readonly security: SecuritySpec;
  readonly conferencing: ConferencingSpec;
  readonly demo: DemoSpec | undefined;
}
