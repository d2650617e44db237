/**
 * Pilot against control, before against after: two cohorts of cases side by side, with the
 * difference and how sure we can be of it. Durations: difference of medians with a seeded
 * bootstrap interval, and a Mann–Whitney p-value. Rates: difference of proportions with
 * Newcombe's interval. Every result carries the cohort sizes.
 */
import { HealthError } from './errors';
import { own } from './facts';
import { hashSeed, mulberry32 } from './prng';
import { bootstrapMedianDifference, mannWhitney, newcombe, normalQuantile, summarize } from './stats';
import type { CaseFacts, Span } from './types';

/**
 * A metric name. Durations (append `:working` for working time):
 * `cycle`, `milestone:<id>`, `node:<id>:queue|handling|time`, `alert-response`.
 * Rates: `stp`, `rework`, `incident`, `sla`, `node-sla:<id>`, `milestone-met:<id>`,
 * `outcome:<value>`, `status:<value>`.
 */
export type MetricName = string;

export interface CompareOptions {
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  /** Confidence level of the intervals (default 0.95). */
  confidence?: number;
  /** Seed of the resampling; by default derived from the inputs, so the same cohorts give the same interval. */
  seed?: number;
}

export interface DurationSide {
  cases: number;
  /** Cases with an observation of this metric. */
  n: number;
  median: number | null;
  mean: number | null;
  p90: number | null;
}

export interface DurationComparison {
  metric: MetricName;
  kind: 'duration';
  mode: 'calendar' | 'working';
  a: DurationSide;
  b: DurationSide;
  /** median(b) − median(a), in ms. */
  difference: number | null;
  /** median(b) / median(a). */
  ratio: number | null;
  ci: [number, number] | null;
  /** Two-sided Mann–Whitney p-value (do the two distributions differ at all?). */
  pValue: number | null;
  method: 'bootstrap-median';
  /** True when the interval excludes 0. */
  significant: boolean;
  /** Why no interval was computed. */
  reason?: 'too-few';
}

export interface RateSide {
  cases: number;
  /** Cases in the denominator. */
  n: number;
  count: number;
  rate: number | null;
}

export interface RateComparison {
  metric: MetricName;
  kind: 'rate';
  a: RateSide;
  b: RateSide;
  /** rate(b) − rate(a). */
  difference: number | null;
  ci: [number, number] | null;
  method: 'newcombe';
  significant: boolean;
  reason?: 'too-few';
}

export type MetricComparison = DurationComparison | RateComparison;

export interface CohortComparison {
  a: { cases: number };
  b: { cases: number };
  confidence: number;
  resamples: number;
  seed: number;
  metrics: MetricComparison[];
}

/** Fewest observations per cohort for a duration interval: below this a median is too unsteady to compare. */
export const MIN_DURATION_N = 10;

export type ParsedMetric =
  | { kind: 'duration'; name: string; mode: 'calendar' | 'working'; value: (f: CaseFacts) => Span | undefined }
  | { kind: 'rate'; name: string; value: (f: CaseFacts) => boolean | undefined };

/** Compares cohort `b` (e.g. the pilot) against cohort `a` (the control) on each metric. */
export function compareCohorts(a: readonly CaseFacts[], b: readonly CaseFacts[], metrics: readonly MetricName[], options: CompareOptions = {}): CohortComparison {
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(resamples) || resamples < 100 || resamples > 100_000) {
    throw new HealthError('health.compare.resamples', 'resamples must be a whole number from 100 to 100000', { resamples });
  }
  if (!(confidence >= 0.5 && confidence < 1)) throw new HealthError('health.compare.confidence', 'confidence must be at least 0.5 and below 1', { confidence });
  if (metrics.length === 0) throw new HealthError('health.metric.missing', 'name at least one metric to compare', {});
  const parsed = metrics.map(parseMetric);
  const seed = options.seed ?? hashSeed(`${a.length}|${b.length}|${a.map((f) => f.startedAt).join()}|${b.map((f) => f.startedAt).join()}`);
  return {
    a: { cases: a.length },
    b: { cases: b.length },
    confidence,
    resamples,
    seed,
    metrics: parsed.map((m) =>
      m.kind === 'duration' ? compareDuration(m, a, b, { resamples, confidence, seed: (seed ^ hashSeed(m.name)) >>> 0 }) : compareRate(m, a, b, confidence),
    ),
  };
}

