import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { TandemError } from '../errors/index.js';
import { resolveServerOptions } from './server-config.js';

describe('resolveServerOptions', () => {
  it('fills defaults, lower-cases the FQDN and freezes the result', () => {
    const config = resolveServerOptions({ serverFqdn: 'ATL-CS-001.LitwareInc.com', dataDir: '/data' });
    expect(config).toMatchObject({
      fqdn: 'atl-cs-001.litwareinc.com',
      dataDir: '/data',
      topologyPath: undefined,
      cmsHeartbeatMs: 1_000,
      acceptBacklog: 8_192,
      acceptors: 16,
    });
    expect(typeof config.log.info).toBe('function');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('keeps the options given', () => {
    const log = pino({ level: 'silent' });
    const config = resolveServerOptions({
      serverFqdn: 'dal-cs-001.litwareinc.com',
      dataDir: '/data',
      topologyPath: '/data/topology.yaml',
      log,
      cmsHeartbeatMs: 250,
      acceptors: 1,
    });
    expect(config).toMatchObject({ topologyPath: '/data/topology.yaml', cmsHeartbeatMs: 250, acceptors: 1 });
    expect(config.log).toBe(log);
  });

  it('throws INVALID_ARGUMENT naming the path of each bad option', () => {
    let err: unknown;
    try {
      resolveServerOptions({ serverFqdn: '', dataDir: '/data', cmsHeartbeatMs: -5 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(TandemError);
    expect((err as TandemError).code).toBe('INVALID_ARGUMENT');
    expect((err as TandemError).message).toMatch(/serverFqdn: .*cmsHeartbeatMs: /);
  });
});
