import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS } from '../timing/fire-at.js';
import { ManualClock } from '../timing/manual-clock.fixture.js';
import { issueCertificate } from './certificate-authority.js';
import { CertificateRollTimer } from './certificate-roll-timer.js';
import { expectCertError, SERVER, tempDataDir } from './certificate-test-kit.fixture.js';
import {
  caCertPath,
  caKeyPath,
  ensureDeploymentCa,
  ensureServerCertificate,
  pendingCertPath,
  scheduledRollPath,
} from './deployment-pki.js';
import { ServerCertificates } from './server-certificates.js';

const DAY = 86_400_000;
const ALLOWED = [SERVER.fqdn, SERVER.poolFqdn];
const mode = (path: string) => statSync(path).mode & 0o777;

interface Logged {
  readonly level: 'info' | 'error';
  readonly message: string;
}

async function server(dataDir = tempDataDir()) {
  await ensureDeploymentCa(dataDir, 'Litware');
  const certs = new ServerCertificates(dataDir, SERVER, await ensureServerCertificate(dataDir, SERVER));
  const logged: Logged[] = [];
  const log = {
    info: (_fields: object, message: string) => void logged.push({ level: 'info', message }),
    error: (_fields: object, message: string) => void logged.push({ level: 'error', message }),
  };
  const clock = new ManualClock(Date.now());
  const timer = new CertificateRollTimer(certs, log, clock);
  const ready = async () =>
    (await certs.issue({ domainNames: [SERVER.fqdn], allowedNames: ALLOWED })).Thumbprint;
  return { dataDir, certs, clock, timer, logged, ready };
}

describe('Set-CsCertificate -Roll: scheduling', () => {
  it('checks the certificate now and keeps the roll in a private file', async () => {
    const { dataDir, certs, ready, clock } = await server();
    const previous = certs.current().thumbprint;
    const next = await ready();
    const at = new Date(clock.now() + 40 * DAY);
    const outcome = certs.scheduleRoll(next, at, new Date(clock.now()));
    expect(outcome.kind).toBe('scheduled');
    expect(certs.current().thumbprint).toBe(previous);
    const file = scheduledRollPath(dataDir, SERVER.fqdn);
    expect(mode(file)).toBe(0o600);
    expect(mode(dirname(file))).toBe(0o700);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      thumbprint: next,
      effectiveDate: at.toISOString(),
      previousThumbprint: previous,
    });
    const view = certs.scheduledRoll();
    expect(view?.roll.thumbprint).toBe(next);
    expect(view?.certificate?.Thumbprint).toBe(next);
    expect(view?.failure).toBeUndefined();
  });

  it('refuses a date past the end of the certificate, and an unknown thumbprint', async () => {
    const { dataDir, certs } = await server();
    const ca = {
      cert: readFileSync(caCertPath(dataDir), 'utf8'),
      key: readFileSync(caKeyPath(dataDir), 'utf8'),
    };
    const short = await issueCertificate(ca, {
      names: [SERVER.fqdn],
      notAfter: new Date(Date.now() + 10 * DAY),
    });
    const { Thumbprint } = certs.import(short.cert, short.key, 'short.crt');
    const err = await expectCertError(
      () => certs.scheduleRoll(Thumbprint, new Date(Date.now() + 20 * DAY)),
      'CERT_ROLL_OUTSIDE_VALIDITY',
      [short.key],
    );
    expect(err.message).toContain(Thumbprint);
    expect(certs.scheduledRoll()).toBeUndefined();
    await expectCertError(
      () => certs.scheduleRoll('12'.repeat(20), new Date(Date.now() + DAY)),
      'CERT_UNKNOWN_THUMBPRINT',
      [],
    );
  });

  it('puts the certificate in use at once when the date has passed', async () => {
    const { certs, ready } = await server();
    const next = await ready();
    const outcome = certs.scheduleRoll(next, new Date(Date.now() - 60_000));
    expect(outcome.kind).toBe('in-use');
    expect(certs.current().thumbprint).toBe(next);
    expect(certs.scheduledRoll()).toBeUndefined();
  });

  it('is replaced by a new Set-CsCertificate, and cancelled by naming the certificate in use', async () => {
    const { dataDir, certs, ready } = await server();
    const file = scheduledRollPath(dataDir, SERVER.fqdn);
    const [a, b, c] = [await ready(), await ready(), await ready()];
    certs.scheduleRoll(a, new Date(Date.now() + DAY));
    certs.scheduleRoll(b, new Date(Date.now() + 2 * DAY));
    expect(certs.scheduledRoll()?.roll.thumbprint).toBe(b);
    certs.use(c);
    expect(certs.scheduledRoll()).toBeUndefined();
    expect(existsSync(file)).toBe(false);
    certs.scheduleRoll(a, new Date(Date.now() + DAY));
    certs.use(c);
    expect(certs.scheduledRoll()).toBeUndefined();
    expect(certs.current().thumbprint).toBe(c);
  });

  it('refuses to start on a roll file that is not one, naming it', async () => {
    const { dataDir, certs } = await server();
    const file = scheduledRollPath(dataDir, SERVER.fqdn);
    writeFileSync(file, '{"thumbprint":"nope"}');
    const err = await expectCertError(
      () => new ServerCertificates(dataDir, SERVER, certs.current()),
      'CERT_ROLL_UNREADABLE',
      [],
    );
    expect(err.message).toContain(file);
  });
});

