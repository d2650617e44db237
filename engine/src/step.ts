/**
 * One engine step: a definition, a case state and one input in; the next state, the effects for
 * the runtime to carry out and the audit records out. Pure and deterministic for the same `now`.
 */
import type { CaseState, StepInput, StepRejection, StepResult, Token } from './case';
import { validateCaseData } from './case-data';
import { finishCase } from './finish';
import type { FlowDefinition, Node } from './model';
import { getKind } from './node-kinds';
import { resolvePriority } from './node-kinds/user-task';
import type { StepEnv } from './runtime';
import { Rejection, Runtime } from './runtime';

export type { StepEnv } from './runtime';

export type StepOutcome = StepResult | { rejected: StepRejection };

/** True when a step refused its input. */
export function isRejected(o: StepOutcome): o is { rejected: StepRejection } {
  return 'rejected' in o;
}

/** Applies one input to a case. `state` is null only for `start`; it is never mutated. */
export function step(flow: FlowDefinition, state: CaseState | null, input: StepInput, now: string, env: StepEnv): StepOutcome {
  try {
    return input.type === 'start' ? startCase(flow, input, now, env) : advance(flow, state, input, now, env);
  } catch (e) {
    if (e instanceof Rejection) return { rejected: e.rejection };
    throw e;
  }
}

function startCase(flow: FlowDefinition, input: Extract<StepInput, { type: 'start' }>, now: string, env: StepEnv): StepOutcome {
  const data = structuredClone(input.data ?? {});
  const issues = validateCaseData(flow.caseSchema, data);
  if (issues.length > 0) throw new Rejection({ code: 'case.data.invalid', params: { issues } });
  const startNode = flow.nodes.find((n) => n.kind === 'start');
  if (!startNode) throw new Rejection({ code: 'flow.start.missing', params: {} });
  const state: CaseState = {
    id: input.caseId,
    flowKey: input.flowKey ?? flow.key,
    version: input.version,
    status: 'waiting',
    data,
    priority: 50,
    tokens: [],
    visits: {},
    flags: [],
    slas: [],
    breaches: [],
    incidents: [],
    completedBy: {},
    startedAt: now,
    updatedAt: now,
    seq: 0,
  };
  const rt = new Runtime(flow, state, now, env, input.actor);
  state.priority = resolvePriority(flow.priority, 50, (rule) => rt.evaluate(rule).result);
  rt.record('case.started', { flow: state.flowKey, data, priority: state.priority });
  if (flow.sla) rt.startClock('case', flow.sla);
  rt.spawn(startNode.id);
  return finish(rt);
}

function advance(flow: FlowDefinition, prev: CaseState | null, input: Exclude<StepInput, { type: 'start' }>, now: string, env: StepEnv): StepOutcome {
  if (!prev) throw new Rejection({ code: 'case.missing', params: {} });
  if (prev.status !== 'waiting') throw new Rejection({ code: 'case.ended', params: { status: prev.status } });
  const state = structuredClone(prev);
  const rt = new Runtime(flow, state, now, env, 'actor' in input ? input.actor : undefined);
  const resume = (token: Token) => {
    const node = rt.node(token.nodeId);
    getKind(node.kind)?.resume?.(node as never, token, input, rt);
  };

  switch (input.type) {
    case 'task.completed': {
      const token = state.tokens.find((t) => t.wait?.type === 'task' && t.wait.taskId === input.taskId);
      if (!token) throw new Rejection({ code: 'task.not-open', params: { taskId: input.taskId } });
      resume(token);
      break;
    }
    case 'message': {
      const tokens = state.tokens.filter((t) => t.wait?.type === 'message' && t.wait.message === input.name);
      if (tokens.length === 0) throw new Rejection({ code: 'message.not-awaited', params: { name: input.name } });
      // Check what the message carries; values the case already holds are not the sender's fault.
      const carried = Object.keys(input.data ?? {});
      const merged = { ...state.data, ...(input.data ?? {}) };
      const issues = validateCaseData(flow.caseSchema, merged).filter((i) => carried.some((k) => i.path === `/data/${k}` || i.path.startsWith(`/data/${k}/`)));
      if (issues.length > 0) throw new Rejection({ code: 'case.data.invalid', params: { issues } });
      for (const t of tokens) resume(t);
      break;
    }
    case 'timer.fired': {
      const sla = rt.clockByTimer(input.timerId);
      if (sla) {
        onSlaTimer(rt, sla.clock.id, sla.phase);
        break;
      }
      const token = state.tokens.find(
        (t) => (t.wait?.type === 'timer' && t.wait.timerId === input.timerId) || (t.wait?.type === 'service' && t.wait.retryTimerId === input.timerId),
      );
      // A timer whose reason has passed (its task already done) is ignored, not an error.
      if (token) resume(token);
      break;
    }
    case 'service.result': {
      const token = state.tokens.find((t) => t.wait?.type === 'service' && t.wait.requestId === input.requestId && t.wait.retryTimerId === undefined);
      if (!token) throw new Rejection({ code: 'service.request.unknown', params: { requestId: input.requestId } });
      resume(token);
      break;
    }
    case 'incident.retry': {
      const token = state.tokens.find((t) => t.wait?.type === 'incident' && t.wait.incidentId === input.incidentId);
      if (!token) throw new Rejection({ code: 'incident.not-open', params: { incidentId: input.incidentId } });
      const node = rt.node(token.nodeId);
      if (node.kind === 'service-task') resume(token);
      else retryNode(rt, token, input.incidentId);
      break;
    }
    case 'sub-flow.ended': {
      const token = state.tokens.find((t) => t.wait?.type === 'sub-flow' && t.wait.requestId === input.requestId);
      if (!token) throw new Rejection({ code: 'subflow.request.unknown', params: { requestId: input.requestId } });
      resume(token);
      break;
    }
    case 'cancel':
      finishCase(rt, 'cancelled', 'cancelled', input.reason ? { reason: input.reason } : {});
      break;
  }
  return finish(rt);
}

