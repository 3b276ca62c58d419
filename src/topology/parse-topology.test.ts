import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { TandemError } from '../errors/index.js';
import { parseTopology, readTopologyFile, validateTopologyDocument } from './parse-topology.js';

const DATA = path.resolve('/var/lib/tandem');

function exampleText(name: string): string {
  return readFileSync(fileURLToPath(new URL(`../../examples/${name}`, import.meta.url)), 'utf8');
}

interface Doc {
  [key: string]: unknown;
  name?: unknown;
  security?: Record<string, unknown>;
  pools: Record<string, unknown>[];
}

function base(): Doc {
  return {
    name: 'test',
    sipDomain: 'contoso.com',
    cmsPool: 'atl-cs-001.contoso.com',
    sites: [{ name: 'Atlanta' }, { name: 'Dallas' }],
    pools: [
      {
        fqdn: 'atl-cs-001.contoso.com',
        site: 'Atlanta',
        edition: 'Standard',
        backupPool: 'dal-cs-001.contoso.com',
        store: { sqlite: 'atl.sqlite' },
        servers: [{ fqdn: 'atl-cs-001.contoso.com', address: '127.0.0.1:5061' }],
      },
      {
        fqdn: 'dal-cs-001.contoso.com',
        site: 'Dallas',
        edition: 'Standard',
        backupPool: 'atl-cs-001.contoso.com',
        store: { sqlite: 'dal.sqlite' },
        servers: [{ fqdn: 'dal-cs-001.contoso.com', address: '127.0.0.1:5062' }],
      },
    ],
  };
}

/** The TOPOLOGY_INVALID details for a YAML text, or fails the test when the text parses. */
function detailsOf(text: string): string {
  try {
    parseTopology(text, { dataDir: DATA });
  } catch (err) {
    expect(err).toBeInstanceOf(TandemError);
    expect((err as TandemError).code).toBe('TOPOLOGY_INVALID');
    return String((err as TandemError).params.details);
  }
  throw new Error('expected the topology to be rejected');
}

/** The problem line reported on `fieldPath`, after applying `change` to the base document. */
function problemAt(fieldPath: string, change: (doc: Doc) => void): string {
  const doc = base();
  change(doc);
  const details = detailsOf(stringify(doc));
  const line = details.split('\n').find((l) => l.startsWith(`${fieldPath}: `));
  expect(line, `no problem on ${fieldPath} in:\n${details}`).toBeDefined();
  return line ?? '';
}

describe('parseTopology: the examples', () => {
  it('parses examples/litware.yaml', () => {
    const t = parseTopology(exampleText('litware.yaml'), { dataDir: DATA });
    expect(t.name).toBe('litware');
    expect(t.sipDomain).toBe('litwareinc.com');
    expect(t.cmsPool).toBe('atl-cs-001.litwareinc.com');
    expect(t.pools.map((p) => [p.fqdn, p.site, p.edition, p.backupPool])).toEqual([
      ['atl-cs-001.litwareinc.com', 'Atlanta', 'Standard', 'dal-cs-001.litwareinc.com'],
      ['dal-cs-001.litwareinc.com', 'Dallas', 'Standard', 'atl-cs-001.litwareinc.com'],
    ]);
    expect(t.pools[1]?.servers[0]).toEqual({
      fqdn: 'dal-cs-001.litwareinc.com',
      poolFqdn: 'dal-cs-001.litwareinc.com',
      host: '127.0.0.1',
      port: 5062,
      address: '127.0.0.1:5062',
      linkAddress: '127.0.0.1:5062',
    });
    expect(t.pools[0]?.store).toEqual({ kind: 'sqlite', path: path.join(DATA, 'atl-cs-001.sqlite') });
    expect(t.edgePools).toEqual([
      { fqdn: 'atl-edge-001.litwareinc.com', site: 'Atlanta', nextHopPool: 'atl-cs-001.litwareinc.com' },
    ]);
    expect(t.security.passwordHashCost).toBe(4096);
    expect(t.demo).toEqual({ users: 300, password: 'Tandem-Demo-2026' });
  });

  it('parses examples/litware-enterprise.yaml', () => {
    const t = parseTopology(exampleText('litware-enterprise.yaml'), { dataDir: DATA });
    expect(t.pools.map((p) => p.edition)).toEqual(['Enterprise', 'Enterprise']);
    expect(t.pools.flatMap((p) => p.servers.map((s) => s.port))).toEqual([5071, 5072, 5073, 5074]);
    expect(t.pools[1]?.store).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://postgres@127.0.0.1:5432/tandem_dal',
    });
    expect(t.pools[0]?.registrar).toEqual({
      failureDetectionMs: 120_000,
      fallbackDetectionMs: 240_000,
      maxEndpointsPerUser: 8,
      keepaliveTimeoutMs: 90_000,
      relocationRate: 2_000,
      maxConnections: undefined,
      maxConnectionsPerAddress: 2_500,
    });
  });

  it('reads a file, and names an unreadable one', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tandem-topology-'));
    const file = path.join(dir, 'topology.yaml');
    writeFileSync(file, stringify(base()));
    expect(readTopologyFile(file, { dataDir: dir }).pools).toHaveLength(2);
    const missing = path.join(dir, 'missing.yaml');
    expect(() => readTopologyFile(missing, { dataDir: dir })).toThrow(
      expect.objectContaining({
        code: 'TOPOLOGY_FILE_UNREADABLE',
        message: expect.stringContaining(missing),
      }),
    );
  });
});

