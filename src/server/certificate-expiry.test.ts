import { describe, expect, it } from 'vitest';
import { createCa, issueCertificate } from '../certificates/certificate-authority.js';
import { describeCertificate } from '../certificates/certificate-info.js';
import { CertificateExpiryWatch } from './certificate-expiry.js';

const DAY_MS = 86_400_000;
const ca = await createCa('expiry tests');

async function watchFor(daysLeft: number, now: Date) {
  const cert = await issueCertificate(ca, {
    names: ['atl-cs-001.litwareinc.com'],
    notBefore: new Date(now.getTime() - DAY_MS),
    notAfter: new Date(now.getTime() + daysLeft * DAY_MS),
  });
  const lines: string[] = [];
  const log = { warn: (_fields: object, msg: string) => void lines.push(msg) };
  const watch = new CertificateExpiryWatch(
    (at) => describeCertificate(cert.cert, at),
    log as never,
    () => now,
  );
  return { watch, lines };
}

describe('CertificateExpiryWatch', () => {
  it('warns, naming the end and what to do, when fewer than 30 days are left', async () => {
    const now = new Date('2027-03-01T00:00:00Z');
    const { watch, lines } = await watchFor(10, now);
    expect(watch.check()).toBe(true);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('atl-cs-001.litwareinc.com');
    expect(lines[0]).toContain('2027-03-11');
    expect(lines[0]).toContain('Request-CsCertificate');
  });

  it('stays quiet while more are left', async () => {
    const now = new Date('2027-03-01T00:00:00Z');
    const { watch, lines } = await watchFor(60, now);
    expect(watch.check()).toBe(false);
    expect(lines).toEqual([]);
  });
});
