/**
 * Works the outbox: connector calls, sub-flow starts/ends/cancels, events and notifications,
 * all written by a step's transaction and done after it committed.
 *
 * A row is leased (claimed with an expiry) before the work, and marked done in the same
 * transaction as the engine step its result causes, so a result is applied exactly once. The
 * outside call itself is at-least-once: if the process dies between the call and that commit,
 * the lease expires and the call is made again with the same `requestId` for the far side to
 * recognise.
 */
import { randomUUID } from 'node:crypto';
import type { StepInput } from '@flowpath/engine';
import { ConnectorError } from '../connectors/connector';
import { HttpProblem } from '../http/problem';
import type { OutboxRecord, StoreTx } from '../store/store';
import type { FlowpathRuntime, StepOutcome, TxScope } from './runtime';

/** Receives `event.emit` and `notify` effects once their step committed. */
export interface EventSink {
  deliver(kind: 'event' | 'notify', payload: Record<string, unknown>): Promise<void>;
}

/** Actor recorded for what the runtime does on its own (starting a sub-flow). */
export const SYSTEM_ACTOR = 'flowpath';

const MAX_JOB_ATTEMPTS = 10;
const DEFAULT_CONNECTOR_TIMEOUT_MS = 30_000;
/** Largest connector result accepted into case data. */
export const MAX_CONNECTOR_RESULT_BYTES = 256 * 1024;

type ServiceResult = { ok: true; data: Record<string, unknown> } | { ok: false; error: { code: string; message: string } };

class LeaseLost extends Error {}

/** The worker is stopping: a call in flight is abandoned and its row handed back, not failed. */
class ShuttingDown extends Error {}

export class OutboxWorker {
  readonly owner = `worker-${randomUUID()}`;
  private interval: NodeJS.Timeout | undefined;
  private draining: Promise<number> | undefined;
  private again = false;
  private auto = false;
  private stopping = false;
  private readonly inflight = new Set<(e: Error) => void>();
  private readonly leaseMs: number;
  private readonly sink: EventSink;
  private readonly concurrency: number;

  constructor(
    private readonly rt: FlowpathRuntime,
    opts: { leaseMs: number; sink: EventSink | undefined; concurrency?: number },
  ) {
    this.leaseMs = opts.leaseMs;
    this.concurrency = opts.concurrency ?? 8;
    this.sink = opts.sink ?? {
      deliver: async (kind, payload) => {
        this.rt.logger.info({ kind, ...payload }, kind === 'event' ? 'case event' : 'notification');
      },
    };
  }

  /** Called after a commit that wrote outbox rows: works them soon when the worker runs on its own. */
  kick(): void {
    if (!this.auto) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    setImmediate(() => void this.drain());
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    do {
      this.again = false;
      this.draining = this.runPending().catch((e: unknown) => {
        this.rt.logger.error({ err: e instanceof Error ? e.message : String(e) }, 'outbox pass failed');
        return 0;
      });
      await this.draining;
      this.draining = undefined;
    } while (this.again && this.auto);
  }

  /** Works every row that is due now; returns how many it finished (done or failed). */
  async runPending(): Promise<number> {
    let done = 0;
    for (;;) {
      if (this.stopping) return done;
      const now = this.rt.clock.now();
      const leaseUntil = new Date(now.getTime() + this.leaseMs).toISOString();
      const batch = await this.rt.store.claimOutbox(now.toISOString(), this.owner, leaseUntil, this.concurrency);
      if (batch.length === 0) return done;
      const results = await Promise.all(batch.map((row) => this.work(row)));
      done += results.filter(Boolean).length;
    }
  }

