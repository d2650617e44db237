/**
 * Process-health figures for a set of cases, from their `CaseFacts`: volume, work in progress,
 * cycle and milestone times, SLA attainment, straight-through, rework and incident rates,
 * compliance rule hits, alert response and operators' throughput.
 */
import type { BusinessCalendar } from '../calendar';
import { cnMainlandCalendar, isWorkingDay, workingClock } from '../calendar';
import type { FlowDefinition, GateAction, LocalizedText, NodeKind } from '../model';
import { indexDefinition } from './definition-index';
import { HealthError } from './errors';
import { own } from './facts';
import { addValue, emptySketch, mergeSketch, summarizeSketch, type Sketch } from './sketch';
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

/**
 * Customer satisfaction of the measured cases that recorded an answer (fields marked
 * `satisfaction` in the case schema). CSAT: the share of answers in the top two scores of the
 * scale (4 and 5 of 5), and the mean score. NPS: promoters (9–10) minus detractors (0–6), as a
 * percentage of the answers, from −100 to 100.
 */
export interface SatisfactionHealth {
  csat: { responses: number; scale: number | null; mean: number | null; satisfied: number; rate: number | null };
  nps: { responses: number; promoters: number; passives: number; detractors: number; score: number | null };
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
  satisfaction: SatisfactionHealth;
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
  const digest = createDigest();
  for (const f of measured) addToDigest(digest, f);
  return {
    period: { ...(ctx.period.from !== undefined ? { from: ctx.period.from } : {}), ...(ctx.period.to !== undefined ? { to: ctx.period.to } : {}) },
    basis: ctx.basis,
    asOf: ctx.asOf ?? null,
    pending,
    volume: volume(all, inPeriod, ctx),
    ...digestFigures(digest, ctx.def),
    people: people(all, inPeriod, ctx),
  };
}

function volume(all: readonly CaseFacts[], inPeriod: (iso: string) => boolean, ctx: Ctx): VolumeHealth {
  const v: VolumeHealth = { started: 0, completed: 0, cancelled: 0, terminated: 0, outcomes: {}, wip: wipOf([], undefined, ctx.cal) };
  for (const f of all) {
    if (inPeriod(f.startedAt)) v.started += 1;
    if (f.endedAt !== undefined && inPeriod(f.endedAt)) {
      if (f.status === 'completed') v.completed += 1;
      else if (f.status === 'cancelled') v.cancelled += 1;
      else if (f.status === 'terminated') v.terminated += 1;
      const o = f.outcome ?? f.status;
      v.outcomes[o] = (own(v.outcomes, o) ?? 0) + 1;
    }
  }
  v.wip = wipOf(all, ctx.period.to ?? ctx.asOf, ctx.cal);
  return v;
}

/** Calendar and working milliseconds from many instants to one moment, collected in two columns. */
class SpansTo {
  readonly calendar: number[] = [];
  readonly working: number[] = [];
  private readonly clock: (ms: number) => number;
  private readonly end: number;
  private readonly endWorking: number;

  constructor(cal: BusinessCalendar, endIso: string) {
    this.clock = workingClock(cal);
    this.end = Date.parse(endIso);
    this.endWorking = this.clock(this.end);
  }

  /** Adds the span from `start` (epoch ms) to the moment. */
  add(start: number): void {
    if (this.end > start) {
      this.calendar.push(this.end - start);
      this.working.push(this.endWorking - this.clock(start));
    } else {
      this.calendar.push(0);
      this.working.push(0);
    }
  }

  stats(): DurationStats {
    return { calendar: summarize(this.calendar), working: summarize(this.working) };
  }
}

/** Cases open at `at` (started before it, not ended by it), and their ages then. */
function wipOf(all: readonly Pick<CaseFacts, 'startedAt' | 'endedAt'>[], at: string | undefined, cal: BusinessCalendar): VolumeHealth['wip'] {
  if (at === undefined) return { at: null, count: 0, age: durations([]) };
  const atMs = Date.parse(at);
  const starts: number[] = [];
  for (const f of all) {
    const started = Date.parse(f.startedAt);
    if (started < atMs && (f.endedAt === undefined || Date.parse(f.endedAt) >= atMs)) starts.push(started);
  }
  return wipFromStarts(starts, at, cal);
}

