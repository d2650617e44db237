/**
 * Process-health figures for a set of cases, from their `CaseFacts`: volume, work in progress,
 * cycle and milestone times, SLA attainment, straight-through, rework and incident rates,
 * compliance rule hits, alert response and operators' throughput.
 */
import type { BusinessCalendar } from '../calendar';
import { cnMainlandCalendar, isWorkingDay } from '../calendar';
import type { FlowDefinition, GateAction, LocalizedText, NodeKind } from '../model';
import { indexDefinition } from './definition-index';
import { HealthError } from './errors';
import { own, span } from './facts';
import { summarize, type Summary } from './stats';
import type { CaseFacts, DimValue, Span } from './types';

/** Durations in calendar and in working time. */
export interface DurationStats {
  calendar: Summary;
  working: Summary;
}

/** Which cases the time, rate and compliance figures describe. */
export type HealthBasis = 'ended' | 'started';

export interface HealthPeriod {
  /** Inclusive. */
  from?: string;
  /** Exclusive. */
  to?: string;
}

export interface HealthOptions {
  period?: HealthPeriod;
  /**
   * `ended` (default): figures describe the cases that ended in the period.
   * `started`: the cohort of cases started in the period, as far as they have ended.
   */
  basis?: HealthBasis;
  /** `version`, `status`, `outcome`, or a case-schema dimension field (e.g. `branchId`). */
  groupBy?: string;
  /** The moment work in progress and queue ages are measured at. Default: period end, else the latest time in the facts. */
  asOf?: string;
  /** The flow's business calendar, for working-time ages and working days (default `cn-mainland`). */
  calendar?: BusinessCalendar;
  /** The flow (its latest version), for node names and kinds, milestone names and targets, and checking `groupBy`. */
  definition?: FlowDefinition;
  /** Keep only these versions, and cases whose dimensions take one of the listed values. */
  filter?: { versions?: number[]; dims?: Record<string, DimValue[]> };
}

export interface VolumeHealth {
  /** Cases started in the period. */
  started: number;
  /** Cases that ended in the period, by status. */
  completed: number;
  cancelled: number;
  terminated: number;
  /** Cases that ended in the period, by outcome. */
  outcomes: Record<string, number>;
  /** Cases open at the end of the period (or at `asOf`) and how long they had been open. */
  wip: { at: string | null; count: number; age: DurationStats };
}

export interface MilestoneHealth {
  id: string;
  name?: LocalizedText;
  target?: string;
  reached: number;
  notReached: number;
  duration: DurationStats;
  /** Reached cases whose target was known, and how many of them met it. */
  withTarget: number;
  met: number;
  attainment: number | null;
}

export interface SlaCounts {
  decided: number;
  met: number;
  breached: number;
  warned: number;
  attainment: number | null;
}

export interface NodeHealth {
  nodeId: string;
  name?: LocalizedText;
  kind: NodeKind | 'unknown';
  /** Cases that entered the node, and total entries. */
  cases: number;
  visits: number;
  rework: number;
  reworkCases: number;
  /** Per task / per stay: time waiting for a claim, handling time, entered → completed. */
  queue: DurationStats;
  handling: DurationStats;
  time: DurationStats;
  completed: number;
  unclaimed: number;
  sla: SlaCounts;
  /** Share of SLA-decided stays that breached (for the canvas heatmap). */
  breachRate: number | null;
  escalations: number;
  incidents: number;
  incidentRate: number | null;
  calls: number;
  failures: number;
  failureRate: number | null;
  /** Compliance gates: evaluations where a non-`pass` rule fired, per evaluation. */
  hits: number;
  hitRate: number | null;
}

export interface RuleHealth {
  nodeId: string;
  rule: string;
  action: GateAction;
  evaluated: number;
  fired: number;
  /** Not fired (the case passed this rule). */
  passed: number;
  /** Fired evaluations by what they did. */
  flagged: number;
  requiredStep: number;
  stopped: number;
  errors: number;
  fireRate: number | null;
  cases: number;
  casesFired: number;
}

