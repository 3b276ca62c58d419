import { describe, expect, it } from 'vitest';
import {
  ConnectionCounter,
  connectionBudget,
  FALLBACK_MAX_CONNECTIONS,
  HTTP_PER_ADDRESS,
  HTTP_RESERVE,
  PROCESS_RESERVE,
} from './connection-admission.js';

describe('connectionBudget', () => {
  it('keeps clients below the descriptor limit, with reserves for the process and HTTP', () => {
    const b = connectionBudget(20_000, { maxConnections: undefined, maxConnectionsPerAddress: 2_500 });
    expect(b.clients).toBe(20_000 - PROCESS_RESERVE - HTTP_RESERVE);
    expect(b.sockets + PROCESS_RESERVE).toBe(20_000);
    expect(b.clientsPerAddress).toBe(2_500);
    expect(b.socketsPerAddress).toBe(2_500 + HTTP_PER_ADDRESS);
    // The failover bench's 19,500 users on one server still fit.
    expect(b.clients).toBeGreaterThanOrEqual(19_500);
  });

  it('takes a lower configured cap, never a higher one than the descriptors allow', () => {
    expect(connectionBudget(20_000, { maxConnections: 50, maxConnectionsPerAddress: 10 }).clients).toBe(50);
    expect(connectionBudget(1_024, { maxConnections: 50_000, maxConnectionsPerAddress: 10 }).clients).toBe(
      1_024 - PROCESS_RESERVE - HTTP_RESERVE,
    );
    expect(
      connectionBudget(1_024, { maxConnections: 5, maxConnectionsPerAddress: 10 }).clientsPerAddress,
    ).toBe(5);
  });

  it('falls back to a documented default when the descriptor limit is unknown', () => {
    expect(
      connectionBudget(undefined, { maxConnections: undefined, maxConnectionsPerAddress: 10 }).clients,
    ).toBe(FALLBACK_MAX_CONNECTIONS);
    expect(connectionBudget(undefined, { maxConnections: 77, maxConnectionsPerAddress: 10 }).clients).toBe(
      77,
    );
  });
});

describe('ConnectionCounter', () => {
  it('refuses per address, then in all, and frees a slot once per release', () => {
    const c = new ConnectionCounter(() => ({ total: 3, perAddress: 2 }));
    const a1 = c.admit('a');
    const a2 = c.admit('a');
    expect(c.admit('a')).toMatchObject({ ok: false, scope: 'address', limit: 2 });
    const b1 = c.admit('b');
    expect(c.admit('c')).toMatchObject({ ok: false, scope: 'server', limit: 3 });
    expect([a1.ok, a2.ok, b1.ok]).toEqual([true, true, true]);
    if (a1.ok) {
      a1.release();
      a1.release();
    }
    expect(c.count()).toBe(2);
    expect(c.admit('c').ok).toBe(true);
    expect(c.admit('c')).toMatchObject({ ok: false, scope: 'server' });
  });
});