function wipFromStarts(starts: readonly number[], at: string, cal: BusinessCalendar): VolumeHealth['wip'] {
  const ages = new SpansTo(cal, at);
  for (const s of starts) ages.add(s);
  return { at, count: starts.length, age: ages.stats() };
}

/** The open tasks of one queue that are claimed, or not, as work-in-progress figures read them. */
export interface OpenTaskGroup {
  queue: string;
  claimed: boolean;
  /** When each task opened (epoch milliseconds). */
  openedMs: readonly number[];
  /** The earliest opening, as recorded. */
  oldest: string;
}

/**
 * Work in progress and queues as `aggregateHealth` reports them (`volume.wip`, `people.queues`),
 * from only what those figures need, gathered by the store: the start of every case open at
 * `at` and the opening times of the open tasks, by queue. A report built from daily digests of
 * ended cases takes these two from the cases still open at its end.
 */
export function openWorkFigures(
  open: { starts: readonly number[]; tasks: readonly OpenTaskGroup[] },
  options: { calendar?: BusinessCalendar; at: string },
): { wip: VolumeHealth['wip']; queues: QueueHealth[] } {
  const cal = options.calendar ?? cnMainlandCalendar;
  return { wip: wipFromStarts(open.starts, options.at, cal), queues: queuesFromGroups(open.tasks, options.at, cal) };
}

// ---- the measured block, through a mergeable digest ----

/** Durations sketched in calendar and in working time. */
export interface SpanSketch {
  calendar: Sketch;
  working: Sketch;
}

export interface NodeDigest {
  kind: NodeHealth['kind'];
  cases: number;
  visits: number;
  rework: number;
  reworkCases: number;
  queue: SpanSketch;
  handling: SpanSketch;
  time: SpanSketch;
  completed: number;
  unclaimed: number;
  slaMet: number;
  slaBreached: number;
  slaWarned: number;
  escalations: number;
  incidents: number;
  calls: number;
  failures: number;
  hits: number;
}

/**
 * Everything the time, rate, node and compliance figures need about a set of ended cases, in a
 * form that merges: digest(A ∪ B) = merge(digest(A), digest(B)). The runtime can keep one per
 * flow, version and day (and per dimension value), and answer a period by merging them.
 */
export interface HealthDigest {
  format: 1;
  cases: number;
  completed: number;
  cancelled: number;
  terminated: number;
  outcomes: Record<string, number>;
  cycle: SpanSketch;
  cycleByOutcome: Record<string, SpanSketch>;
  milestones: Record<string, { reached: number; withTarget: number; met: number; duration: SpanSketch }>;
  caseSla: { met: number; breached: number; warned: number };
  escalations: number;
  stp: number;
  reworked: number;
  reworkVisits: number;
  withIncident: number;
  incidents: number;
  nodes: Record<string, NodeDigest>;
  rules: Record<string, Omit<RuleHealth, 'passed' | 'flagged' | 'requiredStep' | 'stopped' | 'fireRate'>>;
  alerts: Omit<AlertHealth, 'response'> & { response: SpanSketch };
  /** Satisfaction answers (absent in digests stored before it was counted: read as none). */
  satisfaction?: SatisfactionDigest;
}

export interface SatisfactionDigest {
  csat: { n: number; sum: number; satisfied: number; scale: number };
  nps: { n: number; promoters: number; detractors: number };
}

function satisfactionDigest(): SatisfactionDigest {
  return { csat: { n: 0, sum: 0, satisfied: 0, scale: 0 }, nps: { n: 0, promoters: 0, detractors: 0 } };
}

/** An empty digest. */
export function createDigest(): HealthDigest {
  return {
    format: 1,
    cases: 0,
    completed: 0,
    cancelled: 0,
    terminated: 0,
    outcomes: {},
    cycle: spanSketch(),
    cycleByOutcome: {},
    milestones: {},
    caseSla: { met: 0, breached: 0, warned: 0 },
    escalations: 0,
    stp: 0,
    reworked: 0,
    reworkVisits: 0,
    withIncident: 0,
    incidents: 0,
    nodes: {},
    rules: {},
    alerts: { raised: 0, byAction: { flag: 0, 'require-step': 0, stop: 0 }, answered: 0, unanswered: 0, stopped: 0, response: spanSketch() },
    satisfaction: satisfactionDigest(),
  };
}

