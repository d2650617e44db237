/**
 * Process-health answers for the API: reads the projection rows of a flow that a question can
 * touch (SQL on the copied columns), then lets the engine's pure functions compute the figures
 * (`aggregateHealth`) and comparisons (`compareCohorts`). Before the first answer about a flow, a
 * process brings any case whose projection is missing or behind its journal up to date.
 */
import {
  aggregateHealth,
  compareCohorts,
  parseMetric,
  type BusinessCalendar,
  type CaseFacts,
  type CohortComparison,
  type DimValue,
  type FlowDefinition,
  type HealthBasis,
  type HealthReport,
  HealthError,
} from '@flowpath/engine';
import { HttpProblem, notFound } from '../http/problem';
import type { FlowpathRuntime } from '../runtime/runtime';
import { digestReport, digestsCanAnswer } from './digests';
import { badParameter, dimensionsOf, type Dimension } from './query';

/** The flow a question is about: its published versions, their definitions and its calendar. */
export interface FlowContext {
  flowKey: string;
  versions: number[];
  definitions: Map<number, FlowDefinition>;
  latest: FlowDefinition;
  calendar: BusinessCalendar;
  dimensions: Map<string, Dimension>;
  /** The runtime's clock when the question was asked. */
  now: string;
}

/** Which cases a question is about. */
export interface HealthScope {
  period: { from?: string; to?: string };
  basis: HealthBasis;
  versions?: number[];
  dims?: Record<string, DimValue[]>;
}

/** Loads the flow (404 when it does not exist, 409 when nothing is published yet). */
export async function flowContext(rt: FlowpathRuntime, flowKey: string): Promise<FlowContext> {
  return rt.store.transaction(async (tx) => {
    if (!(await tx.getFlow(flowKey))) throw notFound('flow.not-found', `There is no flow ${flowKey}.`);
    const versions = (await tx.listVersions(flowKey)).map((v) => v.version);
    if (versions.length === 0) throw new HttpProblem(409, 'flow.unpublished', `Flow ${flowKey} has no published version yet, so it has no cases to measure.`);
    const definitions = new Map<number, FlowDefinition>();
    for (const v of versions) definitions.set(v, await rt.definitions.definition(tx, flowKey, v));
    const latest = definitions.get(Math.max(...versions)) as FlowDefinition;
    return {
      flowKey,
      versions,
      definitions,
      latest,
      calendar: await rt.calendar(tx, latest.calendar ?? 'cn-mainland'),
      dimensions: dimensionsOf([...definitions.values()]),
      now: rt.now(),
    };
  });
}

const caughtUp = new WeakMap<FlowpathRuntime, Set<string>>();

/**
 * Brings the projection of every case of the flow up to its journal, once: cases from before the
 * projection existed, or whose fold failed at a step. Each case is caught up in its own short
 * transaction, so live steps are not held up. The store keeps a mark once a flow is caught up,
 * so later processes skip the check; a failed fold, or a runtime stepping cases without the
 * projection, clears it.
 */
export async function ensureProjected(rt: FlowpathRuntime, flowKey: string): Promise<void> {
  const projection = rt.health;
  if (!projection) return;
  // The deferred projector folds what the steps have committed so far.
  await rt.factsProjector?.drain();
  const done = caughtUp.get(rt) ?? new Set<string>();
  caughtUp.set(rt, done);
  if (done.has(flowKey)) return;
  if (await rt.store.factsCaughtUp(flowKey)) {
    done.add(flowKey);
    return;
  }
  const failed = new Set<string>();
  for (;;) {
    const ids = (await rt.store.listCasesBehindFacts(flowKey, 200 + failed.size)).filter((id) => !failed.has(id));
    if (ids.length === 0) break;
    for (const id of ids) {
      try {
        await rt.store.transaction(async (tx) => projection.catchUp(tx, id, await tx.getCaseFacts(id), rt.now()));
      } catch (e) {
        if (!(e instanceof HealthError)) throw e;
        failed.add(id);
        rt.logger.warn({ caseId: id, code: e.code, err: e.message }, 'the journal of this case cannot be folded into process-health facts; it is left out of the figures');
      }
    }
  }
  // A case that cannot be folded stays out of the figures; its next step tries again and, failing,
  // clears the mark.
  await rt.store.markFactsCaughtUp(flowKey, rt.now());
  done.add(flowKey);
}

