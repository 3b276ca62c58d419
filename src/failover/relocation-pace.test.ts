import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseTopology } from '../topology/parse-topology.js';
import { MAX_RELOCATION_WINDOW_MS, relocationCapacity, relocationWindowMs } from './relocation-pace.js';

const ATL = 'atl-cs-001.litwareinc.com';
const DAL = 'dal-cs-001.litwareinc.com';
const litware = readFileSync(new URL('../../examples/litware.yaml', import.meta.url), 'utf8');
const enterprise = readFileSync(new URL('../../examples/litware-enterprise.yaml', import.meta.url), 'utf8');

describe('relocation pacing', () => {
  const t = parseTopology(litware, { dataDir: '/tmp/tandem-pace' });

  it('sizes the window by the serving pool’s rate: 19,500 users at 2,000/s come back within 9.75 s', () => {
    expect(relocationCapacity(t, DAL)).toBe(2_000);
    expect(relocationWindowMs(t, DAL, 19_500)).toBe(9_750);
    expect(relocationWindowMs(t, ATL, 1)).toBe(1);
  });

  it('counts every server of an Enterprise pool', () => {
    const e = parseTopology(enterprise, { dataDir: '/tmp/tandem-pace' });
    const pool = e.pools.find((p) => p.servers.length > 1);
    expect(pool).toBeDefined();
    if (!pool) return;
    expect(relocationCapacity(e, pool.fqdn)).toBe(pool.registrar.relocationRate * pool.servers.length);
  });

  it('gives no window for nobody or an unknown pool, and caps a huge one', () => {
    expect(relocationWindowMs(t, DAL, 0)).toBe(0);
    expect(relocationWindowMs(t, 'nowhere.litwareinc.com', 100)).toBe(0);
    expect(relocationWindowMs(t, DAL, 10_000_000)).toBe(MAX_RELOCATION_WINDOW_MS);
  });
});
