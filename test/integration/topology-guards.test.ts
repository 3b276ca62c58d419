/**
 * What a published topology may not do to a running deployment, and what its output may not show: moving
 * the store of a pool that homes users is refused (its users would find an empty store after a restart),
 * and the topology shown to an administrator carries no password.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Cluster } from '../../src/devkit/cluster.js';
import { ATL } from '../../src/devkit/topology-fixture.js';

const PASSWORD = 'Test-Password-1';
let c: Cluster;
beforeAll(async () => {
  c = await Cluster.start({ users: 6 });
});
afterAll(async () => c.stop());

function file(name: string, text: string): string {
  const path = join(c.dataDir, name);
  writeFileSync(path, text);
  return path;
}

/** Atlanta's store as the fixture writes it, and the same store somewhere else. */
function atlStore(): { line: string; moved: string } {
  const s = c.fixture.atl.store;
  return 'sqlite' in s
    ? { line: `{ sqlite: ${s.sqlite} }`, moved: `{ sqlite: moved/${s.sqlite} }` }
    : { line: `{ postgres: "${s.postgres}" }`, moved: `{ postgres: "${s.postgres}_moved" }` };
}

describe('a store change under a pool that homes users', () => {
  it('is refused, naming the pool and saying to move its users first, and changes nothing', async () => {
    const moved = c.fixture.yaml.replace(atlStore().line, atlStore().moved);
    expect(moved).not.toBe(c.fixture.yaml);
    for (const whatIf of ['', ' -WhatIf']) {
      const r = await c.shell(`Publish-CsTopology -FileName ${file('moved.yaml', moved)}${whatIf}`);
      expect(r.code).toBe(1);
      expect(r.err).toContain('TOPOLOGY_STORE_IN_USE');
      expect(r.err).toContain(ATL);
      expect(r.err).toMatch(/homes 3 user/);
      expect(r.err).toContain('Move-CsUser');
    }
    const t = await c.shell('Get-CsTopology');
    expect(t.json()[0]).toMatchObject({ Revision: 1 });
  });

  it('is refused for the content folder too', async () => {
    const moved = c.fixture.yaml.replace(
      atlStore().line,
      `${atlStore().line}\n    fileStore: elsewhere/atl-files`,
    );
    const r = await c.shell(`Publish-CsTopology -FileName ${file('moved-files.yaml', moved)}`);
    expect(r.code).toBe(1);
    expect(r.err).toContain('TOPOLOGY_STORE_IN_USE');
    expect(r.err).toContain('content folder');
  });
});

describe('secrets in topology output', () => {
  let viewer = '';
  let userAdmin = '';
  beforeAll(async () => {
    const v = await c.shell('New-CsAdminCredential -Identity auditor -Role CsViewOnlyAdministrator');
    viewer = String(v.json()[0]?.Credential);
    const u = await c.shell('New-CsAdminCredential -Identity hr -Role CsUserAdministrator');
    userAdmin = String(u.json()[0]?.Credential);
  });

  it('shows a view-only administrator the topology without the demo password', async () => {
    const yaml = await c.shell('Get-CsTopology -AsYaml', { credential: viewer });
    expect(yaml.code).toBe(0);
    const text = String(yaml.json<{ text: string }>().text);
    expect(text).toContain('litware-test');
    expect(text).not.toContain(PASSWORD);
    expect(text).toContain('[redacted]');
  });

  it('exports it without the demo password to an administrator who may not publish', async () => {
    const out = join(c.dataDir, 'user-admin-export.yaml');
    const exported = await c.shell(`Export-CsTopology -FileName ${out}`, { credential: userAdmin });
    expect(exported.err).toBe('');
    expect(exported.code).toBe(0);
    expect(readFileSync(out, 'utf8')).not.toContain(PASSWORD);
  });

  it('exports the whole document to an administrator who may publish it again', async () => {
    const out = join(c.dataDir, 'admin-export.yaml');
    expect((await c.shell(`Export-CsTopology -FileName ${out}`)).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(c.fixture.yaml);
  });
});
