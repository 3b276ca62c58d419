/**
 * @module What failover and failback need from the rest of the deployment, as an interface: the orchestration
 * knows no links, stores or sockets. The server implements it over the CMS and server-to-server routes.
 */
import type { PoolStateDoc } from '../cms/cms-documents.js';
import type { CmsView } from '../cms/cms-view.js';
import type { Topology } from '../topology/topology-types.js';
import type { ImporterStatus } from '../backup-service/importer.js';
import type { DivergentChange } from '../storage/index.js';

export interface FailoverPorts {
  topology(): Topology;
  readonly view: CmsView;
  /** This server and its process run id (each command adds its own part): recorded in a transitional pool state as its coordinator. */
  readonly coordinator: { readonly server: string; readonly run: string };
  /** Fails with CMS_UNAVAILABLE (which points to CMS failover) when the master cannot be reached. */
  checkCmsWritable(action: string): Promise<void>;
  /**
   * Writes a pool state (fenced by the document's version). Resolves once this server's replica holds it; the
   * other servers get it within a bounded wait, so a step that relies on them holding it asks them (quiesce).
   */
  writePoolState(doc: PoolStateDoc, action: string): Promise<void>;
  /** Whether any server of the pool answers; the detail says why not. */
  reachable(pool: string): Promise<{ ok: boolean; detail: string }>;
  /**
   * Waits until the pool's servers hold `homePool`'s state at `epoch` (so they refuse its users' writes) and
   * finished every persistent operation in flight for those users.
   */
  quiesce(atPool: string, homePool: string, epoch: number): Promise<void>;
  flushStorage(pool: string): Promise<readonly string[]>;
  /** Forces `importerPool` to apply `sourcePool`'s log up to its current head. */
  sync(importerPool: string, sourcePool: string, timeoutMs: number): Promise<ImporterStatus>;
  /** What `importerPool` knows of its import from its partner (undefined if it cannot be asked). */
  importerStatus(importerPool: string): Promise<ImporterStatus | undefined>;
  /** Users whose data differs between the two pools (digests compared), among `owners`. */
  differing(poolA: string, poolB: string, owners: readonly string[]): Promise<string[]>;
  /** At `pool`: sets aside its log after `afterSeq` as divergent; returns the owners concerned. */
  setAsideDivergent(pool: string, afterSeq: number, epoch: number): Promise<string[]>;
  /** At `pool`: replaces the owners' items with `fromPool`'s. */
  restoreOwners(pool: string, fromPool: string, owners: readonly string[]): Promise<void>;
  /** At `pool`'s servers: signs these users' endpoints out (they sign in again where they are served). */
  relocate(pool: string, users: readonly string[], reason: string): Promise<number>;
  /** A step boundary of failover or failback: where a fault-injection test may stop the coordinator. */
  stepDone(step: FailoverStep): Promise<void>;
  /** Endpoints signed in at `pool` for users homed on `homePool`. */
  signedIn(pool: string, homePool: string): Promise<readonly string[]>;
}

/** The step boundaries a failover or failback passes (the drill kills the coordinator at each). */
export const FailoverSteps = [
  'failover-claimed',
  'failover-drained',
  'failover-verified',
  'failback-claimed',
  'failback-set-aside',
  'failback-synced',
  'failback-moved',
] as const;
export type FailoverStep = (typeof FailoverSteps)[number];

export interface Progress {
  readonly activity: string;
  readonly done: number;
  readonly total: number;
  readonly etaMs?: number;
}

export interface StepLog {
  verbose(message: string): void;
  warn(message: string): void;
  progress(p: Progress): void;
}

/** Divergent changes kept at a pool (for the cmdlets that list, re-apply and discard them). */
export interface DivergentClient {
  list(pool: string, owner?: string): Promise<DivergentChange[]>;
  drop(pool: string, ids: readonly number[]): Promise<number>;
  reapply(atPool: string, owner: string, changes: readonly DivergentChange[]): Promise<number>;
}
