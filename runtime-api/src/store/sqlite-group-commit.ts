/**
 * Group commit for the SQLite store. better-sqlite3 is synchronous and one connection does all
 * the work of a process, so transactions run one after another anyway; what costs is the COMMIT,
 * which under `synchronous=FULL` waits for an fsync. Transactions that queue while others run are
 * therefore executed back to back inside one `BEGIN IMMEDIATE … COMMIT`, each in its own
 * SAVEPOINT: one that fails is rolled back to its savepoint alone, and every caller hears back only
 * after the shared COMMIT returned — so one fsync covers the batch and an acknowledged write is as
 * durable as before. See docs/decisions/0040-group-commit.md.
 */
import type Database from 'better-sqlite3';

/** How large a batch may grow. Bounds keep the first caller of a batch from waiting long. */
export interface GroupCommitOptions {
  /** Most transactions in one COMMIT (default 64; 1 turns group commit off). */
  maxBatch?: number;
  /** No transaction joins a batch that has run this long (default 10 ms); the batch commits instead. */
  maxBatchMs?: number;
  /**
   * Makes what has been committed durable, when COMMIT itself does not (the store passes an fsync of
   * the WAL file). Members of a batch settle only after a sync that began after their COMMIT
   * returned; when it fails, they reject and the committer refuses all further work. `later` runs
   * off the event loop; `now` blocks it and is used for a lone batch with nothing else waiting, where
   * handing the sync to another thread and back would only add latency.
   */
  sync?: { later: () => Promise<void>; now: () => void };
}

/** What group commit has done so far: batches committed (or failed) and transactions in them. */
export interface GroupCommitStats {
  batches: number;
  transactions: number;
  largestBatch: number;
}

/**
 * SQLite abandoned the open transaction in the middle of a batch (an I/O error, a full disk, or a
 * callback that ended it with raw SQL), so nothing of the batch was committed. The request may be
 * retried; it was not applied.
 */
export class BatchAbortedError extends Error {
  constructor(readonly reason: unknown) {
    super(`the shared transaction was rolled back by SQLite before it could commit (${reason instanceof Error ? reason.message : String(reason)}); nothing of it was written`);
    this.name = 'BatchAbortedError';
  }
}

interface Job {
  kind: 'tx' | 'solo';
  run: () => Promise<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

type Outcome = { job: Job; ok: true; value: unknown } | { job: Job; ok: false; error: unknown };

/**
 * A sync after COMMIT failed: what was committed may not be on disk, and the operating system may
 * have dropped the unwritten pages. Nothing more is accepted; the process must restart, and SQLite's
 * recovery then keeps exactly what reached the disk.
 */
export class DurabilityError extends Error {
  constructor(readonly reason: unknown) {
    super(`the database could not make committed writes durable (${reason instanceof Error ? reason.message : String(reason)}); restart the server`);
    this.name = 'DurabilityError';
  }
}

/** Runs transaction bodies on one connection, several to a COMMIT; also runs solo work in queue order. */
export class GroupCommitter {
  readonly stats: GroupCommitStats = { batches: 0, transactions: 0, largestBatch: 0 };
  private readonly queue: Job[] = [];
  private draining = false;
  private readonly maxBatch: number;
  private readonly maxBatchMs: number;
  private readonly sync: GroupCommitOptions['sync'];
  /** Batches committed, and how many of them a finished sync covers. */
  private committed = 0;
  private synced = 0;
  private syncing = false;
  /** Committed batches whose callers wait for a sync, oldest first. */
  private readonly undurable: { seq: number; settle: (failure?: unknown) => void }[] = [];
  private failed: DurabilityError | null = null;
  private readonly sql: Record<'begin' | 'savepoint' | 'release' | 'rollbackTo' | 'commit' | 'rollback' | 'changes', Database.Statement>;

  constructor(
    private readonly db: Database.Database,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = Math.max(1, Math.floor(options.maxBatch ?? 64));
    this.maxBatchMs = Math.max(0, options.maxBatchMs ?? 10);
    this.sync = options.sync;
    // Prepared once: transaction control runs several times per request.
    this.sql = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      savepoint: db.prepare('SAVEPOINT member'),
      release: db.prepare('RELEASE member'),
      rollbackTo: db.prepare('ROLLBACK TO member'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      // Rows inserted, updated or deleted on this connection so far: a batch that did not move it
      // wrote nothing (the store's transactions change rows only: no DDL, no pragmas).
      changes: db.prepare('SELECT total_changes()').pluck(),
    };
  }

  /** Queues a transaction body. It settles only after the COMMIT of the batch it ran in. */
  transaction<T>(body: () => Promise<T>): Promise<T> {
    return this.enqueue('tx', body);
  }

  /** Runs `fn` alone, outside any transaction, after everything queued before it. */
  solo<T>(fn: () => Promise<T>): Promise<T> {
    return this.enqueue('solo', fn);
  }