export interface AlertHealth {
  raised: number;
  byAction: Record<Exclude<GateAction, 'pass'>, number>;
  /** Answered by a human task completion in the case. */
  answered: number;
  /** Flags and extra steps not answered (yet). Stops end the case and are counted in `stopped`. */
  unanswered: number;
  stopped: number;
  response: DurationStats;
}

export interface OperatorHealth {
  actor: string;
  tasks: number;
  /** Days (the calendar's local dates) on which the operator completed at least one task. */
  activeDays: number;
  perActiveDay: number | null;
  perWorkingDay: number | null;
}

export interface QueueHealth {
  queue: string;
  open: number;
  claimed: number;
  age: DurationStats;
  oldest: string | null;
}

export interface HealthReport {
  period: HealthPeriod;
  basis: HealthBasis;
  asOf: string | null;
  /** Cases the time, rate and compliance figures describe (see `basis`). */
  measured: number;
  /** Of the cohort (basis `started`), cases still open and so not yet in the figures. */
  pending: number;
  volume: VolumeHealth;
  /** Start → end of completed cases. */
  cycle: DurationStats;
  cycleByOutcome: Record<string, DurationStats>;
  milestones: MilestoneHealth[];
  sla: { case: SlaCounts; nodes: SlaCounts; escalations: number };
  stp: { completed: number; count: number; rate: number | null };
  rework: { cases: number; reworked: number; rate: number | null; visits: number; perCase: number | null };
  incidents: { cases: number; withIncident: number; rate: number | null; total: number };
  nodes: NodeHealth[];
  compliance: { rules: RuleHealth[]; alerts: AlertHealth };
  people: { workingDays: number; operators: OperatorHealth[]; queues: QueueHealth[] };
  groups?: { by: string; groups: { value: DimValue; report: HealthReport }[] };
}

const BUILT_IN_GROUPS = ['version', 'status', 'outcome'] as const;

/** Process-health figures of a set of cases. Throws `HealthError` on a bad period, time or `groupBy`. */
export function aggregateHealth(facts: readonly CaseFacts[], options: HealthOptions = {}): HealthReport {
  const period = options.period ?? {};
  const from = optionalTime(period.from, 'period.from');
  const to = optionalTime(period.to, 'period.to');
  if (from !== undefined && to !== undefined && to <= from) {
    throw new HealthError('health.period.invalid', 'the period must end after it starts', { from: period.from, to: period.to });
  }
  const basis = options.basis ?? 'ended';
  if (basis !== 'ended' && basis !== 'started') throw new HealthError('health.basis.invalid', `unknown basis ${String(basis)}`, { basis });
  const cal = options.calendar ?? cnMainlandCalendar;
  const selected = applyFilter(facts, options.filter);
  const asOf = options.asOf !== undefined ? (optionalTime(options.asOf, 'asOf'), options.asOf) : (period.to ?? latestTime(selected));
  const ctx: Ctx = { from, to, basis, cal, asOf, ...(options.definition ? { def: options.definition } : {}), period };
  const report = build(selected, ctx);
  if (options.groupBy !== undefined) {
    const by = options.groupBy;
    checkGroupBy(by, options.definition, selected);
    const buckets = new Map<string, { value: DimValue; facts: CaseFacts[] }>();
    for (const f of selected) {
      const value = groupValue(f, by);
      const key = JSON.stringify(value);
      const b = buckets.get(key) ?? { value, facts: [] };
      b.facts.push(f);
      buckets.set(key, b);
    }
    const groups = [...buckets.values()]
      .sort((a, b) => compareValues(a.value, b.value))
      .map((b) => ({ value: b.value, report: build(b.facts, ctx) }));
    report.groups = { by, groups };
  }
  return report;
}

interface Ctx {
  from: number | undefined;
  to: number | undefined;
  basis: HealthBasis;
  cal: BusinessCalendar;
  asOf: string | undefined;
  def?: FlowDefinition;
  period: HealthPeriod;
}

