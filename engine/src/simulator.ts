/**
 * An in-memory runtime around `step`: open tasks, timers, pending service calls and sub-flows,
 * with a clock that moves only when told. The CLI's `flowpath test`, the designer's test runs
 * and the engine's own tests drive cases through it.
 */
import type { Actor, AuditRecord, CaseState, Effect, StepInput, StepRejection, TaskSpec } from './case';
import type { BusinessCalendar } from './calendar';
import { addDuration, cnMainlandCalendar } from './calendar';
import type { FlowDefinition } from './model';
import type { StepEnv } from './runtime';
import { isRejected, step } from './step';

export type ServiceResponder = Record<string, unknown> | ((input: Record<string, unknown>) => Record<string, unknown>);

export interface SimulatorOptions {
  /** Flows that sub-flow nodes may start, by key. */
  flows?: Record<string, FlowDefinition>;
  calendar?: BusinessCalendar;
  /** Named lists for the `inList` rule operation. */
  lists?: Record<string, readonly unknown[]>;
  /** Connectors answered at once with this result; others wait for `serviceResult`. */
  services?: Record<string, ServiceResponder>;
  caseId?: string;
  version?: number;
}

export interface ScheduledTimer {
  timerId: string;
  dueAt: string;
  purpose: string;
  nodeId?: string;
}

export interface PendingCall {
  requestId: string;
  nodeId: string;
  connector: string;
  input: Record<string, unknown>;
  attempt: number;
}

export type SimulatorResult = { ok: true } | { ok: false; rejected: StepRejection };

export class Simulator {
  state: CaseState | null = null;
  now: string;
  readonly tasks = new Map<string, TaskSpec>();
  readonly timers = new Map<string, ScheduledTimer>();
  readonly calls = new Map<string, PendingCall>();
  readonly audit: AuditRecord[] = [];
  /** Outbound events and notifications, in order. */
  readonly events: Effect[] = [];
  /** Every node entered, in order (repeats show loops). */
  readonly path: string[] = [];
  private readonly children = new Map<string, { requestId: string; sim: Simulator }>();
  private readonly env: StepEnv;

  constructor(
    readonly flow: FlowDefinition,
    private readonly options: SimulatorOptions = {},
    now = '2026-01-05T01:00:00.000Z',
  ) {
    this.now = now;
    const lists = options.lists ?? {};
    this.env = {
      calendar: options.calendar ?? cnMainlandCalendar,
      isInList: (list, value) => (lists[list] ?? []).some((x) => String(x) === String(value)),
    };
  }

  /** Starts the case with data at a time. */
  start(data: Record<string, unknown>, at?: string, actor?: Actor): SimulatorResult {
    if (at) this.now = at;
    return this.apply({
      type: 'start',
      caseId: this.options.caseId ?? 'case-1',
      version: this.options.version ?? 1,
      data,
      ...(actor ? { actor } : {}),
    });
  }

  /** Completes the open task of a node (or a task by id), here or in a running sub-flow. */
  completeTask(nodeOrTaskId: string, data: Record<string, unknown> = {}, actor?: Actor): SimulatorResult {
    const task = this.findTask(nodeOrTaskId);
    if (!task) {
      for (const child of this.children.values()) {
        if (child.sim.findTask(nodeOrTaskId)) return this.afterChild(child.sim.completeTask(nodeOrTaskId, data, actor));
      }
      return { ok: false, rejected: { code: 'task.not-open', params: { taskId: nodeOrTaskId } } };
    }
    return this.apply({ type: 'task.completed', taskId: task.taskId, data, ...(actor ? { actor } : {}) });
  }

  message(name: string, data: Record<string, unknown> = {}): SimulatorResult {
    const r = this.apply({ type: 'message', name, data });
    if (!r.ok && r.rejected.code === 'message.not-awaited') {
      for (const child of this.children.values()) {
        const c = child.sim.message(name, data);
        if (c.ok) return this.afterChild(c);
      }
    }
    return r;
  }

  /** Answers the pending call of a service-task node (or a request id). */
  serviceResult(nodeOrRequestId: string, data: Record<string, unknown>): SimulatorResult {
    const call = this.findCall(nodeOrRequestId);
    if (!call) return { ok: false, rejected: { code: 'service.request.unknown', params: { requestId: nodeOrRequestId } } };
    return this.apply({ type: 'service.result', requestId: call.requestId, ok: true, data });
  }

  serviceError(nodeOrRequestId: string, error: { code: string; message: string }): SimulatorResult {
    const call = this.findCall(nodeOrRequestId);
    if (!call) return { ok: false, rejected: { code: 'service.request.unknown', params: { requestId: nodeOrRequestId } } };
    return this.apply({ type: 'service.result', requestId: call.requestId, ok: false, error });
  }

  retryIncident(nodeOrIncidentId: string): SimulatorResult {
    const inc = this.state?.incidents.find((i) => i.id === nodeOrIncidentId || i.nodeId === nodeOrIncidentId);
    if (!inc) return { ok: false, rejected: { code: 'incident.not-open', params: { incidentId: nodeOrIncidentId } } };
    return this.apply({ type: 'incident.retry', incidentId: inc.id });
  }

  cancel(reason?: string): SimulatorResult {
    return this.apply({ type: 'cancel', ...(reason ? { reason } : {}) });
  }

  /** Moves the clock forward by an ISO duration (calendar time), firing due timers in order. */
  advance(duration: string): SimulatorResult {
    const until = addDuration(this.env.calendar, this.now, duration, 'calendar');
    return this.advanceTo(until);
  }

