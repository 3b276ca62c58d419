import { describe, expect, it } from 'vitest';
import { NotifyOutbox } from './notify-outbox.js';
import type { PresenceState } from '../protocol/model.js';

const state = (sip: string, note: string): PresenceState => ({ sip, availability: 'Busy', note, at: 1 });

/** A watching server that refuses the first `failures` calls, and records every call. */
function watcher(failures: number) {
  const calls: { ok: boolean; notes: string[] }[] = [];
  const waiting: { n: number; resolve: () => void }[] = [];
  let left = failures;
  const send = async (_server: string, states: PresenceState[]) => {
    const ok = left-- <= 0;
    calls.push({ ok, notes: states.map((s) => s.note) });
    for (const w of waiting.filter((x) => calls.length >= x.n)) w.resolve();
    if (!ok) throw new Error('no answer within 10000 ms');
  };
  const callsReach = (n: number) =>
    calls.length >= n ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ n, resolve }));
  return { calls, send, callsReach };
}

describe('NotifyOutbox', () => {
  it('sends one batch per watching server per tick, and delivers its own server’s at once', async () => {
    const w = watcher(0);
    const here: string[] = [];
    const box = new NotifyOutbox('atl', w.send, (s) => here.push(s.note), [5]);
    box.queue('dal', state('sip:a@x', 'one'));
    box.queue('dal', state('sip:b@x', 'two'));
    box.queue('atl', state('sip:a@x', 'mine'));
    await w.callsReach(1);
    expect(w.calls).toEqual([{ ok: true, notes: ['one', 'two'] }]);
    expect(here).toEqual(['mine']);
  });

  it('sends a refused notification again until the watcher takes it', async () => {
    const w = watcher(2);
    const box = new NotifyOutbox('atl', w.send, () => undefined, [5, 5, 5]);
    box.queue('dal', state('sip:a@x', 'busy'));
    await w.callsReach(3);
    expect(w.calls).toEqual([
      { ok: false, notes: ['busy'] },
      { ok: false, notes: ['busy'] },
      { ok: true, notes: ['busy'] },
    ]);
  });

  it('never sends an older state again once a newer one of the same user was queued', async () => {
    const w = watcher(1);
    const box = new NotifyOutbox('atl', w.send, () => undefined, [50]);
    box.queue('dal', state('sip:a@x', 'old'));
    box.queue('dal', state('sip:b@x', 'other'));
    await w.callsReach(1);
    box.queue('dal', state('sip:a@x', 'new'));
    await w.callsReach(3);
    // The failed batch is sent again without Alice's old state; her new one went on its own.
    expect(w.calls.map((c) => c.notes)).toEqual([['old', 'other'], ['new'], ['other']]);
  });

  it('gives up after its last retry', async () => {
    const w = watcher(10);
    const box = new NotifyOutbox('atl', w.send, () => undefined, [5, 5]);
    box.queue('dal', state('sip:a@x', 'busy'));
    await w.callsReach(3);
    // A later state is sent as usual (one call), proving nothing else was still retrying.
    box.queue('dal', state('sip:a@x', 'later'));
    await w.callsReach(4);
    expect(w.calls.slice(0, 4).map((c) => c.notes[0])).toEqual(['busy', 'busy', 'busy', 'later']);
  });
});
