/**
 * Fires due timers (SLA warnings and breaches, timer waits, service retries). Each timer is
 * taken, marked fired and its engine step applied in ONE transaction, so a timer fires exactly
 * once: a crash before commit leaves it scheduled (it fires after restart), a crash after leaves
 * it fired. Timers that came due while the server was down are simply due on the first poll.
 */
import type { IsoTime, TimerRecord } from '../store/store';
import type { FlowpathRuntime } from './runtime';

/** After this many failed attempts (bugs, not business outcomes) a timer is parked as `failed`. */
const MAX_TIMER_ATTEMPTS = 5;

/** How long an Idempotency-Key is remembered; older keys are forgotten by the scheduler. */
export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;
const PURGE_EVERY_MS = 60 * 60 * 1000;

export class Scheduler {
  private interval: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  /** When the last poll finished, for the health endpoint. */
  lastRunAt: IsoTime | null = null;

  constructor(private readonly rt: FlowpathRuntime) {}

  /** Fires every timer due now, including those that become due through the steps it runs. */
  runDue(limit = 10_000): Promise<number> {
    // One pass at a time per process; a caller arriving mid-pass waits for it and starts its own.
    const prev = this.running ?? Promise.resolve(0);
    const run = prev.then(() => this.pass(limit));
    this.running = run.catch(() => 0);
    return run;
  }

  private lastPurgeMs = Number.NEGATIVE_INFINITY;

  private async pass(limit: number): Promise<number> {
    const nowMs = this.rt.clock.now().getTime();
    if (nowMs - this.lastPurgeMs >= PURGE_EVERY_MS) {
      this.lastPurgeMs = nowMs;
      await this.rt.store.purgeIdempotency(new Date(nowMs - IDEMPOTENCY_WINDOW_MS).toISOString());
    }
    let fired = 0;
    while (fired < limit) {
      const t = await this.fireNext();
      if (t === 'none') break;
      if (t === 'fired') fired += 1;
      // Each timer is its own transaction, but they chain through promises only: without a turn
      // of the event loop in between, a backlog (timers due while the server was down) would keep
      // every HTTP request, health checks included, waiting until the whole pass is done.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.lastRunAt = this.rt.now();
    return fired;
  }

  /** Takes the next due timer and applies it; reports what happened. */
  private async fireNext(): Promise<'none' | 'fired' | 'skipped' | 'failed'> {
    let taken: TimerRecord | undefined;
    try {
      return await this.rt.transact(async (tx, scope) => {
        const now = this.rt.now();
        const t = await tx.takeDueTimer(now);
        taken = t;
        if (!t) return 'none';
        const c = await tx.getCase(t.caseId);
        if (!c || c.status !== 'waiting') {
          await tx.updateTimer({ ...t, status: 'stale', firedAt: now }, 'scheduled');
          return 'skipped';
        }
        if (!(await tx.updateTimer({ ...t, status: 'fired', firedAt: now }, 'scheduled'))) return 'skipped';
        const out = await this.rt.stepCase(tx, scope, c, { type: 'timer.fired', timerId: t.timerId }, null);
        if ('rejected' in out) {
          // The case moved on (the task was done, the wait ended): the timer no longer applies.
          await tx.updateTimer({ ...t, status: 'stale', firedAt: now, lastError: out.rejected.code }, 'fired');
          return 'skipped';
        }
        return 'fired';
      });
    } catch (e) {
      if (!taken) throw e;
      await this.recordFailure(taken, e);
      return 'failed';
    }
  }

  private async recordFailure(t: TimerRecord, e: unknown): Promise<void> {
    const attempts = t.attempts + 1;
    const message = e instanceof Error ? e.message : String(e);
    const parked = attempts >= MAX_TIMER_ATTEMPTS;
    const retryAt = new Date(this.rt.clock.now().getTime() + 1000 * 2 ** attempts).toISOString();
    this.rt.logger.error({ caseId: t.caseId, timerId: t.timerId, attempts, err: message }, parked ? 'timer failed for good' : 'timer failed; will retry');
    await this.rt.store.updateTimer(
      { ...t, attempts, lastError: message.slice(0, 1000), status: parked ? 'failed' : 'scheduled', runAt: parked ? t.runAt : retryAt },
      'scheduled',
    );
  }

  /** Polls every `intervalMs` (default 250 ms, so a timer fires well within a second of its time). */
  start(intervalMs = 250): void {
    if (this.interval) return;
    this.interval = setInterval(() => {
      if (this.polling) return;
      this.polling = true;
      this.runDue()
        .catch((e: unknown) => this.rt.logger.error({ err: e instanceof Error ? e.message : String(e) }, 'timer poll failed'))
        .finally(() => {
          this.polling = false;
        });
    }, intervalMs);
    this.interval.unref();
  }

  private polling = false;

  /** Stops polling and waits for a pass in progress. */
  async stop(): Promise<void> {
    if (this.interval) clearInterval(this.interval);
    this.interval = undefined;
    await this.running;
  }
}