describe('parseTopology: compiling', () => {
  it('fills defaults', () => {
    const doc = base();
    delete doc.pools[1]?.backupPool;
    delete doc.pools[0]?.backupPool;
    const t = parseTopology(stringify(doc), { dataDir: DATA });
    expect(t.security).toEqual({
      passwordHashCost: 32768,
      tokenLifetimeMs: 8 * 3600 * 1000,
      sessionLifetimeMs: 7 * 24 * 3600 * 1000,
    });
    expect(t.pools[0]?.registrar).toEqual({
      failureDetectionMs: 120_000,
      fallbackDetectionMs: 240_000,
      maxEndpointsPerUser: 8,
      keepaliveTimeoutMs: 90_000,
      relocationRate: 2_000,
      maxConnections: undefined,
      maxConnectionsPerAddress: 2_500,
    });
    expect(t.pools[0]?.fileStore).toBe(path.join(DATA, 'files', 'atl-cs-001.contoso.com'));
    expect(t.pools[0]?.backupPool).toBeUndefined();
    expect(t.edgePools).toEqual([]);
    expect(t.demo).toBeUndefined();
  });

  it('resolves relative paths against the data folder and keeps absolute ones', () => {
    const doc = base();
    Object.assign(doc.pools[0] ?? {}, { store: { sqlite: '/srv/atl.sqlite' }, fileStore: 'content/atl' });
    const t = parseTopology(stringify(doc), { dataDir: 'relative/data' });
    expect(t.pools[0]?.store).toEqual({ kind: 'sqlite', path: '/srv/atl.sqlite' });
    expect(t.pools[0]?.fileStore).toBe(path.resolve('relative/data', 'content/atl'));
    expect(t.pools[1]?.store).toEqual({ kind: 'sqlite', path: path.resolve('relative/data', 'dal.sqlite') });
  });

  it('lower-cases FQDNs, canonicalises editions and compiles durations', () => {
    const doc = base();
    doc.security = { tokenLifetime: '1.00:00:00' };
    Object.assign(doc.pools[0] ?? {}, {
      fqdn: 'ATL-CS-001.Contoso.com',
      edition: 'standard',
      registrar: { failureDetection: '00:00:30', fallbackDetection: 90, relocationRate: 500 },
      servers: [{ fqdn: 'Atl-CS-001.contoso.COM', address: 'LocalHost:5061' }],
    });
    const t = parseTopology(stringify(doc), { dataDir: DATA });
    const pool = t.pools[0];
    expect(pool?.fqdn).toBe('atl-cs-001.contoso.com');
    expect(pool?.edition).toBe('Standard');
    expect(pool?.servers[0]).toMatchObject({
      fqdn: 'atl-cs-001.contoso.com',
      host: 'localhost',
      address: 'localhost:5061',
    });
    expect(pool?.registrar).toEqual({
      failureDetectionMs: 30_000,
      fallbackDetectionMs: 90_000,
      maxEndpointsPerUser: 8,
      keepaliveTimeoutMs: 90_000,
      relocationRate: 500,
      maxConnections: undefined,
      maxConnectionsPerAddress: 2_500,
    });
    expect(t.security.tokenLifetimeMs).toBe(24 * 3600 * 1000);
  });

  it('returns a deep-frozen topology', () => {
    const t = parseTopology(stringify(base()), { dataDir: DATA });
    expect(Object.isFrozen(t)).toBe(true);
    expect(Object.isFrozen(t.pools)).toBe(true);
    expect(Object.isFrozen(t.pools[0]?.servers[0])).toBe(true);
    expect(Object.isFrozen(t.pools[0]?.store)).toBe(true);
    expect(Object.isFrozen(t.security)).toBe(true);
    expect(() => {
      (t.pools as unknown as unknown[]).push({});
    }).toThrow(TypeError);
  });
});

