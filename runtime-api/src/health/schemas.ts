/**
 * JSON Schemas of the health responses, as the OpenAPI document shows them and the tests hold
 * the responses to. Durations are milliseconds, always in calendar and in working time.
 */
import type { JsonSchema } from '../http/route';

const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
const obj = (properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties)): JsonSchema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});
const int: JsonSchema = { type: 'integer', minimum: 0 };
const num: JsonSchema = { type: 'number' };
const rate: JsonSchema = nullable({ type: 'number', minimum: 0, maximum: 1 });
const str: JsonSchema = { type: 'string' };
const time: JsonSchema = { type: 'string', format: 'date-time' };
const localized: JsonSchema = { $ref: '#/components/schemas/LocalizedText' };
const dimValue: JsonSchema = { type: ['string', 'number', 'boolean', 'null'] };
const counts: JsonSchema = { type: 'object', additionalProperties: int };

/** n, mean, nearest-rank p50/p90/p95 and max of durations in ms (null when n is 0). */
const summary = obj({ n: int, mean: nullable(num), p50: nullable(num), p90: nullable(num), p95: nullable(num), max: nullable(num) });
const durations = obj({ calendar: summary, working: summary });
const slaCounts = obj({ decided: int, met: int, breached: int, warned: int, attainment: rate });
const period = obj({ from: time, to: time }, []);

const nodeHealth = {
  nodeId: str,
  name: localized,
  kind: str,
  cases: int,
  visits: int,
  rework: int,
  reworkCases: int,
  queue: durations,
  handling: durations,
  time: durations,
  completed: int,
  unclaimed: int,
  sla: slaCounts,
  breachRate: rate,
  escalations: int,
  incidents: int,
  incidentRate: nullable(num),
  calls: int,
  failures: int,
  failureRate: rate,
  hits: int,
  hitRate: rate,
};
const nodeRequired = Object.keys(nodeHealth).filter((k) => k !== 'name');

const ruleHealth = obj({
  nodeId: str,
  rule: str,
  action: { enum: ['pass', 'flag', 'require-step', 'stop'] },
  evaluated: int,
  fired: int,
  passed: int,
  flagged: int,
  requiredStep: int,
  stopped: int,
  errors: int,
  fireRate: rate,
  cases: int,
  casesFired: int,
});

const reportProperties: Record<string, JsonSchema> = {
  period,
  basis: { enum: ['ended', 'started'] },
  asOf: nullable(time),
  measured: { ...int, description: 'Cases the time, rate, node and compliance figures describe (see basis).' },
  pending: { ...int, description: 'Basis started: cases of the cohort still open, not yet in the figures.' },
  volume: obj({
    started: int,
    completed: int,
    cancelled: int,
    terminated: int,
    outcomes: counts,
    wip: obj({ at: nullable(time), count: int, age: durations }),
  }),
  cycle: durations,
  cycleByOutcome: { type: 'object', additionalProperties: durations },
  milestones: {
    type: 'array',
    items: obj(
      { id: str, name: localized, target: str, reached: int, notReached: int, duration: durations, withTarget: int, met: int, attainment: rate },
      ['id', 'reached', 'notReached', 'duration', 'withTarget', 'met', 'attainment'],
    ),
  },
  sla: obj({ case: slaCounts, nodes: slaCounts, escalations: int }),
  stp: obj({ completed: int, count: int, rate }),
  rework: obj({ cases: int, reworked: int, rate, visits: int, perCase: nullable(num) }),
  incidents: obj({ cases: int, withIncident: int, rate, total: int }),
  nodes: { type: 'array', items: obj(nodeHealth, nodeRequired) },
  compliance: obj({
    rules: { type: 'array', items: ruleHealth },
    alerts: obj({
      raised: int,
      byAction: obj({ flag: int, 'require-step': int, stop: int }),
      answered: int,
      unanswered: int,
      stopped: int,
      response: durations,
    }),
  }),
  satisfaction: {
    ...obj({
      csat: obj({ responses: int, scale: nullable(int), mean: nullable(num), satisfied: int, rate }),
      nps: obj({ responses: int, promoters: int, passives: int, detractors: int, score: nullable({ type: 'number', minimum: -100, maximum: 100 }) }),
    }),
    description: 'Customer satisfaction of the measured cases that answered (case-schema fields marked satisfaction): CSAT rate = answers in the top two scores / answers; NPS score = % promoters (9-10) - % detractors (0-6).',
  },
  people: obj({
    workingDays: int,
    operators: {
      type: 'array',
      description: 'Tasks completed per operator (staff id). Empty for the analyst role.',
      items: obj({ actor: str, tasks: int, activeDays: int, perActiveDay: nullable(num), perWorkingDay: nullable(num) }),
    },
    queues: { type: 'array', items: obj({ queue: str, open: int, claimed: int, age: durations, oldest: nullable(time) }) },
  }),
};
const reportRequired = Object.keys(reportProperties);

