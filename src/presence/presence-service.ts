/**
 * @module Presence: users publish an availability and a note (persisted user data); subscribers on any
 * server watch them. A user's serving server keeps, per user, the servers that watch it and notifies each
 * once per change; each watching server fans the change out to its local subscribers.
 */
import type { CommsHub } from '../delivery/comms-hub.js';
import type { Fabric } from '../delivery/fabric.js';
import { PresenceWatchAnswerSchema, type ServerCall } from '../delivery/user-events.js';
import type { UserDataAccess } from '../user-data/user-data-access.js';
import { Availability, type PresenceState, type SeenAvailability } from '../protocol/model.js';
import { Limits } from '../protocol/limits.js';
import { encodePush } from '../protocol/pushes.js';
import { TandemError, type WireError } from '../errors/index.js';
import { NotifyOutbox } from './notify-outbox.js';

const KIND = 'presence';
const KEY = 'state';
/** Watchers re-register this often; a watch not refreshed for three periods lapses. */
export const WATCH_REFRESH_MS = 60_000;

interface Published {
  availability: Availability;
  note: string;
  at: number;
}

export interface PresenceDeps {
  readonly hub: CommsHub;
  readonly fabric: Fabric;
  readonly data: UserDataAccess;
  /** Whether this server serves the user now (its serving pool is ours). */
  readonly servesUser: (sip: string) => boolean;
  /**
   * Whether a viewer at `viewerServer` sees the user's presence as Unknown: a user in resiliency mode (seed
   * 003; during failback only viewers in the user's own pool do, others see the last state set).
   */
  readonly hiddenFrom: (sip: string, viewerServer: string) => boolean;
  /** Whether a user may be subscribed to: the address book lists it (it exists and is enabled). */
  readonly listed: (sip: string) => boolean;
  /** Whether the pool serving the user is declared lost: an unanswered watch then shows Unknown, not Offline. */
  readonly servingPoolLost?: (sip: string) => boolean;
}

export interface Subscribed {
  readonly states: PresenceState[];
  /** Users not subscribed to, each with its error (USER_NOT_FOUND). */
  readonly refused: { readonly sip: string; readonly error: WireError }[];
}

export class PresenceService {
  /** target → local subscribers (users at this server). */
  private readonly subscribers = new Map<string, Set<string>>();
  /** subscriber → targets, to clean up when the subscriber leaves. */
  private readonly subscriptions = new Map<string, Set<string>>();
  /** target (served here) → watching server → lease expiry. */
  private readonly watchers = new Map<string, Map<string, number>>();
  private readonly published = new Map<string, Published>();
  private readonly outbox: NotifyOutbox;

  constructor(private readonly deps: PresenceDeps) {
    const { hub } = deps;
    this.outbox = new NotifyOutbox(
      deps.fabric.self,
      (server, states) => deps.fabric.call(server, { kind: 'presence.notify', states }),
      (state) => this.fanOut(state),
    );
    hub.onServerCallKind('presence.watch', (m, from) => this.onWatch(m, from));
    hub.onServerCallKind('presence.unwatch', async (m) => {
      if (m.kind === 'presence.unwatch') for (const u of m.users) this.watchers.get(u)?.delete(m.watcher);
      return {};
    });
    hub.onServerCallKind('presence.notify', async (m) => {
      if (m.kind === 'presence.notify') for (const s of m.states) this.fanOut(s);
      return {};
    });
    hub.endpoints.on('online', (sip) => void this.changed(sip));
    hub.endpoints.on('offline', (sip) => {
      this.dropSubscriber(sip);
      void this.changed(sip);
    });
    // A user switched to regular mode in place when a failover completed: its presence is no longer hidden.
    hub.endpoints.on('mode', (ep) => void this.changed(ep.sip));
  }

