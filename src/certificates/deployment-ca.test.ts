import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCa, issueCertificate } from './certificate-authority.js';
import { expectCertError, tempDataDir } from './certificate-test-kit.fixture.js';
import { caCertPath, caKeyPath, ensureDeploymentCa, loadTrustedCa } from './deployment-pki.js';

const mode = (path: string) => statSync(path).mode & 0o777;

function place(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

describe('the deployment CA', () => {
  it('is created once: its key 0600 in a 0700 folder, its certificate 0600 like every file of the data folder, named after the deployment', async () => {
    const dataDir = tempDataDir();
    const certFile = await ensureDeploymentCa(dataDir, 'Litware');
    expect(certFile).toBe(caCertPath(dataDir));
    expect(mode(caKeyPath(dataDir))).toBe(0o600);
    expect(mode(dirname(caKeyPath(dataDir)))).toBe(0o700);
    expect(mode(certFile)).toBe(0o600);
    const cert = new X509Certificate(readFileSync(certFile));
    expect(cert.subject).toBe('CN=Tandem deployment CA (Litware)');
    expect(cert.ca).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(readFileSync(caKeyPath(dataDir))))).toBe(true);

    const [certBefore, keyBefore] = [
      readFileSync(certFile, 'utf8'),
      readFileSync(caKeyPath(dataDir), 'utf8'),
    ];
    expect(await ensureDeploymentCa(dataDir, 'Another name')).toBe(certFile);
    expect(readFileSync(certFile, 'utf8')).toBe(certBefore);
    expect(readFileSync(caKeyPath(dataDir), 'utf8')).toBe(keyBefore);
  });

  it('is one CA when two servers create it at once: the certificate is the key’s', async () => {
    const dataDir = tempDataDir();
    const paths = await Promise.all([ensureDeploymentCa(dataDir, 'A'), ensureDeploymentCa(dataDir, 'B')]);
    expect(paths[0]).toBe(paths[1]);
    const cert = new X509Certificate(readFileSync(caCertPath(dataDir)));
    expect(cert.checkPrivateKey(createPrivateKey(readFileSync(caKeyPath(dataDir))))).toBe(true);
  });

  it('is waited for while another process that holds the CA key writes its certificate', async () => {
    const dataDir = tempDataDir();
    const other = await createCa('Tandem deployment CA (other process)');
    place(caKeyPath(dataDir), other.key);
    // The call has found the key and no certificate before it returns its promise: it is waiting now.
    const waiting = ensureDeploymentCa(dataDir, 'Litware');
    place(caCertPath(dataDir), other.cert);
    expect(await waiting).toBe(caCertPath(dataDir));
    expect(readFileSync(caCertPath(dataDir), 'utf8')).toBe(other.cert);
  });

  it('is given up on, naming the key to delete, when its certificate never comes', async () => {
    const dataDir = tempDataDir();
    const lone = await createCa('Half-made CA');
    place(caKeyPath(dataDir), lone.key);
    const err = await expectCertError(
      () => ensureDeploymentCa(dataDir, 'Litware', { waitMs: 100 }),
      'CERT_CA_UNREADABLE',
      [lone.key],
    );
    expect(err.message).toContain(`delete ${caKeyPath(dataDir)}`);
  });
});

describe('a trusted CA file', () => {
  it('is read when it holds a CA certificate', async () => {
    const dataDir = tempDataDir();
    const file = await ensureDeploymentCa(dataDir, 'Litware');
    expect(loadTrustedCa(file)).toBe(readFileSync(file, 'utf8'));
  });

  it('is refused, naming the file, when missing, not PEM, or not a CA', async () => {
    const dir = tempDataDir();
    const ca = await createCa('Test CA');
    const leaf = await issueCertificate(ca, { names: ['fe01.litwareinc.com'] });
    const files = {
      missing: join(dir, 'missing.crt'),
      garbage: join(dir, 'garbage.crt'),
      der: join(dir, 'der.crt'),
      leaf: join(dir, 'leaf.crt'),
    };
    writeFileSync(files.garbage, 'this is not a certificate\n');
    writeFileSync(files.der, new X509Certificate(ca.cert).raw);
    writeFileSync(files.leaf, leaf.cert);
    const details: Record<string, RegExp> = {
      missing: /does not exist/,
      garbage: /no PEM certificate/,
      der: /no PEM certificate/,
      leaf: /is not a CA certificate/,
    };
    for (const [name, file] of Object.entries(files)) {
      const err = await expectCertError(() => loadTrustedCa(file), 'CERT_CA_UNREADABLE', [ca.key, leaf.key]);
      expect(err.message).toContain(file);
      expect(err.message, name).toMatch(details[name]!);
    }
  });
});