/**
 * The facts of the cases a scope can touch: started before its end and not ended before its start
 * (that covers cases started or ended in the period, work in progress at its end, and tasks
 * completed during it), and whose dimensions pass the filter — the database applies the same
 * typed filter as the engine, so a report about one branch reads that branch's cases only.
 */
export async function loadFacts(
  rt: FlowpathRuntime,
  flowKey: string,
  period: { from?: string; to?: string },
  versions?: number[],
  dims?: Record<string, DimValue[]>,
): Promise<CaseFacts[]> {
  await ensureProjected(rt, flowKey);
  const rows = await rt.store.listCaseFacts({
    flowKey,
    ...(versions ? { versions } : {}),
    ...(period.to !== undefined ? { startedBefore: period.to } : {}),
    ...(period.from !== undefined ? { endedFrom: period.from } : {}),
    ...(dims ? { dims } : {}),
  });
  return rows.map((r) => r.facts);
}

/** A period that ends in the future ends now: nothing has happened after now, and work in progress is measured at the end. */
export function effectivePeriod(period: { from?: string; to?: string }, now: string): { from?: string; to?: string } {
  if (period.to === undefined || Date.parse(period.to) <= Date.parse(now)) return period;
  if (period.from !== undefined && Date.parse(period.from) >= Date.parse(now)) return period;
  return { ...period, to: now };
}

/** The definition figures are named after: the one version asked for, else the latest. */
export function namingDefinition(flow: FlowContext, versions: number[] | undefined): FlowDefinition {
  return versions?.length === 1 ? (flow.definitions.get(versions[0] as number) as FlowDefinition) : flow.latest;
}

/**
 * The health report of a flow for a scope, optionally grouped: from the daily digests when they
 * can answer (`digestsCanAnswer`), else from the facts of every case the scope can touch. Both
 * give the same figures; `from` forces one of them (for tests and benchmarks).
 */
export async function healthReport(rt: FlowpathRuntime, flow: FlowContext, scope: HealthScope, groupBy?: string, from: 'auto' | 'facts' | 'digests' = 'auto'): Promise<HealthReport> {
  const period = effectivePeriod(scope.period, flow.now);
  if (from === 'digests' || (from === 'auto' && digestsCanAnswer(flow, scope, period, groupBy))) {
    await ensureProjected(rt, flow.flowKey);
    return digestReport(rt, flow, scope, period, groupBy as 'version' | undefined);
  }
  const facts = await loadFacts(rt, flow.flowKey, period, scope.versions, scope.dims);
  const asOf = period.to ?? flow.now;
  return engineCall(() =>
    aggregateHealth(facts, {
      period,
      basis: scope.basis,
      asOf,
      calendar: flow.calendar,
      definition: namingDefinition(flow, scope.versions),
      ...(groupBy !== undefined ? { groupBy } : {}),
      ...(scope.dims ? { filter: { dims: scope.dims } } : {}),
    }),
  );
}

/** Maps an engine refusal to the query parameter it is about; anything else is a bug and stays one. */
function engineCall<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof HealthError)) throw e;
    const err = e;
    const param: Record<string, string> = {
      'health.period.invalid': 'to',
      'health.group-by.unknown': 'groupBy',
      'health.basis.invalid': 'basis',
      'health.metric.unknown': 'metrics',
      'health.metric.missing': 'metrics',
      'health.compare.resamples': 'resamples',
      'health.compare.confidence': 'confidence',
    };
    const name = err.code === 'health.time.invalid' ? (String(err.params.name ?? 'from').endsWith('to') ? 'to' : 'from') : (param[err.code] ?? 'query');
    throw badParameter(name, err.code, err.message, err.params);
  }
}