  advanceTo(until: string): SimulatorResult {
    for (;;) {
      const next = this.nextTimer();
      if (!next || next.dueAt > until) break;
      if (next.dueAt > this.now) this.now = next.dueAt;
      this.timers.delete(next.timerId);
      const r = this.apply({ type: 'timer.fired', timerId: next.timerId });
      if (!r.ok) return r;
    }
    for (const child of this.children.values()) {
      const r = child.sim.advanceTo(until);
      if (!r.ok) return r;
      this.afterChild(r);
    }
    if (until > this.now) this.now = until;
    return { ok: true };
  }

  /** Simulators of the sub-flow cases this case started and that are still running. */
  subFlows(): Simulator[] {
    return [...this.children.values()].map((c) => c.sim);
  }

  /** Node ids where the case waits now (tokens with a wait). */
  waitingAt(): string[] {
    return (this.state?.tokens ?? []).filter((t) => t.wait).map((t) => t.nodeId);
  }

  findTask(nodeOrTaskId: string): TaskSpec | undefined {
    const byId = this.tasks.get(nodeOrTaskId);
    if (byId) return byId;
    return [...this.tasks.values()].find((t) => t.nodeId === nodeOrTaskId);
  }

  private findCall(nodeOrRequestId: string): PendingCall | undefined {
    return this.calls.get(nodeOrRequestId) ?? [...this.calls.values()].find((c) => c.nodeId === nodeOrRequestId);
  }

  private nextTimer(): ScheduledTimer | undefined {
    let best: ScheduledTimer | undefined;
    for (const t of this.timers.values()) if (!best || t.dueAt < best.dueAt) best = t;
    return best;
  }

  private apply(input: StepInput): SimulatorResult {
    const out = step(this.flow, this.state, input, this.now, this.env);
    if (isRejected(out)) return { ok: false, rejected: out.rejected };
    this.state = out.state;
    this.audit.push(...out.audit);
    for (const a of out.audit) if (a.type === 'node.entered' && a.nodeId) this.path.push(a.nodeId);
    const auto: PendingCall[] = [];
    for (const e of out.effects) {
      switch (e.type) {
        case 'task.open':
          this.tasks.set(e.task.taskId, e.task);
          break;
        case 'task.close':
          this.tasks.delete(e.taskId);
          break;
        case 'task.update': {
          const t = this.tasks.get(e.taskId);
          if (t) this.tasks.set(e.taskId, { ...t, ...(e.priority !== undefined ? { priority: e.priority } : {}), ...(e.queue !== undefined ? { queue: e.queue } : {}) });
          break;
        }
        case 'timer.schedule':
          this.timers.set(e.timerId, { timerId: e.timerId, dueAt: e.dueAt, purpose: e.purpose, ...(e.nodeId ? { nodeId: e.nodeId } : {}) });
          break;
        case 'timer.cancel':
          this.timers.delete(e.timerId);
          break;
        case 'service.call': {
          this.calls.set(e.requestId, { requestId: e.requestId, nodeId: e.nodeId, connector: e.connector, input: e.input, attempt: e.attempt });
          if (this.options.services && e.connector in this.options.services) auto.push(this.calls.get(e.requestId) as PendingCall);
          break;
        }
        case 'sub-flow.start':
          this.startChild(e.requestId, e.flow, e.data);
          break;
        case 'sub-flow.cancel': {
          const child = this.children.get(e.requestId);
          if (child) child.sim.cancel('parent ended');
          this.children.delete(e.requestId);
          break;
        }
        case 'event.emit':
        case 'notify':
          this.events.push(e);
          break;
      }
    }
    // Calls answered by a responder are settled after the step that made them, in order.
    for (const call of auto) {
      if (!this.calls.has(call.requestId)) continue;
      const responder = (this.options.services as Record<string, ServiceResponder>)[call.connector];
      const data = typeof responder === 'function' ? responder(call.input) : (responder as Record<string, unknown>);
      this.calls.delete(call.requestId);
      const r = this.apply({ type: 'service.result', requestId: call.requestId, ok: true, data: structuredClone(data) });
      if (!r.ok) return r;
    }
    this.pruneCalls();
    return { ok: true };
  }

  private pruneCalls(): void {
    const live = new Set((this.state?.tokens ?? []).flatMap((t) => (t.wait?.type === 'service' && !t.wait.retryTimerId ? [t.wait.requestId] : [])));
    for (const id of [...this.calls.keys()]) if (!live.has(id)) this.calls.delete(id);
  }

  private startChild(requestId: string, key: string, data: Record<string, unknown>): void {
    const flow = this.options.flows?.[key];
    if (!flow) {
      this.apply({ type: 'sub-flow.ended', requestId, status: 'terminated', outcome: 'flow-missing', data: {} });
      return;
    }
    const sim = new Simulator(flow, { ...this.options, caseId: requestId }, this.now);
    this.children.set(requestId, { requestId, sim });
    sim.start(data, this.now);
    this.settleChild(requestId);
  }

  private afterChild(r: SimulatorResult): SimulatorResult {
    for (const id of [...this.children.keys()]) this.settleChild(id);
    return r;
  }

  private settleChild(requestId: string): void {
    const child = this.children.get(requestId);
    const s = child?.sim.state;
    if (!child || !s || s.status === 'waiting') return;
    this.children.delete(requestId);
    this.apply({ type: 'sub-flow.ended', requestId, status: s.status, outcome: s.outcome ?? s.status, data: s.data });
  }
}

/** Creates an in-memory simulator for one case of a flow. */
export function createSimulator(flow: FlowDefinition, options: SimulatorOptions = {}, now?: string): Simulator {
  return new Simulator(flow, options, now);
}
