/**
 * @module A server's part in failover and failback: it follows the pool states in its CMS replica. It puts
 * endpoints in the mode their home pool's state calls for, signs out (relocates) the ones it must no longer
 * serve — fencing: a server that learns of a newer epoch stops serving at once — refuses writes its pool
 * may not make, and sends resiliency-mode users home once their home pool is back for the fallback interval.
 */
import type { CmsView } from '../cms/cms-view.js';
import { DocPrefix, PoolState, type PoolStateDoc } from '../cms/cms-documents.js';
import type { Endpoint, EndpointRegistry } from '../delivery/endpoint-registry.js';
import type { WriteGuard } from '../user-data/user-data-access.js';
import { ClientMode } from '../protocol/model.js';
import { modeAt } from '../cms/pool-mode.js';
import { CloseCode } from '../protocol/limits.js';
import { encodePush, type PushName, type SentPushPayloadOf } from '../protocol/pushes.js';
import type { Topology } from '../topology/topology-types.js';
import { findPool } from '../topology/topology-lookups.js';
import type { PoolLiveness } from '../registrar/pool-liveness.js';
import { relocationWindowMs } from './relocation-pace.js';
import { PoolWriteGate } from './pool-write-gate.js';

export interface PoolAgentDeps {
  readonly ownPool: string;
  readonly view: CmsView;
  readonly topology: () => Topology;
  readonly endpoints: EndpointRegistry;
  readonly push: <N extends PushName>(sip: string, name: N, payload: SentPushPayloadOf<N>) => void;
  readonly liveness: PoolLiveness;
  /** Ends the relocated users' IM sessions and the conferences they organized here, telling the others. */
  readonly endSessions: (affected: (sip: string) => boolean, reason: string) => Promise<void>;
  /** The exporter of this server's pool: FinalState while the pool is read-only for a failover. */
  readonly setExportFinal: (final: boolean) => void;
  /** The servers (fqdn, client URL) that serve the user now, told to it as it is signed out. */
  readonly servedAt: (sip: string) => readonly { readonly fqdn: string; readonly url: string }[];
  readonly log: (msg: string, fields?: Record<string, unknown>) => void;
  /** The clock (ms); tests pass their own. */
  readonly now?: () => number;
  /** The pool's write guard, when the user data it guards was built before the agent. Default: its own. */
  readonly gate?: PoolWriteGate;
}

export class PoolAgent implements WriteGuard {
  private timer: NodeJS.Timeout | undefined;
  private readonly gate: PoolWriteGate;

  constructor(private readonly d: PoolAgentDeps) {
    this.gate = d.gate ?? new PoolWriteGate(d.ownPool, d.view);
    d.view.on('change', (keys) => {
      for (const key of keys)
        if (key.startsWith(DocPrefix.poolState)) void this.reconcile(key.slice(DocPrefix.poolState.length));
    });
  }

  private now(): number {
    return this.d.now?.() ?? Date.now();
  }

