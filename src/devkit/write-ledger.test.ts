import { describe, expect, it } from 'vitest';
import type { PeerClient } from '../s2s/peer-client.js';
import { WriteLedger } from './write-ledger.js';

const ALICE = 'sip:alice@litwareinc.com';

/** A server copy that holds `items` for every owner, and runs `duringRead` while it is being read. */
function copyHolding(items: Record<string, string>, duringRead: () => void): PeerClient {
  const answer = {
    items: Object.entries(items).map(([key, value]) => ({
      kind: 'setting',
      key,
      value: JSON.stringify(value),
    })),
  };
  return {
    call: async () => {
      duringRead();
      return answer;
    },
  } as unknown as PeerClient;
}

describe('WriteLedger.missingAt', () => {
  it('names an acknowledged write the copy lacks', async () => {
    const ledger = new WriteLedger([]);
    ledger.acked.set(
      ALICE,
      new Map([
        ['ledger-0', 'a'],
        ['ledger-1', 'b'],
      ]),
    );
    expect(
      await ledger.missingAt(
        copyHolding({ 'ledger-0': 'a' }, () => undefined),
        'x',
      ),
    ).toEqual([`${ALICE}/ledger-1`]);
  });

  it('does not count a write acknowledged while the copy was being read', async () => {
    // The writers keep going during the check: a write acknowledged after the read began cannot be in it.
    const ledger = new WriteLedger([]);
    ledger.acked.set(ALICE, new Map([['ledger-0', 'a']]));
    const copy = copyHolding({ 'ledger-0': 'a' }, () => ledger.acked.get(ALICE)?.set('ledger-1', 'b'));
    expect(await ledger.missingAt(copy, 'x')).toEqual([]);
    expect(ledger.count()).toBe(2);
  });
});