describe('parseTopology: document problems', () => {
  it('reports YAML syntax errors with line and column', () => {
    const details = detailsOf('name: litware\npools: [\n  - fqdn: x\nsites: ]\n');
    expect(details).toMatch(/^topology line \d+, column \d+: YAML syntax error: /);
  });

  it('names the source in YAML syntax errors', () => {
    try {
      parseTopology('a: 1\na: 2\n', { dataDir: DATA, sourceName: 'litware.yaml' });
      expect.unreachable();
    } catch (err) {
      expect(String((err as TandemError).params.details)).toMatch(
        /^litware\.yaml line 2, column 1: YAML syntax error: .*unique/i,
      );
    }
  });

  it('reports an alias bomb and an unresolved alias as YAML errors, not as a ReferenceError', () => {
    const row = (name: string, of: string) => `${name}: &${name} [${Array(9).fill(of).join(',')}]`;
    const bomb = [row('a', '"x"'), row('b', '*a'), row('c', '*b'), row('d', '*c'), 'e: [*d,*d,*d]'].join(
      '\n',
    );
    expect(detailsOf(bomb)).toMatch(/^topology: YAML error: Excessive alias count/);
    expect(detailsOf('name: *nowhere\n')).toMatch(/^topology: YAML error: Unresolved alias/);
  });

  it('quotes only the start of a long string, and keeps each issue on one line', () => {
    const details = detailsOf(`'${'line of text\n\n'.repeat(100)}'`);
    expect(details).toMatch(
      /^\(document\): expected a mapping, got the string 'line of text\\nline of text.*…'$/,
    );
    const site = problemAt('pools[1].site', (doc) => {
      (doc.pools[1] ?? {}).site = 'Dallas\n!custom tag';
    });
    expect(site).toMatch(/'Dallas\\n!custom tag'/);
  });

  it('reports an empty document', () => {
    expect(detailsOf('')).toMatch(/^\(document\): the topology document is empty/);
  });

  it('reports an unknown key at its own path, suggesting the right one', () => {
    const line = problemAt('pools[1].backupPol', (doc) => {
      const pool = doc.pools[1] ?? {};
      pool.backupPol = pool.backupPool;
      delete pool.backupPool;
      delete doc.pools[0]?.backupPool;
    });
    expect(line).toContain("unknown key 'backupPol'");
    expect(line).toContain("Did you mean 'backupPool'?");
    expect(line).toContain('Allowed here:');
  });

  it('reports a missing required field and a wrong type', () => {
    expect(problemAt('name', (doc) => delete doc.name)).toContain('required');
    expect(
      problemAt('pools[0].servers', (doc) => Object.assign(doc.pools[0] ?? {}, { servers: 'x' })),
    ).toContain('a list');
  });

  it('rejects an unknown edition', () => {
    const line = problemAt('pools[0].edition', (doc) =>
      Object.assign(doc.pools[0] ?? {}, { edition: 'Express' }),
    );
    expect(line).toContain('Standard or Enterprise');
  });

  it('rejects a store that names both or neither backend, and a bad connection string', () => {
    expect(
      problemAt('pools[0].store', (doc) =>
        Object.assign(doc.pools[0] ?? {}, { store: { sqlite: 'a', postgres: 'postgres://x/y' } }),
      ),
    ).toContain('exactly one of');
    expect(problemAt('pools[0].store', (doc) => Object.assign(doc.pools[0] ?? {}, { store: {} }))).toContain(
      'exactly one of',
    );
    expect(
      problemAt('pools[0].store.postgres', (doc) =>
        Object.assign(doc.pools[0] ?? {}, { store: { postgres: 'tandem' } }),
      ),
    ).toContain('postgres://');
  });

  it('rejects a password hash cost that is not a power of two in range', () => {
    expect(
      problemAt('security.passwordHashCost', (doc) => (doc.security = { passwordHashCost: 5000 })),
    ).toContain('power of two');
    expect(
      problemAt('security.passwordHashCost', (doc) => (doc.security = { passwordHashCost: 512 })),
    ).toContain('1024');
  });

  it('compiles connection caps and content quotas, with their defaults', () => {
    const defaults = parseTopology(stringify(base()), { dataDir: DATA });
    expect(defaults.conferencing).toEqual({
      maxContentBytesPerConference: 500 * 1024 * 1024,
      maxContentBytesPerUser: 2_000 * 1024 * 1024,
    });
    const doc = base();
    doc.conferencing = { maxContentStorageMb: 0.5, maxContentStorageMbPerUser: 3 };
    Object.assign(doc.pools[0] ?? {}, { registrar: { maxConnections: 900, maxConnectionsPerAddress: 40 } });
    const t = parseTopology(stringify(doc), { dataDir: DATA });
    expect(t.conferencing).toEqual({
      maxContentBytesPerConference: 524_288,
      maxContentBytesPerUser: 3_145_728,
    });
    expect(t.pools[0]?.registrar).toMatchObject({ maxConnections: 900, maxConnectionsPerAddress: 40 });
  });

  it('rejects connection caps and content quotas that are not positive', () => {
    expect(
      problemAt('pools[0].registrar.maxConnectionsPerAddress', (doc) =>
        Object.assign(doc.pools[0] ?? {}, { registrar: { maxConnectionsPerAddress: 0 } }),
      ),
    ).toMatch(/at least 1|>=1/);
    expect(
      problemAt(
        'conferencing.maxContentStorageMb',
        (doc) => (doc.conferencing = { maxContentStorageMb: -1 }),
      ),
    ).not.toBe('');
  });

  it('rejects a relocation rate that is not a positive whole number', () => {
    for (const relocationRate of [0, 2.5, 'fast'])
      expect(
        problemAt('pools[0].registrar.relocationRate', (doc) =>
          Object.assign(doc.pools[0] ?? {}, { registrar: { relocationRate } }),
        ),
      ).toMatch(/at least 1|whole number|expected number/);
  });

  it('rejects a duration that is neither a TimeSpan nor seconds', () => {
    const line = problemAt(
      'security.tokenLifetime',
      (doc) => (doc.security = { tokenLifetime: 'eight hours' }),
    );
    expect(line).toContain('"00:02:00"');
  });

  it('checks demo users and password', () => {
    expect(
      problemAt('demo.users', (doc) => (doc.demo = { users: 200_000, password: 'long enough' })),
    ).toContain('at most 100000');
    expect(problemAt('demo.password', (doc) => (doc.demo = { users: 3, password: 'short' }))).toContain(
      'at least 8',
    );
  });

  it('requires at least one site and one pool', () => {
    const details = detailsOf(
      stringify({ name: 'x', sipDomain: 'contoso.com', cmsPool: 'a.contoso.com', sites: [], pools: [] }),
    );
    expect(details).toMatch(/^sites: .*at least one site/m);
    expect(details).toMatch(/^pools: .*at least one front-end pool/m);
  });

  it('reports every problem at once, one per line', () => {
    const doc = base();
    Object.assign(doc.pools[0] ?? {}, { backupPool: 'nowhere.contoso.com', site: 'Boston' });
    Object.assign(doc.pools[1] ?? {}, {
      servers: [{ fqdn: 'dal-cs-001.contoso.com', address: 'localhost:5061' }],
    });
    doc.cmsPool = 'cms.contoso.com';
    const lines = detailsOf(stringify(doc)).split('\n');
    expect(lines.map((l) => l.slice(0, l.indexOf(': ')))).toEqual(
      expect.arrayContaining([
        'pools[0].site',
        'pools[0].backupPool',
        'pools[1].backupPool',
        'cmsPool',
        'pools[1].servers[0].address',
      ]),
    );
  });

  it('validateTopologyDocument returns the issues of a parsed document', () => {
    expect(validateTopologyDocument(base())).toEqual([]);
    const doc = base();
    doc.cmsPool = 'x.contoso.com';
    expect(validateTopologyDocument(doc)).toEqual([
      { path: 'cmsPool', message: expect.stringContaining('Central Management Store') },
    ]);
  });
});
