/**
 * @module The deployment a drill runs on: a topology file (the demo's, examples/litware.yaml, by default)
 * whose pair of pools is started as real server processes on free loopback ports, with a TCP proxy in front
 * of each server for the links between the sites, so that the drill can cut them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { Cluster, REPO } from '../devkit/cluster.js';
import { freePorts } from '../devkit/ports.js';
import { TcpProxy } from '../devkit/tcp-proxy.js';
import { splitOf, type SplitCluster } from '../devkit/split-cluster.js';
import { parseTopology } from '../topology/parse-topology.js';
import { toTandemError } from '../errors/index.js';
import { DrillUsageError } from './drill-options.js';

export const DEMO_TOPOLOGY = join(REPO, 'examples', 'litware.yaml');

export interface DrillDeployment {
  readonly split: SplitCluster;
  /** The two paired pools the drill fails over and back. */
  readonly pools: readonly [string, string];
  /** The server of each pool (one per pool). */
  readonly serverOf: ReadonlyMap<string, string>;
  readonly cmsPool: string;
  /** An Edge pool whose next hop is one of the pair, if the topology has one (Lync's pool failover procedure moves it first). */
  readonly edge: { readonly fqdn: string; readonly nextHop: string } | undefined;
  readonly sipDomain: string;
}

interface RawPool {
  fqdn: string;
  backupPool?: string;
  edition?: string;
  servers: { fqdn: string; address: string; linkAddress?: string }[];
  store: { sqlite: string } | { postgres: string };
  registrar?: Record<string, unknown>;
}

/**
 * Checks the file as Tandem would (naming the field at fault), then that it is a pair the drill can run:
 * exactly two front-end pools, each other's backup, one server each.
 */
function readPair(file: string): { doc: Record<string, unknown>; pools: [RawPool, RawPool] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new DrillUsageError(`cannot read the topology file ${file}: ${(err as Error).message}`);
  }
  try {
    parseTopology(text, { dataDir: '/tmp' });
  } catch (err) {
    throw new DrillUsageError(`the topology file ${file} is not valid: ${toTandemError(err).message}`);
  }
  const doc = parse(text) as Record<string, unknown>;
  const pools = (doc.pools ?? []) as RawPool[];
  const [a, b] = pools;
  if (pools.length !== 2 || !a || !b || a.backupPool !== b.fqdn)
    throw new DrillUsageError(
      `the drill runs on two front-end pools paired with each other; ${file} has ${pools.length} pool(s)${pools.length === 2 ? ' that are not paired' : ''}.`,
    );
  for (const [i, p] of pools.entries())
    if (p.servers.length !== 1)
      throw new DrillUsageError(
        `pools[${i}].servers: the drill runs one server per pool; ${p.fqdn} has ${p.servers.length}.`,
      );
  return { doc, pools: [a, b] };
}

export async function startDrillDeployment(file = DEMO_TOPOLOGY): Promise<DrillDeployment> {
  const { doc, pools } = readPair(file);
  const [pa, pb, xa, xb] = await freePorts(4);
  const ports = [pa ?? 0, pb ?? 0];
  const proxies = await Promise.all(
    ports.map((port, i) => TcpProxy.start({ host: '127.0.0.1', port }, [xa, xb][i])),
  );
  for (const [i, p] of pools.entries()) {
    const server = p.servers[0] as RawPool['servers'][number];
    server.address = `127.0.0.1:${ports[i] ?? 0}`;
    server.linkAddress = proxies[i]?.address ?? '';
    // Short detection intervals, so that a lost pool's users reach resiliency mode within a scenario; idle
    // simulated clients keep their connections. The fleet comes from 16 loopback addresses: the per-address
    // cap is raised explicitly, so that every user of both pools fits on one server after a failover.
    p.registrar = {
      ...p.registrar,
      failureDetection: 5,
      fallbackDetection: 10,
      keepaliveTimeout: 600,
      maxConnectionsPerAddress: 10_000,
    };
  }
  delete doc.demo; // the drill provisions its own users
  const slot = (p: RawPool, i: number) => {
    const server = { fqdn: p.servers[0]?.fqdn ?? '', address: `127.0.0.1:${ports[i] ?? 0}` };
    return { pool: p.fqdn, server: server.fqdn, address: server.address, servers: [server], store: p.store };
  };
  const cluster = await Cluster.fromFixture({
    yaml: stringify(doc),
    atl: slot(pools[0], 0),
    dal: slot(pools[1], 1),
  });
  const [toA, toB] = proxies as [TcpProxy, TcpProxy];
  const names = [pools[0].fqdn, pools[1].fqdn] as const;
  const edges = (doc.edgePools ?? []) as { fqdn: string; nextHopPool: string }[];
  const edge = edges.find((e) => names.includes(e.nextHopPool));
  return {
    split: splitOf(cluster, toA, toB),
    pools: names,
    serverOf: new Map(pools.map((p) => [p.fqdn, p.servers[0]?.fqdn ?? p.fqdn])),
    cmsPool: typeof doc.cmsPool === 'string' ? doc.cmsPool : names[0],
    edge: edge ? { fqdn: edge.fqdn, nextHop: edge.nextHopPool } : undefined,
    sipDomain: typeof doc.sipDomain === 'string' ? doc.sipDomain : 'litwareinc.com',
  };
}
