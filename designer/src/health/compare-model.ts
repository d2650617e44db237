/**
 * How the release-policy screen reads a comparison: which metrics to ask for, which direction is
 * better, and the verdict a process owner acts on.
 */
import type { FlowDefinition } from '@flowpath/engine';
import type { MetricComparison } from './types';

/** Metrics for a pilot: cycle times, milestones, rates and the case SLA, plus waiting, handling and SLA of each user task. */
export function pilotMetrics(def: FlowDefinition): string[] {
  const out = ['cycle', 'cycle:working'];
  for (const m of def.milestones ?? []) {
    out.push(`milestone:${m.id}:working`);
    if (m.target !== undefined) out.push(`milestone-met:${m.id}`);
  }
  out.push('stp', 'rework', 'incident');
  if (def.sla) out.push('sla');
  for (const n of def.nodes) {
    if (n.kind !== 'user-task') continue;
    out.push(`node:${n.id}:queue:working`, `node:${n.id}:handling:working`);
    if (n.sla) out.push(`node-sla:${n.id}`);
  }
  return out;
}

/** Whether a larger value of a metric is better for the customer and the bank (null: neither, e.g. an outcome share). */
export function higherIsBetter(metric: string): boolean | null {
  const head = metric.split(':')[0];
  if (head === 'stp' || head === 'sla' || head === 'node-sla' || head === 'milestone-met') return true;
  if (head === 'outcome' || head === 'status') return null;
  return false;
}

/** What a comparison row tells the owner. */
export type Verdict = 'better' | 'worse' | 'different' | 'not-significant' | 'too-few';

/** The verdict of one metric: too few observations, no significant difference, or significantly better / worse. */
export function verdict(m: MetricComparison): Verdict {
  if (m.reason === 'too-few' || m.ci === null || m.difference === null) return 'too-few';
  if (!m.significant) return 'not-significant';
  const up = higherIsBetter(m.metric);
  if (up === null) return 'different';
  return m.difference > 0 === up ? 'better' : 'worse';
}

/** The pilot's cohort filter, when its rule is the simple form `{ in: [{ var: field }, [values]] }`. */
export function pilotDimension(when: unknown): { field: string; values: string[] } | null {
  if (typeof when !== 'object' || when === null || !('in' in when)) return null;
  const args = (when as { in: unknown }).in;
  if (!Array.isArray(args) || args.length !== 2) return null;
  const [v, list] = args as [unknown, unknown];
  if (typeof v !== 'object' || v === null || typeof (v as { var?: unknown }).var !== 'string' || !Array.isArray(list)) return null;
  return { field: (v as { var: string }).var, values: list.map(String) };
}
