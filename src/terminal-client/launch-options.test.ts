import { describe, expect, it } from 'vitest';
import { passwordFromEnv, serverUrls, toClientUrl } from './launch-options.js';

describe('launch options', () => {
  it('turns a server as typed into a client URL', () => {
    expect(toClientUrl('127.0.0.1:5061')).toBe('wss://127.0.0.1:5061/v1/client');
    expect(toClientUrl('wss://fe.litwareinc.com:5061')).toBe('wss://fe.litwareinc.com:5061/v1/client');
    expect(toClientUrl('wss://fe.litwareinc.com/v1/client')).toBe('wss://fe.litwareinc.com/v1/client');
    // Clear text is refused with the reason, not quietly upgraded.
    expect(() => toClientUrl('ws://fe.litwareinc.com:5061')).toThrow(/TLS only; use wss:\/\//);
  });

  it('uses the servers given, else every server of the deployment', () => {
    const deployment = () => ({ servers: [{ address: '127.0.0.1:1' }, { address: '127.0.0.1:2' }] });
    expect(serverUrls('a:1, b:2', deployment)).toEqual(['wss://a:1/v1/client', 'wss://b:2/v1/client']);
    expect(serverUrls(undefined, deployment)).toEqual([
      'wss://127.0.0.1:1/v1/client',
      'wss://127.0.0.1:2/v1/client',
    ]);
    expect(() => serverUrls(undefined, () => ({ servers: [] }))).toThrow(/no front-end servers/);
  });

  it('reads the password from the named variable, else TANDEM_PASSWORD, else asks', () => {
    expect(passwordFromEnv('MY_PW', { MY_PW: 's3cret' })).toEqual({ password: 's3cret' });
    expect(passwordFromEnv('MY_PW', { TANDEM_PASSWORD: 'x' })).toEqual({
      problem: 'the environment variable MY_PW is not set',
    });
    expect(passwordFromEnv(undefined, { TANDEM_PASSWORD: 'x' })).toEqual({ password: 'x' });
    expect(passwordFromEnv(undefined, {})).toEqual({});
  });
});