function spanSketch(): SpanSketch {
  return { calendar: emptySketch(), working: emptySketch() };
}

function addSpan(s: SpanSketch, span: Span): void {
  addValue(s.calendar, span[0]);
  addValue(s.working, span[1]);
}

function mergeSpan(into: SpanSketch, from: SpanSketch): void {
  mergeSketch(into.calendar, from.calendar);
  mergeSketch(into.working, from.working);
}

/** Adds an ended case to a digest (mutates it); a running case is ignored. */
export function addToDigest(d: HealthDigest, f: CaseFacts): void {
  if (f.status === 'waiting') return;
  d.cases += 1;
  if (f.status === 'completed') d.completed += 1;
  else if (f.status === 'cancelled') d.cancelled += 1;
  else if (f.status === 'terminated') d.terminated += 1;
  const outcome = f.outcome ?? f.status;
  d.outcomes[outcome] = (own(d.outcomes, outcome) ?? 0) + 1;
  if (f.status === 'completed' && f.cycle) {
    addSpan(d.cycle, f.cycle);
    const o = f.outcome ?? 'completed';
    addSpan((d.cycleByOutcome[o] = own(d.cycleByOutcome, o) ?? spanSketch()), f.cycle);
  }
  for (const [id, m] of Object.entries(f.milestones)) {
    const md = (d.milestones[id] = own(d.milestones, id) ?? { reached: 0, withTarget: 0, met: 0, duration: spanSketch() });
    md.reached += 1;
    addSpan(md.duration, m.span);
    if (m.met !== undefined) {
      md.withTarget += 1;
      if (m.met) md.met += 1;
    }
  }
  if (f.csat || f.nps !== undefined) {
    const sd = (d.satisfaction ??= satisfactionDigest());
    if (f.csat) {
      sd.csat.n += 1;
      sd.csat.sum += f.csat.score;
      if (f.csat.score >= f.csat.of - 1) sd.csat.satisfied += 1;
      sd.csat.scale = Math.max(sd.csat.scale, f.csat.of);
    }
    if (f.nps !== undefined) {
      sd.nps.n += 1;
      if (f.nps >= 9) sd.nps.promoters += 1;
      else if (f.nps <= 6) sd.nps.detractors += 1;
    }
  }
  if (f.caseSla === 'met') d.caseSla.met += 1;
  if (f.caseSla === 'breached') d.caseSla.breached += 1;
  if (f.caseSlaWarned) d.caseSla.warned += 1;
  d.escalations += f.escalations;
  if (f.status === 'completed' && f.stp) d.stp += 1;
  if (f.rework > 0) d.reworked += 1;
  d.reworkVisits += f.rework;
  if (f.incidents > 0) d.withIncident += 1;
  d.incidents += f.incidents;
  for (const [id, n] of Object.entries(f.nodes)) {
    const nd = (d.nodes[id] = own(d.nodes, id) ?? emptyNodeDigest(n.kind));
    nd.cases += 1;
    nd.visits += n.visits;
    nd.rework += n.rework ?? 0;
    if ((n.rework ?? 0) > 0) nd.reworkCases += 1;
    for (const s of n.queue ?? []) addSpan(nd.queue, s);
    for (const s of n.handling ?? []) addSpan(nd.handling, s);
    for (const s of n.time ?? []) addSpan(nd.time, s);
    nd.completed += n.completed ?? 0;
    nd.unclaimed += n.unclaimed ?? 0;
    nd.slaMet += n.slaMet ?? 0;
    nd.slaBreached += n.slaBreached ?? 0;
    nd.slaWarned += n.slaWarned ?? 0;
    nd.escalations += n.escalations ?? 0;
    nd.incidents += n.incidents ?? 0;
    nd.calls += n.calls ?? 0;
    nd.failures += n.failures ?? 0;
    nd.hits += n.hits ?? 0;
  }
  for (const [key, r] of Object.entries(f.rules)) {
    const rd = (d.rules[key] = own(d.rules, key) ?? { nodeId: r.nodeId, rule: r.rule, action: r.action, evaluated: 0, fired: 0, errors: 0, cases: 0, casesFired: 0 });
    rd.evaluated += r.evaluated;
    rd.fired += r.fired;
    rd.errors += r.errors ?? 0;
    rd.cases += 1;
    if (r.fired > 0) rd.casesFired += 1;
  }
  for (const a of f.alerts) {
    d.alerts.raised += 1;
    d.alerts.byAction[a.action] += 1;
    if (a.response) {
      d.alerts.answered += 1;
      addSpan(d.alerts.response, a.response);
    } else if (a.action === 'stop') d.alerts.stopped += 1;
    else d.alerts.unanswered += 1;
  }
}