  private async work(row: OutboxRecord): Promise<boolean> {
    try {
      switch (row.kind) {
        case 'service.call':
          await this.serviceCall(row);
          break;
        case 'sub-flow.start':
          await this.subFlowStart(row);
          break;
        case 'sub-flow.ended':
          await this.subFlowEnded(row);
          break;
        case 'sub-flow.cancel':
          await this.subFlowCancel(row);
          break;
        case 'event':
        case 'notify':
          await this.sink.deliver(row.kind, row.payload);
          await this.rt.transact((tx) => this.markDone(tx, row));
          break;
      }
      return true;
    } catch (e) {
      if (e instanceof LeaseLost) return false;
      if (e instanceof ShuttingDown) {
        // Hand the row back so the next start (or another process) calls again right away.
        await this.rt.store.updateOutbox({ ...row, leaseOwner: null, leaseUntil: null }, this.owner);
        return false;
      }
      await this.recordFailure(row, e);
      return false;
    }
  }

  /** Marks the row done if this worker still holds it; otherwise the whole transaction is abandoned. */
  private async markDone(tx: StoreTx, row: OutboxRecord): Promise<void> {
    const ok = await tx.updateOutbox({ ...row, status: 'done', doneAt: this.rt.now(), leaseOwner: null, leaseUntil: null }, this.owner);
    if (!ok) throw new LeaseLost();
  }

  private async recordFailure(row: OutboxRecord, e: unknown): Promise<void> {
    const message = e instanceof Error ? e.message : String(e);
    const parked = row.attempts >= MAX_JOB_ATTEMPTS;
    const runAt = new Date(this.rt.clock.now().getTime() + 1000 * 2 ** Math.min(row.attempts, 10)).toISOString();
    this.rt.logger.error({ outboxId: row.id, kind: row.kind, caseId: row.caseId, attempts: row.attempts, err: message }, parked ? 'outbox row failed for good' : 'outbox row failed; will retry');
    await this.rt.store.updateOutbox(
      { ...row, status: parked ? 'failed' : 'pending', runAt, leaseOwner: null, leaseUntil: null, lastError: message.slice(0, 1000) },
      this.owner,
    );
  }

  /** Steps the case with `input` if it still waits; a refusal (the case moved on) is logged and dropped. */
  private async stepIfWaiting(tx: StoreTx, scope: TxScope, caseId: string, input: StepInput, actor: string | null): Promise<StepOutcome | undefined> {
    const c = await tx.getCase(caseId);
    if (!c || c.status !== 'waiting') return undefined;
    const out = await this.rt.stepCase(tx, scope, c, input, actor);
    if ('rejected' in out) this.rt.logger.debug({ caseId, input: input.type, code: out.rejected.code }, 'input no longer applies');
    return out;
  }

  private async serviceCall(row: OutboxRecord): Promise<void> {
    const p = row.payload as { caseId: string; requestId: string; nodeId: string; connector: string; input: Record<string, unknown>; attempt: number; timeoutMs?: number };
    const result = await this.callConnector(p);
    await this.rt.transact(async (tx, scope) => {
      await this.markDone(tx, row);
      await this.stepIfWaiting(tx, scope, p.caseId, { type: 'service.result', requestId: p.requestId, ...result }, null);
    });
  }

