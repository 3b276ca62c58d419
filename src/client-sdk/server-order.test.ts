import { describe, expect, it } from 'vitest';
import { allPushes } from '../protocol/pushes.js';
import { TYPED_PUSHES } from './client-types.js';
import { ConnectCause, serverOrder } from './server-order.js';
import { Transitions } from './connection-state.js';

const server = (url: string) => ({ fqdn: url, url });

describe('serverOrder', () => {
  it('tries the given URLs before any sign-in', () => {
    expect(
      serverOrder({ urls: ['ws://a', 'ws://b'], registrars: undefined, cause: ConnectCause.Initial }),
    ).toEqual(['ws://a', 'ws://b']);
  });

  it('tries the primary registrar, then the backup registrar, then the given URLs, each once', () => {
    const registrars = {
      primary: { pool: 'p', servers: [server('ws://p1'), server('ws://p2')] },
      backup: { pool: 'b', servers: [server('ws://b1')] },
    };
    expect(
      serverOrder({ urls: ['ws://x', 'ws://p1'], registrars, cause: ConnectCause.ConnectionLost }),
    ).toEqual(['ws://p1', 'ws://p2', 'ws://b1', 'ws://x']);
  });
});

describe('SDK tables', () => {
  it('types every push the protocol defines', () => {
    expect([...TYPED_PUSHES].sort()).toEqual(
      allPushes()
        .map((p) => p.push)
        .sort(),
    );
  });

  it('lets no state leave `closed`', () => {
    expect(Transitions.closed).toEqual([]);
  });
});