function compareDuration(
  m: Extract<ParsedMetric, { kind: 'duration' }>,
  a: readonly CaseFacts[],
  b: readonly CaseFacts[],
  o: { resamples: number; confidence: number; seed: number },
): DurationComparison {
  const pick = (fs: readonly CaseFacts[]) => {
    const out: number[] = [];
    for (const f of fs) {
      const s = m.value(f);
      if (s) out.push(m.mode === 'working' ? s[1] : s[0]);
    }
    return out;
  };
  const xa = pick(a);
  const xb = pick(b);
  const side = (cases: number, xs: number[]): DurationSide => {
    const s = summarize(xs);
    return { cases, n: s.n, median: s.p50, mean: s.mean, p90: s.p90 };
  };
  const sa = side(a.length, xa);
  const sb = side(b.length, xb);
  const difference = sa.median !== null && sb.median !== null ? sb.median - sa.median : null;
  const ratio = sa.median !== null && sb.median !== null && sa.median > 0 ? sb.median / sa.median : null;
  const base = { metric: m.name, kind: 'duration' as const, mode: m.mode, a: sa, b: sb, difference, ratio, method: 'bootstrap-median' as const };
  if (xa.length < MIN_DURATION_N || xb.length < MIN_DURATION_N) {
    return { ...base, ci: null, pValue: xa.length > 0 && xb.length > 0 ? mannWhitney(xa, xb).p : null, significant: false, reason: 'too-few' };
  }
  const ci = bootstrapMedianDifference(xa, xb, mulberry32(o.seed), o.resamples, o.confidence);
  return { ...base, ci, pValue: mannWhitney(xa, xb).p, significant: ci[0] > 0 || ci[1] < 0 };
}

function compareRate(m: Extract<ParsedMetric, { kind: 'rate' }>, a: readonly CaseFacts[], b: readonly CaseFacts[], confidence: number): RateComparison {
  const count = (fs: readonly CaseFacts[]): RateSide => {
    let n = 0;
    let x = 0;
    for (const f of fs) {
      const v = m.value(f);
      if (v === undefined) continue;
      n += 1;
      if (v) x += 1;
    }
    return { cases: fs.length, n, count: x, rate: n > 0 ? x / n : null };
  };
  const sa = count(a);
  const sb = count(b);
  const base = { metric: m.name, kind: 'rate' as const, a: sa, b: sb, method: 'newcombe' as const };
  if (sa.n === 0 || sb.n === 0) return { ...base, difference: null, ci: null, significant: false, reason: 'too-few' };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const { difference, ci } = newcombe(sa.count, sa.n, sb.count, sb.n, z);
  return { ...base, difference, ci, significant: ci[0] > 0 || ci[1] < 0 };
}

const ended = (f: CaseFacts) => f.status !== 'waiting';

/** Parses a metric name; throws `HealthError` with code `health.metric.unknown` when it is not one. */
export function parseMetric(name: MetricName): ParsedMetric {
  const parts = typeof name === 'string' ? name.split(':') : [];
  let mode: 'calendar' | 'working' = 'calendar';
  if (parts.length > 1 && parts[parts.length - 1] === 'working') {
    mode = 'working';
    parts.pop();
  }
  const [head, arg, measure] = parts;
  const duration = (value: (f: CaseFacts) => Span | undefined): ParsedMetric => ({ kind: 'duration', name, mode, value });
  const rate = (value: (f: CaseFacts) => boolean | undefined): ParsedMetric => {
    if (mode === 'working') unknown(name);
    return { kind: 'rate', name, value };
  };
  if (head === 'cycle' && parts.length === 1) return duration((f) => (f.status === 'completed' ? f.cycle : undefined));
  if (head === 'alert-response' && parts.length === 1) return duration((f) => f.alerts.find((x) => x.response)?.response);
  if (head === 'milestone' && arg && parts.length === 2) return duration((f) => own(f.milestones, arg)?.span);
  if (head === 'node' && arg && parts.length === 3 && (measure === 'queue' || measure === 'handling' || measure === 'time')) {
    return duration((f) => {
      const spans = own(f.nodes, arg)?.[measure];
      if (!spans || spans.length === 0) return undefined;
      // One observation per case (the case's total at the node), so observations are independent.
      return spans.reduce<Span>((s, x) => [s[0] + x[0], s[1] + x[1]], [0, 0]);
    });
  }
  if (parts.length === 1) {
    if (head === 'stp') return rate((f) => (f.status === 'completed' ? f.stp === true : undefined));
    if (head === 'rework') return rate((f) => (ended(f) ? f.rework > 0 : undefined));
    if (head === 'incident') return rate((f) => (ended(f) ? f.incidents > 0 : undefined));
    if (head === 'sla') return rate((f) => (f.caseSla === 'met' ? true : f.caseSla === 'breached' ? false : undefined));
  }
  if (parts.length === 2 && arg) {
    if (head === 'node-sla') {
      return rate((f) => {
        const n = own(f.nodes, arg);
        const decided = (n?.slaMet ?? 0) + (n?.slaBreached ?? 0);
        return decided > 0 ? (n?.slaBreached ?? 0) === 0 : undefined;
      });
    }
    if (head === 'milestone-met') return rate((f) => own(f.milestones, arg)?.met);
    if (head === 'outcome') return rate((f) => (ended(f) ? f.outcome === arg : undefined));
    if (head === 'status') return rate((f) => (ended(f) ? f.status === arg : undefined));
  }
  return unknown(name);
}

function unknown(name: unknown): never {
  throw new HealthError('health.metric.unknown', `unknown metric "${String(name)}"`, {
    metric: name,
    known: ['cycle', 'milestone:<id>', 'node:<id>:queue|handling|time', 'alert-response', 'stp', 'rework', 'incident', 'sla', 'node-sla:<id>', 'milestone-met:<id>', 'outcome:<value>', 'status:<value>'],
  });
}