  private async callConnector(p: { caseId: string; requestId: string; nodeId: string; connector: string; input: Record<string, unknown>; attempt: number; timeoutMs?: number }): Promise<ServiceResult> {
    const connector = this.rt.connectors.get(p.connector);
    if (!connector) return { ok: false, error: { code: 'connector.unknown', message: `no connector named ${p.connector} is registered` } };
    const timeoutMs = p.timeoutMs ?? DEFAULT_CONNECTOR_TIMEOUT_MS;
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    let abandon: ((e: Error) => void) | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        ac.abort();
        reject(new ConnectorError('connector.timeout', `${p.connector} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      abandon = (e) => {
        ac.abort();
        reject(e);
      };
      this.inflight.add(abandon);
    });
    try {
      const data = await Promise.race([
        connector.handler(structuredClone(p.input ?? {}), {
          requestId: p.requestId,
          caseId: p.caseId,
          nodeId: p.nodeId,
          attempt: p.attempt,
          signal: ac.signal,
          isInList: (list, value) => this.rt.lists.has(list, value),
          now: () => this.rt.clock.now(),
        }),
        timeout,
      ]);
      if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        return { ok: false, error: { code: 'connector.result.invalid', message: `${p.connector} returned something other than a JSON object` } };
      }
      const text = JSON.stringify(data);
      if (Buffer.byteLength(text) > MAX_CONNECTOR_RESULT_BYTES) {
        return { ok: false, error: { code: 'connector.result.too-large', message: `${p.connector} returned more than ${MAX_CONNECTOR_RESULT_BYTES} bytes` } };
      }
      return { ok: true, data: JSON.parse(text) as Record<string, unknown> };
    } catch (e) {
      if (e instanceof ShuttingDown) throw e;
      if (e instanceof ConnectorError) return { ok: false, error: { code: e.code, message: e.message } };
      return { ok: false, error: { code: 'connector.failed', message: e instanceof Error ? e.message : String(e) } };
    } finally {
      clearTimeout(timer);
      if (abandon) this.inflight.delete(abandon);
    }
  }

  private async subFlowStart(row: OutboxRecord): Promise<void> {
    const p = row.payload as { parentCaseId: string; requestId: string; flow: string; data: Record<string, unknown>; createdBy: string };
    await this.rt.transact(async (tx, scope) => {
      await this.markDone(tx, row);
      if (await tx.findChildCase(p.parentCaseId, p.requestId)) return;
      const parent = await tx.getCase(p.parentCaseId);
      if (!parent || parent.status !== 'waiting') return;
      let failure: string | undefined;
      try {
        const out = await this.rt.startCase(tx, scope, {
          flowKey: p.flow,
          data: p.data,
          actor: { id: SYSTEM_ACTOR },
          createdBy: p.createdBy,
          parentCaseId: p.parentCaseId,
          parentRequestId: p.requestId,
        });
        if ('rejected' in out) failure = out.rejected.code;
      } catch (e) {
        if (!(e instanceof HttpProblem)) throw e;
        failure = e.code;
      }
      if (failure !== undefined) {
        await this.stepIfWaiting(
          tx,
          scope,
          p.parentCaseId,
          { type: 'sub-flow.ended', requestId: p.requestId, outcome: failure, status: 'terminated', data: {} },
          SYSTEM_ACTOR,
        );
      }
    });
  }

  private async subFlowEnded(row: OutboxRecord): Promise<void> {
    const p = row.payload as { parentCaseId: string; requestId: string; status: 'completed' | 'terminated' | 'cancelled'; outcome: string; data: Record<string, unknown> };
    await this.rt.transact(async (tx, scope) => {
      await this.markDone(tx, row);
      await this.stepIfWaiting(tx, scope, p.parentCaseId, { type: 'sub-flow.ended', requestId: p.requestId, outcome: p.outcome, status: p.status, data: p.data }, null);
    });
  }

  private async subFlowCancel(row: OutboxRecord): Promise<void> {
    const p = row.payload as { parentCaseId: string; requestId: string };
    await this.rt.transact(async (tx, scope) => {
      await this.markDone(tx, row);
      const child = await tx.findChildCase(p.parentCaseId, p.requestId);
      if (child) await this.stepIfWaiting(tx, scope, child.id, { type: 'cancel', reason: 'parent case cancelled' }, SYSTEM_ACTOR);
    });
  }

  /** Works the outbox on its own: after every commit that wrote to it, and every `intervalMs` for retries. */
  start(intervalMs = 500): void {
    this.auto = true;
    this.stopping = false;
    if (this.interval) return;
    this.interval = setInterval(() => this.kick(), intervalMs);
    this.interval.unref();
    this.kick();
  }

  /** Stops: connector calls in flight are abandoned (their rows handed back), then the pass in progress ends. */
  async stop(): Promise<void> {
    this.auto = false;
    this.stopping = true;
    if (this.interval) clearInterval(this.interval);
    this.interval = undefined;
    for (const abandon of this.inflight) abandon(new ShuttingDown('worker stopping'));
    await this.draining;
  }
}
