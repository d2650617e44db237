/**
 * The deferred process-health projector: folds the case journal into the `case_facts` rows in
 * batches, shortly after the steps commit, instead of inside each step's transaction (decision
 * 0073). It follows the journal in commit order from a position the store keeps with the facts,
 * in the same transaction as the rows it writes, so a crash loses nothing: the next drain starts
 * where the last committed one ended. A health query drains first, so figures are never behind
 * what the query can see.
 *
 * A case stepped several times between two drains is folded once and written once, and the rows
 * of a batch share their pages: that is what makes keeping the figures cheap (bench run 7).
 */
import { AsyncResource } from 'node:async_hooks';
import type { Logger } from 'pino';
import type { AuditEntryRecord, IsoTime, Store, StoreTx } from '../store/store';
import { caseIdOfStream, type CaseFactsProjection } from './projection';

/**
 * Journal entries read per transaction of a drain: about 35 cases of a one-task flow, a millisecond
 * or two during which the steps' transactions wait.
 */
const ENTRIES_PER_BATCH = 500;
/** Steps noted since the last drain that start one at once rather than after the delay. */
const STEPS_BEFORE_EARLY_DRAIN = 2000;

export interface ProjectorOptions {
  /**
   * How long after a step the journal is folded, in milliseconds (default 200). `Infinity`: only
   * when asked (`drain`), by a health query, or when the runtime stops.
   */
  delayMs?: number;
}

export class CaseFactsProjector {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private noted = 0;
  private stopped = false;
  private readonly delayMs: number;
  /**
   * The timer is set while a step's transaction runs; its drain must not inherit that context (the
   * store would take it for a call inside the transaction), so it runs in the projector's own.
   */
  private readonly scope = new AsyncResource('CaseFactsProjector');

  constructor(
    private readonly store: Store,
    private readonly projection: CaseFactsProjection,
    private readonly now: () => IsoTime,
    private readonly logger: Logger,
    options: ProjectorOptions = {},
  ) {
    this.delayMs = options.delayMs ?? 200;
  }

  /** The store keeps a commit order of its journal (the embedded store does; PostgreSQL does not). */
  static supports(store: Store): boolean {
    return typeof store.caseEntriesAfter === 'function' && typeof store.factsPosition === 'function' && typeof store.setFactsPosition === 'function';
  }

  /**
   * A transaction appends to a case's journal: a drain follows within the delay. (The drain runs in
   * a transaction of its own, after this one: it sees the entries if this one commits.)
   */
  noteAppended(): void {
    if (this.stopped) return;
    this.noted += 1;
    if (this.noted >= STEPS_BEFORE_EARLY_DRAIN) {
      this.schedule(0);
      return;
    }
    if (this.timer === undefined && Number.isFinite(this.delayMs)) this.schedule(this.delayMs);
  }

  private schedule(ms: number): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.scope.runInAsyncScope(() => {
        this.drain().catch((e: unknown) => this.logger.error({ err: e }, 'process-health projector failed; the next drain starts where this one stopped'));
      });
    }, ms);
    this.timer.unref();
  }

  /**
   * Folds every journal entry committed before the call into the facts. Concurrent calls share
   * one pass, and a call made during a pass waits for another that starts after it.
   */
  drain(): Promise<void> {
    // This pass covers what the timer was set for.
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = (async () => {
      try {
        do {
          this.again = false;
          this.noted = 0;
          while (await this.batch());
        } while (this.again);
      } finally {
        this.running = undefined;
      }
    })();
    this.running = run;
    return run;
  }

  /** One transaction: up to a batch of entries after the stored position. True when it read a full batch. */
  private batch(): Promise<boolean> {
    return this.store.transaction(async (tx) => {
      const from = await (tx.factsPosition as () => Promise<number>)();
      const read = await (tx.caseEntriesAfter as NonNullable<StoreTx['caseEntriesAfter']>)(from, ENTRIES_PER_BATCH);
      if (read.entries.length === 0) return false;
      const byCase = new Map<string, AuditEntryRecord[]>();
      for (const e of read.entries) {
        const caseId = caseIdOfStream(e.stream);
        if (caseId === undefined) continue;
        const list = byCase.get(caseId);
        if (list) list.push(e);
        else byCase.set(caseId, [e]);
      }
      const now = this.now();
      for (const [caseId, entries] of byCase) await this.projection.appended(tx, caseId, entries, now);
      await (tx.setFactsPosition as (p: number) => Promise<void>)(read.position);
      return read.entries.length === ENTRIES_PER_BATCH;
    });
  }

  /** Stops the timer and folds what is left. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.drain();
  }
}
