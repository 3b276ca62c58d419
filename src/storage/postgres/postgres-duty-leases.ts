/**
 * @module Duty leases on PostgreSQL, the arbiter of an Enterprise pool's front ends. A lease is a session
 * advisory lock held on a connection of its own: PostgreSQL gives it up the moment that connection ends (a
 * holder killed, a link cut), and the next front end takes it with the next epoch. The holder probes its
 * connection every second and counts the lease lost when a probe fails or goes unanswered; until a successor
 * exists its writes still pass the epoch check, after that none does.
 */
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { DutyHolder, DutyLease, DutyLeaseStore } from '../store.js';
import { dutyRecords, isCurrentEpoch, nextDutyEpoch } from '../kysely-duty-epochs.js';

/** First key of every duty's advisory lock (the second is hashtext of the duty's name); chosen at random once. */
export const DUTY_LOCK_NAMESPACE = 51_234;
/** How often a holder checks its lease connection, and how long it waits for the answer. */
export const LEASE_PROBE_INTERVAL_MS = 1_000;
export const LEASE_PROBE_TIMEOUT_MS = 3_000;
/**
 * The back end ends a lease connection whose holder vanished (machine lost, not just killed) within about
 * idle + interval × count seconds: these keepalives, set on the lease's own session, bound a takeover to ~11 s.
 */
const SESSION_KEEPALIVES = [
  'set tcp_keepalives_idle = 5',
  'set tcp_keepalives_interval = 2',
  'set tcp_keepalives_count = 3',
  'set tcp_user_timeout = 10000',
];

export class PostgresDutyLeases implements DutyLeaseStore {
  readonly #open = new Set<PostgresLease>();
  /** Per duty, the connection this front end asks for it on while another holds it. */
  readonly #asking = new Map<string, pg.Client>();
  #closed = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly connectionString: string,
  ) {}

  async tryAcquire(duty: string, holder: string): Promise<DutyLease | undefined> {
    // A front end that asks every second keeps its asking connection: it becomes the lease's when granted.
    const client = this.#asking.get(duty) ?? (await this.#connect(duty));
    this.#asking.delete(duty);
    try {
      const got = await client.query<{ got: boolean }>(
        'select pg_try_advisory_lock($1, hashtext($2)) as got',
        [DUTY_LOCK_NAMESPACE, duty],
      );
      if (!got.rows[0]?.got) {
        if (this.#closed) await client.end();
        else this.#asking.set(duty, client);
        return undefined;
      }
      await client.query('select set_config($1, $2, false)', [
        'application_name',
        `tandem lease ${duty}`.slice(0, 63),
      ]);
      const epoch = await nextDutyEpoch(this.db, duty, holder, Date.now());
      const lease = new PostgresLease(duty, holder, epoch, client, () => this.#open.delete(lease));
      this.#open.add(lease);
      return lease;
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
  }

  async #connect(duty: string): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.connectionString,
      keepAlive: true,
      // pg_stat_activity shows who asks for a duty and who holds it (renamed once granted).
      application_name: `tandem asks ${duty}`.slice(0, 63),
    });
    // Errors of the lease connection end the lease (PostgresLease); they must never crash the server.
    client.on('error', () => undefined);
    // An asking connection that ends is dropped, and the next round opens a new one.
    client.on('end', () => {
      if (this.#asking.get(duty) === client) this.#asking.delete(duty);
    });
    await client.connect();
    try {
      for (const statement of SESSION_KEEPALIVES) await client.query(statement);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    return client;
  }

  async holders(): Promise<DutyHolder[]> {
    const records = await dutyRecords(this.db);
    const duties = records.map((r) => r.duty);
    const held =
      duties.length === 0
        ? []
        : (
            await sql<{ duty: string }>`select d.duty from unnest(${duties}::text[]) as d(duty)
              where exists (select 1 from pg_locks l
                where l.locktype = 'advisory' and l.granted and l.objsubid = 2
                  and l.database = (select oid from pg_database where datname = current_database())
                  and l.classid = ${DUTY_LOCK_NAMESPACE}::int4::oid and l.objid = hashtext(d.duty)::oid)`.execute(
              this.db,
            )
          ).rows.map((r) => r.duty);
    return records.map((r) => ({ ...r, held: held.includes(r.duty) }));
  }

  isCurrent(duty: string, epoch: number): Promise<boolean> {
    return isCurrentEpoch(this.db, duty, epoch);
  }

  /** Releases every lease this store handed out and ends the asking connections (closing the store). */
  async releaseAll(): Promise<void> {
    this.#closed = true;
    const asking = [...this.#asking.values()];
    this.#asking.clear();
    await Promise.all([
      ...asking.map((c) => c.end().catch(() => undefined)),
      ...[...this.#open].map((l) => l.release()),
    ]);
  }
}

class PostgresLease implements DutyLease {
  readonly lost: Promise<string>;
  #lose: (reason: string) => void = () => undefined;
  #ended = false;
  readonly #probe: NodeJS.Timeout;

  constructor(
    readonly duty: string,
    readonly holder: string,
    readonly epoch: number,
    private readonly client: pg.Client,
    private readonly forget: () => void,
  ) {
    this.lost = new Promise((resolve) => (this.#lose = resolve));
    client.on('error', (err: Error) => this.#end(`the lease connection failed: ${err.message}`));
    client.on('end', () => this.#end('the lease connection ended'));
    this.#probe = setInterval(() => void this.#check(), LEASE_PROBE_INTERVAL_MS);
    this.#probe.unref();
  }

  async release(): Promise<void> {
    if (this.#ended) return;
    this.#end('released');
    await this.client
      .query('select pg_advisory_unlock($1, hashtext($2))', [DUTY_LOCK_NAMESPACE, this.duty])
      .catch(() => undefined);
    await this.client.end().catch(() => undefined);
  }

  async #check(): Promise<void> {
    if (this.#ended) return;
    let timer: NodeJS.Timeout | undefined;
    const unanswered = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), LEASE_PROBE_TIMEOUT_MS);
    });
    const answered = this.client.query('select 1').then(
      () => 'ok' as const,
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    const outcome = await Promise.race([answered, unanswered]);
    clearTimeout(timer);
    if (outcome === 'ok') return;
    this.#end(
      outcome === 'timeout'
        ? 'the back end did not answer the lease probe'
        : `the lease probe failed: ${outcome}`,
    );
    // A connection that no longer answers may still hold the lock at the back end: end it from this side too.
    await this.client.end().catch(() => undefined);
  }

  #end(reason: string): void {
    if (this.#ended) return;
    this.#ended = true;
    clearInterval(this.#probe);
    this.forget();
    this.#lose(reason);
  }
}