  /** Persists the new state, then notifies every watcher. */
  async publish(sip: string, availability: Availability, note = ''): Promise<PresenceState> {
    const p: Published = { availability, note, at: Date.now() };
    await this.deps.data.write(sip, [{ kind: KIND, key: KEY, value: p }]);
    this.published.set(sip, p);
    return (await this.changed(sip)) ?? (await this.seenState(sip));
  }

  /** The state a viewer at `viewerServer` sees of a user served here. */
  async seenState(sip: string, viewerServer = this.deps.fabric.self): Promise<PresenceState> {
    const p = await this.lastPublished(sip);
    let availability: SeenAvailability;
    if (this.deps.hiddenFrom(sip, viewerServer)) availability = 'Unknown';
    else if (!this.deps.hub.endpoints.isOnline(sip))
      // Not here, and the pool serving the user is lost: nobody can tell whether it is online.
      availability = this.deps.servingPoolLost?.(sip) ? 'Unknown' : Availability.Offline;
    else availability = p?.availability ?? Availability.Online;
    return { sip, availability, note: p?.note ?? '', at: p?.at ?? 0 };
  }

  /**
   * Subscribes to the users the address book lists; refuses the others one by one, with the answer a
   * nonexistent and a disabled user share. The users held per subscriber are capped (all or nothing).
   */
  async subscribe(subscriber: string, users: readonly string[]): Promise<Subscribed> {
    const targets: string[] = [];
    const refused: Subscribed['refused'] = [];
    for (const u of new Set(users)) {
      if (this.deps.listed(u)) targets.push(u);
      else refused.push({ sip: u, error: new TandemError('USER_NOT_FOUND', { identity: u }).toWire() });
    }
    const held = this.subscriptions.get(subscriber);
    const added = targets.filter((t) => !held?.has(t)).length;
    if ((held?.size ?? 0) + added > Limits.maxPresenceSubscriptions)
      throw new TandemError('LIMIT_EXCEEDED', {
        what: `Subscribing to ${added} more user(s) on top of the ${held?.size ?? 0} held (presence.unsubscribe frees room)`,
        limit: `${Limits.maxPresenceSubscriptions} presence subscriptions per user at a server`,
      });
    const mine = held ?? new Set<string>();
    this.subscriptions.set(subscriber, mine);
    for (const t of targets) {
      mine.add(t);
      const subs = this.subscribers.get(t) ?? new Set<string>();
      subs.add(subscriber);
      this.subscribers.set(t, subs);
    }
    return { states: await this.watch(targets), refused };
  }

  unsubscribe(subscriber: string, targets: readonly string[]): void {
    const mine = this.subscriptions.get(subscriber);
    for (const t of targets) {
      mine?.delete(t);
      const subs = this.subscribers.get(t);
      subs?.delete(subscriber);
      if (subs?.size === 0) this.subscribers.delete(t);
    }
  }

  /** Re-registers every watch (run periodically) and drops lapsed leases of watchers of our users. */
  async refresh(now = Date.now()): Promise<void> {
    for (const [target, servers] of this.watchers) {
      for (const [server, expiry] of servers) if (expiry < now) servers.delete(server);
      if (servers.size === 0) this.watchers.delete(target);
    }
    if (this.subscribers.size > 0) await this.watch([...this.subscribers.keys()]).catch(() => undefined);
  }

  /**
   * The pool serving these users was declared lost: their local subscribers see them as Unknown at once
   * ("User experience during pool failure"), and the watches move to wherever serves them from now on (the backup pool in resiliency mode).
   */
  async servingLost(affected: (sip: string) => boolean): Promise<void> {
    const targets = [...this.subscribers.keys()].filter(affected);
    if (targets.length === 0) return;
    for (const t of targets) this.fanOut({ sip: t, availability: 'Unknown', note: '', at: 0 });
    await this.watchAnswered(targets).catch(() => undefined);
  }

  /**
   * Where these users are served changed (a failover or failback step, or their lost pool answers again):
   * watch them where they are served now and give the local subscribers the state seen there.
   */
  async servingChanged(affected: (sip: string) => boolean): Promise<void> {
    const targets = [...this.subscribers.keys()].filter(affected);
    if (targets.length === 0) return;
    const answered = await this.watchAnswered(targets).catch(() => new Map<string, PresenceState>());
    for (const state of answered.values()) this.fanOut(state);
  }

