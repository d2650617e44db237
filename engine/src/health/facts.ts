/**
 * Folding a case's audit journal into its `CaseFacts`. The fold is incremental: the runtime
 * keeps the facts of a running case and folds in only the records of each new step, so keeping
 * the figures current costs one small JSON update per step instead of re-reading the journal.
 */
import type { AuditRecord } from '../case';
import type { BusinessCalendar, DurationMode } from '../calendar';
import { tryAddDuration, workingMsBetween } from '../calendar';
import { getPath } from '../data-path';
import type { FlowDefinition, GateAction, Milestone } from '../model';
import { indexDefinition, type DefinitionIndex } from './definition-index';
import { HealthError } from './errors';
import type { CaseFacts, DimValue, NodeFacts, OpenFacts, OpenTask, OpenToken, RuleFacts, Span } from './types';

/** Node kinds whose stay is measured (they wait for something); the others pass at once. */
const WAITING_KINDS = new Set(['user-task', 'service-task', 'wait', 'sub-flow', 'parallel-join']);
/** Kinds that finish their work when entered. Decisions and gates finish when their record says so. */
const INSTANT_KINDS = new Set(['start', 'end', 'parallel-split', 'set-data']);

/**
 * The facts of one case from its whole journal (oldest record first). With `asOf`, a running
 * case also gets its `age`. Throws `HealthError` when the journal does not start with
 * `case.started` or holds an invalid time.
 */
export function caseFacts(definition: FlowDefinition, records: readonly AuditRecord[], calendar: BusinessCalendar, asOf?: string): CaseFacts {
  const facts = foldFacts(definition, undefined, records, calendar);
  if (asOf !== undefined && facts.status === 'waiting') {
    requireTime(asOf, 'asOf');
    facts.age = span(calendar, facts.startedAt, asOf);
  }
  return facts;
}

/**
 * Folds new journal records into a case's facts: `foldFacts(def, undefined, all)` equals folding
 * the same records in any number of consecutive batches. Does not modify `facts`. `definition`
 * is the version the case runs on.
 */
export function foldFacts(definition: FlowDefinition, facts: CaseFacts | undefined, records: readonly AuditRecord[], calendar: BusinessCalendar): CaseFacts {
  return foldFactsInPlace(definition, facts === undefined ? undefined : structuredClone(facts), records, calendar);
}

/**
 * `foldFacts` that updates `facts` itself, for a caller that owns the object (the runtime has
 * just parsed it from the store): saves a deep copy on every engine step.
 */
export function foldFactsInPlace(definition: FlowDefinition, facts: CaseFacts | undefined, records: readonly AuditRecord[], calendar: BusinessCalendar): CaseFacts {
  const ix = indexDefinition(definition);
  let f = facts;
  if (f) delete f.age;
  for (let i = 0; i < records.length; i++) {
    const r = records[i] as AuditRecord;
    if (typeof r?.at !== 'string' || Number.isNaN(Date.parse(r.at))) {
      throw new HealthError('health.record.time-invalid', `audit record ${i} (${String(r?.type)}) has no valid time`, { index: i, type: r?.type, at: r?.at });
    }
    if (!f) {
      if (r.type !== 'case.started') {
        throw new HealthError('health.journal.start-missing', `a case journal must begin with case.started, not ${String(r.type)}`, { index: i, type: r.type });
      }
      f = start(ix, definition, r);
      continue;
    }
    if (r.type === 'case.started') {
      throw new HealthError('health.journal.restarted', 'the journal holds a second case.started', { index: i });
    }
    if (f.open) apply(new Fold(ix, calendar, f, f.open), r);
  }
  if (!f) throw new HealthError('health.journal.empty', 'no audit records to compute facts from', {});
  return f;
}

function start(ix: DefinitionIndex, def: FlowDefinition, r: AuditRecord): CaseFacts {
  const data = (r.details.data ?? {}) as Record<string, unknown>;
  const dims: Record<string, DimValue> = {};
  for (const path of ix.dimensions) {
    const v = getPath(data, path);
    if (v === undefined) continue;
    dims[path] = v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)) ? v : null;
  }
  const facts: CaseFacts = {
    format: 1,
    flowKey: typeof r.details.flow === 'string' ? r.details.flow : def.key,
    version: r.version,
    status: 'waiting',
    startedAt: r.at,
    priority: typeof r.details.priority === 'number' ? r.details.priority : 50,
    dims,
    nodes: {},
    milestones: {},
    warnings: 0,
    breaches: 0,
    escalations: 0,
    humanTasks: 0,
    rework: 0,
    incidents: 0,
    rules: {},
    alerts: [],
    work: [],
    open: { tokens: {}, tasks: {}, done: {}, retry: [] },
  };
  if (ix.hasCaseSla) facts.caseSla = 'open';
  answered(ix, facts, data);
  return facts;
}

