/**
 * Process health over HTTP: the figures of a flow, per-node figures for the canvas heatmap, and a
 * comparison of two cohorts (pilot against control, before against after). Each answers JSON, or
 * CSV with `Accept: text/csv` or `?format=csv`. Figures are computed from the per-case projection
 * kept current with every step; they never carry customer data, and operators' staff ids only for
 * the roles that oversee people (owner, auditor).
 */
import type { DimValue } from '@flowpath/engine';
import { hasRole, type Principal } from '../http/auth';
import type { ParamSpec, Reply, RouteSpec } from '../http/route';
import { route } from '../http/route';
import { languageOf } from '../http/views';
import { compareCsv, nodesCsv, reportCsv } from '../health/csv';
import {
  badParameter,
  dimensionValue,
  parseBasis,
  parseFilter,
  parseGroupBy,
  parseInterval,
  parsePeriod,
  parseVersions,
  requireDimension,
  wantsCsv,
} from '../health/query';
import { compareSchema, csvSchema, healthReportSchema, nodeFiguresSchema } from '../health/schemas';
import {
  compareHealth,
  defaultMetrics,
  flowContext,
  healthReport,
  withoutOperators,
  type CohortSpec,
  type FlowContext,
  type HealthScope,
} from '../health/service';
import { nodeFigures } from '../health/views';
import { flowKeyParam, type Deps } from './common';

/** Who reads process health: owners and auditors, and analysts (who see no operator names). */
export const HEALTH_ROLES = ['owner', 'auditor', 'analyst'] as const;

const DATE_OR_TIME = 'A date (YYYY-MM-DD, a whole day on the flow\'s business calendar) or an ISO instant with a zone (encode + as %2B).';

const scopeQuery: Record<string, ParamSpec> = {
  from: { schema: { type: 'string', maxLength: 40 }, description: `Start of the period, inclusive. ${DATE_OR_TIME}` },
  to: { schema: { type: 'string', maxLength: 40 }, description: `End of the period, exclusive for an instant; a date includes that day. ${DATE_OR_TIME} A period ending in the future ends now.` },
  version: { schema: { type: 'string', maxLength: 100 }, description: 'Only cases on these versions: `2` or `1,2`.' },
  filter: {
    schema: { type: 'string', maxLength: 2000 },
    description: 'Only cases whose dimensions take one of the values: `branchId:B01,B02;channel:mobile-app` (`null` = no value). Dimensions are the case-schema fields marked `dimension`.',
  },
  basis: {
    schema: { enum: ['ended', 'started'] },
    description: '`ended` (default): figures of the cases that ended in the period. `started`: the cohort started in the period, as far as it has ended (`pending` counts the rest).',
  },
  format: { schema: { enum: ['json', 'csv'] }, description: '`csv` answers text/csv (as does `Accept: text/csv`).' },
};

const csvResponseNote = 'With `Accept: text/csv` or `format=csv`: the same as RFC 4180 CSV (UTF-8 with a byte-order mark).';

