import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCa, issueCertificate } from './certificate-authority.js';
import { expectCertError, SERVER, tempDataDir } from './certificate-test-kit.fixture.js';
import {
  caCertPath,
  caKeyPath,
  ensureDeploymentCa,
  ensureServerCertificate,
  requestKeyPath,
  serverCertPath,
} from './deployment-pki.js';
import { x509 } from './x509-library.js';
import { normalizeThumbprint, ServerCertificates } from './server-certificates.js';

const ALLOWED = [SERVER.fqdn, SERVER.poolFqdn];
const mode = (path: string) => statSync(path).mode & 0o777;

async function certificates(): Promise<{ dataDir: string; certs: ServerCertificates }> {
  const dataDir = tempDataDir();
  await ensureDeploymentCa(dataDir, 'Litware');
  const tls = await ensureServerCertificate(dataDir, SERVER);
  return { dataDir, certs: new ServerCertificates(dataDir, SERVER, tls) };
}

describe("a server's certificates", () => {
  it('issues a ready certificate and puts it in use on Set, telling the listeners', async () => {
    const { dataDir, certs } = await certificates();
    const before = certs.current().thumbprint;
    const issued = await certs.issue({ domainNames: [SERVER.poolFqdn], allowedNames: ALLOWED });
    expect(issued.AlternativeNames).toEqual([SERVER.fqdn, SERVER.poolFqdn, SERVER.host]);
    expect(certs.current().thumbprint).toBe(before);
    const seen: string[] = [];
    certs.onChange((m) => seen.push(m.thumbprint));
    certs.use(issued.Thumbprint.toLowerCase());
    expect(seen).toEqual([issued.Thumbprint]);
    expect(certs.describeCurrent().Thumbprint).toBe(issued.Thumbprint);
    // The files hold it: the next start uses it.
    const again = await ensureServerCertificate(dataDir, SERVER);
    expect(again.thumbprint).toBe(issued.Thumbprint);
    expect(mode(serverCertPath(dataDir, SERVER.fqdn))).toBe(0o600);
  });

  it('refuses an unknown or malformed thumbprint with CERT_UNKNOWN_THUMBPRINT', async () => {
    const { certs } = await certificates();
    const err = await expectCertError(() => certs.use('00'.repeat(20)), 'CERT_UNKNOWN_THUMBPRINT', []);
    expect(err.message).toContain('Get-CsCertificate');
    await expectCertError(() => certs.use('../../etc/passwd'), 'CERT_UNKNOWN_THUMBPRINT', []);
  });

  it('keeps the key of a request and pairs it with the certificate the CA returns', async () => {
    const { dataDir, certs } = await certificates();
    const csrPem = await certs.request({
      domainNames: [SERVER.fqdn],
      allowedNames: ALLOWED,
      friendlyName: 'fe',
    });
    expect(csrPem).not.toContain('PRIVATE KEY');
    const keyFile = requestKeyPath(dataDir, SERVER.fqdn);
    expect(mode(keyFile)).toBe(0o600);
    // The deployment CA signs the request, as an external CA would.
    const csr = new x509.Pkcs10CertificateRequest(csrPem);
    const caPem = readFileSync(caCertPath(dataDir), 'utf8');
    const caCert = new x509.X509Certificate(caPem);
    const { importSigningKey, KEY_ALGORITHM } = await import('./x509-library.js');
    const signed = await x509.X509CertificateGenerator.create({
      subject: csr.subject,
      issuer: caCert.subject,
      publicKey: csr.publicKey,
      signingKey: await importSigningKey(readFileSync(caKeyPath(dataDir), 'utf8')),
      signingAlgorithm: KEY_ALGORITHM,
      notBefore: new Date(Date.now() - 60_000),
      notAfter: new Date(Date.now() + 86_400_000),
      extensions: csr.extensions,
    });
    const info = certs.import(signed.toString('pem'), undefined, 'fe.crt');
    expect(existsSync(keyFile)).toBe(false);
    certs.use(info.Thumbprint);
    expect(certs.current().thumbprint).toBe(info.Thumbprint);
  });

  it('refuses a certificate from another CA with CERT_NOT_TRUSTED, and one without a key', async () => {
    const { certs } = await certificates();
    const other = await createCa('Tandem deployment CA (Litware)');
    const foreign = await issueCertificate(other, { names: [SERVER.fqdn] });
    await expectCertError(() => certs.import(foreign.cert, foreign.key, 'x.crt'), 'CERT_NOT_TRUSTED', [
      foreign.key,
    ]);
    await expectCertError(() => certs.import(foreign.cert, undefined, 'x.crt'), 'CERT_NO_REQUEST_KEY', []);
  });

  it('reads thumbprints as Windows and OpenSSL write them', () => {
    const t = 'AB'.repeat(20);
    expect(normalizeThumbprint(t.toLowerCase())).toBe(t);
    expect(normalizeThumbprint('AB:'.repeat(19) + 'AB')).toBe(t);
    expect(normalizeThumbprint('AB')).toBeUndefined();
  });
});
