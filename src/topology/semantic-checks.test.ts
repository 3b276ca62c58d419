import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { TandemError } from '../errors/index.js';
import { parseTopology } from './parse-topology.js';

const DATA = path.resolve('/var/lib/tandem');

type Entry = Record<string, unknown>;
interface Doc {
  [key: string]: unknown;
  sites: Entry[];
  pools: (Entry & { servers: Entry[] })[];
  edgePools?: Entry[];
}

function standard(
  name: string,
  site: string,
  backup: string | undefined,
  port: number,
): Doc['pools'][number] {
  const fqdn = `${name}.contoso.com`;
  return {
    fqdn,
    site,
    edition: 'Standard',
    ...(backup === undefined ? {} : { backupPool: `${backup}.contoso.com` }),
    store: { sqlite: `${name}.sqlite` },
    servers: [{ fqdn, address: `127.0.0.1:${port}` }],
  };
}

function enterprise(
  name: string,
  site: string,
  backup: string | undefined,
  firstPort: number,
): Doc['pools'][number] {
  return {
    fqdn: `${name}.contoso.com`,
    site,
    edition: 'Enterprise',
    ...(backup === undefined ? {} : { backupPool: `${backup}.contoso.com` }),
    store: { postgres: `postgres://postgres@127.0.0.1:5432/${name}` },
    servers: [
      { fqdn: `${name}-fe1.contoso.com`, address: `127.0.0.1:${firstPort}` },
      { fqdn: `${name}-fe2.contoso.com`, address: `127.0.0.1:${firstPort + 1}` },
    ],
  };
}

/** Two paired Standard pools, atl (pools[0]) and dal (pools[1]), and an Edge pool. */
function base(): Doc {
  return {
    name: 'test',
    sipDomain: 'contoso.com',
    cmsPool: 'atl.contoso.com',
    sites: [{ name: 'Atlanta' }, { name: 'Dallas' }],
    pools: [standard('atl', 'Atlanta', 'dal', 5061), standard('dal', 'Dallas', 'atl', 5062)],
    edgePools: [{ fqdn: 'edge.contoso.com', site: 'Atlanta', nextHopPool: 'atl.contoso.com' }],
  };
}

function pool(doc: Doc, i: number): Doc['pools'][number] {
  const found = doc.pools[i];
  if (found === undefined) throw new Error(`no pools[${i}]`);
  return found;
}

function detailsOf(doc: Doc): string {
  try {
    parseTopology(stringify(doc), { dataDir: DATA });
  } catch (err) {
    expect(err).toBeInstanceOf(TandemError);
    expect((err as TandemError).code).toBe('TOPOLOGY_INVALID');
    return String((err as TandemError).params.details);
  }
  throw new Error('expected the topology to be rejected');
}

/** The one problem line on `fieldPath` after `change`; fails when there is none. */
function problemAt(fieldPath: string, change: (doc: Doc) => void): string {
  const doc = base();
  change(doc);
  const details = detailsOf(doc);
  const line = details.split('\n').find((l) => l.startsWith(`${fieldPath}: `));
  expect(line, `no problem on ${fieldPath} in:\n${details}`).toBeDefined();
  return line ?? '';
}