export function healthRoutes({ rt }: Deps): RouteSpec[] {
  const scopeOf = (flow: FlowContext, query: Record<string, unknown>): HealthScope => {
    const versions = parseVersions('version', query.version, flow.versions);
    const dims = parseFilter('filter', query.filter, flow.dimensions);
    return {
      period: parsePeriod(query, flow.calendar),
      basis: parseBasis(query.basis),
      ...(versions ? { versions } : {}),
      ...(dims ? { dims } : {}),
    };
  };

  const answer = (csv: boolean, name: string, json: () => unknown, text: () => string): Reply =>
    csv
      ? { status: 200, body: text(), headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${name}.csv"`, Vary: 'Accept' } }
      : { status: 200, body: json(), headers: { Vary: 'Accept' } };

  const seesOperators = (p: Principal): boolean => hasRole(p, 'owner', 'auditor');

  return [
    route({
      method: 'get',
      path: '/api/flows/{key}/health',
      operationId: 'getFlowHealth',
      summary: 'Process-health figures of a flow: volume, work in progress, cycle and milestone times, SLA, rates, nodes, compliance, customer satisfaction (CSAT, NPS), people',
      description:
        'Computed from the cases the flow ran, on its business calendar (every duration in calendar and working time). `groupBy` repeats the figures per ' +
        'version, status, outcome or dimension. Customer data never appears; operators\' staff ids only for owner and auditor. ' +
        csvResponseNote +
        ' Bad parameters are 400 with the parameter in `errors[].path`.',
      tag: 'health',
      roles: HEALTH_ROLES,
      params: flowKeyParam,
      query: {
        ...scopeQuery,
        groupBy: { schema: { type: 'string', maxLength: 200 }, description: '`version`, `status`, `outcome` or a dimension (e.g. `branchId`).' },
      },
      responses: { 200: { description: `The figures. ${csvResponseNote}`, schema: healthReportSchema } },
      errors: [400, 404, 409],
      handler: async ({ params, query, principal, header }) => {
        const flow = await flowContext(rt, params.key as string);
        const scope = scopeOf(flow, query);
        const groupBy = parseGroupBy('groupBy', query.groupBy, flow.dimensions);
        const full = await healthReport(rt, flow, scope, groupBy);
        const report = seesOperators(principal) ? full : withoutOperators(full);
        return answer(
          wantsCsv(query.format, header('accept')),
          `${flow.flowKey}-health`,
          () => ({ flowKey: flow.flowKey, ...report }),
          () => reportCsv(report, languageOf(header('accept-language'))),
        );
      },
    }),

    route({
      method: 'get',
      path: '/api/flows/{key}/health/nodes',
      operationId: 'getFlowNodeHealth',
      summary: 'Per-node figures of a flow for the canvas heatmap: waiting time, handling time, SLA breach rate, rule hit rate',
      description:
        'One entry per node of the version asked for (`version=2`; the latest by default), then nodes only other versions have. Waiting time is `queue` ' +
        '(task opened → first claim), handling time `handling` (claim → completion), `time` the whole stay. ' +
        csvResponseNote,
      tag: 'health',
      roles: HEALTH_ROLES,
      params: flowKeyParam,
      query: scopeQuery,
      responses: { 200: { description: `The nodes' figures. ${csvResponseNote}`, schema: nodeFiguresSchema } },
      errors: [400, 404, 409],
      handler: async ({ params, query, header }) => {
        const flow = await flowContext(rt, params.key as string);
        const scope = scopeOf(flow, query);
        const report = await healthReport(rt, flow, scope);
        const version = scope.versions?.length === 1 ? (scope.versions[0] as number) : Math.max(...flow.versions);
        const figures = nodeFigures(report, flow.flowKey, version);
        return answer(
          wantsCsv(query.format, header('accept')),
          `${flow.flowKey}-nodes`,
          () => figures,
          () => nodesCsv(figures, languageOf(header('accept-language'))),
        );
      },
    }),

    route({
      method: 'get',
      path: '/api/flows/{key}/health/compare',
      operationId: 'compareFlowHealth',
      summary: 'Compare two cohorts of a flow\'s cases: version against version, pilot branches against the rest, or period against period',
      description:
        '`by=version&a=1&b=2`, `by=<dimension>&b=B01,B02` (a = the rest unless given), or `by=period&a=2026-01-01/2026-01-31&b=2026-03-01/2026-03-31`. ' +
        'Durations: difference of medians with a bootstrap interval and a Mann–Whitney p-value; rates: difference with Newcombe\'s interval; ' +
        'every result carries both cohort sizes. ' +
        csvResponseNote,
      tag: 'health',
      roles: HEALTH_ROLES,
      params: flowKeyParam,
      query: {
        by: { schema: { type: 'string', minLength: 1, maxLength: 200 }, description: '`version`, `period`, or a dimension (e.g. `branchId`).', required: true },
        a: { schema: { type: 'string', maxLength: 2000 }, description: 'Cohort a (control, before): versions, dimension values or a period `start/end`. Omitted for versions and dimensions: every case not in b.' },
        b: { schema: { type: 'string', minLength: 1, maxLength: 2000 }, description: 'Cohort b (pilot, after): versions, dimension values, or a period `start/end`.', required: true },
        ...scopeQuery,
        metrics: {
          schema: { type: 'string', maxLength: 2000 },
          description:
            'Comma-separated: `cycle`, `milestone:<id>`, `node:<id>:queue|handling|time`, `alert-response` (durations; add `:working` for working time), ' +
            '`stp`, `rework`, `incident`, `sla`, `node-sla:<id>`, `milestone-met:<id>`, `outcome:<value>`, `status:<value>` (rates). Default: cycle times, milestones, rates and the case SLA.',
        },
        resamples: { schema: { type: 'integer', minimum: 100, maximum: 100000 }, description: 'Bootstrap resamples (default 2000).' },
        confidence: { schema: { type: 'number', minimum: 0.5, exclusiveMaximum: 1 }, description: 'Confidence of the intervals (default 0.95).' },
        seed: { schema: { type: 'integer', minimum: 0, maximum: 4294967295 }, description: 'Seed of the resampling (default: derived from the cohorts, so the same question gets the same answer).' },
      },
      responses: { 200: { description: `The comparison. ${csvResponseNote}`, schema: compareSchema } },
      errors: [400, 404, 409],
      handler: async ({ params, query, header }) => {
        const flow = await flowContext(rt, params.key as string);
        const scope = scopeOf(flow, query);
        const by = String(query.by);
        let cohorts: CohortSpec;
        if (by === 'version') {
          const b = parseVersions('b', query.b, flow.versions) as number[];
          const a = parseVersions('a', query.a, flow.versions);
          cohorts = { by: 'version', b, ...(a ? { a } : {}) };
        } else if (by === 'period') {
          if (query.from !== undefined || query.to !== undefined) {
            throw badParameter(query.from !== undefined ? 'from' : 'to', 'health.compare.period-conflict', 'comparing periods, give each cohort its period in a and b, not from/to');
          }
          if (query.a === undefined) throw badParameter('a', 'health.compare.cohort-missing', 'comparing periods needs both a and b as start/end');
          cohorts = { by: 'period', a: parseInterval('a', query.a, flow.calendar), b: parseInterval('b', query.b, flow.calendar) };
        } else {
          const dim = requireDimension('by', by, flow.dimensions);
          const values = (name: string, v: unknown): DimValue[] => String(v).split(',').map((x) => dimensionValue(name, dim, x));
          cohorts = { by: 'dimension', field: dim.path, b: values('b', query.b), ...(query.a !== undefined ? { a: values('a', query.a) } : {}) };
        }
        const metrics =
          query.metrics === undefined
            ? defaultMetrics(flow.latest)
            : String(query.metrics)
                .split(',')
                .map((m) => m.trim())
                .filter((m) => m.length > 0);
        if (metrics.length === 0) throw badParameter('metrics', 'health.metric.missing', 'name at least one metric, or leave metrics out for the default set');
        const result = await compareHealth(rt, flow, {
          scope,
          cohorts,
          metrics,
          ...(query.resamples !== undefined ? { resamples: Number(query.resamples) } : {}),
          ...(query.confidence !== undefined ? { confidence: Number(query.confidence) } : {}),
          ...(query.seed !== undefined ? { seed: Number(query.seed) } : {}),
        });
        return answer(wantsCsv(query.format, header('accept')), `${flow.flowKey}-compare`, () => result, () => compareCsv(result));
      },
    }),
  ];
}

/** Health routes answer CSV as well as JSON: adds `text/csv` to their 200 responses in the OpenAPI document. */
export function withCsvResponses(doc: Record<string, unknown>, routes: readonly RouteSpec[]): Record<string, unknown> {
  const paths = doc.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
  for (const r of routes) {
    const ok = paths[r.path]?.[r.method]?.responses['200'];
    if (ok?.content) ok.content['text/csv'] = { schema: csvSchema };
  }
  return doc;
}