  /** Resolves once everything committed so far is durable (at once when COMMIT syncs by itself). */
  durable(): Promise<void> {
    if (this.failed) return Promise.reject(this.failed);
    if (this.synced === this.committed) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.undurable.push({ seq: this.committed, settle: (failure) => (failure === undefined ? resolve() : reject(failure)) });
    });
  }

  private enqueue<T>(kind: Job['kind'], run: () => Promise<T>): Promise<T> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ kind, run, resolve: resolve as (v: unknown) => void, reject });
      if (!this.draining) {
        this.draining = true;
        // Not a microtask: the batch starts after the event loop has read every request that is
        // ready, so all of them can join it.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const head = this.queue[0] as Job;
        if (head.kind === 'solo') {
          this.queue.shift();
          try {
            // Solo work (close, a checkpoint) comes after every earlier write is on disk.
            await this.durable();
            head.resolve(await head.run());
          } catch (e) {
            head.reject(e);
          }
        } else {
          await this.runBatch();
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async runBatch(): Promise<void> {
    const began = performance.now();
    let changesBefore: unknown;
    try {
      this.sql.begin.run();
      changesBefore = this.sql.changes.get();
    } catch (e) {
      // Could not even start (another process holds the write lock past busy_timeout).
      (this.queue.shift() as Job).reject(e);
      return;
    }
    const outcomes: Outcome[] = [];
    /** SQLite ended the transaction under a member: the batch is lost. */
    let abandoned: Outcome | undefined;
    /** Transaction control itself failed. */
    let broken: unknown;
    /** Whether any member changed a row (a batch of reads has nothing to make durable). */
    let wrote = true;
    while (outcomes.length < this.maxBatch && this.queue[0]?.kind === 'tx' && (outcomes.length === 0 || performance.now() - began < this.maxBatchMs)) {
      const job = this.queue.shift() as Job;
      try {
        this.sql.savepoint.run();
      } catch (e) {
        broken = e;
        outcomes.push({ job, ok: false, error: e });
        break;
      }
      let outcome: Outcome;
      try {
        outcome = { job, ok: true, value: await job.run() };
      } catch (error) {
        outcome = { job, ok: false, error };
      }
      outcomes.push(outcome);
      if (!this.db.inTransaction) {
        abandoned = outcome;
        break;
      }
      try {
        if (!outcome.ok) this.sql.rollbackTo.run();
        this.sql.release.run();
      } catch (e) {
        broken = e;
        break;
      }
    }

    let failure: unknown;
    if (abandoned) {
      failure = new BatchAbortedError(abandoned.ok ? new Error('the transaction was ended from inside a callback') : abandoned.error);
    } else if (broken !== undefined) {
      failure = broken;
    } else {
      try {
        wrote = this.sql.changes.get() !== changesBefore;
        this.sql.commit.run();
      } catch (e) {
        failure = e;
      }
    }
    if (failure !== undefined && this.db.inTransaction) {
      try {
        this.sql.rollback.run();
      } catch {
        // Every member is told about the original failure below; there is nothing more to undo.
      }
    }

    this.stats.batches += 1;
    this.stats.transactions += outcomes.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, outcomes.length);
    if (failure === undefined && this.sync && !wrote) {
      // Only reads: nothing of this batch needs a sync, but what it read may be a batch that is
      // committed and not yet durable, so its members hear back after that batch's sync (at once
      // when there is none in flight) — never an answer resting on what a power cut could undo.
      if (this.failed) settle(outcomes, this.failed, undefined);
      else if (this.synced === this.committed) settle(outcomes, undefined, undefined);
      else this.undurable.push({ seq: this.committed, settle: (syncFailure) => settle(outcomes, syncFailure, undefined) });
      return;
    }
    if (failure === undefined && this.sync) {
      // Committed but maybe not on disk yet: every member — also one that failed on its own, whose
      // answer may rest on what earlier batches wrote — waits for the sync.
      const seq = ++this.committed;
      if (outcomes.length === 1 && this.queue.length === 0 && !this.syncing && this.synced === seq - 1) {
        // A lone writer: nothing could overlap the wait, so sync right here.
        try {
          this.sync.now();
          this.synced = seq;
        } catch (e) {
          this.fail(e);
          settle(outcomes, this.failed, undefined);
          return;
        }
        settle(outcomes, undefined, undefined);
        return;
      }
      // Writers overlap: the loop goes on with the next batch while the disk works.
      this.undurable.push({ seq, settle: (syncFailure) => settle(outcomes, syncFailure, undefined) });
      this.startSync();
      return;
    }
    settle(outcomes, failure, abandoned);
  }

  /** A sync failed: everyone waiting hears it, and nothing more is accepted. */
  private fail(e: unknown): void {
    this.failed = new DurabilityError(e);
    for (const w of this.undurable.splice(0)) w.settle(this.failed);
    for (const j of this.queue.splice(0)) j.reject(this.failed);
  }

  /** Starts a sync covering every batch committed so far, unless one is running (it restarts when that ends). */
  private startSync(): void {
    if (this.syncing || this.failed || this.synced === this.committed || !this.sync) return;
    this.syncing = true;
    const upTo = this.committed;
    this.sync.later().then(
      () => {
        this.syncing = false;
        this.synced = upTo;
        while (this.undurable.length > 0 && (this.undurable[0]?.seq ?? Infinity) <= upTo) this.undurable.shift()?.settle();
        this.startSync();
      },
      (e: unknown) => {
        this.syncing = false;
        this.fail(e);
      },
    );
  }
}

/** Tells every member of a batch how it went: its own outcome, or why the batch as a whole failed. */
function settle(outcomes: readonly Outcome[], failure: unknown, abandoned: Outcome | undefined): void {
  for (const o of outcomes) {
    if (failure === undefined) {
      if (o.ok) o.job.resolve(o.value);
      else o.job.reject(o.error);
    } else if (o === abandoned && !o.ok) {
      o.job.reject(o.error);
    } else {
      // The batch did not commit, or is not durable: every member hears why — also one that failed
      // on its own, whose failure may rest on a batch-mate's writes that are now gone.
      o.job.reject(failure);
    }
  }
}
