/**
 * @module Simulated users for the drill: one SDK client per user, all in one process, that keep signing in
 * (the SDK retries on its own), changing presence, editing contacts, messaging and scheduling meetings, at a
 * steady overall rate. Every change a server acknowledges goes into the user's ledger; `verify` has each
 * user read their own data back and reports what is missing.
 */
import { loopbackSourceFor } from '../devkit/loopback-sources.js';
import { TandemClient, TandemClientError } from '../client-sdk/index.js';
import { Availability } from '../protocol/model.js';
import { SeededRandom } from '../devkit/seeded-random.js';
import { eachLimited } from '../timing/each-limited.js';
import { UserLedger, type LedgerEntry, type LedgerKind } from './drill-ledger.js';

export interface FleetUser {
  readonly sip: string;
  readonly token: string;
}

export interface FleetOptions {
  readonly urls: readonly string[];
  /** The deployment CA (PEM) the servers' certificates chain to. */
  readonly ca: string;
  readonly users: readonly FleetUser[];
  readonly password: string;
  readonly seed: number;
  /** Actions per second across the whole fleet. */
  readonly ratePerSecond: number;
}

export interface FleetStatus {
  /** `server|mode` (signed in) or the client state → clients. */
  readonly counts: Record<string, number>;
  readonly actions: number;
  readonly acked: number;
  /** Refused or failed actions by error code. */
  readonly refused: Record<string, number>;
  readonly ledgerEntries: number;
}

export interface FleetVerification {
  readonly checked: number;
  /** Users not signed in in regular mode, so not checked. */
  readonly unverified: number;
  readonly missing: LedgerEntry[];
  /** Users whose read failed (code → count). */
  readonly readErrors: Record<string, number>;
}

interface SimUser {
  readonly sip: string;
  readonly client: TandemClient;
  readonly ledger: UserLedger;
  busy: boolean;
  n: number;
}

const AVAILABILITIES = [Availability.Online, Availability.Busy, Availability.Away] as const;
const TICK_MS = 50;