function build(all: readonly CaseFacts[], ctx: Ctx): HealthReport {
  const inPeriod = (iso: string) => {
    const t = Date.parse(iso);
    return (ctx.from === undefined || t >= ctx.from) && (ctx.to === undefined || t < ctx.to);
  };
  const measured: CaseFacts[] = [];
  let pending = 0;
  for (const f of all) {
    if (ctx.basis === 'ended') {
      if (f.endedAt !== undefined && inPeriod(f.endedAt)) measured.push(f);
    } else if (inPeriod(f.startedAt)) {
      if (f.endedAt !== undefined) measured.push(f);
      else pending += 1;
    }
  }
  return {
    period: { ...(ctx.period.from !== undefined ? { from: ctx.period.from } : {}), ...(ctx.period.to !== undefined ? { to: ctx.period.to } : {}) },
    basis: ctx.basis,
    asOf: ctx.asOf ?? null,
    measured: measured.length,
    pending,
    volume: volume(all, inPeriod, ctx),
    ...times(measured),
    milestones: milestones(measured, ctx.def),
    sla: sla(measured),
    ...rates(measured),
    nodes: nodes(measured, ctx.def),
    compliance: compliance(measured),
    people: people(all, inPeriod, ctx),
  };
}

function volume(all: readonly CaseFacts[], inPeriod: (iso: string) => boolean, ctx: Ctx): VolumeHealth {
  const v: VolumeHealth = { started: 0, completed: 0, cancelled: 0, terminated: 0, outcomes: {}, wip: { at: null, count: 0, age: durations([]) } };
  const wipAt = ctx.period.to ?? ctx.asOf;
  const wipMs = wipAt === undefined ? undefined : Date.parse(wipAt);
  const ages: Span[] = [];
  for (const f of all) {
    if (inPeriod(f.startedAt)) v.started += 1;
    if (f.endedAt !== undefined && inPeriod(f.endedAt)) {
      if (f.status === 'completed') v.completed += 1;
      else if (f.status === 'cancelled') v.cancelled += 1;
      else if (f.status === 'terminated') v.terminated += 1;
      const o = f.outcome ?? f.status;
      v.outcomes[o] = (own(v.outcomes, o) ?? 0) + 1;
    }
    if (wipAt === undefined || wipMs === undefined) continue;
    const open = Date.parse(f.startedAt) < wipMs && (f.endedAt === undefined || Date.parse(f.endedAt) >= wipMs);
    if (open) ages.push(span(ctx.cal, f.startedAt, wipAt));
  }
  v.wip = { at: wipAt ?? null, count: ages.length, age: durations(ages) };
  return v;
}

function times(measured: readonly CaseFacts[]): Pick<HealthReport, 'cycle' | 'cycleByOutcome'> {
  const all: Span[] = [];
  const byOutcome = new Map<string, Span[]>();
  for (const f of measured) {
    if (f.status !== 'completed' || !f.cycle) continue;
    all.push(f.cycle);
    const o = f.outcome ?? 'completed';
    const list = byOutcome.get(o) ?? [];
    list.push(f.cycle);
    byOutcome.set(o, list);
  }
  const cycleByOutcome: Record<string, DurationStats> = {};
  for (const [o, list] of [...byOutcome.entries()].sort(([a], [b]) => a.localeCompare(b))) cycleByOutcome[o] = durations(list);
  return { cycle: durations(all), cycleByOutcome };
}

function milestones(measured: readonly CaseFacts[], def: FlowDefinition | undefined): MilestoneHealth[] {
  const ids: string[] = (def?.milestones ?? []).map((m) => m.id);
  for (const f of measured) for (const id of Object.keys(f.milestones)) if (!ids.includes(id)) ids.push(id);
  return ids.map((id) => {
    const m = def?.milestones?.find((x) => x.id === id);
    const spans: Span[] = [];
    let withTarget = 0;
    let met = 0;
    for (const f of measured) {
      const r = own(f.milestones, id);
      if (!r) continue;
      spans.push(r.span);
      if (r.met !== undefined) {
        withTarget += 1;
        if (r.met) met += 1;
      }
    }
    const out: MilestoneHealth = {
      id,
      reached: spans.length,
      notReached: measured.length - spans.length,
      duration: durations(spans),
      withTarget,
      met,
      attainment: ratio(met, withTarget),
    };
    if (m) out.name = m.name;
    if (m?.target !== undefined) out.target = m.target;
    return out;
  });
}

