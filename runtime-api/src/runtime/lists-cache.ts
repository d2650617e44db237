import type { StoreTx } from '../store/store';

/**
 * The engine asks `isInList(list, value)` synchronously in the middle of a step, so list
 * membership is served from memory. Each step first compares the store's list generation
 * (bumped by every change, in any process) with the cached one and reloads when it moved.
 */
export class ListsCache {
  private generation = -1;
  private lists = new Map<string, Set<string>>();
  /**
   * The transaction that last checked the generation. A step uses list membership as of its
   * transaction's first check; asking again within the same transaction is not needed.
   */
  private checkedIn: StoreTx | undefined;

  /** Brings the cache up to date inside the step's transaction (once per transaction). */
  async refresh(tx: StoreTx): Promise<void> {
    if (tx === this.checkedIn) return;
    const g = await tx.listsGeneration();
    this.checkedIn = tx;
    if (g === this.generation) return;
    const next = new Map<string, Set<string>>();
    for (const { name, value } of await tx.allListValues()) {
      let s = next.get(name);
      if (!s) next.set(name, (s = new Set()));
      s.add(value);
    }
    this.lists = next;
    this.generation = g;
  }

  /** Membership; numbers and booleans are compared by their text, so `123` matches an entry "123". */
  has(list: string, value: unknown): boolean {
    if (value === null || value === undefined || typeof value === 'object') return false;
    return this.lists.get(list)?.has(String(value)) ?? false;
  }

  /** Forgets everything, so the next refresh reloads (after a write in this process). */
  invalidate(): void {
    this.generation = -1;
    this.checkedIn = undefined;
  }
}