/**
 * Takes the satisfaction answers from data a record wrote (case start, task form, message, set-data):
 * a finite number in a field marked `satisfaction`. A later answer replaces an earlier one.
 */
function answered(ix: DefinitionIndex, f: CaseFacts, data: unknown): void {
  if (ix.csatField === undefined && ix.npsField === undefined) return;
  if (data === null || typeof data !== 'object') return;
  const d = data as Record<string, unknown>;
  if (ix.csatField !== undefined) {
    const v = own(d, ix.csatField);
    if (typeof v === 'number' && Number.isFinite(v)) f.csat = { score: v, of: ix.csatOf };
  }
  if (ix.npsField !== undefined) {
    const v = own(d, ix.npsField);
    if (typeof v === 'number' && Number.isFinite(v)) f.nps = v;
  }
}

/** One record applied to the facts; a class only to share the context. */
class Fold {
  constructor(
    readonly ix: DefinitionIndex,
    readonly cal: BusinessCalendar,
    readonly f: CaseFacts,
    readonly open: OpenFacts,
  ) {}

  node(id: string): NodeFacts {
    const existing = own(this.f.nodes, id);
    if (existing) return existing;
    const created: NodeFacts = { kind: this.ix.kinds.get(id) ?? 'unknown', visits: 0 };
    this.f.nodes[id] = created;
    return created;
  }

  span(from: string, to: string): Span {
    return span(this.cal, from, to);
  }

  token(id: string | undefined): OpenToken | undefined {
    return id === undefined ? undefined : own(this.open.tokens, id);
  }

  /** Marks a token's node as having finished its work; the next `node.left` is a completion. */
  finish(tokenId: string | undefined): void {
    const t = this.token(tokenId);
    if (t) t.done = true;
  }

  /** A node finished its work at `at`: milestone bookkeeping. */
  completed(nodeId: string, at: string): void {
    if (this.ix.milestoneFrom.has(nodeId) && own(this.open.done, nodeId) === undefined) this.open.done[nodeId] = at;
    for (const m of this.ix.milestonesTo.get(nodeId) ?? []) {
      if (own(this.f.milestones, m.id)) continue;
      const from = m.from === undefined ? this.f.startedAt : own(this.open.done, m.from);
      if (from === undefined || Date.parse(from) > Date.parse(at)) continue;
      const reached: CaseFacts['milestones'][string] = { at, span: this.span(from, at) };
      const met = withinTarget(this.cal, m, from, at);
      if (met !== undefined) reached.met = met;
      this.f.milestones[m.id] = reached;
    }
  }
}

