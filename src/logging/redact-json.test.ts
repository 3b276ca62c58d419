import { describe, expect, it } from 'vitest';
import { REDACTED, redactJson } from './redact-json.js';
import { redactYaml } from './redact-yaml.js';

describe('redactJson', () => {
  it('blanks secret fields at any depth and keeps the rest', () => {
    const doc = {
      sip: 'sip:alice@litwareinc.com',
      passwordHash: 'scrypt$32768$8$1$c2FsdA$aGFzaA',
      nested: [{ secretHash: 'abc', token: 't', name: 'x' }],
    };
    expect(JSON.parse(redactJson(JSON.stringify(doc)))).toEqual({
      sip: 'sip:alice@litwareinc.com',
      passwordHash: REDACTED,
      nested: [{ secretHash: REDACTED, token: REDACTED, name: 'x' }],
    });
  });

  it('returns text that is not JSON unchanged', () => {
    expect(redactJson('not json {')).toBe('not json {');
    expect(redactJson('"just a string"')).toBe('"just a string"');
  });
});

describe('secrets inside shown documents', () => {
  const topology = `# the demo deployment
name: litware
demo: { users: 4, password: "Demo-Password-1" }
pools:
  - fqdn: atl-cs-001.litwareinc.com
    store: { postgres: "postgres://tandem:Pg-Secret-9@db.litwareinc.com:5432/atl" }
`;

  it('blanks secret fields and connection string passwords of YAML, keeping comments', () => {
    const shown = redactYaml(topology);
    expect(shown).not.toContain('Demo-Password-1');
    expect(shown).not.toContain('Pg-Secret-9');
    expect(shown).toContain('# the demo deployment');
    expect(shown).toContain(`password: "${REDACTED}"`);
    expect(shown).toContain(`postgres://tandem:${REDACTED}@db.litwareinc.com:5432/atl`);
  });

  it('blanks the YAML document a JSON document carries (the published topology)', () => {
    const shown = redactJson(JSON.stringify({ revision: 2, yaml: topology }));
    expect(shown).not.toContain('Demo-Password-1');
    expect(shown).not.toContain('Pg-Secret-9');
    expect(shown).toContain('litware');
  });
});
