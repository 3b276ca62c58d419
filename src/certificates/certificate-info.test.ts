import { createHash, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createCa, issueCertificate } from './certificate-authority.js';
import { describeCertificate, EXPIRY_WARNING_DAYS } from './certificate-info.js';
import { expectCertError } from './certificate-test-kit.fixture.js';

const DAY_MS = 86_400_000;

describe('a certificate described for Get-CsCertificate', () => {
  it('shows issuer, subject, names, the Windows thumbprint, serial and validity', async () => {
    const ca = await createCa('Test CA');
    const issued = await issueCertificate(ca, {
      names: ['fe01.litwareinc.com', 'pool.litwareinc.com'],
      ips: ['10.0.0.5'],
    });
    const node = new X509Certificate(issued.cert);
    const info = describeCertificate(issued.cert);
    expect(info.Issuer).toBe('CN=Test CA');
    expect(info.Subject).toBe('CN=fe01.litwareinc.com');
    expect(info.AlternativeNames).toEqual(['fe01.litwareinc.com', 'pool.litwareinc.com', '10.0.0.5']);
    expect(info.Thumbprint).toBe(createHash('sha1').update(node.raw).digest('hex').toUpperCase());
    expect(info.SerialNumber).toBe(node.serialNumber.toUpperCase());
    expect(info.NotAfter).toBe(new Date(node.validTo).toISOString());
    expect(info.NotBefore).toBe(new Date(node.validFrom).toISOString());
    expect(info.DaysLeft).toBeGreaterThanOrEqual(729);
    expect(info.ExpiryWarning).toBe(false);
  });

  it(`warns with fewer than ${EXPIRY_WARNING_DAYS} days left: at 29 days, not at 31`, async () => {
    const ca = await createCa('Test CA');
    const { cert } = await issueCertificate(ca, { names: ['fe01.litwareinc.com'] });
    const notAfter = new Date(describeCertificate(cert).NotAfter).getTime();
    const at29 = describeCertificate(cert, new Date(notAfter - 29 * DAY_MS));
    expect([at29.DaysLeft, at29.ExpiryWarning]).toEqual([29, true]);
    const at31 = describeCertificate(cert, new Date(notAfter - 31 * DAY_MS));
    expect([at31.DaysLeft, at31.ExpiryWarning]).toEqual([31, false]);
    const after = describeCertificate(cert, new Date(notAfter + 2 * DAY_MS));
    expect([after.DaysLeft, after.ExpiryWarning]).toEqual([-2, true]);
  });

  it('refuses text that holds no certificate', async () => {
    await expectCertError(() => describeCertificate('hello'), 'CERT_UNREADABLE', []);
    const broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    await expectCertError(() => describeCertificate(broken), 'CERT_UNREADABLE', []);
  });
});