function emptyNodeDigest(kind: NodeHealth['kind']): NodeDigest {
  return {
    kind,
    cases: 0,
    visits: 0,
    rework: 0,
    reworkCases: 0,
    queue: spanSketch(),
    handling: spanSketch(),
    time: spanSketch(),
    completed: 0,
    unclaimed: 0,
    slaMet: 0,
    slaBreached: 0,
    slaWarned: 0,
    escalations: 0,
    incidents: 0,
    calls: 0,
    failures: 0,
    hits: 0,
  };
}

/** Merges digests into a new one; the inputs are not modified. */
export function mergeDigests(...digests: readonly HealthDigest[]): HealthDigest {
  const d = createDigest();
  for (const x of digests) mergeInto(d, x);
  return d;
}

function mergeInto(d: HealthDigest, x: HealthDigest): void {
  const add = <K extends string>(into: Record<K, number>, from: Record<K, number>) => {
    for (const [k, v] of Object.entries(from) as [K, number][]) into[k] = (own(into, k) ?? 0) + v;
  };
  for (const k of ['cases', 'completed', 'cancelled', 'terminated', 'escalations', 'stp', 'reworked', 'reworkVisits', 'withIncident', 'incidents'] as const) d[k] += x[k];
  add(d.outcomes, x.outcomes);
  mergeSpan(d.cycle, x.cycle);
  for (const [o, s] of Object.entries(x.cycleByOutcome)) mergeSpan((d.cycleByOutcome[o] = own(d.cycleByOutcome, o) ?? spanSketch()), s);
  for (const [id, m] of Object.entries(x.milestones)) {
    const md = (d.milestones[id] = own(d.milestones, id) ?? { reached: 0, withTarget: 0, met: 0, duration: spanSketch() });
    md.reached += m.reached;
    md.withTarget += m.withTarget;
    md.met += m.met;
    mergeSpan(md.duration, m.duration);
  }
  add(d.caseSla, x.caseSla);
  for (const [id, n] of Object.entries(x.nodes)) {
    const nd = (d.nodes[id] = own(d.nodes, id) ?? emptyNodeDigest(n.kind));
    for (const k of ['cases', 'visits', 'rework', 'reworkCases', 'completed', 'unclaimed', 'slaMet', 'slaBreached', 'slaWarned', 'escalations', 'incidents', 'calls', 'failures', 'hits'] as const) nd[k] += n[k];
    mergeSpan(nd.queue, n.queue);
    mergeSpan(nd.handling, n.handling);
    mergeSpan(nd.time, n.time);
  }
  for (const [key, r] of Object.entries(x.rules)) {
    const rd = (d.rules[key] = own(d.rules, key) ?? { ...r, evaluated: 0, fired: 0, errors: 0, cases: 0, casesFired: 0 });
    for (const k of ['evaluated', 'fired', 'errors', 'cases', 'casesFired'] as const) rd[k] += r[k];
  }
  for (const k of ['raised', 'answered', 'unanswered', 'stopped'] as const) d.alerts[k] += x.alerts[k];
  add(d.alerts.byAction, x.alerts.byAction);
  mergeSpan(d.alerts.response, x.alerts.response);
  if (x.satisfaction) {
    const sd = (d.satisfaction ??= satisfactionDigest());
    for (const k of ['n', 'sum', 'satisfied'] as const) sd.csat[k] += x.satisfaction.csat[k];
    sd.csat.scale = Math.max(sd.csat.scale, x.satisfaction.csat.scale);
    for (const k of ['n', 'promoters', 'detractors'] as const) sd.nps[k] += x.satisfaction.nps[k];
  }
}