  start(): void {
    this.timer = setInterval(() => void this.fallback(), 1_000);
    this.timer.unref();
    for (const p of this.d.topology().pools) void this.reconcile(p.fqdn);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** WriteGuard (PoolWriteGate): only the serving pool writes a user's data, and not during a transition. */
  enter(owner: string): () => void {
    return this.gate.enter(owner);
  }

  /** Resolves once this server refuses writes for users of `homePool` (epoch seen) and none is in flight (bounded). */
  quiesce(homePool: string, epoch: number, timeoutMs?: number): Promise<void> {
    return this.gate.quiesce(homePool, epoch, timeoutMs);
  }

  /** Users homed on `homePool` with an endpoint here. */
  signedIn(homePool: string): string[] {
    return [...this.d.endpoints.users()].filter(
      (sip) => this.d.endpoints.endpointsOf(sip)[0]?.homePool === homePool,
    );
  }

  /** Signs out these users' endpoints here; they sign in again where they are served. */
  async relocate(users: readonly string[], reason: string): Promise<number> {
    const set = new Set(users);
    await this.endSessions((sip) => set.has(sip), reason);
    return this.signOutAll(
      users.flatMap((sip) => [...this.d.endpoints.endpointsOf(sip)]),
      reason,
    );
  }

  /** Brings every local endpoint of `homePool`'s users in line with the pool's state. */
  private async reconcile(homePool: string): Promise<void> {
    const s = this.d.view.poolState(homePool);
    if (homePool === this.d.ownPool) this.d.setExportFinal(s.state === PoolState.FailingOver);
    // Lync's "User experience during pool failure": when failback starts, every conference an affected user organized ends (they rejoin after).
    if (s.state === PoolState.FailingBack) {
      await this.endSessions((sip) => this.d.view.user(sip)?.homePool === homePool, 'failback');
    }
    const doomed: Endpoint[] = [];
    for (const ep of [...this.d.endpoints.all()]) {
      if (ep.homePool !== homePool) continue;
      if (!this.mayServe(s, ep)) {
        doomed.push(ep);
        continue;
      }
      const mode = modeAt(s, this.d.ownPool);
      if (ep.mode !== mode) {
        this.d.endpoints.setMode(ep, mode);
        this.d.push(ep.sip, 'mode.changed', { mode, reason: reasonOf(s) });
      }
    }
    if (doomed.length === 0) return;
    const reason = s.state === PoolState.Active ? 'failback' : 'failover';
    const users = new Set(doomed.map((e) => e.sip));
    this.d.log('signing out users this pool no longer serves', {
      homePool,
      users: users.size,
      epoch: s.epoch,
      state: s.state,
    });
    await this.endSessions((sip) => users.has(sip), reason);
    this.signOutAll(doomed, reason);
  }

  /**
   * Signs out one relocation's endpoints; returns how many were still registered. Per home pool, all of them
   * get one deadline to sign in again where they are served now (see signOut).
   */
  private signOutAll(endpoints: readonly Endpoint[], reason: string): number {
    const counts = new Map<string, number>();
    for (const ep of endpoints) counts.set(ep.homePool, (counts.get(ep.homePool) ?? 0) + 1);
    const topology = this.d.topology();
    const now = this.now();
    const deadlines = new Map<string, number>();
    for (const [home, count] of counts)
      deadlines.set(home, now + relocationWindowMs(topology, this.d.view.poolState(home).servedBy, count));
    let n = 0;
    for (const ep of endpoints) n += this.signOut(ep, reason, deadlines.get(ep.homePool) ?? now) ? 1 : 0;
    return n;
  }

  /** Ending sessions must never keep a user from being signed out: a failure is logged, not thrown. */
  private async endSessions(affected: (sip: string) => boolean, reason: string): Promise<void> {
    try {
      await this.d.endSessions(affected, reason);
    } catch (err) {
      this.d.log('could not end every session of the users signed out', {
        reason,
        err: err instanceof Error ? err.message : String(err),
      });
    }
  }

  private mayServe(s: PoolStateDoc, ep: Endpoint): boolean {
    const own = this.d.ownPool;
    if (s.servedBy === own) return true;
    const home = findPool(this.d.topology(), s.pool);
    const atBackup = home?.backupPool === own;
    // Failback moves signed-in users in batches: until theirs, they stay where they are (read-only).
    if (atBackup && s.state === PoolState.FailingBack) return true;
    // A registrar-resiliency sign-in stays until the fallback interval sends it home, or a failover completes.
    return (
      atBackup &&
      ep.mode === ClientMode.Resiliency &&
      (s.state === PoolState.Active || s.state === PoolState.FailingOver)
    );
  }

  /** Fallback: resiliency-mode users here whose home pool is back for the fallback interval go home. */
  private async fallback(): Promise<void> {
    const t = this.d.topology();
    for (const p of t.pools) {
      if (p.backupPool !== this.d.ownPool) continue;
      const s = this.d.view.poolState(p.fqdn);
      if (s.state !== PoolState.Active || s.servedBy !== p.fqdn) continue;
      if (this.d.liveness.aliveForMs(p.fqdn) < p.registrar.fallbackDetectionMs) continue;
      const users = this.signedIn(p.fqdn);
      if (users.length > 0) {
        this.d.log('home pool is back: sending resiliency-mode users home', {
          homePool: p.fqdn,
          users: users.length,
        });
        await this.relocate(users, 'fallback');
      }
    }
  }

  /**
   * The client signs in again at a random moment before `deadline` (relocation-pace.ts). Every endpoint of one
   * relocation gets the same deadline: signing out 20,000 endpoints takes over a second, and a window counted
   * from each one's own sign-out would let the last of them arrive that much later.
   */
  private signOut(ep: Endpoint, reason: string, deadline: number): boolean {
    const removed = this.d.endpoints.remove(ep, reason);
    const payload = {
      reason,
      detail: detailOf(reason, ep.homePool),
      servers: this.d.servedAt(ep.sip),
      reconnectWithinMs: Math.max(0, deadline - this.now()),
    };
    ep.handle.close(CloseCode.Relocated, reason, encodePush('signed-out', payload));
    return removed;
  }
}

function reasonOf(s: PoolStateDoc): string {
  switch (s.state) {
    case PoolState.FailingOver:
      return 'failover-started';
    case PoolState.FailedOver:
      return 'failover-complete';
    case PoolState.FailingBack:
      return 'failback-started';
    case PoolState.Active:
      return 'failback-complete';
  }
}

function detailOf(reason: string, home: string): string {
  switch (reason) {
    case 'failover':
      return `${home} was failed over; sign in again: your backup registrar serves you now`;
    case 'failback':
      return `${home} is failed back; sign in again at your home pool`;
    case 'fallback':
      return `${home} is reachable again; sign in again at your home pool`;
    default:
      return 'sign in again';
  }
}
