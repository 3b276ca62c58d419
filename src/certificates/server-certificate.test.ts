import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCa, issueCertificate, type CertificateAndKey } from './certificate-authority.js';
import { expectCertError, SERVER, tempDataDir } from './certificate-test-kit.fixture.js';
import {
  caCertPath,
  caKeyPath,
  ensureDeploymentCa,
  ensureServerCertificate,
  serverCertPath,
  serverKeyPath,
} from './deployment-pki.js';

const DAY_MS = 86_400_000;
const mode = (path: string) => statSync(path).mode & 0o777;

/** A data folder with its CA, and the CA's certificate and key as read from it. */
async function deployment(): Promise<{ dataDir: string; ca: CertificateAndKey }> {
  const dataDir = tempDataDir();
  await ensureDeploymentCa(dataDir, 'Litware');
  const ca = {
    cert: readFileSync(caCertPath(dataDir), 'utf8'),
    key: readFileSync(caKeyPath(dataDir), 'utf8'),
  };
  return { dataDir, ca };
}

/** Puts a certificate and key in place of the server's own. */
function replaceServerFiles(dataDir: string, pair: CertificateAndKey): void {
  writeFileSync(serverCertPath(dataDir, SERVER.fqdn), pair.cert);
  writeFileSync(serverKeyPath(dataDir, SERVER.fqdn), pair.key);
}