function sla(measured: readonly CaseFacts[]): HealthReport['sla'] {
  const c = { decided: 0, met: 0, breached: 0, warned: 0 };
  const n = { decided: 0, met: 0, breached: 0, warned: 0 };
  let escalations = 0;
  for (const f of measured) {
    escalations += f.escalations;
    if (f.caseSla === 'met') c.met += 1;
    if (f.caseSla === 'breached') c.breached += 1;
    if (f.caseSlaWarned) c.warned += 1;
    for (const node of Object.values(f.nodes)) {
      n.met += node.slaMet ?? 0;
      n.breached += node.slaBreached ?? 0;
      n.warned += node.slaWarned ?? 0;
    }
  }
  c.decided = c.met + c.breached;
  n.decided = n.met + n.breached;
  return { case: { ...c, attainment: ratio(c.met, c.decided) }, nodes: { ...n, attainment: ratio(n.met, n.decided) }, escalations };
}

function rates(measured: readonly CaseFacts[]): Pick<HealthReport, 'stp' | 'rework' | 'incidents'> {
  let completed = 0;
  let stp = 0;
  let reworked = 0;
  let visits = 0;
  let withIncident = 0;
  let total = 0;
  for (const f of measured) {
    if (f.status === 'completed') {
      completed += 1;
      if (f.stp) stp += 1;
    }
    if (f.rework > 0) reworked += 1;
    visits += f.rework;
    if (f.incidents > 0) withIncident += 1;
    total += f.incidents;
  }
  const cases = measured.length;
  return {
    stp: { completed, count: stp, rate: ratio(stp, completed) },
    rework: { cases, reworked, rate: ratio(reworked, cases), visits, perCase: ratio(visits, cases) },
    incidents: { cases, withIncident, rate: ratio(withIncident, cases), total },
  };
}

function nodes(measured: readonly CaseFacts[], def: FlowDefinition | undefined): NodeHealth[] {
  const acc = new Map<string, { h: NodeHealth; queue: Span[]; handling: Span[]; time: Span[] }>();
  const get = (id: string, kind: NodeHealth['kind']) => {
    let a = acc.get(id);
    if (!a) {
      a = {
        h: {
          nodeId: id,
          kind,
          cases: 0,
          visits: 0,
          rework: 0,
          reworkCases: 0,
          queue: durations([]),
          handling: durations([]),
          time: durations([]),
          completed: 0,
          unclaimed: 0,
          sla: { decided: 0, met: 0, breached: 0, warned: 0, attainment: null },
          breachRate: null,
          escalations: 0,
          incidents: 0,
          incidentRate: null,
          calls: 0,
          failures: 0,
          failureRate: null,
          hits: 0,
          hitRate: null,
        },
        queue: [],
        handling: [],
        time: [],
      };
      acc.set(id, a);
    }
    return a;
  };
  for (const n of def?.nodes ?? []) get(n.id, n.kind).h.name = n.name;
  for (const f of measured) {
    for (const [id, n] of Object.entries(f.nodes)) {
      const a = get(id, n.kind);
      const h = a.h;
      h.cases += 1;
      h.visits += n.visits;
      h.rework += n.rework ?? 0;
      if ((n.rework ?? 0) > 0) h.reworkCases += 1;
      if (n.queue) a.queue.push(...n.queue);
      if (n.handling) a.handling.push(...n.handling);
      if (n.time) a.time.push(...n.time);
      h.completed += n.completed ?? 0;
      h.unclaimed += n.unclaimed ?? 0;
      h.sla.met += n.slaMet ?? 0;
      h.sla.breached += n.slaBreached ?? 0;
      h.sla.warned += n.slaWarned ?? 0;
      h.escalations += n.escalations ?? 0;
      h.incidents += n.incidents ?? 0;
      h.calls += n.calls ?? 0;
      h.failures += n.failures ?? 0;
      h.hits += n.hits ?? 0;
    }
  }
  const order = new Map((def?.nodes ?? []).map((n, i) => [n.id, i]));
  return [...acc.values()]
    .sort((x, y) => (order.get(x.h.nodeId) ?? Infinity) - (order.get(y.h.nodeId) ?? Infinity) || x.h.nodeId.localeCompare(y.h.nodeId))
    .map(({ h, queue, handling, time }) => {
      h.queue = durations(queue);
      h.handling = durations(handling);
      h.time = durations(time);
      h.sla.decided = h.sla.met + h.sla.breached;
      h.sla.attainment = ratio(h.sla.met, h.sla.decided);
      h.breachRate = ratio(h.sla.breached, h.sla.decided);
      h.incidentRate = ratio(h.incidents, h.visits);
      h.failureRate = ratio(h.failures, h.calls);
      h.hitRate = h.kind === 'compliance-gate' ? ratio(h.hits, h.visits) : null;
      return h;
    });
}