export class ActivityFleet {
  private readonly users: SimUser[];
  private readonly random: SeededRandom;
  private timer: NodeJS.Timeout | undefined;
  private carry = 0;
  private actions = 0;
  private acked = 0;
  private readonly refused: Record<string, number> = {};
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly opts: FleetOptions) {
    this.random = new SeededRandom(opts.seed);
    this.users = opts.users.map((u, i) => ({
      sip: u.sip,
      client: new TandemClient({
        urls: [...opts.urls],
        ca: opts.ca,
        user: u.sip,
        token: u.token,
        localAddress: loopbackSourceFor(opts.urls[0] ?? '', i),
        password: opts.password,
        clientName: 'tandem-drill',
        reconnect: { enabled: true, initialDelayMs: 100, maxDelayMs: 1_000 },
        keepaliveIntervalMs: 20_000,
      }),
      ledger: new UserLedger(u.sip),
      busy: false,
      n: 0,
    }));
  }

  /** Signs every user in (at most `concurrency` at once); returns the failures by code. */
  async signIn(concurrency = 64): Promise<Record<string, number>> {
    const errors: Record<string, number> = {};
    await eachLimited(this.users, concurrency, async (u) => {
      try {
        await u.client.connect();
      } catch (err) {
        const code = codeOf(err);
        errors[code] = (errors[code] ?? 0) + 1;
      }
    });
    return errors;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.inFlight]);
  }

  status(): FleetStatus {
    const counts: Record<string, number> = {};
    let ledgerEntries = 0;
    for (const u of this.users) {
      const cl = u.client;
      const k = cl.state() === 'signed-in' ? `${cl.servedBy() ?? '?'}|${cl.mode() ?? '?'}` : cl.state();
      counts[k] = (counts[k] ?? 0) + 1;
      ledgerEntries += u.ledger.size;
    }
    return { counts, actions: this.actions, acked: this.acked, refused: { ...this.refused }, ledgerEntries };
  }

  /** Each user in regular mode reads their settings, contacts and meetings and compares with the ledger. */
  async verify(concurrency = 64): Promise<FleetVerification> {
    const missing: LedgerEntry[] = [];
    const readErrors: Record<string, number> = {};
    let checked = 0;
    let unverified = 0;
    await eachLimited(this.users, concurrency, async (u) => {
      const cl = u.client;
      if (cl.state() !== 'signed-in' || cl.mode() !== 'regular') {
        unverified += 1;
        return;
      }
      const before = Date.now();
      try {
        const [settings, contacts, meetings] = await Promise.all([
          cl.getSettings(),
          cl.listContacts(),
          cl.listMeetings(),
        ]);
        const view = new Map<LedgerKind, Map<string, string>>([
          ['setting', new Map(Object.entries(settings.settings))],
          ['contact', new Map(contacts.contacts.map((c) => [c.sip, c.group]))],
          ['meeting', new Map(meetings.meetings.map((m) => [m.meetingId, m.subject]))],
        ]);
        missing.push(...u.ledger.missingFrom(view, before));
        checked += 1;
      } catch (err) {
        const code = codeOf(err);
        readErrors[code] = (readErrors[code] ?? 0) + 1;
      }
    });
    return { checked, unverified, missing, readErrors };
  }

  /** Takes entries out of the ledgers (reported as possibly lost by a disaster failover). */
  forgive(entries: readonly LedgerEntry[]): void {
    this.byOwner(entries, (u, es) => u.ledger.remove(es));
  }

  /** Puts entries back (restored from the divergent changes at failback). */
  reinstate(entries: readonly LedgerEntry[]): void {
    this.byOwner(entries, (u, es) => {
      for (const e of es) u.ledger.record(e.kind, e.key, e.value, e.ackAt);
    });
  }

  async close(): Promise<void> {
    await this.stop();
    await eachLimited(this.users, 200, (u) => u.client.close());
  }

  private byOwner(entries: readonly LedgerEntry[], act: (u: SimUser, es: LedgerEntry[]) => void): void {
    const owners = new Map<string, LedgerEntry[]>();
    for (const e of entries) owners.set(e.owner, [...(owners.get(e.owner) ?? []), e]);
    for (const u of this.users) {
      const es = owners.get(u.sip);
      if (es) act(u, es);
    }
  }

  private tick(): void {
    this.carry += (this.opts.ratePerSecond * TICK_MS) / 1000;
    const due = Math.floor(this.carry);
    this.carry -= due;
    for (let i = 0; i < due; i++) {
      const u = this.random.pick(this.users);
      if (u.busy) continue;
      u.busy = true;
      this.actions += 1;
      const p = this.act(u).finally(() => {
        u.busy = false;
        this.inFlight.delete(p);
      });
      this.inFlight.add(p);
    }
  }

  private async act(u: SimUser): Promise<void> {
    const cl = u.client;
    const n = ++u.n;
    const kind = this.random.weighted([
      ['setting', 4],
      ['presence', 2],
      ['contact', 1],
      ['meeting', 1],
      ['im', 2],
    ] as const);
    const other = this.random.pick(this.users).sip;
    const availability = this.random.pick(AVAILABILITIES);
    try {
      switch (kind) {
        case 'setting': {
          const key = `drill-${n}`;
          const value = `${n}@${Date.now()}`;
          await cl.setSetting(key, value);
          u.ledger.record('setting', key, value);
          break;
        }
        case 'contact': {
          if (other === u.sip || u.ledger.has('contact', other)) return;
          const c = await cl.addContact(other, 'Drill');
          u.ledger.record('contact', c.sip, c.group);
          break;
        }
        case 'meeting': {
          const start = new Date(Date.now() + 86_400_000);
          const subject = `drill ${n}`;
          const m = await cl.scheduleMeeting({
            subject,
            start: start.toISOString(),
            end: new Date(start.getTime() + 1_800_000).toISOString(),
            invitees: other === u.sip ? [] : [other],
          });
          u.ledger.record('meeting', m.meetingId, m.subject);
          break;
        }
        case 'presence':
          await cl.publishPresence(availability, `drill ${n}`);
          break;
        case 'im': {
          if (other === u.sip) return;
          const s = await cl.inviteIm(other, `hello ${n}`);
          await cl.endIm(s.sessionId).catch(() => undefined);
          break;
        }
      }
      this.acked += 1;
    } catch (err) {
      const code = codeOf(err);
      this.refused[code] = (this.refused[code] ?? 0) + 1;
    }
  }
}

function codeOf(err: unknown): string {
  return err instanceof TandemClientError ? err.code : err instanceof Error ? err.name : 'UNKNOWN';
}