/** How two cohorts are told apart. */
export type CohortSpec =
  | { by: 'version'; a?: number[]; b: number[] }
  | { by: 'period'; a: { from: string; to: string }; b: { from: string; to: string } }
  | { by: 'dimension'; field: string; a?: DimValue[]; b: DimValue[] };

export interface CompareRequest {
  scope: HealthScope;
  cohorts: CohortSpec;
  metrics: string[];
  resamples?: number;
  confidence?: number;
  seed?: number;
}

export interface CohortSide {
  /** What selects the cohort, in the request's terms (`rest` for everything not in the other cohort). */
  label: string;
  versions?: number[];
  values?: DimValue[];
  period?: { from: string; to: string };
  /** Cases measured (see basis) and, for basis `started`, those of them still open. */
  cases: number;
  pending: number;
}

export interface CompareResult extends Omit<CohortComparison, 'a' | 'b'> {
  flowKey: string;
  by: string;
  basis: HealthBasis;
  period: { from?: string; to?: string };
  a: CohortSide;
  b: CohortSide;
}

/** The metrics compared when the caller names none: times, milestones, rates and the case SLA. */
export function defaultMetrics(def: FlowDefinition): string[] {
  const out = ['cycle', 'cycle:working'];
  for (const m of def.milestones ?? []) {
    out.push(`milestone:${m.id}:working`);
    if (m.target !== undefined) out.push(`milestone-met:${m.id}`);
  }
  out.push('stp', 'rework', 'incident');
  if (def.sla) out.push('sla');
  return out;
}

/** Checks metric names, including that the nodes and milestones they name exist in some version. */
export function checkMetrics(metrics: readonly string[], flow: FlowContext): void {
  const nodes = new Set<string>();
  const milestones = new Set<string>();
  for (const d of flow.definitions.values()) {
    for (const n of d.nodes) nodes.add(n.id);
    for (const m of d.milestones ?? []) milestones.add(m.id);
  }
  metrics.forEach((m, index) => {
    engineCall(() => parseMetric(m));
    const [head, arg] = m.split(':');
    if ((head === 'node' || head === 'node-sla') && arg !== undefined && !nodes.has(arg)) {
      throw badParameter('metrics', 'health.metric.node-unknown', `metric ${m} names node ${arg}, which no version of the flow has`, { metric: m, index, nodeId: arg });
    }
    if ((head === 'milestone' || head === 'milestone-met') && arg !== undefined && !milestones.has(arg)) {
      throw badParameter('metrics', 'health.metric.milestone-unknown', `metric ${m} names milestone ${arg}, which no version of the flow declares`, {
        metric: m,
        index,
        milestone: arg,
        milestones: [...milestones],
      });
    }
  });
}

const inPeriod = (iso: string | undefined, p: { from?: string; to?: string }): boolean => {
  if (iso === undefined) return false;
  const t = Date.parse(iso);
  return (p.from === undefined || t >= Date.parse(p.from)) && (p.to === undefined || t < Date.parse(p.to));
};

/** The cases a basis measures in a period: ended in it, or started in it (open ones included, as pending). */
function measured(facts: readonly CaseFacts[], basis: HealthBasis, p: { from?: string; to?: string }): CaseFacts[] {
  return facts.filter((f) => (basis === 'ended' ? inPeriod(f.endedAt, p) : inPeriod(f.startedAt, p)));
}

function matchesDims(f: CaseFacts, dims: Record<string, DimValue[]> | undefined): boolean {
  if (!dims) return true;
  return Object.entries(dims).every(([k, allowed]) => allowed.includes(Object.prototype.hasOwnProperty.call(f.dims, k) ? (f.dims[k] as DimValue) : null));
}