/** A report of one group (the same figures, without further groups). */
const groupReport = obj(reportProperties, reportRequired);

/** GET /api/flows/{key}/health */
export const healthReportSchema: JsonSchema = {
  ...obj(
    {
      flowKey: str,
      ...reportProperties,
      groups: obj({ by: str, groups: { type: 'array', items: obj({ value: dimValue, report: groupReport }) } }),
    },
    ['flowKey', ...reportRequired],
  ),
  description: 'Process-health figures of a flow (see docs/process-health.md for every definition).',
};

/** GET /api/flows/{key}/health/nodes */
export const nodeFiguresSchema: JsonSchema = {
  ...obj({
    flowKey: str,
    version: { type: 'integer', minimum: 1 },
    period,
    basis: { enum: ['ended', 'started'] },
    asOf: nullable(time),
    measured: int,
    pending: int,
    nodes: { type: 'array', items: obj({ ...nodeHealth, rules: { type: 'array', items: ruleHealth } }, [...nodeRequired, 'rules']) },
  }),
  description: 'Per-node figures for the canvas heatmap: waiting time (queue), handling time, SLA breach rate, rule hit rate, rework and incidents.',
};

const durationSide = obj({ cases: int, n: int, median: nullable(num), mean: nullable(num), p90: nullable(num) });
const rateSide = obj({ cases: int, n: int, count: int, rate });
const interval = nullable({ type: 'array', items: num, minItems: 2, maxItems: 2 });
const cohortSide = obj(
  {
    label: str,
    versions: { type: 'array', items: { type: 'integer' } },
    values: { type: 'array', items: dimValue },
    period: obj({ from: time, to: time }),
    cases: int,
    pending: int,
  },
  ['label', 'cases', 'pending'],
);

/** GET /api/flows/{key}/health/compare */
export const compareSchema: JsonSchema = {
  ...obj({
    flowKey: str,
    by: str,
    basis: { enum: ['ended', 'started'] },
    period,
    a: cohortSide,
    b: cohortSide,
    confidence: num,
    resamples: int,
    seed: int,
    metrics: {
      type: 'array',
      items: {
        oneOf: [
          obj(
            {
              metric: str,
              kind: { const: 'duration' },
              mode: { enum: ['calendar', 'working'] },
              a: durationSide,
              b: durationSide,
              difference: nullable(num),
              ratio: nullable(num),
              ci: interval,
              pValue: rate,
              method: { const: 'bootstrap-median' },
              significant: { type: 'boolean' },
              reason: { const: 'too-few' },
            },
            ['metric', 'kind', 'mode', 'a', 'b', 'difference', 'ratio', 'ci', 'pValue', 'method', 'significant'],
          ),
          obj(
            {
              metric: str,
              kind: { const: 'rate' },
              a: rateSide,
              b: rateSide,
              difference: nullable(num),
              ci: interval,
              method: { const: 'newcombe' },
              significant: { type: 'boolean' },
              reason: { const: 'too-few' },
            },
            ['metric', 'kind', 'a', 'b', 'difference', 'ci', 'method', 'significant'],
          ),
        ],
      },
    },
  }),
  description: 'Cohort b (the pilot, or after) against cohort a (the control, or before), metric by metric, with intervals.',
};

/** The CSV alternative every health route offers. */
export const csvSchema: JsonSchema = { type: 'string', description: 'RFC 4180 CSV, UTF-8 with a byte-order mark.' };
