/**
 * WAL checkpoints off the request path. SQLite's automatic checkpoint runs inside whichever COMMIT
 * pushes the WAL past 1000 pages: it copies the WAL into the database file and fsyncs both, which
 * takes several to tens of milliseconds on the one thread that serves every request. The serving
 * connection turns it off (`wal_autocheckpoint=0`); instead a second connection on a worker thread
 * runs PASSIVE checkpoints. PASSIVE never waits for, and never blocks, the writer or a reader, so
 * requests go on while the database file is written and synced. When to checkpoint is decided as
 * SQLite would — once 1000 frames wait — by reading the WAL index (the `-shm` file, whose header
 * layout SQLite documents: walformat.html) every 100 ms; a smaller backlog is checkpointed after at
 * most a second. If the worker cannot run, checkpoints run on the serving connection instead, as
 * solo work between transactions. See docs/decisions/0040-group-commit.md.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { createRequire } from 'node:module';
import { endianness } from 'node:os';
import { Worker } from 'node:worker_threads';

export interface CheckpointOptions {
  /** Longest time frames wait in the WAL once the worker runs (default 1000 ms). 0 leaves SQLite's automatic checkpoint on. */
  intervalMs?: number;
  /** How often the WAL index is looked at (default 100 ms). */
  pollMs?: number;
  /** Frames waiting in the WAL that trigger a checkpoint at once, and start the worker (default 1000, SQLite's own threshold). */
  thresholdFrames?: number;
  /** After a complete checkpoint the WAL restarts from its beginning and its file is cut back to this size (default 64 MiB). */
  walSizeLimitBytes?: number;
}

/** What the checkpointer has done, for tests and operations. */
export interface CheckpointStats {
  /** Checkpoints run (on the worker, or on the serving connection as a fallback). */
  runs: number;
  /** Frames in the WAL and frames copied into the database by the last checkpoint. */
  lastLog: number;
  lastCheckpointed: number;
  /** Where checkpoints run: not yet started, a worker thread, or the serving connection. */
  mode: 'idle' | 'worker' | 'inline';
  lastError: string | null;
}

interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path, { fileMustExist: true });
db.pragma('synchronous = ' + workerData.synchronous);
db.pragma('journal_size_limit = ' + workerData.walSizeLimitBytes);
db.pragma('wal_autocheckpoint = 0');
parentPort.on('message', (m) => {
  if (m === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    const [r] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ ok: true, busy: r.busy, log: r.log, checkpointed: r.checkpointed });
  } catch (e) {
    parentPort.postMessage({ ok: false, error: String((e && e.message) || e) });
  }
});
`;

/** Runs PASSIVE checkpoints of one database file on a timer, preferably on a worker thread. */
export class Checkpointer {
  readonly stats: CheckpointStats = { runs: 0, lastLog: 0, lastCheckpointed: 0, mode: 'idle', lastError: null };
  private readonly timer: NodeJS.Timeout;
  private worker: Worker | null = null;
  private pending: ((r: CheckpointResult | Error) => void) | null = null;
  private running = false;
  private closed = false;
  private readonly intervalMs: number;
  private readonly thresholdFrames: number;
  private readonly walSizeLimitBytes: number;
  private lastRun = performance.now();
  private shm: number | null = null;
  private readonly header = Buffer.alloc(100);

  constructor(
    private readonly path: string,
    private readonly synchronous: 'FULL' | 'NORMAL',
    /** Runs a checkpoint on the serving connection, between transactions (the fallback). */
    private readonly inline: () => Promise<CheckpointResult>,
    options: CheckpointOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.thresholdFrames = options.thresholdFrames ?? 1000;
    this.walSizeLimitBytes = options.walSizeLimitBytes ?? 64 * 1024 * 1024;
    this.timer = setInterval(() => void this.tick(), Math.max(1, options.pollMs ?? 100));
    // A store left open must not keep the process alive.
    this.timer.unref();
  }

  /** One look: checkpoint when enough frames wait, or any have waited long enough (skipped while one runs). */
  async tick(): Promise<void> {
    if (this.running || this.closed) return;
    const waiting = this.backlog();
    const overdue = performance.now() - this.lastRun >= this.intervalMs;
    // Until the worker is needed, a small WAL waits for close (as with SQLite's own checkpoint).
    const due = waiting === null ? overdue : waiting >= this.thresholdFrames || (waiting > 0 && overdue && this.stats.mode !== 'idle');
    if (!due) return;
    this.running = true;
    try {
      if (this.stats.mode === 'idle') this.start();
      const r = this.stats.mode === 'worker' ? await this.onWorker() : await this.inline();
      this.stats.runs += 1;
      this.stats.lastLog = r.log;
      this.stats.lastCheckpointed = r.checkpointed;
      this.stats.lastError = null;
    } catch (e) {
      this.stats.lastError = e instanceof Error ? e.message : String(e);
    } finally {
      this.lastRun = performance.now();
      this.running = false;
    }
  }

  /** Frames in the WAL not yet copied into the database (mxFrame − nBackfill in the WAL index), or null when unreadable. */
  private backlog(): number | null {
    try {
      this.shm ??= openSync(`${this.path}-shm`, 'r');
      if (readSync(this.shm, this.header, 0, 100, 0) < 100) return null;
      const le = endianness() === 'LE';
      const mxFrame = le ? this.header.readUInt32LE(16) : this.header.readUInt32BE(16);
      const nBackfill = le ? this.header.readUInt32LE(96) : this.header.readUInt32BE(96);
      return Math.max(0, mxFrame - nBackfill);
    } catch {
      return null;
    }
  }

  /** Stops the timer and the worker; the serving connection's close then checkpoints what is left. */
  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    if (this.shm !== null) closeSync(this.shm);
    this.shm = null;
    const w = this.worker;
    this.worker = null;
    if (!w) return;
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.postMessage('close');
    // A checkpoint in progress finishes first; a worker that does not exit is stopped.
    const timeout = setTimeout(() => void w.terminate(), 5000);
    await exited;
    clearTimeout(timeout);
  }

  private start(): void {
    try {
      const driver = createRequire(import.meta.url).resolve('better-sqlite3');
      const w = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { driver, path: this.path, synchronous: this.synchronous, walSizeLimitBytes: this.walSizeLimitBytes },
      });
      w.unref();
      w.on('message', (m: { ok: boolean; error?: string } & CheckpointResult) => this.settle(m.ok ? m : new Error(m.error)));
      w.on('error', (e) => this.fallBack(e));
      w.on('exit', () => this.fallBack(new Error('the checkpoint worker stopped')));
      this.worker = w;
      this.stats.mode = 'worker';
    } catch (e) {
      this.fallBack(e);
    }
  }

  private onWorker(): Promise<CheckpointResult> {
    const w = this.worker;
    if (!w) return this.inline();
    return new Promise<CheckpointResult>((resolve, reject) => {
      this.pending = (r) => (r instanceof Error ? reject(r) : resolve(r));
      w.postMessage('checkpoint');
    });
  }

  private settle(r: CheckpointResult | Error): void {
    const p = this.pending;
    this.pending = null;
    p?.(r);
  }

  /** The worker is gone: later checkpoints run on the serving connection. */
  private fallBack(e: unknown): void {
    if (this.closed) return;
    this.worker = null;
    this.stats.mode = 'inline';
    this.stats.lastError = e instanceof Error ? e.message : String(e);
    this.settle(e instanceof Error ? e : new Error(String(e)));
  }
}