describe('semantic checks', () => {
  it('accepts the base document and its Enterprise variant', () => {
    expect(() => parseTopology(stringify(base()), { dataDir: DATA })).not.toThrow();
    const doc = base();
    doc.pools = [enterprise('atl', 'Atlanta', 'dal', 5071), enterprise('dal', 'Dallas', 'atl', 5073)];
    expect(() => parseTopology(stringify(doc), { dataDir: DATA })).not.toThrow();
  });

  it('checks FQDN syntax of pools, servers and Edge pools', () => {
    expect(problemAt('pools[0].fqdn', (d) => Object.assign(pool(d, 0), { fqdn: 'atl' }))).toContain(
      'not fully qualified',
    );
    expect(
      problemAt('pools[1].servers[0].fqdn', (d) =>
        Object.assign(pool(d, 1).servers[0] ?? {}, { fqdn: 'dal_1.contoso.com' }),
      ),
    ).toMatch(/label 'dal_1'.*letters, digits and hyphens/);
    expect(
      problemAt('edgePools[0].fqdn', (d) =>
        Object.assign(d.edgePools?.[0] ?? {}, { fqdn: '-edge.contoso.com' }),
      ),
    ).toContain('must not start or end with a hyphen');
    expect(
      problemAt('pools[0].fqdn', (d) => Object.assign(pool(d, 0), { fqdn: 'atl..contoso.com' })),
    ).toContain('empty label');
  });

  it('checks the SIP domain syntax', () => {
    expect(problemAt('sipDomain', (d) => (d.sipDomain = 'contoso'))).toContain(
      "the part of users' SIP addresses after the @",
    );
  });

  it('rejects duplicate site names', () => {
    expect(problemAt('sites[2].name', (d) => d.sites.push({ name: 'atlanta' }))).toContain(
      'listed twice (also sites[0])',
    );
  });

  it('rejects an unknown site on a pool and on an Edge pool', () => {
    const line = problemAt('pools[1].site', (d) => Object.assign(pool(d, 1), { site: 'dallas' }));
    expect(line).toContain("did you mean 'Dallas'?");
    expect(line).toContain('add it under sites');
    expect(
      problemAt('edgePools[0].site', (d) => Object.assign(d.edgePools?.[0] ?? {}, { site: 'Boston' })),
    ).toContain('name one of: Atlanta, Dallas');
  });

  it('rejects duplicate FQDNs across pools, servers and Edge pools', () => {
    expect(
      problemAt('edgePools[0].fqdn', (d) =>
        Object.assign(d.edgePools?.[0] ?? {}, { fqdn: 'dal.contoso.com' }),
      ),
    ).toContain('already the FQDN of the pool at pools[1].fqdn');
    expect(
      problemAt('pools[1].servers[0].fqdn', (d) =>
        Object.assign(pool(d, 1).servers[0] ?? {}, { fqdn: 'atl.contoso.com' }),
      ),
    ).toContain('needs its own FQDN');
  });

  it("lets a Standard pool's server share the pool FQDN, but not an Enterprise pool's", () => {
    const doc = base();
    doc.pools = [enterprise('atl', 'Atlanta', 'dal', 5071), enterprise('dal', 'Dallas', 'atl', 5073)];
    Object.assign(pool(doc, 0).servers[0] ?? {}, { fqdn: 'atl.contoso.com' });
    expect(detailsOf(doc)).toMatch(
      /^pools\[0\]\.servers\[0\]\.fqdn: atl\.contoso\.com is already the FQDN of the pool/m,
    );
  });

  it('rejects a backup pool that does not exist', () => {
    const line = problemAt('pools[1].backupPool', (d) =>
      Object.assign(pool(d, 1), { backupPool: 'atl2.contoso.com' }),
    );
    expect(line).toContain('there is no pool atl2.contoso.com');
    expect(line).toContain('name one of: atl.contoso.com');
  });

  it('rejects a pool paired with itself', () => {
    expect(
      problemAt('pools[0].backupPool', (d) => Object.assign(pool(d, 0), { backupPool: 'atl.contoso.com' })),
    ).toContain('names itself as its backup');
  });

  it('rejects a pairing that is not symmetric, on the field at fault', () => {
    const line = problemAt('pools[1].backupPool', (d) => delete pool(d, 0).backupPool);
    expect(line).toBe(
      'pools[1].backupPool: dal.contoso.com names atl.contoso.com as its backup, but atl.contoso.com names no backup pool; ' +
        'pairing is one to one and symmetric, so set pools[0].backupPool to dal.contoso.com, or change this one',
    );
  });

  it('rejects pairing an Enterprise pool with a Standard pool, once per pair', () => {
    const doc = base();
    doc.pools[1] = enterprise('dal', 'Dallas', 'atl', 5071);
    const lines = detailsOf(doc)
      .split('\n')
      .filter((l) => l.includes('same edition'));
    expect(lines).toEqual([
      expect.stringMatching(
        /^pools\[0\]\.backupPool: atl\.contoso\.com is a Standard Edition pool but its backup dal\.contoso\.com is Enterprise Edition/,
      ),
    ]);
  });

  it('rejects a pool named as backup by two pools', () => {
    const line = problemAt('pools[2].backupPool', (d) => {
      d.sites.push({ name: 'Chicago' });
      d.pools.push(standard('chi', 'Chicago', 'dal', 5063));
    });
    expect(line).toContain('dal.contoso.com is already the backup pool of atl.contoso.com (pools[0])');
  });

  it('rejects an unknown CMS pool', () => {
    expect(problemAt('cmsPool', (d) => (d.cmsPool = 'cms.contoso.com'))).toContain(
      'no pool cms.contoso.com to host the Central Management Store; name one of: atl.contoso.com, dal.contoso.com',
    );
  });

  it('rejects an unknown Edge next-hop pool', () => {
    expect(
      problemAt('edgePools[0].nextHopPool', (d) =>
        Object.assign(d.edgePools?.[0] ?? {}, { nextHopPool: 'x.contoso.com' }),
      ),
    ).toContain('name one of the front-end pools');
  });

  it('rejects malformed listen addresses', () => {
    const setAddress = (address: string) => (d: Doc) =>
      Object.assign(pool(d, 0).servers[0] ?? {}, { address });
    expect(problemAt('pools[0].servers[0].address', setAddress('127.0.0.1'))).toContain('write host:port');
    expect(problemAt('pools[0].servers[0].address', setAddress('127.0.0.1:0'))).toContain('from 1 to 65535');
    expect(problemAt('pools[0].servers[0].address', setAddress('127.0.0.1:70000'))).toContain(
      'from 1 to 65535',
    );
    expect(problemAt('pools[0].servers[0].address', setAddress('::1:5061'))).toContain('[::1]:5061');
  });

  it('rejects two servers on the same address, counting loopback spellings and wildcards', () => {
    const collide = (first: string, second: string) =>
      problemAt('pools[1].servers[0].address', (d) => {
        Object.assign(pool(d, 0).servers[0] ?? {}, { address: first });
        Object.assign(pool(d, 1).servers[0] ?? {}, { address: second });
      });
    expect(collide('127.0.0.1:5061', '127.0.0.1:5061')).toContain(
      'collides with pools[0].servers[0].address (127.0.0.1:5061)',
    );
    expect(collide('127.0.0.1:5061', 'localhost:5061')).toContain('give each server its own port');
    expect(collide('[::1]:5061', 'localhost:5061')).toContain('collides');
    expect(collide('0.0.0.0:5061', '10.0.0.5:5061')).toContain('collides');
    const doc = base();
    Object.assign(pool(doc, 1).servers[0] ?? {}, { address: '10.0.0.5:5061' });
    expect(() => parseTopology(stringify(doc), { dataDir: DATA })).not.toThrow();
  });

  it('requires a Standard pool to have exactly one server and a SQLite store', () => {
    expect(
      problemAt('pools[0].servers', (d) =>
        pool(d, 0).servers.push({ fqdn: 'atl2.contoso.com', address: '127.0.0.1:5070' }),
      ),
    ).toContain('must have exactly one; use edition: Enterprise');
    expect(
      problemAt('pools[0].store', (d) =>
        Object.assign(pool(d, 0), { store: { postgres: 'postgres://h/db' } }),
      ),
    ).toContain('use store: { sqlite: <file> }');
  });

  it('requires an Enterprise pool of several servers to use PostgreSQL', () => {
    const line = problemAt('pools[0].store', (d) => {
      d.pools = [enterprise('atl', 'Atlanta', 'dal', 5071), enterprise('dal', 'Dallas', 'atl', 5073)];
      Object.assign(pool(d, 0), { store: { sqlite: 'atl.sqlite' } });
    });
    expect(line).toContain('use store: { postgres: <connection string> }');
  });

  it('rejects two pools sharing a SQLite file or a file store folder (after resolution)', () => {
    expect(
      problemAt('pools[1].store.sqlite', (d) =>
        Object.assign(pool(d, 1), { store: { sqlite: './sub/../atl.sqlite' } }),
      ),
    ).toContain(`${path.join(DATA, 'atl.sqlite')} is already the store of pools[0]`);
    expect(
      problemAt('pools[1].fileStore', (d) =>
        Object.assign(pool(d, 1), { fileStore: `${DATA}/files/atl.contoso.com` }),
      ),
    ).toContain('each pool needs its own folder');
  });

  it('keeps registrar intervals between 1 second and 1 day', () => {
    const registrar = (value: Entry) => (d: Doc) => Object.assign(pool(d, 0), { registrar: value });
    expect(problemAt('pools[0].registrar.failureDetection', registrar({ failureDetection: 0 }))).toContain(
      'from 1 second to 1 day',
    );
    expect(
      problemAt('pools[0].registrar.fallbackDetection', registrar({ fallbackDetection: '1.00:00:01' })),
    ).toContain('from 1 second to 1 day');
  });
});

describe('link addresses', () => {
  it('accepts a link address and compiles it, defaulting to the listen address', async () => {
    const text = (await import('node:fs')).readFileSync(
      new URL('../../examples/litware.yaml', import.meta.url),
      'utf8',
    );
    const withLink = text.replace(
      'address: 127.0.0.1:5061',
      'address: 127.0.0.1:5061\n        linkAddress: 127.0.0.1:7061',
    );
    const t = parseTopology(withLink, { dataDir: '/tmp/x' });
    expect(t.pools[0]?.servers[0]?.linkAddress).toBe('127.0.0.1:7061');
    expect(t.pools[1]?.servers[0]?.linkAddress).toBe('127.0.0.1:5062');
    const bad = text.replace(
      'address: 127.0.0.1:5061',
      'address: 127.0.0.1:5061\n        linkAddress: nowhere',
    );
    expect(() => parseTopology(bad, { dataDir: '/tmp/x' })).toThrow(/pools\[0\]\.servers\[0\]\.linkAddress/);
  });
});
