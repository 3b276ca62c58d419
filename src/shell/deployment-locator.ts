/**
 * @module Finds the deployment the shell talks to: --topology or TANDEM_TOPOLOGY, else the one `tandem up`
 * runs from the data folder, else the demo topology. Yields the servers to try, in order.
 */
import { existsSync } from 'node:fs';
import { readTopologyFile } from '../topology/parse-topology.js';
import { allServers } from '../topology/topology-lookups.js';
import type { Topology } from '../topology/topology-types.js';
import { readDeploymentRecord, readServerRecords } from '../supervisor/run-state.js';
import { defaultDataDir, demoTopologyPath } from '../files/package-root.js';
import { TandemError } from '../errors/index.js';
import { caCertPath, loadTrustedCa } from '../certificates/deployment-pki.js';

export interface LocateOptions {
  readonly topologyPath?: string;
  readonly dataDir?: string;
  /** The CA to trust; default TANDEM_CA_FILE, else the deployment CA in the data folder. */
  readonly caFile?: string;
}

export interface Deployment {
  readonly topologyPath: string;
  readonly dataDir: string;
  readonly topology: Topology;
  /** `{ fqdn, address }` of every server, those recorded running first. */
  readonly servers: readonly { readonly fqdn: string; readonly address: string }[];
  /** The addresses of the topology: the only ones the shell sends its credential to. */
  readonly trusted: readonly string[];
  /** The CA certificate to trust (read when first needed) and its file. */
  readonly trust: () => { readonly ca: string; readonly file: string };
}

/** The CA file a client trusts: the one named, else TANDEM_CA_FILE, else the deployment CA in the data folder. */
export function trustedCaFile(dataDir: string, named?: string): string {
  return named ?? process.env.TANDEM_CA_FILE ?? caCertPath(dataDir);
}

export function locateDeployment(opts: LocateOptions = {}): Deployment {
  const dataDir = opts.dataDir ?? defaultDataDir();
  const record = readDeploymentRecord(dataDir);
  const topologyPath =
    opts.topologyPath ?? process.env.TANDEM_TOPOLOGY ?? record?.topologyPath ?? demoTopologyPath();
  if (!existsSync(topologyPath)) {
    throw new TandemError('SHELL_NO_DEPLOYMENT', {
      detail: `the topology file ${topologyPath} does not exist`,
    });
  }
  const topology = readTopologyFile(topologyPath, { dataDir });
  const running = new Set(readServerRecords(dataDir).map((r) => r.fqdn));
  const servers = [...allServers(topology)]
    .sort((a, b) => Number(running.has(b.fqdn)) - Number(running.has(a.fqdn)))
    .map((s) => ({ fqdn: s.fqdn, address: s.address }));
  const caFile = trustedCaFile(dataDir, opts.caFile);
  let ca: string | undefined;
  return {
    topologyPath,
    dataDir,
    topology,
    servers,
    trusted: allServers(topology).map((s) => s.address),
    trust: () => ({ ca: (ca ??= loadTrustedCa(caFile)), file: caFile }),
  };
}
