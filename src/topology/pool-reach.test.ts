import { describe, expect, it } from 'vitest';
import { TandemError } from '../errors/index.js';
import { everyReachable, firstAnswering } from './pool-reach.js';

const down = (server: string) =>
  new TandemError('S2S_UNREACHABLE', { server, address: '127.0.0.1:1', detail: 'ECONNREFUSED' });

/** A pool whose servers answer, refuse or are down, recording who was asked. */
function pool(behaviour: Record<string, 'answers' | 'down' | 'refuses'>) {
  const asked: string[] = [];
  const call = async (server: string) => {
    asked.push(server);
    const b = behaviour[server];
    if (b === 'down') throw down(server);
    if (b === 'refuses') throw new TandemError('CONFLICT', { detail: `${server} says no` });
    return `answer of ${server}`;
  };
  return { asked, call };
}

describe('firstAnswering', () => {
  it('asks the servers in the order given and stops at the first answer', async () => {
    const p = pool({ a: 'down', b: 'answers', c: 'answers' });
    expect(await firstAnswering(['a', 'b', 'c'], p.call)).toBe('answer of b');
    expect(p.asked).toEqual(['a', 'b']);
  });

  it("takes a reachable server's refusal as final", async () => {
    const p = pool({ a: 'refuses', b: 'answers' });
    await expect(firstAnswering(['a', 'b'], p.call)).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(p.asked).toEqual(['a']);
  });

  it('moves on for the failures the caller names', async () => {
    const p = pool({ a: 'refuses', b: 'answers' });
    const answer = await firstAnswering(['a', 'b'], p.call, { movesOn: (e) => e.code === 'CONFLICT' });
    expect(answer).toBe('answer of b');
  });

  it('throws the last failure when no server answers, or what the caller makes of it', async () => {
    const p = pool({ a: 'down', b: 'down' });
    await expect(firstAnswering(['a', 'b'], p.call)).rejects.toMatchObject({
      code: 'S2S_UNREACHABLE',
      params: { server: 'b' },
    });
    const mapped = firstAnswering(['a', 'b'], p.call, {
      noneAnswered: (last) =>
        new TandemError('STORAGE_UNAVAILABLE', { pool: 'p', detail: 'x' }, { cause: last }),
    });
    await expect(mapped).rejects.toMatchObject({ code: 'STORAGE_UNAVAILABLE' });
  });

  it('says there was no server to ask for an empty pool', async () => {
    await expect(firstAnswering([], pool({}).call)).rejects.toMatchObject({ code: 'S2S_UNREACHABLE' });
  });
});

describe('everyReachable', () => {
  it('collects the answers of the reachable servers in server order, one after the other', async () => {
    const p = pool({ a: 'answers', b: 'down', c: 'answers' });
    expect(await everyReachable(['a', 'b', 'c'], p.call)).toEqual([
      { server: 'a', answer: 'answer of a' },
      { server: 'c', answer: 'answer of c' },
    ]);
    expect(p.asked).toEqual(['a', 'b', 'c']);
  });

  it('throws a refusal unless the caller skips it', async () => {
    const p = pool({ a: 'answers', b: 'refuses' });
    await expect(everyReachable(['a', 'b'], p.call)).rejects.toMatchObject({ code: 'CONFLICT' });
    const all = await everyReachable(['a', 'b'], p.call, { skips: () => true, concurrent: true });
    expect(all.map((r) => r.server)).toEqual(['a']);
  });

  it('keeps server order when asking concurrently, whatever order the answers come in', async () => {
    const release: Record<string, () => void> = {};
    const call = (server: string) =>
      new Promise<string>((resolve) => {
        release[server] = () => resolve(server);
      });
    const all = everyReachable(['a', 'b'], call, { concurrent: true });
    await Promise.resolve();
    release.b?.();
    release.a?.();
    expect((await all).map((r) => r.answer)).toEqual(['a', 'b']);
  });
});