  /** Counts for metrics and tests. */
  stats(): { subscribers: number; watchedUsers: number } {
    return { subscribers: this.subscriptions.size, watchedUsers: this.watchers.size };
  }

  /** Asks each target's serving servers to watch it for us; answers the current states. */
  private async watch(targets: readonly string[]): Promise<PresenceState[]> {
    const states = await this.watchAnswered(targets);
    const unanswered = (t: string): SeenAvailability =>
      this.deps.servingPoolLost?.(t) ? 'Unknown' : Availability.Offline;
    return targets.map((t) => states.get(t) ?? { sip: t, availability: unanswered(t), note: '', at: 0 });
  }

  /** The states of the targets whose serving servers answered the watch (an unreachable pool's are missing). */
  private async watchAnswered(targets: readonly string[]): Promise<Map<string, PresenceState>> {
    const byServer = new Map<string, string[]>();
    for (const t of targets) {
      for (const server of this.deps.fabric.serversOf(t)) {
        const list = byServer.get(server) ?? [];
        list.push(t);
        byServer.set(server, list);
      }
    }
    const states = new Map<string, PresenceState>();
    await Promise.all(
      [...byServer].map(async ([server, users]) => {
        try {
          const res = PresenceWatchAnswerSchema.parse(
            await this.deps.fabric.call(server, {
              kind: 'presence.watch',
              watcher: this.deps.fabric.self,
              users,
            }),
          );
          for (const s of res.states) {
            const prev = states.get(s.sip);
            if (!prev || prev.availability === Availability.Offline) states.set(s.sip, s);
          }
        } catch {
          // An unreachable pool: its users show as Offline until it answers again.
        }
      }),
    );
    return states;
  }

  private async onWatch(m: ServerCall, from: string): Promise<unknown> {
    if (m.kind !== 'presence.watch') return {};
    const expiry = Date.now() + 3 * WATCH_REFRESH_MS;
    const states: PresenceState[] = [];
    for (const u of m.users) {
      const w = this.watchers.get(u) ?? new Map<string, number>();
      w.set(m.watcher || from, expiry);
      this.watchers.set(u, w);
      states.push(await this.seenState(u, m.watcher || from));
    }
    return { states };
  }

  /** Recomputes what others see of `sip` and queues a notification to each watching server. */
  private async changed(sip: string): Promise<PresenceState | undefined> {
    // Nobody watches most users at the moment they sign in: then there is nothing to compute or send.
    if (!this.watchers.get(sip)?.size) return undefined;
    const state = await this.seenState(sip);
    for (const server of this.watchers.get(sip)?.keys() ?? [])
      this.outbox.queue(server, server === this.deps.fabric.self ? state : await this.seenState(sip, server));
    return state;
  }

  private fanOut(state: PresenceState): void {
    const subs = this.subscribers.get(state.sip);
    if (!subs) return;
    // Encoded once, sent to every subscriber as is.
    const frame = Buffer.from(encodePush('presence.changed', state));
    for (const sub of subs) this.deps.hub.endpoints.sendFrame(sub, frame);
  }

  private async lastPublished(sip: string): Promise<Published | undefined> {
    const cached = this.published.get(sip);
    if (cached) return cached;
    const p = await this.deps.data.get<Published>(sip, KIND, KEY);
    // Only users served here stay cached; the cache is dropped when they go offline.
    if (p && this.deps.hub.endpoints.isOnline(sip)) this.published.set(sip, p);
    return p;
  }

  private dropSubscriber(sip: string): void {
    this.published.delete(sip);
    const mine = this.subscriptions.get(sip);
    if (!mine) return;
    this.unsubscribe(sip, [...mine]);
    this.subscriptions.delete(sip);
  }
}
