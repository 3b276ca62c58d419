import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TandemError } from '../errors/index.js';
import { parseTopology } from './parse-topology.js';
import {
  allServers,
  backupPoolOf,
  findEdgePool,
  findPool,
  findServer,
  poolOfServer,
  poolServerFqdns,
  requireEdgePool,
  requirePool,
  requireServer,
  serversInPreferredOrder,
} from './topology-lookups.js';
import type { PoolSpec } from './topology-types.js';

function example(name: string) {
  const text = readFileSync(fileURLToPath(new URL(`../../examples/${name}`, import.meta.url)), 'utf8');
  return parseTopology(text, { dataDir: '/data' });
}

const standard = example('litware.yaml');
const enterprise = example('litware-enterprise.yaml');

function thrown(fn: () => unknown): TandemError {
  try {
    fn();
  } catch (err) {
    if (err instanceof TandemError) return err;
    throw err;
  }
  throw new Error('expected a TandemError');
}

describe('topology look-ups', () => {
  it('finds pools case-insensitively', () => {
    expect(findPool(standard, 'ATL-CS-001.LitwareInc.com')?.site).toBe('Atlanta');
    expect(findPool(standard, 'nowhere.litwareinc.com')).toBeUndefined();
    expect(requirePool(standard, 'dal-cs-001.litwareinc.com').site).toBe('Dallas');
    const err = thrown(() => requirePool(standard, 'chi-cs-001.litwareinc.com'));
    expect(err.code).toBe('UNKNOWN_POOL');
    expect(err.message).toContain('Known pools: atl-cs-001.litwareinc.com, dal-cs-001.litwareinc.com');
  });

  it('finds servers and their pools', () => {
    expect(allServers(enterprise).map((s) => s.fqdn)).toEqual([
      'atl-fe-001.litwareinc.com',
      'atl-fe-002.litwareinc.com',
      'dal-fe-001.litwareinc.com',
      'dal-fe-002.litwareinc.com',
    ]);
    expect(findServer(enterprise, 'DAL-FE-002.litwareinc.com')?.port).toBe(5074);
    expect(poolOfServer(enterprise, 'dal-fe-002.litwareinc.com')?.fqdn).toBe('dal-cs-001.litwareinc.com');
    expect(poolOfServer(enterprise, 'dal-cs-001.litwareinc.com')).toBeUndefined();
    expect(requireServer(standard, 'atl-cs-001.litwareinc.com').address).toBe('127.0.0.1:5061');
    const err = thrown(() => requireServer(standard, 'atl-fe-009.litwareinc.com'));
    expect(err.code).toBe('UNKNOWN_SERVER');
    expect(err.message).toContain('atl-fe-009.litwareinc.com');
  });

  it("lists a pool's server FQDNs in document order", () => {
    expect(poolServerFqdns(enterprise, 'DAL-CS-001.litwareinc.com')).toEqual([
      'dal-fe-001.litwareinc.com',
      'dal-fe-002.litwareinc.com',
    ]);
    expect(poolServerFqdns(enterprise, 'nowhere.litwareinc.com')).toEqual([]);
  });

  it('finds the paired backup pool', () => {
    expect(backupPoolOf(standard, 'atl-cs-001.litwareinc.com')?.fqdn).toBe('dal-cs-001.litwareinc.com');
    expect(backupPoolOf(standard, 'DAL-CS-001.litwareinc.com')?.fqdn).toBe('atl-cs-001.litwareinc.com');
    expect(backupPoolOf(standard, 'nowhere.litwareinc.com')).toBeUndefined();
  });

  it('finds Edge pools', () => {
    expect(findEdgePool(standard, 'atl-edge-001.litwareinc.com')?.nextHopPool).toBe(
      'atl-cs-001.litwareinc.com',
    );
    expect(requireEdgePool(standard, 'ATL-EDGE-001.litwareinc.com').site).toBe('Atlanta');
    expect(thrown(() => requireEdgePool(standard, 'dal-edge-001.litwareinc.com')).code).toBe(
      'UNKNOWN_EDGE_POOL',
    );
  });
});

describe('serversInPreferredOrder', () => {
  const pool = requirePool(enterprise, 'atl-cs-001.litwareinc.com');
  const fourServers: PoolSpec = {
    ...pool,
    servers: [1, 2, 3, 4].map((n) => ({
      ...pool.servers[0]!,
      fqdn: `fe${n}.litwareinc.com`,
      port: 5080 + n,
    })),
  };

  it('is a rotation of the whole server list', () => {
    const order = serversInPreferredOrder(fourServers, 'sip:alice@litwareinc.com').map((s) => s.port);
    expect([...order].sort()).toEqual([5081, 5082, 5083, 5084]);
    const start = order[0]! - 5081;
    expect(order).toEqual([0, 1, 2, 3].map((k) => 5081 + ((start + k) % 4)));
  });

  it('is stable for a user, whatever the case or sip: prefix', () => {
    const a = serversInPreferredOrder(fourServers, 'sip:Alice@LitwareInc.com');
    const b = serversInPreferredOrder(fourServers, 'alice@litwareinc.com');
    expect(a).toEqual(b);
    expect(serversInPreferredOrder(fourServers, 'alice@litwareinc.com')).toEqual(b);
  });

  it('spreads users over the front ends', () => {
    const firstChoice = new Map<string, number>();
    for (let i = 0; i < 400; i++) {
      const first = serversInPreferredOrder(
        fourServers,
        `user${String(i).padStart(3, '0')}@litwareinc.com`,
      )[0]!.fqdn;
      firstChoice.set(first, (firstChoice.get(first) ?? 0) + 1);
    }
    expect(firstChoice.size).toBe(4);
    for (const count of firstChoice.values()) expect(count).toBeGreaterThan(60);
  });

  it('returns the one server of a Standard pool', () => {
    const single = requirePool(standard, 'atl-cs-001.litwareinc.com');
    expect(serversInPreferredOrder(single, 'bob@litwareinc.com')).toEqual(single.servers);
  });
});
