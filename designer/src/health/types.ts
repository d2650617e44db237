/**
 * Shapes of the process-health API answers (runtime-api/src/health/schemas.ts). The figures
 * themselves are the engine's types, so the designer and the server cannot drift apart.
 */
import type { DimValue, HealthBasis, HealthPeriod, HealthReport, MetricComparison, NodeHealth, RuleHealth } from '@flowpath/engine';

export type { DurationStats, HealthReport, MetricComparison, NodeHealth, RuleHealth } from '@flowpath/engine';

/** GET /api/flows/{key}/health */
export interface FlowHealth extends HealthReport {
  flowKey: string;
}

/** One node's figures as /health/nodes answers them: a gate carries its rules. */
export interface NodeFigure extends NodeHealth {
  rules: RuleHealth[];
}

/** GET /api/flows/{key}/health/nodes */
export interface NodeFigures {
  flowKey: string;
  version: number;
  period: HealthPeriod;
  basis: HealthBasis;
  asOf: string | null;
  measured: number;
  pending: number;
  nodes: NodeFigure[];
}

export interface CohortSide {
  label: string;
  versions?: number[];
  values?: DimValue[];
  period?: { from: string; to: string };
  cases: number;
  pending: number;
}

/** GET /api/flows/{key}/health/compare */
export interface HealthComparison {
  flowKey: string;
  by: string;
  basis: HealthBasis;
  period: HealthPeriod;
  a: CohortSide;
  b: CohortSide;
  confidence: number;
  resamples: number;
  seed: number;
  metrics: MetricComparison[];
}

/** Which cases a question is about (query parameters shared by the three routes). */
export interface HealthQuery {
  /** YYYY-MM-DD (a whole day on the flow's calendar) or an ISO instant. */
  from?: string;
  to?: string;
  versions?: number[];
  /** Dimension filters: `{ branchId: ['B01', 'B02'] }`. */
  filter?: Record<string, string[]>;
  basis?: HealthBasis;
  groupBy?: string;
}

/** Cohorts of a comparison: `by=version&a=1&b=2`, or a dimension with values (a = the rest when left out). */
export interface CompareQuery extends Omit<HealthQuery, 'groupBy'> {
  by: string;
  a?: string[];
  b: string[];
  metrics?: string[];
}

/** Which route a CSV download is for. */
export type HealthCsvKind = 'health' | 'nodes' | 'compare';
