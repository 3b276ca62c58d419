/**
 * @module Benchmark of the Backup Service: replication lag under sustained write load at several rates,
 * catch-up after a backlog of a million changes (throughput on the backup pool), and the same rows written
 * as raw inserts into a store, measured in the same run, as the ceiling to compare with.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { TandemClient } from '../client-sdk/index.js';
import { type Cluster, eventually, harnessPeer } from '../devkit/cluster.js';
import { ATL, DAL } from '../devkit/topology-fixture.js';
import type { PeerClient } from '../s2s/peer-client.js';
import { BackupContracts } from '../s2s/backup-links.js';
import { UserDataContracts } from '../s2s/user-data-links.js';
import { openSqliteStore } from '../storage/index.js';
import { provisionUsers, benchDeployment } from './bench-deployment.js';
import { percentile, round } from './stats.js';

export interface LagPoint {
  readonly targetRate: number;
  readonly achievedRate: number;
  readonly lagMs: { readonly p50: number; readonly p99: number; readonly max: number };
  readonly samples: number;
}

export interface ReplicationResult {
  readonly lag: readonly LagPoint[];
  readonly catchUp: { readonly changes: number; readonly seconds: number; readonly changesPerSecond: number };
  readonly rawInsertCeiling: {
    readonly rows: number;
    readonly seconds: number;
    readonly rowsPerSecond: number;
  };
  readonly throughputVsCeiling: number;
}

const view = (peer: PeerClient, server: string) => peer.call(server, BackupContracts.status, {});

async function caughtUp(peer: PeerClient, timeoutMs: number): Promise<boolean> {
  return eventually(
    async () => {
      const v = await view(peer, DAL).catch(() => undefined);
      return v?.inbound !== undefined && v.inbound.sourceHead > 0 && v.inbound.cursor >= v.inbound.sourceHead;
    },
    timeoutMs,
    20,
  );
}

/** Writes at a target rate for `seconds` through SDK clients (settings.set); returns acknowledged writes/s. */
async function sustain(clients: readonly TandemClient[], rate: number, seconds: number): Promise<number> {
  const start = Date.now();
  let sent = 0;
  let acked = 0;
  let n = 0;
  const inFlight = new Set<Promise<unknown>>();
  while (Date.now() - start < seconds * 1000) {
    const due = Math.floor(((Date.now() - start) / 1000) * rate);
    while (sent < due && inFlight.size < 2_000) {
      const cl = clients[n++ % clients.length] as TandemClient;
      const p = cl
        .setSetting(`k${n % 50}`, String(n))
        .then(() => {
          acked += 1;
        })
        .catch(() => undefined)
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      sent += 1;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  await Promise.all(inFlight);
  return Math.round(acked / ((Date.now() - start) / 1000));
}

async function lagAt(
  c: Cluster,
  peer: PeerClient,
  clients: readonly TandemClient[],
  rate: number,
): Promise<LagPoint> {
  await sustain(clients, rate, 2);
  await caughtUp(peer, 30_000);
  await peer.call(DAL, BackupContracts.lags, {});
  const achievedRate = await sustain(clients, rate, 8);
  await caughtUp(peer, 60_000);
  const { samples } = await peer.call(DAL, BackupContracts.lags, {});
  void c;
  return {
    targetRate: rate,
    achievedRate,
    lagMs: {
      p50: round(percentile(samples, 50), 1),
      p99: round(percentile(samples, 99), 1),
      max: round(percentile(samples, 100), 1),
    },
    samples: samples.length,
  };
}

async function catchUp(
  c: Cluster,
  peer: PeerClient,
  changes: number,
): Promise<{
  changes: number;
  seconds: number;
  changesPerSecond: number;
  rows: { owner: string; key: string; value: string }[];
}> {
  await c.kill(DAL, 'SIGKILL');
  const chunk = 20_000;
  const rows: { owner: string; key: string; value: string }[] = [];
  for (let i = 0; i < changes; i += chunk) {
    const owner = `sip:bulk${i / chunk}@litwareinc.com`;
    const items = Array.from({ length: Math.min(chunk, changes - i) }, (_, j) => ({
      kind: 'setting',
      key: `b${i + j}`,
      value: JSON.stringify(`value ${i + j}`),
    }));
    for (const it of items) rows.push({ owner, key: it.key, value: it.value });
    await peer.call(ATL, UserDataContracts.import, { owner, items }, { timeoutMs: 300_000 });
  }
  await c.startServer(DAL, false);
  const ok = await caughtUp(peer, 900_000);
  const end = Date.now();
  // From the moment the backup pool's importer started: the server's own start-up is not catch-up.
  const started = (await peer.call(DAL, BackupContracts.status, {})).inbound?.startedAt ?? end;
  const seconds = (end - started) / 1000;
  if (!ok) throw new Error('the backup pool did not catch up within 15 minutes');
  return { changes, seconds: round(seconds, 2), changesPerSecond: Math.round(changes / seconds), rows };
}

/** The same final rows written with plain prepared INSERTs in transactions of one page, into a fresh store. */
async function rawInserts(
  rows: readonly { owner: string; key: string; value: string }[],
): Promise<{ rows: number; seconds: number; rowsPerSecond: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'tandem-raw-'));
  try {
    const path = join(dir, 'raw.sqlite');
    await (await openSqliteStore(path)).close();
    const db = new BetterSqlite3(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const insert = db.prepare(
      'insert into user_item (owner, kind, key, value, rev, updated_at) values (?, ?, ?, ?, ?, ?)',
    );
    const page = db.transaction(
      (batch: readonly { owner: string; key: string; value: string }[], base: number) => {
        batch.forEach((r, i) => insert.run(r.owner, 'setting', r.key, r.value, base + i, Date.now()));
      },
    );
    const start = performance.now();
    for (let i = 0; i < rows.length; i += 2_000) page(rows.slice(i, i + 2_000), i);
    const seconds = (performance.now() - start) / 1000;
    db.close();
    return {
      rows: rows.length,
      seconds: round(seconds, 2),
      rowsPerSecond: Math.round(rows.length / seconds),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function replicationBench(
  rates: readonly number[],
  backlog: number,
): Promise<ReplicationResult> {
  const c = await benchDeployment();
  const peer = harnessPeer(c);
  const clients: TandemClient[] = [];
  try {
    const users = await provisionUsers(c, 200, 'writer');
    for (const u of users) {
      const cl = new TandemClient({
        urls: [`wss://${c.fixture.atl.address}/v1/client`],
        ca: c.ca,
        user: u.sip,
        token: u.token,
        reconnect: { enabled: false },
      });
      await cl.connect();
      clients.push(cl);
    }
    const lag: LagPoint[] = [];
    for (const rate of rates) {
      const point = await lagAt(c, peer, clients, rate);
      lag.push(point);
      process.stdout.write(`  lag at ${rate}/s: ${JSON.stringify(point)}\n`);
      if (point.achievedRate < rate * 0.9) break;
    }
    await Promise.all(clients.map((cl) => cl.close()));
    clients.length = 0;
    const cu = await catchUp(c, peer, backlog);
    const raw = await rawInserts(cu.rows);
    return {
      lag,
      catchUp: { changes: cu.changes, seconds: cu.seconds, changesPerSecond: cu.changesPerSecond },
      rawInsertCeiling: raw,
      throughputVsCeiling: round(cu.changesPerSecond / raw.rowsPerSecond, 2),
    };
  } finally {
    await Promise.all(clients.map((cl) => cl.close()));
    peer.close();
    await c.stop();
  }
}