describe('Set-CsCertificate -Roll: the timer', () => {
  it('switches at the effective date weeks ahead, with no timer past what setTimeout holds', async () => {
    const { dataDir, certs, clock, timer, ready, logged } = await server();
    const next = await ready();
    const seen: string[] = [];
    certs.onChange((m) => seen.push(m.thumbprint));
    timer.start();
    certs.scheduleRoll(next, new Date(clock.now() + 60 * DAY), new Date(clock.now()));
    clock.advance(60 * DAY - 1);
    expect(seen).toEqual([]);
    clock.advance(1);
    expect(seen).toEqual([next]);
    expect(certs.current().thumbprint).toBe(next);
    expect(certs.scheduledRoll()).toBeUndefined();
    expect(existsSync(scheduledRollPath(dataDir, SERVER.fqdn))).toBe(false);
    expect(Math.max(...clock.delays)).toBeLessThanOrEqual(MAX_TIMER_MS);
    expect(logged.map((l) => l.level)).toEqual(['info']);
    expect(logged[0]?.message).toContain(next);
    timer.stop();
  });

  it('honours a roll after a restart, before and after its date', async () => {
    const first = await server();
    const next = await first.ready();
    const at = new Date(first.clock.now() + 3 * DAY);
    first.certs.scheduleRoll(next, at, new Date(first.clock.now()));

    // Restarted before the date: the roll is read back and the new timer makes it.
    const again = await server(first.dataDir);
    expect(again.certs.scheduledRoll()?.roll.effectiveDate).toEqual(at);
    again.timer.applyDue();
    expect(again.certs.current().thumbprint).not.toBe(next);
    again.timer.start();
    again.clock.advance(3 * DAY);
    expect(again.certs.current().thumbprint).toBe(next);
    again.timer.stop();
  });

  it('applies at start a roll whose date passed while the server was stopped', async () => {
    const first = await server();
    const next = await first.ready();
    first.certs.scheduleRoll(next, new Date(first.clock.now() + DAY), new Date(first.clock.now()));
    const again = await server(first.dataDir);
    again.clock.set(first.clock.now() + 2 * DAY);
    again.timer.applyDue();
    expect(again.certs.current().thumbprint).toBe(next);
    // The files hold it: the start after that presents it from the first handshake.
    expect((await ensureServerCertificate(first.dataDir, SERVER)).thumbprint).toBe(next);
  });

  it('keeps the certificate in use and says why when the rolled one cannot be used', async () => {
    const { dataDir, certs, clock, timer, ready, logged } = await server();
    const previous = certs.current().thumbprint;
    const next = await ready();
    timer.start();
    certs.scheduleRoll(next, new Date(clock.now() + DAY), new Date(clock.now()));
    rmSync(pendingCertPath(dataDir, SERVER.fqdn, next));
    clock.advance(DAY);
    expect(certs.current().thumbprint).toBe(previous);
    expect(certs.scheduledRoll()?.failure).toContain('CERT_UNKNOWN_THUMBPRINT');
    expect(logged.map((l) => l.level)).toEqual(['error']);
    expect(clock.pending).toBe(0);
    timer.stop();
  });

  it('stops waiting once stopped', async () => {
    const { certs, clock, timer, ready } = await server();
    const previous = certs.current().thumbprint;
    timer.start();
    certs.scheduleRoll(await ready(), new Date(clock.now() + DAY), new Date(clock.now()));
    timer.stop();
    clock.advance(2 * DAY);
    expect(certs.current().thumbprint).toBe(previous);
  });
});
