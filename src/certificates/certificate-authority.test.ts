import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCa, issueCertificate } from './certificate-authority.js';
import { x509 } from './x509-library.js';

const YEAR_MS = 365 * 86_400_000;

describe('a certificate authority', () => {
  it('creates a self-signed CA that may sign certificates and nothing else', async () => {
    const ca = await createCa('Tandem deployment CA (Litware, Inc.)');
    const cert = new X509Certificate(ca.cert);
    expect(cert.ca).toBe(true);
    // One common name, its comma part of the text (escaped in the DN string), not a second attribute.
    expect(cert.subject).toBe('CN=Tandem deployment CA (Litware\\, Inc.)');
    const name = new x509.X509Certificate(ca.cert).subjectName;
    expect(name.getField('CN')).toEqual(['Tandem deployment CA (Litware, Inc.)']);
    expect(cert.checkIssued(cert)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(ca.key))).toBe(true);
    expect(ca.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const usage = new x509.X509Certificate(ca.cert).getExtension(x509.KeyUsagesExtension);
    expect(usage?.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    const years = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / YEAR_MS;
    expect(years).toBeGreaterThan(9.9);
    expect(years).toBeLessThan(10.1);
  });

  it('issues a certificate for servers and clients, verified by the CA and naming what it was asked', async () => {
    const ca = await createCa('Test CA');
    const issued = await issueCertificate(ca, {
      names: ['fe01.litwareinc.com', 'pool.litwareinc.com'],
      ips: ['10.0.0.5', '::1'],
    });
    const cert = new X509Certificate(issued.cert);
    const caCert = new X509Certificate(ca.cert);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.subject).toBe('CN=fe01.litwareinc.com');
    expect(cert.subjectAltName).toBe(
      'DNS:fe01.litwareinc.com, DNS:pool.litwareinc.com, IP Address:10.0.0.5, IP Address:0:0:0:0:0:0:0:1',
    );
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2']);
    expect(cert.checkPrivateKey(createPrivateKey(issued.key))).toBe(true);
    const years = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / YEAR_MS;
    expect(years).toBeGreaterThan(1.99);
    expect(years).toBeLessThan(2.01);
  });

  it('never issues past the end of the CA, unless asked for those dates', async () => {
    const caEnd = new Date(Date.now() + 100 * 86_400_000);
    const ca = await createCa('Short CA', { notAfter: caEnd });
    const cert = new x509.X509Certificate((await issueCertificate(ca, { names: ['a.example.com'] })).cert);
    expect(cert.notAfter.getTime()).toBe(Math.floor(caEnd.getTime() / 1000) * 1000);
  });

  it('refuses a certificate without a name', async () => {
    const ca = await createCa('Test CA');
    await expect(issueCertificate(ca, { names: [] })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});
