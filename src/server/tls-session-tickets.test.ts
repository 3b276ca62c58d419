import { randomBytes } from 'node:crypto';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCa, issueCertificate } from '../certificates/certificate-authority.js';
import {
  TICKET_KEY_PERIOD_MS,
  TLS_SESSION_LIFETIME_S,
  TicketKeyRotation,
  ticketKeysAt,
} from './tls-session-tickets.js';

const deploymentKey = randomBytes(32);
const DAY = TICKET_KEY_PERIOD_MS;

describe('ticket keys', () => {
  it('are the same for every server during a period and change with the period and the deployment', () => {
    const noon = 20_000 * DAY + DAY / 2;
    const keys = ticketKeysAt(deploymentKey, noon);
    expect(keys).toHaveLength(48);
    expect(ticketKeysAt(Buffer.from(deploymentKey), 20_000 * DAY + DAY - 1)).toEqual(keys);
    expect(ticketKeysAt(deploymentKey, 20_001 * DAY)).not.toEqual(keys);
    expect(ticketKeysAt(randomBytes(32), noon)).not.toEqual(keys);
  });

  it('rotate at the start of each period', () => {
    let now = 20_000 * DAY + DAY - 1;
    const installed: Buffer[] = [];
    const rotation = new TicketKeyRotation(
      deploymentKey,
      (k) => installed.push(k),
      () => now,
    );
    rotation.start();
    rotation.stop();
    now += 1;
    rotation.start();
    rotation.stop();
    expect(installed).toEqual([
      ticketKeysAt(deploymentKey, 20_000 * DAY),
      ticketKeysAt(deploymentKey, 20_001 * DAY),
    ]);
  });
});

describe('a TLS session', () => {
  let authority: Awaited<ReturnType<typeof createCa>>;
  const servers: tls.Server[] = [];
  const rotations: TicketKeyRotation[] = [];
  let now = Date.now();

  /** A server of the deployment, with the ticket keys its rotation gives it. */
  async function startServer(): Promise<number> {
    const { cert, key } = await issueCertificate(authority, { names: ['localhost'], ips: ['127.0.0.1'] });
    const server = tls.createServer(
      { cert, key, sessionIdContext: 'tandem', sessionTimeout: TLS_SESSION_LIFETIME_S },
      (s) => s.end('hello'),
    );
    const rotation = new TicketKeyRotation(
      deploymentKey,
      (k) => server.setTicketKeys(k),
      () => now,
    );
    rotation.start();
    rotations.push(rotation);
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    return (server.address() as AddressInfo).port;
  }

  /** Connects (offering `session`), reads to the end; whether the session was resumed, and the one to keep. */
  function connect(port: number, session?: Buffer): Promise<{ resumed: boolean; session?: Buffer }> {
    return new Promise((resolve, reject) => {
      let kept: Buffer | undefined;
      const socket = tls.connect({
        port,
        host: '127.0.0.1',
        ca: authority.cert,
        servername: 'localhost',
        session,
      });
      socket.on('session', (s: Buffer) => (kept = s));
      socket.on('error', reject);
      socket.on('data', () => undefined);
      socket.on('end', () => {
        resolve({ resumed: socket.isSessionReused(), session: kept });
        socket.destroy();
      });
    });
  }

  let first: number;
  let second: number;
  beforeAll(async () => {
    authority = await createCa('tickets test CA');
    first = await startServer();
    second = await startServer();
  });
  afterAll(() => {
    for (const r of rotations) r.stop();
    for (const s of servers) s.close();
  });

  it('resumes at another server of the deployment, and makes a full handshake once the keys rotated', async () => {
    const opened = await connect(first);
    expect(opened.resumed).toBe(false);
    expect(opened.session).toBeDefined();
    expect((await connect(second, opened.session)).resumed).toBe(true);

    now += TICKET_KEY_PERIOD_MS;
    for (const r of rotations) r.start();
    const afterRotation = await connect(second, opened.session);
    expect(afterRotation.resumed).toBe(false);
    expect((await connect(first, afterRotation.session)).resumed).toBe(true);
  });
});
