/**
 * @module Group commit: writes submitted while a commit is under way (or in the same event-loop turn) are
 * committed together in the next transaction, so that one fsync makes many of them durable. Each write
 * still resolves only after its transaction committed, and stays all-or-nothing: when a group's
 * transaction fails, its writes are committed one by one, so that one bad write fails alone.
 */

interface Waiting<W, R> {
  readonly item: W;
  readonly resolve: (result: R) => void;
  readonly reject: (err: unknown) => void;
}

/** Writes per transaction at most: a bounded transaction keeps its own latency bounded too. */
const MAX_GROUP = 512;

export class GroupCommit<W, R> {
  #queue: Waiting<W, R>[] = [];
  #running = false;

  constructor(
    /** Commits every item in one transaction; resolves with one result per item, in order. */
    private readonly commitAll: (items: readonly W[]) => Promise<R[]>,
  ) {}

  /** One item in its own transaction. */
  private async commitOne(item: W): Promise<R> {
    const [result] = await this.commitAll([item]);
    return result as R;
  }

  submit(item: W): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#running) {
        this.#running = true;
        // Let the rest of this turn's I/O callbacks add their writes to the group first.
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const group = this.#queue.splice(0, MAX_GROUP);
      await this.#commit(group);
    }
    this.#running = false;
  }

  async #commit(group: readonly Waiting<W, R>[]): Promise<void> {
    if (group.length === 1) {
      const [only] = group as [Waiting<W, R>];
      await this.commitOne(only.item).then(only.resolve, only.reject);
      return;
    }
    let results: R[];
    try {
      results = await this.commitAll(group.map((w) => w.item));
    } catch {
      for (const w of group) await this.commitOne(w.item).then(w.resolve, w.reject);
      return;
    }
    group.forEach((w, i) => w.resolve(results[i] as R));
  }
}
