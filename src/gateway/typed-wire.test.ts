import { describe, expect, it } from 'vitest';
import type { CommsHub } from '../delivery/comms-hub.js';
import type { Fabric } from '../delivery/fabric.js';
import { encodePush } from '../protocol/pushes.js';
import type { HandlerMap } from './operation-handlers.js';

/**
 * Compile-time checks (`tsc` runs over tests): each line marked @ts-expect-error must fail to compile, so a
 * push or an answer of the wrong shape is caught before it reaches a client. Never called.
 */
function wrongShapes(hub: CommsHub, fabric: Fabric): HandlerMap['imSend'][] {
  // @ts-expect-error a push payload field of the wrong type
  hub.push('sip:a@b.c', 'im.typing', { sessionId: 1, from: 'sip:x@b.c' });
  // @ts-expect-error a push the catalog does not have
  hub.push('sip:a@b.c', 'im.typo', { sessionId: 's', from: 'sip:x@b.c' });
  const ended = { kind: 'push', push: 'conf.ended', payload: { confId: 'c', reason: 'x' } } as const;
  // @ts-expect-error a reason the catalog does not list
  void fabric.sendToUser('sip:a@b.c', ended);
  // @ts-expect-error a missing field
  encodePush('mode.changed', { mode: 'regular' });
  // @ts-expect-error an answer of the wrong type
  const wrongAnswer: HandlerMap['imSend'] = () => Promise.resolve({ at: 'now' });
  // @ts-expect-error an answer with a field its schema does not have
  const extraField: HandlerMap['imEnd'] = () => Promise.resolve({ done: true });
  void extraField;
  return [wrongAnswer];
}

describe('the typed wire', () => {
  it('refuses pushes and answers of the wrong shape at compile time', () => {
    expect(typeof wrongShapes).toBe('function');
  });
});