/** Compares two cohorts of a flow's cases on the given metrics. */
export async function compareHealth(rt: FlowpathRuntime, flow: FlowContext, req: CompareRequest): Promise<CompareResult> {
  const { scope, cohorts } = req;
  checkMetrics(req.metrics, flow);
  const period = cohorts.by === 'period' ? {} : effectivePeriod(scope.period, flow.now);
  const load = async (p: { from?: string; to?: string }) =>
    (await loadFacts(rt, flow.flowKey, p, scope.versions, scope.dims)).filter((f) => matchesDims(f, scope.dims));
  let a: CaseFacts[];
  let b: CaseFacts[];
  let sideA: Omit<CohortSide, 'cases' | 'pending'>;
  let sideB: Omit<CohortSide, 'cases' | 'pending'>;
  if (cohorts.by === 'period') {
    const pa = effectivePeriod(cohorts.a, flow.now) as { from: string; to: string };
    const pb = effectivePeriod(cohorts.b, flow.now) as { from: string; to: string };
    a = measured(await load(pa), scope.basis, pa);
    b = measured(await load(pb), scope.basis, pb);
    sideA = { label: `${pa.from}/${pa.to}`, period: pa };
    sideB = { label: `${pb.from}/${pb.to}`, period: pb };
  } else {
    const all = measured(await load(period), scope.basis, period);
    if (cohorts.by === 'version') {
      const inB = (f: CaseFacts) => cohorts.b.includes(f.version);
      const inA = (f: CaseFacts) => (cohorts.a ? cohorts.a.includes(f.version) : !inB(f));
      b = all.filter(inB);
      a = all.filter(inA);
      sideB = { label: cohorts.b.join(','), versions: cohorts.b };
      sideA = cohorts.a ? { label: cohorts.a.join(','), versions: cohorts.a } : { label: 'rest', versions: flow.versions.filter((v) => !cohorts.b.includes(v)) };
    } else {
      const value = (f: CaseFacts): DimValue => (Object.prototype.hasOwnProperty.call(f.dims, cohorts.field) ? (f.dims[cohorts.field] as DimValue) : null);
      const inB = (f: CaseFacts) => cohorts.b.includes(value(f));
      b = all.filter(inB);
      a = all.filter((f) => (cohorts.a ? cohorts.a.includes(value(f)) : !inB(f)));
      sideB = { label: cohorts.b.map(String).join(','), values: cohorts.b };
      sideA = cohorts.a ? { label: cohorts.a.map(String).join(','), values: cohorts.a } : { label: 'rest' };
    }
  }
  const result = engineCall(() =>
    compareCohorts(a, b, req.metrics, {
      ...(req.resamples !== undefined ? { resamples: req.resamples } : {}),
      ...(req.confidence !== undefined ? { confidence: req.confidence } : {}),
      ...(req.seed !== undefined ? { seed: req.seed } : {}),
    }),
  );
  const pending = (fs: readonly CaseFacts[]) => fs.filter((f) => f.status === 'waiting').length;
  return {
    flowKey: flow.flowKey,
    by: cohorts.by === 'dimension' ? cohorts.field : cohorts.by,
    basis: scope.basis,
    period,
    a: { ...sideA, cases: a.length, pending: pending(a) },
    b: { ...sideB, cases: b.length, pending: pending(b) },
    confidence: result.confidence,
    resamples: result.resamples,
    seed: result.seed,
    metrics: result.metrics,
  };
}

/** Removes operators' staff ids from a report (for roles that see flows, not people). */
export function withoutOperators(report: HealthReport): HealthReport {
  const out: HealthReport = { ...report, people: { ...report.people, operators: [] } };
  if (report.groups) out.groups = { by: report.groups.by, groups: report.groups.groups.map((g) => ({ value: g.value, report: withoutOperators(g.report) })) };
  return out;
}
