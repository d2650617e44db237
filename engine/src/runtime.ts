/**
 * The shared machinery of one engine step: moving tokens, choosing edges, SLA clocks,
 * effects and audit records. Node kinds call into it; it never does I/O.
 */
import type {
  Actor,
  AuditRecord,
  AuditType,
  CaseState,
  Effect,
  RuleTrace,
  SlaClock,
  StepRejection,
  Token,
  TokenWait,
} from './case';
import type { BusinessCalendar } from './calendar';
import { slaDeadlines } from './calendar';
import type { Edge, EdgePort, FlowDefinition, Node, Sla } from './model';
import { evaluateRule } from './rules';
import { getPath, setPath } from './data-path';

export interface StepEnv {
  calendar: BusinessCalendar;
  /** Membership in named lists (whitelists, blacklists) for the `inList` rule operation. */
  isInList?: (list: string, value: unknown) => boolean;
  /** Most node activations one step may make before it stops the loop (default 1000). */
  maxActivations?: number;
}

/** Thrown inside a step to refuse the input; turned into `{ rejected }` by `step`. */
export class Rejection extends Error {
  constructor(readonly rejection: StepRejection) {
    super(rejection.code);
  }
}

export class Runtime {
  readonly effects: Effect[] = [];
  readonly audit: AuditRecord[] = [];
  private readonly queue: Token[] = [];
  private readonly index: FlowIndex;
  private activations = 0;

  constructor(
    readonly flow: FlowDefinition,
    readonly state: CaseState,
    readonly now: string,
    readonly env: StepEnv,
    readonly actor?: Actor,
  ) {
    this.index = indexFlow(flow);
  }

  node(id: string): Node {
    const n = this.index.nodes.get(id);
    if (!n) throw new Error(`node ${id} is not in flow ${this.flow.key}`);
    return n;
  }

  outgoing(nodeId: string): Edge[] {
    return this.index.outgoing.get(nodeId) ?? [];
  }

  incoming(nodeId: string): Edge[] {
    return this.index.incoming.get(nodeId) ?? [];
  }

  /** A fresh id, unique within the case. */
  nextId(prefix: string): string {
    this.state.seq += 1;
    return `${prefix}${this.state.seq}`;
  }

  /** Evaluates a rule against the case data, recording what it read for the audit trail. */
  evaluate(rule: unknown, ruleId?: string): RuleTrace {
    const r = evaluateRule(rule, this.state.data, {
      now: this.now,
      calendar: this.env.calendar,
      ...(this.env.isInList ? { isInList: this.env.isInList } : {}),
    });
    const trace: RuleTrace = { rule, reads: r.reads, result: r.result };
    if (ruleId !== undefined) trace.ruleId = ruleId;
    if (r.error) trace.error = `${r.error.code}: ${r.error.message}`;
    return trace;
  }

  effect(e: Effect): void {
    this.effects.push(e);
  }

  record(type: AuditType, details: Record<string, unknown> = {}, extra: Partial<AuditRecord> = {}): void {
    // Object.assign, not a spread: on Node 20 an object literal with a spread costs microseconds, and every step records several entries.
    const entry: AuditRecord = Object.assign({ type, at: this.now, version: this.state.version, details }, extra);
    if (this.actor && entry.actor === undefined) entry.actor = this.actor.id;
    this.audit.push(entry);
  }

  getData(path: string): unknown {
    return getPath(this.state.data, path);
  }

