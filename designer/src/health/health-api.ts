import type { CompareQuery, FlowHealth, HealthComparison, HealthCsvKind, HealthQuery, NodeFigures } from './types';

type RequestFn = <T>(method: string, path: string) => Promise<T>;
type RequestTextFn = (path: string, accept: string) => Promise<string>;

/** What the health screens call: a flow's figures, its per-node figures and a cohort comparison, as JSON or CSV. */
export interface HealthApi {
  getFlowHealth(key: string, query?: HealthQuery): Promise<FlowHealth>;
  getNodeHealth(key: string, query?: HealthQuery): Promise<NodeFigures>;
  compareHealth(key: string, query: CompareQuery): Promise<HealthComparison>;
  /** The same answer as RFC 4180 CSV text (for a download button). */
  healthCsv(key: string, kind: HealthCsvKind, query: HealthQuery | CompareQuery): Promise<string>;
}

/** The query string of a health request; parameters left out are not sent. */
export function healthSearch(query: HealthQuery | CompareQuery = {}): string {
  const p = new URLSearchParams();
  if (query.from) p.set('from', query.from);
  if (query.to) p.set('to', query.to);
  if (query.versions && query.versions.length > 0) p.set('version', query.versions.join(','));
  if (query.filter) {
    const parts = Object.entries(query.filter)
      .filter(([, values]) => values.length > 0)
      .map(([k, values]) => `${k}:${values.join(',')}`);
    if (parts.length > 0) p.set('filter', parts.join(';'));
  }
  if (query.basis) p.set('basis', query.basis);
  if ('groupBy' in query && query.groupBy) p.set('groupBy', query.groupBy);
  if ('by' in query) {
    p.set('by', query.by);
    if (query.a && query.a.length > 0) p.set('a', query.a.join(','));
    p.set('b', query.b.join(','));
    if (query.metrics && query.metrics.length > 0) p.set('metrics', query.metrics.join(','));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

const PATHS: Record<HealthCsvKind, string> = { health: '/health', nodes: '/health/nodes', compare: '/health/compare' };

/** The health calls, built on the API client's request functions. */
export function healthApi(request: RequestFn, requestText: RequestTextFn): HealthApi {
  const base = (key: string) => `/api/flows/${encodeURIComponent(key)}`;
  return {
    getFlowHealth: (key, query) => request<FlowHealth>('GET', `${base(key)}/health${healthSearch(query)}`),
    getNodeHealth: (key, query) => request<NodeFigures>('GET', `${base(key)}/health/nodes${healthSearch(query)}`),
    compareHealth: (key, query) => request<HealthComparison>('GET', `${base(key)}/health/compare${healthSearch(query)}`),
    healthCsv: (key, kind, query) => requestText(`${base(key)}${PATHS[kind]}${healthSearch(query)}`, 'text/csv'),
  };
}
