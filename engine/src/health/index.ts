/** Process health: per-case facts from the audit journal, aggregated figures and cohort comparisons. */
export { caseFacts, foldFacts, foldFactsInPlace } from './facts';
export {
  aggregateHealth,
  durations,
  createDigest,
  addToDigest,
  mergeDigests,
  digestFigures,
  localDate,
  countWorkingDays,
  type DigestFigures,
  type HealthDigest,
  type NodeDigest,
  type SpanSketch,
  type AlertHealth,
  type DurationStats,
  type HealthBasis,
  type HealthOptions,
  type HealthPeriod,
  type HealthReport,
  type MilestoneHealth,
  type NodeHealth,
  type OperatorHealth,
  type QueueHealth,
  type RuleHealth,
  type SlaCounts,
  type VolumeHealth,
} from './aggregate';
export {
  compareCohorts,
  parseMetric,
  MIN_DURATION_N,
  type CohortComparison,
  type CompareOptions,
  type DurationComparison,
  type DurationSide,
  type MetricComparison,
  type MetricName,
  type RateComparison,
  type RateSide,
} from './compare';
export { HealthError } from './errors';
export { summarize, percentile, wilson, newcombe, mannWhitney, type Summary } from './stats';
export { summarizeSketch, EXACT_LIMIT, RELATIVE_ACCURACY, type Sketch } from './sketch';
export { mulberry32, hashSeed, type Random } from './prng';
export type {
  AlertFacts,
  CaseFacts,
  CaseSlaState,
  DimValue,
  MilestoneFacts,
  NodeFacts,
  OpenFacts,
  OpenTask,
  OpenToken,
  RuleFacts,
  Span,
  WorkItem,
} from './types';
export {
  generateHistory,
  drawValue,
  type Delay,
  type Draw,
  type DrawContext,
  type HistoryCase,
  type HistorySpec,
  type HistoryTask,
  type Segment,
  type ServiceBehaviour,
  type TaskBehaviour,
  type WaitBehaviour,
} from './history';