describe("a server's certificate", () => {
  it('is issued by the deployment CA for the server, its pool and its IP address, in files 0600', async () => {
    const { dataDir, ca } = await deployment();
    const tls = await ensureServerCertificate(dataDir, SERVER);
    expect(tls.certFile).toBe(serverCertPath(dataDir, SERVER.fqdn));
    expect(mode(tls.certFile)).toBe(0o600);
    expect(mode(serverKeyPath(dataDir, SERVER.fqdn))).toBe(0o600);
    expect(tls.ca).toBe(ca.cert);
    expect(tls.key).toBe(readFileSync(serverKeyPath(dataDir, SERVER.fqdn), 'utf8'));

    const cert = new X509Certificate(tls.cert);
    const caCert = new X509Certificate(ca.cert);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(tls.key))).toBe(true);
    expect(cert.subjectAltName).toBe(
      'DNS:atl-fe01.litwareinc.com, DNS:atl-pool.litwareinc.com, IP Address:127.0.0.1',
    );
    expect(cert.checkHost(SERVER.poolFqdn)).toBe(SERVER.poolFqdn);
    expect(cert.checkIP(SERVER.host)).toBe(SERVER.host);
    expect(tls.thumbprint).toBe(cert.fingerprint.replace(/:/g, ''));
    expect(tls.thumbprint).toMatch(/^[0-9A-F]{40}$/);
    const daysLeft = (tls.notAfter.getTime() - Date.now()) / DAY_MS;
    expect(daysLeft).toBeGreaterThan(729);
    expect(daysLeft).toBeLessThanOrEqual(730);
  });

  it('is loaded, not issued again, on the next start', async () => {
    const { dataDir } = await deployment();
    const first = await ensureServerCertificate(dataDir, SERVER);
    const again = await ensureServerCertificate(dataDir, SERVER);
    expect(again.thumbprint).toBe(first.thumbprint);
    expect(again.key).toBe(first.key);
  });

  it('names a host name as a DNS name, the pool once when it is the server, and no wildcard address', async () => {
    const { dataDir } = await deployment();
    const byName = await ensureServerCertificate(dataDir, {
      ...SERVER,
      host: 'FE01-Internal.litwareinc.com',
    });
    expect(new X509Certificate(byName.cert).subjectAltName).toBe(
      'DNS:atl-fe01.litwareinc.com, DNS:atl-pool.litwareinc.com, DNS:fe01-internal.litwareinc.com',
    );
    const standard = { fqdn: 'se01.litwareinc.com', poolFqdn: 'se01.litwareinc.com', host: '0.0.0.0' };
    const alone = await ensureServerCertificate(dataDir, standard);
    expect(new X509Certificate(alone.cert).subjectAltName).toBe('DNS:se01.litwareinc.com');
    const v6 = await ensureServerCertificate(dataDir, {
      ...standard,
      fqdn: 'v6.litwareinc.com',
      host: '[::1]',
    });
    expect(new X509Certificate(v6.cert).checkIP('::1')).toBe('::1');
  });

  it('is refused when another CA issued it', async () => {
    const { dataDir } = await deployment();
    await ensureServerCertificate(dataDir, SERVER);
    const otherCa = await createCa('Tandem deployment CA (Litware)');
    const foreign = await issueCertificate(otherCa, { names: [SERVER.fqdn] });
    replaceServerFiles(dataDir, foreign);
    const err = await expectCertError(() => ensureServerCertificate(dataDir, SERVER), 'CERT_NOT_TRUSTED', [
      foreign.key,
      otherCa.key,
    ]);
    expect(err.message).toContain(serverCertPath(dataDir, SERVER.fqdn));
  });

  it('is refused when it names another server, listing the names it has', async () => {
    const { dataDir, ca } = await deployment();
    await ensureServerCertificate(dataDir, SERVER);
    const other = await issueCertificate(ca, { names: ['dal-fe01.litwareinc.com'] });
    replaceServerFiles(dataDir, other);
    const err = await expectCertError(() => ensureServerCertificate(dataDir, SERVER), 'CERT_NAME_MISMATCH', [
      other.key,
      ca.key,
    ]);
    expect(err.message).toContain(
      `does not name the server ${SERVER.fqdn} (its names: dal-fe01.litwareinc.com)`,
    );
  });

  it('is refused when it has expired, saying when and what to do', async () => {
    const { dataDir, ca } = await deployment();
    await ensureServerCertificate(dataDir, SERVER);
    const notAfter = new Date(Date.now() - DAY_MS);
    const expired = await issueCertificate(ca, {
      names: [SERVER.fqdn],
      notBefore: new Date(Date.now() - 400 * DAY_MS),
      notAfter,
    });
    replaceServerFiles(dataDir, expired);
    const err = await expectCertError(() => ensureServerCertificate(dataDir, SERVER), 'CERT_EXPIRED', [
      expired.key,
      ca.key,
    ]);
    expect(err.params.notAfter).toBe(new Date(Math.floor(notAfter.getTime() / 1000) * 1000).toISOString());
    expect(err.message).toMatch(/Request-CsCertificate, then Import-CsCertificate and Set-CsCertificate/);
  });

  it('is refused when its key file holds the key of another certificate', async () => {
    const { dataDir, ca } = await deployment();
    const own = await ensureServerCertificate(dataDir, SERVER);
    const other = await issueCertificate(ca, { names: [SERVER.fqdn] });
    writeFileSync(serverKeyPath(dataDir, SERVER.fqdn), other.key);
    await expectCertError(() => ensureServerCertificate(dataDir, SERVER), 'CERT_KEY_MISMATCH', [
      own.key,
      other.key,
      ca.key,
    ]);
  });

  it('is refused, naming both files, when the key is missing or is not a key', async () => {
    const { dataDir, ca } = await deployment();
    const own = await ensureServerCertificate(dataDir, SERVER);
    const keyFile = serverKeyPath(dataDir, SERVER.fqdn);
    // A key cut short: a parser's complaint about it must not quote it.
    writeFileSync(keyFile, own.key.slice(0, 120));
    let err = await expectCertError(() => ensureServerCertificate(dataDir, SERVER), 'CERT_UNREADABLE', [
      own.key,
      ca.key,
    ]);
    expect(err.message).toContain(`Cannot use ${own.certFile}: its private key ${keyFile} is not a readable`);
    rmSync(keyFile);
    err = await expectCertError(() => ensureServerCertificate(dataDir, SERVER), 'CERT_UNREADABLE', [ca.key]);
    expect(err.message).toContain(
      `Cannot use ${own.certFile}: its private key ${keyFile}: the file does not exist`,
    );
  });

  it("cannot be issued without the CA key, or with a key that is not the CA's, and says which file", async () => {
    const { dataDir, ca } = await deployment();
    rmSync(caKeyPath(dataDir));
    const err = await expectCertError(
      () => ensureServerCertificate(dataDir, SERVER),
      'CERT_CA_KEY_UNUSABLE',
      [ca.key],
    );
    expect(err.message).toContain(
      `the deployment CA key ${caKeyPath(dataDir)} cannot be used (the file does not exist)`,
    );
    const stranger = await createCa('Stranger CA');
    writeFileSync(caKeyPath(dataDir), stranger.key);
    const wrong = await expectCertError(
      () => ensureServerCertificate(dataDir, SERVER),
      'CERT_CA_KEY_UNUSABLE',
      [ca.key, stranger.key],
    );
    expect(wrong.message).toContain(`(it is not the key of the CA certificate ${caCertPath(dataDir)})`);
    writeFileSync(caKeyPath(dataDir), stranger.key.slice(0, 100));
    await expectCertError(() => ensureServerCertificate(dataDir, SERVER), 'CERT_CA_KEY_UNUSABLE', [
      stranger.key,
    ]);
    expect(existsSync(serverCertPath(dataDir, SERVER.fqdn))).toBe(false);
  });

  it('cannot be issued before the deployment has a CA', async () => {
    await expectCertError(() => ensureServerCertificate(tempDataDir(), SERVER), 'CERT_CA_UNREADABLE', []);
  });

  it('never lets a server name reach the file system as a path', async () => {
    const { dataDir } = await deployment();
    await expect(ensureServerCertificate(dataDir, { ...SERVER, fqdn: '../../etc/x' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
