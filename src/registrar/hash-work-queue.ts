/**
 * @module The queue of password-hash work for sign-ins (docs/sign-in.md). At most `concurrency` scrypt
 * computations run at once; waiting work is bounded in total and per source address, and the queue serves
 * the sources in turn, so a flood from a few addresses waits behind itself while a sign-in from anywhere
 * else is served after at most one job per busy source. Work beyond the bounds is shed at once with a
 * retryable SIGNIN_BUSY: a thousand sign-ins in flight used to make every sign-in wait seconds.
 */
import { TandemError } from '../errors/index.js';
import { Limits } from '../protocol/limits.js';

interface Job {
  readonly start: () => void;
  readonly shed: (err: TandemError) => void;
}

export interface HashQueueStats {
  readonly running: number;
  readonly queued: number;
  /** The most computations that ever ran at once. */
  readonly peak: number;
  readonly shed: number;
  readonly completed: number;
}

export class HashWorkQueue {
  private running = 0;
  private queued = 0;
  private peak = 0;
  private shed = 0;
  private completed = 0;
  /** Waiting jobs per source; Map order is the turn order (a served source goes to the back). */
  private readonly bySource = new Map<string, Job[]>();
  /** Moving average of one computation, to tell a shed client when to come back. */
  private avgMs = 50;

  constructor(
    private readonly concurrency: number = Limits.hashConcurrency,
    private readonly maxQueued: number = Limits.hashQueue,
    private readonly maxPerSource: number = Limits.hashQueuePerSource,
  ) {}

  /**
   * Runs `work` when a slot is free; refuses at once (SIGNIN_BUSY) when `source` already waits its share.
   * When the whole queue is full, the newest job of the source that waits most is shed to make room for a
   * source that waits less: a newcomer is never shed for a flood from elsewhere.
   */
  run<T>(source: string, work: () => Promise<T>): Promise<T> {
    if (this.running < this.concurrency && this.queued === 0) return this.start(work);
    const waiting = this.bySource.get(source) ?? [];
    if (waiting.length >= this.maxPerSource || (this.queued >= this.maxQueued && !this.evictFor(waiting)))
      return Promise.reject(this.busy());
    return new Promise<T>((resolve, reject) => {
      waiting.push({ start: () => void this.start(work).then(resolve, reject), shed: reject });
      this.bySource.set(source, waiting);
      this.queued++;
    });
  }

  stats(): HashQueueStats {
    return {
      running: this.running,
      queued: this.queued,
      peak: this.peak,
      shed: this.shed,
      completed: this.completed,
    };
  }

  private busy(): TandemError {
    this.shed++;
    const retryAfterMs = Math.max(250, Math.ceil(((this.queued + 1) * this.avgMs) / this.concurrency));
    return new TandemError(
      'SIGNIN_BUSY',
      { seconds: Math.ceil(retryAfterMs / 1000) },
      { details: { retryAfterMs } },
    );
  }

  /** Sheds the newest job of the source that waits most, if it waits more than `waiting` would. */
  private evictFor(waiting: readonly Job[]): boolean {
    let longest: [string, Job[]] | undefined;
    for (const entry of this.bySource) if (!longest || entry[1].length > longest[1].length) longest = entry;
    if (!longest || longest[1].length <= waiting.length + 1) return false;
    const victim = longest[1].pop();
    if (longest[1].length === 0) this.bySource.delete(longest[0]);
    this.queued--;
    victim?.shed(this.busy());
    return true;
  }

  private async start<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    const began = Date.now();
    try {
      return await work();
    } finally {
      this.avgMs = 0.8 * this.avgMs + 0.2 * (Date.now() - began);
      this.running--;
      this.completed++;
      this.next();
    }
  }

  private next(): void {
    while (this.running < this.concurrency) {
      const first = this.bySource.entries().next();
      if (first.done) return;
      const [source, jobs] = first.value;
      this.bySource.delete(source);
      const job = jobs.shift();
      if (jobs.length > 0) this.bySource.set(source, jobs);
      if (!job) continue;
      this.queued--;
      job.start();
    }
  }
}