function apply(x: Fold, r: AuditRecord): void {
  const { f, open } = x;
  const nodeId = r.nodeId;
  switch (r.type) {
    case 'node.entered': {
      if (nodeId === undefined) return;
      const n = x.node(nodeId);
      n.visits += 1;
      const retried = open.retry.indexOf(nodeId);
      if (retried >= 0) open.retry.splice(retried, 1);
      else if (n.visits > 1 && n.kind !== 'parallel-join') {
        n.rework = (n.rework ?? 0) + 1;
        f.rework += 1;
      }
      if (r.tokenId === undefined) return;
      const via = typeof r.details.via === 'string' ? r.details.via : undefined;
      const token: OpenToken = { node: nodeId, at: r.at };
      if (via !== undefined) token.via = via;
      if (INSTANT_KINDS.has(n.kind)) token.done = true;
      if (x.ix.slaNodes.has(nodeId)) token.sla = true;
      open.tokens[r.tokenId] = token;
      if (n.kind === 'parallel-join') joinArrival(x, nodeId);
      return;
    }
    case 'node.left': {
      const token = x.token(r.tokenId);
      if (!token || r.tokenId === undefined) return;
      delete open.tokens[r.tokenId];
      // A stay that ended without its node finishing (the case was cancelled or stopped around
      // it) is not a completion: it is not timed and does not count for milestones or SLAs.
      if (!token.done) return;
      const n = x.node(token.node);
      if (WAITING_KINDS.has(n.kind)) (n.time ??= []).push(x.span(token.at, r.at));
      if (token.sla && !token.breached) n.slaMet = (n.slaMet ?? 0) + 1;
      x.completed(token.node, r.at);
      return;
    }
    case 'decision.taken':
      x.finish(r.tokenId);
      return;
    case 'gate.evaluated':
      gate(x, r);
      return;
    case 'task.opened': {
      const taskId = str(r.details.taskId);
      f.humanTasks += 1;
      if (taskId === undefined || nodeId === undefined) return;
      open.tasks[taskId] = { node: nodeId, queue: str(r.details.queue) ?? '', at: r.at };
      return;
    }
    case 'task.claimed': {
      const task = openTask(x, r);
      if (!task) return;
      task.firstClaim ??= r.at;
      task.claim = r.at;
      if (r.actor !== undefined) task.assignee = r.actor;
      return;
    }
    case 'task.released': {
      const task = openTask(x, r);
      if (!task) return;
      delete task.claim;
      delete task.assignee;
      return;
    }
    case 'task.reassigned': {
      const task = openTask(x, r);
      const to = r.details.to as { queue?: unknown; assignee?: unknown } | undefined;
      if (!task || !to) return;
      if (typeof to.queue === 'string') task.queue = to.queue;
      if (to.assignee === null || to.assignee === undefined) {
        delete task.claim;
        delete task.assignee;
      } else if (typeof to.assignee === 'string') task.assignee = to.assignee;
      return;
    }
    case 'task.completed':
      taskCompleted(x, r);
      answered(x.ix, f, r.details.data);
      return;
    case 'message.received':
      x.finish(r.tokenId);
      answered(x.ix, f, r.details.data);
      return;
    case 'data.set':
      answered(x.ix, f, r.details.values);
      return;
    case 'service.succeeded':
      x.finish(r.tokenId);
      return;
    case 'timer.fired':
      // Leaving a wait by its timeout exit is not the wait's completion.
      if (r.details.timeout !== true) x.finish(r.tokenId);
      return;
    case 'sub-flow.ended':
      if (r.details.status === 'completed') x.finish(r.tokenId);
      return;
    case 'service.called':
      if (nodeId !== undefined) inc(x.node(nodeId), 'calls');
      return;
    case 'service.failed':
      if (nodeId !== undefined) inc(x.node(nodeId), 'failures');
      return;
    case 'sla.warned':
      f.warnings += 1;
      if (nodeId !== undefined) inc(x.node(nodeId), 'slaWarned');
      else f.caseSlaWarned = true;
      return;
    case 'sla.breached': {
      f.breaches += 1;
      if (nodeId === undefined) {
        if (f.caseSla === 'open' || f.caseSla === undefined) f.caseSla = 'breached';
        return;
      }
      inc(x.node(nodeId), 'slaBreached');
      const token = Object.values(open.tokens).find((t) => t.node === nodeId && t.sla && !t.breached);
      if (token) token.breached = true;
      return;
    }
    case 'escalation': {
      f.escalations += 1;
      if (nodeId !== undefined) inc(x.node(nodeId), 'escalations');
      if (r.details.action === 'reassign' && typeof r.details.queue === 'string' && Array.isArray(r.details.tasks)) {
        for (const id of r.details.tasks) {
          const task = typeof id === 'string' ? own(open.tasks, id) : undefined;
          if (task) task.queue = r.details.queue;
        }
      }
      return;
    }
    case 'incident.raised':
      f.incidents += 1;
      if (nodeId !== undefined) inc(x.node(nodeId), 'incidents');
      return;
    case 'incident.retried':
      // A retried service task calls again without re-entering; other kinds re-enter the node.
      if (nodeId !== undefined && x.ix.kinds.get(nodeId) !== 'service-task') open.retry.push(nodeId);
      return;
    case 'case.completed':
    case 'case.terminated':
    case 'case.cancelled':
      endCase(x, r);
      return;
    default:
      return;
  }
}

/** A join fires when a token has arrived by every incoming edge, exactly as the engine decides. */
function joinArrival(x: Fold, joinId: string): void {
  const incoming = x.ix.joinIncoming.get(joinId) ?? [];
  const byVia = new Map<string, OpenToken>();
  for (const t of Object.values(x.open.tokens)) {
    if (t.node === joinId && !t.done && t.via !== undefined && !byVia.has(t.via)) byVia.set(t.via, t);
  }
  if (incoming.length === 0 || !incoming.every((e) => byVia.has(e))) return;
  for (const e of incoming) (byVia.get(e) as OpenToken).done = true;
}

