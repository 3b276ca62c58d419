import { describe, expect, it } from 'vitest';
import { LOOPBACK_SOURCES, loopbackSourceFor } from './loopback-sources.js';

describe('loopbackSourceFor', () => {
  it('spreads clients of a loopback server over 127.0.0.x sources', () => {
    const url = 'ws://127.0.0.1:5061/v1/client';
    const sources = new Set(Array.from({ length: 100 }, (_, i) => loopbackSourceFor(url, i)));
    expect(sources.size).toBe(LOOPBACK_SOURCES);
    expect(loopbackSourceFor(url, 0)).toBe('127.0.0.2');
    expect(loopbackSourceFor(url, LOOPBACK_SOURCES)).toBe('127.0.0.2');
  });

  it('leaves other servers alone', () => {
    expect(loopbackSourceFor('ws://10.0.0.5:5061/v1/client', 3)).toBeUndefined();
    expect(loopbackSourceFor('ws://localhost:5061/v1/client', 3)).toBeUndefined();
    expect(loopbackSourceFor('not a url', 3)).toBeUndefined();
  });
});
