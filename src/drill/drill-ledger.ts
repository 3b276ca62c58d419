/**
 * @module The drill's ledger: every change a server acknowledged to one of the simulated clients, with the
 * time of the acknowledgement, and the comparison of a user's own view of their data against it.
 */

/** The kinds of saved data the drill writes and checks (the store's item kinds). */
export type LedgerKind = 'setting' | 'contact' | 'meeting';

export interface LedgerEntry {
  readonly owner: string;
  readonly kind: LedgerKind;
  readonly key: string;
  readonly value: string;
  /** When the server's acknowledgement arrived (ms since epoch). */
  readonly ackAt: number;
}

/** What a user sees of their own saved data: kind → key → value. */
export type OwnView = ReadonlyMap<LedgerKind, ReadonlyMap<string, string>>;

export class UserLedger {
  private readonly entries = new Map<string, LedgerEntry>();

  constructor(readonly owner: string) {}

  record(kind: LedgerKind, key: string, value: string, ackAt = Date.now()): void {
    this.entries.set(`${kind}\u0000${key}`, { owner: this.owner, kind, key, value, ackAt });
  }

  has(kind: LedgerKind, key: string): boolean {
    return this.entries.has(`${kind}\u0000${key}`);
  }

  /** Takes entries out of the ledger (the drill accounts for them elsewhere, e.g. as reported lost). */
  remove(entries: readonly LedgerEntry[]): void {
    for (const e of entries) this.entries.delete(`${e.kind}\u0000${e.key}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Entries acknowledged before `before` that the user's view lacks or shows with another value. */
  missingFrom(view: OwnView, before: number): LedgerEntry[] {
    const missing: LedgerEntry[] = [];
    for (const e of this.entries.values()) {
      if (e.ackAt >= before) continue;
      if (view.get(e.kind)?.get(e.key) !== e.value) missing.push(e);
    }
    return missing;
  }
}