function gate(x: Fold, r: AuditRecord): void {
  const nodeId = r.nodeId;
  const worst = (str(r.details.action) ?? 'pass') as GateAction;
  if (worst !== 'stop') x.finish(r.tokenId);
  if (nodeId === undefined) return;
  const n = x.node(nodeId);
  const results = Array.isArray(r.details.results) ? (r.details.results as { rule?: unknown; fired?: unknown; action?: unknown }[]) : [];
  const errored = new Set((r.rules ?? []).filter((t) => t.error !== undefined && t.ruleId !== undefined).map((t) => t.ruleId as string));
  const alerting: string[] = [];
  for (const res of results) {
    const rule = str(res.rule);
    if (rule === undefined) continue;
    const action = (str(res.action) ?? 'pass') as GateAction;
    const key = `${nodeId}/${rule}`;
    let rf = own(x.f.rules, key);
    if (!rf) {
      rf = { nodeId, rule, action, evaluated: 0, fired: 0 } satisfies RuleFacts;
      x.f.rules[key] = rf;
    }
    rf.evaluated += 1;
    if (res.fired === true) {
      rf.fired += 1;
      if (action !== 'pass') alerting.push(rule);
    }
    if (errored.has(rule)) rf.errors = (rf.errors ?? 0) + 1;
  }
  if (worst !== 'pass') {
    inc(n, 'hits');
    x.f.alerts.push({ nodeId, at: r.at, action: worst, rules: alerting });
  }
}

function openTask(x: Fold, r: AuditRecord): OpenTask | undefined {
  const id = str(r.details.taskId);
  return id === undefined ? undefined : own(x.open.tasks, id);
}

function taskCompleted(x: Fold, r: AuditRecord): void {
  x.finish(r.tokenId);
  const id = str(r.details.taskId);
  const task = id === undefined ? undefined : own(x.open.tasks, id);
  const actor = r.actor ?? task?.assignee;
  if (task && id !== undefined) {
    delete x.open.tasks[id];
    const n = x.node(task.node);
    inc(n, 'completed');
    (n.queue ??= []).push(x.span(task.at, task.firstClaim ?? r.at));
    if (task.claim !== undefined) (n.handling ??= []).push(x.span(task.claim, r.at));
    else inc(n, 'unclaimed');
    if (actor !== undefined) x.f.work.push({ actor, nodeId: task.node, queue: task.queue, at: r.at });
  }
  const t = Date.parse(r.at);
  for (const alert of x.f.alerts) {
    if (alert.respondedAt !== undefined || Date.parse(alert.at) > t) continue;
    alert.respondedAt = r.at;
    alert.response = x.span(alert.at, r.at);
    if (actor !== undefined) alert.by = actor;
  }
}

function endCase(x: Fold, r: AuditRecord): void {
  const f = x.f;
  f.status = r.type === 'case.completed' ? 'completed' : r.type === 'case.terminated' ? 'terminated' : 'cancelled';
  const outcome = str(r.details.outcome);
  if (outcome !== undefined) f.outcome = outcome;
  f.endedAt = r.at;
  f.cycle = x.span(f.startedAt, r.at);
  if (f.caseSla === 'open') f.caseSla = f.status === 'cancelled' ? 'void' : 'met';
  f.stp = f.status === 'completed' && f.humanTasks === 0;
  delete f.open;
}

/** Whether a milestone stretch met its target, measured like a working-time SLA on the flow's calendar. */
function withinTarget(cal: BusinessCalendar, m: Milestone, from: string, to: string): boolean | undefined {
  if (m.target === undefined) return undefined;
  // Targets are working time unless the milestone says otherwise (forward-compatible `mode`).
  const mode: DurationMode = (m as Milestone & { mode?: DurationMode }).mode ?? 'working';
  const due = tryAddDuration(cal, from, m.target, mode);
  return due.ok ? Date.parse(to) <= Date.parse(due.value) : undefined;
}

/** Calendar and working milliseconds from `a` to `b` (0 when `b` is not after `a`). */
export function span(cal: BusinessCalendar, a: string, b: string): Span {
  const ms = Date.parse(b) - Date.parse(a);
  return ms > 0 ? [ms, workingMsBetween(cal, a, b)] : [0, 0];
}

function requireTime(value: string, name: string): void {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new HealthError('health.time.invalid', `${name} is not a valid ISO time: ${String(value)}`, { name, value });
  }
}

function inc<K extends 'calls' | 'failures' | 'slaWarned' | 'slaBreached' | 'escalations' | 'incidents' | 'completed' | 'unclaimed' | 'hits'>(n: NodeFacts, key: K): void {
  n[key] = (n[key] ?? 0) + 1;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Own property only: ids such as `constructor` must not reach the prototype. */
export function own<V>(rec: Record<string, V>, key: string): V | undefined {
  return Object.prototype.hasOwnProperty.call(rec, key) ? rec[key] : undefined;
}
