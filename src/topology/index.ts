/** @module The topology: the YAML document that describes a deployment, its validation, and look-ups over it. */
export * from './topology-types.js';
export {
  parseTopology,
  readTopologyFile,
  validateTopologyDocument,
  type ParseTopologyOptions,
} from './parse-topology.js';
export type { TopologyIssue } from './topology-issue.js';
export { topologySchema, TopologyDefaults, type TopologyDocument } from './topology-schema.js';
export { parseListenAddress, addressesCollide, type ListenAddress } from './listen-address.js';
export {
  allServers,
  backupPoolOf,
  findEdgePool,
  findPool,
  findServer,
  poolOfServer,
  requireEdgePool,
  requirePool,
  requireServer,
  serversInPreferredOrder,
} from './topology-lookups.js';