function finish(rt: Runtime): StepResult {
  rt.run((node: Node, token: Token) => {
    const kind = getKind(node.kind);
    if (!kind) {
      rt.raiseIncident(token, 'node.kind.unknown', `node kind ${node.kind} is not known to this engine`);
      return;
    }
    kind.enter(node as never, token, rt);
  });
  if (!rt.isEnded() && rt.state.tokens.length === 0) finishCase(rt, 'completed', 'completed');
  rt.state.updatedAt = rt.now;
  return { state: rt.state, effects: rt.effects, audit: rt.audit };
}

/** Re-enters the node of a token that stopped on an incident (after the operator fixed the cause). */
function retryNode(rt: Runtime, token: Token, incidentId: string): void {
  rt.state.incidents = rt.state.incidents.filter((i) => i.id !== incidentId);
  rt.record('incident.retried', { incidentId }, { nodeId: token.nodeId, tokenId: token.id });
  delete token.wait;
  // Re-queue through a zero-length move onto the same node.
  const node = rt.node(token.nodeId);
  rt.consume(token);
  rt.spawn(node.id, token.via);
}

function onSlaTimer(rt: Runtime, clockId: string, phase: 'warn' | 'breach'): void {
  const clock = rt.state.slas.find((c) => c.id === clockId);
  if (!clock) return;
  const nodeId = clock.nodeId;
  const sla = nodeId ? (rt.node(nodeId) as { sla?: FlowDefinition['sla'] }).sla : rt.flow.sla;
  const scopeLabel = nodeId ?? 'case';
  const payload = { caseId: rt.state.id, flow: rt.state.flowKey, nodeId: scopeLabel, dueAt: clock.dueAt };
  if (phase === 'warn') {
    if (clock.warned) return;
    clock.warned = true;
    rt.record('sla.warned', { dueAt: clock.dueAt, scope: scopeLabel }, nodeId ? { nodeId } : {});
    rt.effect({ type: 'event.emit', name: 'sla.warning', payload });
    return;
  }
  if (clock.breached) return;
  clock.breached = true;
  if (!rt.state.breaches.includes(scopeLabel)) rt.state.breaches.push(scopeLabel);
  rt.record('sla.breached', { dueAt: clock.dueAt, scope: scopeLabel }, nodeId ? { nodeId } : {});
  rt.effect({ type: 'event.emit', name: 'sla.breached', payload });

  const token = clock.scope === 'case' ? undefined : rt.state.tokens.find((t) => t.id === clock.scope);
  const tasks = token
    ? token.wait?.type === 'task'
      ? [token.wait.taskId]
      : []
    : rt.state.tokens.flatMap((t) => (t.wait?.type === 'task' ? [t.wait.taskId] : []));
  for (const esc of sla?.escalations ?? []) {
    rt.record('escalation', { ...esc, scope: scopeLabel, tasks }, nodeId ? { nodeId } : {});
    if (esc.action === 'reassign') for (const taskId of tasks) rt.effect({ type: 'task.update', taskId, queue: esc.queue });
    if (esc.action === 'raise-priority') {
      if (!token) rt.state.priority = Math.max(rt.state.priority, esc.to);
      for (const taskId of tasks) rt.effect({ type: 'task.update', taskId, priority: esc.to });
    }
    if (esc.action === 'notify') rt.effect({ type: 'notify', to: esc.to, ...(nodeId ? { nodeId } : {}), ...(esc.message ? { message: esc.message } : {}), escalation: esc });
  }
  // A wait with a `timeout` exit leaves by it when its time limit passes.
  if (token && nodeId) {
    const timeout = rt.portEdge(nodeId, 'timeout');
    if (timeout && rt.node(nodeId).kind === 'wait') {
      rt.record('timer.fired', { timerId: `${clock.id}.breach`, timeout: true }, { nodeId, tokenId: token.id });
      rt.take(token, timeout);
    }
  }
}
