/** The secret scanner itself: what it finds, what it reports (never the secret), and what it refuses. */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deploymentSecrets, findSecretsInBytes, findSecretsInLogs } from '../../src/devkit/secret-scan.js';
import { ensureAdminCredentialFile } from '../../src/security/admin-credential.js';
import {
  deriveKey,
  ensureDeploymentKey,
  KeyPurpose,
  loadDeploymentKey,
} from '../../src/security/deployment-secrets.js';
import { hashAdminSecret } from '../../src/security/admin-credential.js';
import { issueToken } from '../../src/registrar/sign-in-token.js';
import { litwareFixture } from '../../src/devkit/topology-fixture.js';

const PASSWORD = 'Pa$$w0rd "quoted" & more';
const log = (fields: Record<string, unknown>) => JSON.stringify({ level: 30, msg: 'x', ...fields });

describe('findSecretsInLogs', () => {
  it('finds a secret as written, JSON-escaped, URL-encoded, in base64 and as its SHA-256', () => {
    const lines = [
      `plain ${PASSWORD} text`,
      log({ password: PASSWORD }),
      `GET /?p=${encodeURIComponent(PASSWORD)}`,
      `basic ${Buffer.from(PASSWORD).toString('base64')}`,
      log({ secretHash: hashAdminSecret(PASSWORD) }),
    ];
    const found = findSecretsInLogs(lines, [PASSWORD]);
    expect(found.map((f) => f.split(':')[0])).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
  });

  it('reports the line and which secret, masked: the report never repeats the secret', () => {
    const [finding] = findSecretsInLogs([`user typed ${PASSWORD} here`], ['unrelated-secret', PASSWORD]);
    expect(finding).toBe('line 1: secret #1: user typed [secret #1] here');
    expect(finding).not.toContain(PASSWORD);
  });

  it('finds tokens, password hashes and bearer credentials nobody listed, by their shape', () => {
    const token = issueToken(randomBytes(32), { sip: 'sip:a@b.c', gen: 0, iat: 1, exp: 2 });
    const found = findSecretsInLogs(
      [
        log({ got: token }),
        log({ hash: 'scrypt$1024$8$1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g' }),
        'authorization: Bearer admin:0123456789abcdefghij',
      ],
      [],
    );
    expect(found).toEqual([
      expect.stringMatching(/^line 1: a sign-in token: /),
      expect.stringMatching(/^line 2: a password hash: /),
      expect.stringMatching(/^line 3: a bearer credential: /),
    ]);
  });

  it('finds the signature of a listed token on its own', () => {
    const token = issueToken(randomBytes(32), { sip: 'sip:a@b.c', gen: 0, iat: 1, exp: 2 });
    const signature = token.split('.')[2] ?? '';
    expect(findSecretsInLogs([`sig=${signature}`], [token])).toEqual([
      expect.stringContaining('signature of secret #0'),
    ]);
  });

  it('passes clean lines, including the docs’ shortened example token', () => {
    const lines = [log({ msg: 'listening', address: '127.0.0.1:5061' }), '"token": "v1.eyJzaXAiOi….Hs8d…"'];
    expect(findSecretsInLogs(lines, [PASSWORD])).toEqual([]);
  });

  it('refuses a secret too short to scan for', () => {
    expect(() => findSecretsInLogs(['anything'], ['short'])).toThrow(/secret #0 has 5 characters/);
  });
});

describe('findSecretsInBytes', () => {
  // Non-ASCII, so that a search that compared characters instead of UTF-8 bytes would miss it.
  const TEXT = 'Déjeuner à midi ?';

  it('finds a secret in clear bytes, as UTF-8 or JSON-escaped, and names its byte offset', () => {
    const json = JSON.stringify({ password: PASSWORD, text: TEXT });
    const bytes = Buffer.concat([Buffer.from([0x17, 0x03, 0x03]), Buffer.from(json)]);
    // The password has quotes: only its JSON-escaped form is in the bytes.
    expect(findSecretsInBytes(bytes, [PASSWORD, TEXT])).toEqual([
      `byte ${3 + '{"password":"'.length}: secret #0`,
      `byte ${3 + Buffer.byteLength(json.slice(0, json.indexOf(TEXT)))}: secret #1`,
    ]);
  });

  it('finds a token nobody listed by its shape, and passes bytes that hold no secret', () => {
    const token = issueToken(randomBytes(32), { sip: 'sip:a@b.c', gen: 0, iat: 1, exp: 2 });
    const bytes = Buffer.concat([Buffer.from([0xff, 0x00]), Buffer.from(`{"token":"${token}"}`)]);
    expect(findSecretsInBytes(bytes, [])).toEqual([`byte ${2 + '{"token":"'.length}: a sign-in token`]);
    expect(findSecretsInBytes(randomBytes(4096), [PASSWORD, TEXT])).toEqual([]);
  });
});

describe('deploymentSecrets', () => {
  it('lists the demo password, the first administrator’s secret, the deployment key and its derived keys', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tandem-scan-'));
    try {
      const topologyPath = join(dataDir, 'topology.yaml');
      writeFileSync(topologyPath, (await litwareFixture()).yaml);
      ensureDeploymentKey(dataDir);
      const admin = ensureAdminCredentialFile(dataDir, 'litware-test');
      const key = loadDeploymentKey(dataDir);
      const secrets = deploymentSecrets({ dataDir, topologyPath }, ['Extra-Secret-1']);
      expect(secrets).toEqual(
        expect.arrayContaining([
          'Test-Password-1',
          admin.secret,
          key.toString('hex'),
          deriveKey(key, KeyPurpose.ServerToServer).toString('base64url'),
          deriveKey(key, KeyPurpose.SignInToken).toString('hex'),
          'Extra-Secret-1',
        ]),
      );
      expect(findSecretsInLogs([log({ admin: admin.secret })], secrets)).toHaveLength(1);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