/** The figures a digest holds: what a report says about its measured cases. */
export type DigestFigures = Pick<HealthReport, 'measured' | 'cycle' | 'cycleByOutcome' | 'milestones' | 'sla' | 'stp' | 'rework' | 'incidents' | 'nodes' | 'compliance' | 'satisfaction'>;

/** Turns a digest into report figures; `definition` adds names, targets and node order. */
export function digestFigures(d: HealthDigest, definition?: FlowDefinition): DigestFigures {
  const cycleByOutcome: Record<string, DurationStats> = {};
  for (const o of Object.keys(d.cycleByOutcome).sort((a, b) => a.localeCompare(b))) cycleByOutcome[o] = stats(d.cycleByOutcome[o] as SpanSketch);
  const caseDecided = d.caseSla.met + d.caseSla.breached;
  const nodes = nodeFigures(d, definition);
  const nodeSla = { decided: 0, met: 0, breached: 0, warned: 0 };
  for (const n of nodes) {
    nodeSla.met += n.sla.met;
    nodeSla.breached += n.sla.breached;
    nodeSla.warned += n.sla.warned;
  }
  nodeSla.decided = nodeSla.met + nodeSla.breached;
  return {
    measured: d.cases,
    cycle: stats(d.cycle),
    cycleByOutcome,
    milestones: milestoneFigures(d, definition),
    sla: {
      case: { decided: caseDecided, ...d.caseSla, attainment: ratio(d.caseSla.met, caseDecided) },
      nodes: { ...nodeSla, attainment: ratio(nodeSla.met, nodeSla.decided) },
      escalations: d.escalations,
    },
    stp: { completed: d.completed, count: d.stp, rate: ratio(d.stp, d.completed) },
    rework: { cases: d.cases, reworked: d.reworked, rate: ratio(d.reworked, d.cases), visits: d.reworkVisits, perCase: ratio(d.reworkVisits, d.cases) },
    incidents: { cases: d.cases, withIncident: d.withIncident, rate: ratio(d.withIncident, d.cases), total: d.incidents },
    nodes,
    compliance: {
      rules: Object.values(d.rules)
        .map((r) => ({
          nodeId: r.nodeId,
          rule: r.rule,
          action: r.action,
          evaluated: r.evaluated,
          fired: r.fired,
          passed: r.evaluated - r.fired,
          flagged: r.action === 'flag' ? r.fired : 0,
          requiredStep: r.action === 'require-step' ? r.fired : 0,
          stopped: r.action === 'stop' ? r.fired : 0,
          errors: r.errors,
          fireRate: ratio(r.fired, r.evaluated),
          cases: r.cases,
          casesFired: r.casesFired,
        }))
        .sort((a, b) => a.nodeId.localeCompare(b.nodeId) || a.rule.localeCompare(b.rule)),
      alerts: { ...d.alerts, byAction: { ...d.alerts.byAction }, response: stats(d.alerts.response) },
    },
    satisfaction: satisfactionFigures(d.satisfaction ?? satisfactionDigest()),
  };
}

function satisfactionFigures(s: SatisfactionDigest): SatisfactionHealth {
  const { csat, nps } = s;
  return {
    csat: { responses: csat.n, scale: csat.n > 0 ? csat.scale : null, mean: csat.n > 0 ? Math.round((csat.sum / csat.n) * 100) / 100 : null, satisfied: csat.satisfied, rate: ratio(csat.satisfied, csat.n) },
    nps: {
      responses: nps.n,
      promoters: nps.promoters,
      passives: nps.n - nps.promoters - nps.detractors,
      detractors: nps.detractors,
      score: nps.n > 0 ? Math.round(((nps.promoters - nps.detractors) / nps.n) * 1000) / 10 : null,
    },
  };
}

function stats(s: SpanSketch): DurationStats {
  return { calendar: summarizeSketch(s.calendar), working: summarizeSketch(s.working) };
}

function milestoneFigures(d: HealthDigest, def: FlowDefinition | undefined): MilestoneHealth[] {
  const ids: string[] = (def?.milestones ?? []).map((m) => m.id);
  for (const id of Object.keys(d.milestones)) if (!ids.includes(id)) ids.push(id);
  return ids.map((id) => {
    const m = def?.milestones?.find((x) => x.id === id);
    const md = own(d.milestones, id);
    const out: MilestoneHealth = {
      id,
      reached: md?.reached ?? 0,
      notReached: d.cases - (md?.reached ?? 0),
      duration: md ? stats(md.duration) : durations([]),
      withTarget: md?.withTarget ?? 0,
      met: md?.met ?? 0,
      attainment: ratio(md?.met ?? 0, md?.withTarget ?? 0),
    };
    if (m) out.name = m.name;
    if (m?.target !== undefined) out.target = m.target;
    return out;
  });
}