function compliance(measured: readonly CaseFacts[]): HealthReport['compliance'] {
  const rules = new Map<string, RuleHealth>();
  const alerts: AlertHealth = { raised: 0, byAction: { flag: 0, 'require-step': 0, stop: 0 }, answered: 0, unanswered: 0, stopped: 0, response: durations([]) };
  const responses: Span[] = [];
  for (const f of measured) {
    for (const [key, r] of Object.entries(f.rules)) {
      let h = rules.get(key);
      if (!h) {
        h = { nodeId: r.nodeId, rule: r.rule, action: r.action, evaluated: 0, fired: 0, passed: 0, flagged: 0, requiredStep: 0, stopped: 0, errors: 0, fireRate: null, cases: 0, casesFired: 0 };
        rules.set(key, h);
      }
      h.evaluated += r.evaluated;
      h.fired += r.fired;
      h.errors += r.errors ?? 0;
      h.cases += 1;
      if (r.fired > 0) h.casesFired += 1;
      if (r.action === 'flag') h.flagged += r.fired;
      if (r.action === 'require-step') h.requiredStep += r.fired;
      if (r.action === 'stop') h.stopped += r.fired;
    }
    for (const a of f.alerts) {
      alerts.raised += 1;
      alerts.byAction[a.action] += 1;
      if (a.response) {
        alerts.answered += 1;
        responses.push(a.response);
      } else if (a.action === 'stop') alerts.stopped += 1;
      else alerts.unanswered += 1;
    }
  }
  alerts.response = durations(responses);
  const list = [...rules.values()]
    .map((h) => ({ ...h, passed: h.evaluated - h.fired, fireRate: ratio(h.fired, h.evaluated) }))
    .sort((a, b) => a.nodeId.localeCompare(b.nodeId) || a.rule.localeCompare(b.rule));
  return { rules: list, alerts };
}

function people(all: readonly CaseFacts[], inPeriod: (iso: string) => boolean, ctx: Ctx): HealthReport['people'] {
  const byActor = new Map<string, { tasks: number; days: Set<string> }>();
  let first: string | undefined;
  let last: string | undefined;
  for (const f of all) {
    for (const w of f.work) {
      if (!inPeriod(w.at)) continue;
      const day = localDate(ctx.cal, w.at);
      if (first === undefined || day < first) first = day;
      if (last === undefined || day > last) last = day;
      const a = byActor.get(w.actor) ?? { tasks: 0, days: new Set<string>() };
      a.tasks += 1;
      a.days.add(day);
      byActor.set(w.actor, a);
    }
  }
  const startDay = ctx.period.from !== undefined ? localDate(ctx.cal, ctx.period.from) : first;
  const endDay = ctx.period.to !== undefined ? localDate(ctx.cal, new Date(Date.parse(ctx.period.to) - 1).toISOString()) : last;
  const workingDays = startDay !== undefined && endDay !== undefined ? countWorkingDays(ctx.cal, startDay, endDay) : 0;
  const operators = [...byActor.entries()]
    .map(([actor, a]) => {
      const activeDays = a.days.size;
      return { actor, tasks: a.tasks, activeDays, perActiveDay: ratio(a.tasks, activeDays), perWorkingDay: ratio(a.tasks, workingDays) };
    })
    .sort((a, b) => b.tasks - a.tasks || a.actor.localeCompare(b.actor));
  return { workingDays, operators, queues: queues(all, ctx) };
}

