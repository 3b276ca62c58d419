import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.js';

/** A fake backend that records its transactions; items named 'bad' make a transaction fail. */
function recorder() {
  const transactions: string[][] = [];
  const commit = (items: readonly string[]) => {
    if (items.includes('bad')) return Promise.reject(new Error('constraint failed'));
    transactions.push([...items]);
    return Promise.resolve(items.map((i) => `${i}!`));
  };
  const group = new GroupCommit<string, string>(commit);
  return { group, transactions };
}

describe('GroupCommit', () => {
  it('commits the writes of one turn in one transaction, each resolving with its own result', async () => {
    const { group, transactions } = recorder();
    const results = await Promise.all(['a', 'b', 'c'].map((i) => group.submit(i)));
    expect(results).toEqual(['a!', 'b!', 'c!']);
    expect(transactions).toEqual([['a', 'b', 'c']]);
  });

  it('groups the writes that arrive while a commit runs into the next transaction', async () => {
    const { group, transactions } = recorder();
    const first = group.submit('a');
    await new Promise((r) => setImmediate(r));
    const later = ['b', 'c'].map((i) => group.submit(i));
    expect(await Promise.all([first, ...later])).toEqual(['a!', 'b!', 'c!']);
    expect(transactions).toEqual([['a'], ['b', 'c']]);
  });

  it('fails only the bad write of a failed group: the others commit on their own', async () => {
    const { group, transactions } = recorder();
    const outcomes = await Promise.allSettled(['a', 'bad', 'c'].map((i) => group.submit(i)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toMatchObject({ message: 'constraint failed' });
    expect(transactions).toEqual([['a'], ['c']]);
  });

  it('keeps working after a failure', async () => {
    const { group } = recorder();
    await expect(group.submit('bad')).rejects.toThrow('constraint failed');
    await expect(group.submit('d')).resolves.toBe('d!');
  });
});