function nodeFigures(d: HealthDigest, def: FlowDefinition | undefined): NodeHealth[] {
  const ids = (def?.nodes ?? []).map((n) => n.id);
  const extra = Object.keys(d.nodes)
    .filter((id) => !ids.includes(id))
    .sort((a, b) => a.localeCompare(b));
  return [...ids, ...extra].map((id) => {
    const node = def?.nodes.find((n) => n.id === id);
    const n = own(d.nodes, id) ?? emptyNodeDigest(node?.kind ?? 'unknown');
    const decided = n.slaMet + n.slaBreached;
    const h: NodeHealth = {
      nodeId: id,
      kind: node?.kind ?? n.kind,
      cases: n.cases,
      visits: n.visits,
      rework: n.rework,
      reworkCases: n.reworkCases,
      queue: stats(n.queue),
      handling: stats(n.handling),
      time: stats(n.time),
      completed: n.completed,
      unclaimed: n.unclaimed,
      sla: { decided, met: n.slaMet, breached: n.slaBreached, warned: n.slaWarned, attainment: ratio(n.slaMet, decided) },
      breachRate: ratio(n.slaBreached, decided),
      escalations: n.escalations,
      incidents: n.incidents,
      incidentRate: ratio(n.incidents, n.visits),
      calls: n.calls,
      failures: n.failures,
      failureRate: ratio(n.failures, n.calls),
      hits: n.hits,
      hitRate: (node?.kind ?? n.kind) === 'compliance-gate' ? ratio(n.hits, n.visits) : null,
    };
    if (node) h.name = node.name;
    return h;
  });
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
  return ctx.asOf === undefined ? [] : queueFigures(all, ctx.asOf, ctx.cal);
}

function queueFigures(all: readonly CaseFacts[], asOf: string, cal: BusinessCalendar): QueueHealth[] {
  const t = Date.parse(asOf);
  const groups = new Map<string, { queue: string; claimed: boolean; openedMs: number[]; oldest: string; oldestMs: number }>();
  for (const f of all) {
    if (!f.open) continue;
    for (const task of Object.values(f.open.tasks)) {
      const at = Date.parse(task.at);
      if (at > t) continue;
      const claimed = task.claim !== undefined;
      const key = `${claimed ? 1 : 0}${task.queue}`;
      let g = groups.get(key);
      if (!g) groups.set(key, (g = { queue: task.queue, claimed, openedMs: [], oldest: task.at, oldestMs: at }));
      g.openedMs.push(at);
      if (at < g.oldestMs) {
        g.oldest = task.at;
        g.oldestMs = at;
      }
    }
  }
  return queuesFromGroups([...groups.values()], asOf, cal);
}

/** Open work per queue: open and claimed tasks, their ages at `asOf` together, and the oldest. */
function queuesFromGroups(groups: readonly OpenTaskGroup[], asOf: string, cal: BusinessCalendar): QueueHealth[] {
  const acc = new Map<string, { open: number; claimed: number; ages: SpansTo; oldest: string | null; oldestMs: number }>();
  for (const g of groups) {
    let q = acc.get(g.queue);
    if (!q) acc.set(g.queue, (q = { open: 0, claimed: 0, ages: new SpansTo(cal, asOf), oldest: null, oldestMs: Infinity }));
    if (g.claimed) q.claimed += g.openedMs.length;
    else q.open += g.openedMs.length;
    for (const at of g.openedMs) q.ages.add(at);
    const oldestMs = Date.parse(g.oldest);
    if (g.openedMs.length > 0 && oldestMs < q.oldestMs) {
      q.oldest = g.oldest;
      q.oldestMs = oldestMs;
    }
  }
  return [...acc.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([queue, q]) => ({ queue, open: q.open, claimed: q.claimed, age: q.ages.stats(), oldest: q.oldest }));
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