/** Open work per queue at `asOf`: facts keep only the tasks open now, so this is a view of the present. */
function queues(all: readonly CaseFacts[], ctx: Ctx): QueueHealth[] {
  const asOf = ctx.asOf;
  if (asOf === undefined) return [];
  const t = Date.parse(asOf);
  const acc = new Map<string, { open: number; claimed: number; ages: Span[]; oldest: string | null }>();
  for (const f of all) {
    if (!f.open) continue;
    for (const task of Object.values(f.open.tasks)) {
      if (Date.parse(task.at) > t) continue;
      const q = acc.get(task.queue) ?? { open: 0, claimed: 0, ages: [], oldest: null };
      if (task.claim !== undefined) q.claimed += 1;
      else q.open += 1;
      q.ages.push(span(ctx.cal, task.at, asOf));
      if (q.oldest === null || Date.parse(task.at) < Date.parse(q.oldest)) q.oldest = task.at;
      acc.set(task.queue, q);
    }
  }
  return [...acc.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([queue, q]) => ({ queue, open: q.open, claimed: q.claimed, age: durations(q.ages), oldest: q.oldest }));
}

// ---- helpers ----

/** Summaries of spans in calendar and in working time. */
export function durations(spans: readonly Span[]): DurationStats {
  return { calendar: summarize(spans.map((s) => s[0])), working: summarize(spans.map((s) => s[1])) };
}

function ratio(x: number, n: number): number | null {
  return n > 0 ? x / n : null;
}

function applyFilter(facts: readonly CaseFacts[], filter: HealthOptions['filter']): CaseFacts[] {
  if (!filter) return [...facts];
  const versions = filter.versions;
  const dims = Object.entries(filter.dims ?? {});
  return facts.filter((f) => {
    if (versions && !versions.includes(f.version)) return false;
    return dims.every(([k, allowed]) => allowed.includes(own(f.dims, k) ?? null));
  });
}

function groupValue(f: CaseFacts, by: string): DimValue {
  if (by === 'version') return f.version;
  if (by === 'status') return f.status;
  if (by === 'outcome') return f.outcome ?? null;
  return own(f.dims, by) ?? null;
}

function checkGroupBy(by: string, def: FlowDefinition | undefined, facts: readonly CaseFacts[]): void {
  if ((BUILT_IN_GROUPS as readonly string[]).includes(by)) return;
  const known = def ? indexDefinition(def).dimensions.includes(by) : facts.some((f) => own(f.dims, by) !== undefined);
  if (!known) {
    throw new HealthError('health.group-by.unknown', `"${by}" is not a dimension of the flow (fields marked dimension in the case schema, or version, status, outcome)`, {
      groupBy: by,
      dimensions: def ? indexDefinition(def).dimensions : [],
    });
  }
}

function compareValues(a: DimValue, b: DimValue): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

function optionalTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const t = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(t)) throw new HealthError('health.time.invalid', `${name} is not a valid ISO time: ${String(value)}`, { name, value });
  return t;
}

/** The latest instant the facts know of: the natural "now" of a history without a clock. */
function latestTime(facts: readonly CaseFacts[]): string | undefined {
  let best: string | undefined;
  let bestMs = -Infinity;
  const see = (iso: string | undefined) => {
    if (iso === undefined) return;
    const t = Date.parse(iso);
    if (t > bestMs) {
      bestMs = t;
      best = iso;
    }
  };
  for (const f of facts) {
    see(f.startedAt);
    see(f.endedAt);
    for (const w of f.work) see(w.at);
    for (const t of Object.values(f.open?.tasks ?? {})) see(t.claim ?? t.at);
  }
  return best;
}

/** The calendar's local date (`YYYY-MM-DD`) of an instant. */
export function localDate(cal: BusinessCalendar, iso: string): string {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(cal.utcOffset);
  const offset = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
  return new Date(Date.parse(iso) + offset).toISOString().slice(0, 10);
}

/** Working days from one local date to another, both included. */
export function countWorkingDays(cal: BusinessCalendar, fromDay: string, toDay: string): number {
  let n = 0;
  const end = Date.parse(`${toDay}T00:00:00Z`);
  for (let t = Date.parse(`${fromDay}T00:00:00Z`); t <= end; t += 86_400_000) {
    if (isWorkingDay(cal, new Date(t).toISOString().slice(0, 10))) n += 1;
  }
  return n;
}
