/**
 * @module The Litware pair with a TCP proxy in front of each server for server-to-server traffic, so that a
 * test or benchmark can cut or black-hole the link between the sites while clients and the shell still reach
 * each server directly.
 */
import { Cluster } from './cluster.js';
import { clusterStore, pairStores } from './cluster-stores.js';
import { freePorts } from './ports.js';
import { TcpProxy } from './tcp-proxy.js';
import { litwareFixture, type FixtureOptions } from './topology-fixture.js';

export interface SplitCluster {
  readonly cluster: Cluster;
  /** Carries the links into Atlanta's server. */
  readonly toAtl: TcpProxy;
  /** Carries the links into Dallas's server. */
  readonly toDal: TcpProxy;
  /** Both directions at once. */
  both(act: (p: TcpProxy) => void): void;
  stop(): Promise<void>;
}

export interface SplitClusterOptions extends Omit<FixtureOptions, 'ports' | 'linkAddresses'> {
  /** The proxies keep every byte of the links, from the servers' first connection on (TcpProxy `record`). */
  readonly recordLinks?: boolean;
}

export async function startSplitCluster(all: SplitClusterOptions = {}): Promise<SplitCluster> {
  const { recordLinks, ...opts } = all;
  const [pa, pd, xa, xd] = await freePorts(4);
  const record = { record: recordLinks === true };
  const toAtl = await TcpProxy.start({ host: '127.0.0.1', port: pa ?? 0 }, xa, record);
  const toDal = await TcpProxy.start({ host: '127.0.0.1', port: pd ?? 0 }, xd, record);
  const stores = opts.postgres ? undefined : await pairStores(opts.stores ?? clusterStore());
  const fixture = await litwareFixture({
    ...opts,
    postgres: opts.postgres ?? stores?.postgres,
    ports: [pa ?? 0, pd ?? 0],
    linkAddresses: { atl: toAtl.address, dal: toDal.address },
  });
  return splitOf(await Cluster.fromFixture(fixture, ['atl', 'dal'], stores?.release), toAtl, toDal);
}

/** A started cluster with the proxies on its links. */
export function splitOf(cluster: Cluster, toAtl: TcpProxy, toDal: TcpProxy): SplitCluster {
  return {
    cluster,
    toAtl,
    toDal,
    both(act) {
      act(toAtl);
      act(toDal);
    },
    async stop() {
      await cluster.stop();
      await toAtl.close();
      await toDal.close();
    },
  };
}