  /**
   * Writes a computed value into the case data. The value is copied: a rule such as
   * `{"var": ""}` returns the case data itself, which must not end up stored inside itself.
   */
  setData(path: string, value: unknown): void {
    setPath(this.state.data, path, value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown));
  }

  // ---- tokens ----

  /** Creates a token at a node and queues it to enter. */
  spawn(nodeId: string, via?: string): Token {
    const token: Token = { id: this.nextId('tk'), nodeId, since: this.now };
    if (via !== undefined) token.via = via;
    this.state.tokens.push(token);
    this.queue.push(token);
    return token;
  }

  /** Moves a token along an edge; it enters the target node when the queue reaches it. */
  take(token: Token, edge: Edge): void {
    this.leaveNode(token);
    token.nodeId = edge.target;
    token.via = edge.id;
    token.since = this.now;
    delete token.wait;
    this.queue.push(token);
  }

  /** Leaves by the node's one normal (port-less) outgoing edge. */
  takeDefault(token: Token): void {
    const edge = this.outgoing(token.nodeId).find((e) => e.port === undefined);
    if (!edge) throw new Error(`node ${token.nodeId} has no outgoing edge`);
    this.take(token, edge);
  }

  /** The edge of a port, if the analyst drew one. */
  portEdge(nodeId: string, port: EdgePort): Edge | undefined {
    return this.outgoing(nodeId).find((e) => e.port === port);
  }

  /** Splits a token into one per edge (parallel split). */
  fork(token: Token, edges: Edge[]): void {
    this.consume(token);
    for (const e of edges) this.spawn(e.target, e.id);
  }

  wait(token: Token, wait: TokenWait): void {
    token.wait = wait;
  }

  /** Removes a token that has finished (end node, join) without cancelling anything. */
  consume(token: Token): void {
    this.leaveNode(token);
    const i = this.state.tokens.indexOf(token);
    if (i >= 0) this.state.tokens.splice(i, 1);
  }

  /** Removes a token and cancels what it waited for (tasks, timers, sub-flows). */
  discard(token: Token, reason: 'cancelled' = 'cancelled'): void {
    const w = token.wait;
    if (w?.type === 'task') this.effect({ type: 'task.close', taskId: w.taskId, reason });
    if (w?.type === 'timer') this.effect({ type: 'timer.cancel', timerId: w.timerId });
    if (w?.type === 'sub-flow') this.effect({ type: 'sub-flow.cancel', requestId: w.requestId });
    if (w?.type === 'service' && w.retryTimerId) this.effect({ type: 'timer.cancel', timerId: w.retryTimerId });
    if (w?.type === 'incident') this.state.incidents = this.state.incidents.filter((i) => i.id !== w.incidentId);
    this.consume(token);
  }

  private leaveNode(token: Token): void {
    this.stopClock(token.id);
    this.record('node.left', {}, { nodeId: token.nodeId, tokenId: token.id });
  }

  /** Runs queued tokens until every token waits or the case ends. */
  run(enter: (node: Node, token: Token) => void): void {
    const limit = this.env.maxActivations ?? 1000;
    for (let token = this.queue.shift(); token; token = this.queue.shift()) {
      if (this.isEnded()) break;
      if (!this.state.tokens.includes(token)) continue;
      this.activations += 1;
      if (this.activations > limit) {
        this.raiseIncident(token, 'engine.loop-limit', `more than ${limit} node activations in one step`);
        this.queue.length = 0;
        break;
      }
      const node = this.node(token.nodeId);
      this.state.visits[node.id] = (this.state.visits[node.id] ?? 0) + 1;
      this.record('node.entered', { visit: this.state.visits[node.id], ...(token.via ? { via: token.via } : {}) }, { nodeId: node.id, tokenId: token.id });
      enter(node, token);
    }
  }

  isEnded(): boolean {
    return this.state.status !== 'waiting';
  }

  // ---- incidents ----

  raiseIncident(token: Token, code: string, message: string): void {
    const incidentId = this.nextId('inc');
    this.state.incidents.push({ id: incidentId, nodeId: token.nodeId, tokenId: token.id, code, message, at: this.now });
    this.wait(token, { type: 'incident', incidentId });
    this.record('incident.raised', { incidentId, code, message }, { nodeId: token.nodeId, tokenId: token.id });
    this.effect({ type: 'event.emit', name: 'incident.raised', payload: { caseId: this.state.id, incidentId, nodeId: token.nodeId, code, message } });
  }

  // ---- SLA clocks ----

  /** Starts an SLA clock for a scope (a token id, or `case`) and schedules its timers. */
  startClock(scope: string, sla: Sla, nodeId?: string): SlaClock {
    // slaDeadlines reads a missing mode as 'calendar' itself.
    const { dueAt, warnAt } = slaDeadlines(this.env.calendar, this.now, sla);
    const id = scope === 'case' ? 'case' : this.nextId('sla');
    const clock: SlaClock = { id, scope, startedAt: this.now, dueAt };
    if (nodeId !== undefined) clock.nodeId = nodeId;
    if (warnAt !== undefined) clock.warnAt = warnAt;
    this.state.slas.push(clock);
    if (warnAt !== undefined && warnAt < dueAt) {
      this.effect({ type: 'timer.schedule', timerId: `${id}.warn`, dueAt: warnAt, purpose: 'sla.warn', ...(nodeId ? { nodeId } : {}) });
    }
    this.effect({ type: 'timer.schedule', timerId: `${id}.breach`, dueAt, purpose: 'sla.breach', ...(nodeId ? { nodeId } : {}) });
    return clock;
  }

  /** Stops the clock of a scope and cancels its pending timers. */
  stopClock(scope: string): void {
    const i = this.state.slas.findIndex((c) => c.scope === scope);
    if (i < 0) return;
    const clock = this.state.slas[i] as SlaClock;
    if (clock.warnAt !== undefined && !clock.warned && clock.warnAt < clock.dueAt) this.effect({ type: 'timer.cancel', timerId: `${clock.id}.warn` });
    if (!clock.breached) this.effect({ type: 'timer.cancel', timerId: `${clock.id}.breach` });
    this.state.slas.splice(i, 1);
  }

  clockByTimer(timerId: string): { clock: SlaClock; phase: 'warn' | 'breach' } | undefined {
    const dot = timerId.lastIndexOf('.');
    if (dot < 0) return undefined;
    const id = timerId.slice(0, dot);
    const phase = timerId.slice(dot + 1);
    if (phase !== 'warn' && phase !== 'breach') return undefined;
    const clock = this.state.slas.find((c) => c.id === id);
    return clock ? { clock, phase } : undefined;
  }
}

interface FlowIndex {
  nodes: Map<string, Node>;
  outgoing: Map<string, Edge[]>;
  incoming: Map<string, Edge[]>;
}

// Definitions are immutable once published, so their lookup tables are built once per object.
const indexes = new WeakMap<FlowDefinition, FlowIndex>();

function indexFlow(flow: FlowDefinition): FlowIndex {
  let index = indexes.get(flow);
  if (index) return index;
  index = { nodes: new Map(), outgoing: new Map(), incoming: new Map() };
  for (const n of flow.nodes) index.nodes.set(n.id, n);
  for (const e of flow.edges) {
    push(index.outgoing, e.source, e);
    push(index.incoming, e.target, e);
  }
  indexes.set(flow, index);
  return index;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
