/**
 * @module Publishing topologies: validation, the changes a running deployment refuses (publication-guards),
 * and edits made by cmdlets (Set-CsEdgeServer) as new revisions of the published document.
 */
import { parseDocument } from 'yaml';
import type { CmsService } from '../cms/cms-service.js';
import { DocKey, type TopologyDoc } from '../cms/cms-documents.js';
import { parseTopologyOffThread } from '../topology/parse-off-thread.js';
import { requireEdgePool, requirePool } from '../topology/topology-lookups.js';
import type { Topology } from '../topology/topology-types.js';
import { TandemError } from '../errors/index.js';
import { checkPublication } from './publication-guards.js';

export interface PublishResult {
  readonly revision: number;
  readonly topology: Topology;
}

export async function publishTopology(
  cms: CmsService,
  yaml: string,
  publishedBy: string,
  dataDir: string,
  whatIf = false,
): Promise<PublishResult> {
  const topology = await parseTopologyOffThread(yaml, { dataDir });
  const homed = new Map<string, number>();
  for (const u of cms.view.allUsers()) homed.set(u.homePool, (homed.get(u.homePool) ?? 0) + 1);
  const current = cms.view.topology();
  checkPublication(topology, {
    current: current ? cms.topology() : undefined,
    homed,
    cmsPool: cms.masterPool(),
  });
  const revision = (current?.revision ?? 0) + 1;
  if (whatIf) return { revision, topology };
  const doc: TopologyDoc = { revision, yaml, publishedAt: Date.now(), publishedBy };
  await cms.write(
    [{ key: DocKey.topology, value: JSON.stringify(doc), ifVersion: cms.view.versionOf(DocKey.topology) }],
    'Publish-CsTopology',
  );
  return { revision, topology };
}

/** Strips a Lync identity prefix such as `EdgeServer:` or `Registrar:` (case-insensitive). */
export function stripIdentityPrefix(identity: string, prefix: string): string {
  const text = identity.trim();
  return text.toLowerCase().startsWith(`${prefix.toLowerCase()}:`) ? text.slice(prefix.length + 1) : text;
}

/** Returns the published YAML with one Edge pool's next hop changed, comments and layout kept. */
export function withEdgeNextHop(
  cms: CmsService,
  edgeFqdn: string,
  nextHop: string,
): { yaml: string; previous: string } {
  const topology = cms.topology();
  const edge = requireEdgePool(topology, edgeFqdn);
  const pool = requirePool(topology, nextHop);
  const current = cms.view.topology();
  if (!current) throw new TandemError('NOT_FOUND', { what: 'Published topology', name: 'topology' });
  const doc = parseDocument(current.yaml);
  const edges = doc.get('edgePools');
  const items = (edges as { items?: unknown[] } | undefined)?.items ?? [];
  const index = items.findIndex((item) => {
    const fqdn = (item as { get?: (k: string) => unknown }).get?.('fqdn');
    return typeof fqdn === 'string' && fqdn.toLowerCase() === edge.fqdn;
  });
  if (index < 0) throw new TandemError('UNKNOWN_EDGE_POOL', { edge: edgeFqdn, known: edge.fqdn });
  doc.setIn(['edgePools', index, 'nextHopPool'], pool.fqdn);
  return { yaml: doc.toString(), previous: edge.nextHopPool };
}
