import type { FlowDefinition } from '@flowpath/engine';
import { useEffect, useState } from 'react';
import { useApi } from '../api/context';
import { toProblem } from '../api/problem';
import type { PilotRule, Problem } from '../api/types';
import { Labelled } from '../app/Labelled';
import { ProblemView } from '../app/ProblemView';
import type { Lang } from '../i18n';
import { pilotDimension, pilotMetrics, verdict, type Verdict } from './compare-model';
import { localName } from './dashboard-model';
import { downloadText } from './download';
import { formatCount, formatDuration, formatPoints, formatRate, formatSignedDuration } from './format';
import { useHealthT } from './i18n';
import type { CompareQuery, HealthComparison, MetricComparison } from './types';
import './health.css';

type Tr = (key: string, params?: Record<string, unknown>) => string;

/** A metric's name for people: `node:credit-review:queue:working` → "Waiting at Credit review (working time)". */
export function metricLabel(metric: string, def: FlowDefinition | null, tr: Tr, lang: Lang): string {
  const parts = metric.split(':');
  const working = parts[parts.length - 1] === 'working';
  const mode = tr(working ? 'mode.working' : 'mode.calendar');
  const node = (id: string) => localName(def?.nodes.find((n) => n.id === id)?.name, id, lang);
  const milestone = (id: string) => localName(def?.milestones?.find((m) => m.id === id)?.name, id, lang);
  const [head = '', arg = '', what = ''] = parts;
  switch (head) {
    case 'cycle':
      return tr('compare.metric.cycle', { mode });
    case 'milestone':
      return tr('compare.metric.milestone', { name: milestone(arg), mode });
    case 'milestone-met':
      return tr('compare.metric.milestoneMet', { name: milestone(arg) });
    case 'node':
      return tr(`compare.metric.node.${what === 'queue' || what === 'handling' ? what : 'time'}`, { name: node(arg), mode });
    case 'node-sla':
      return tr('compare.metric.nodeSla', { name: node(arg) });
    case 'alert-response':
      return tr('compare.metric.alertResponse', { mode });
    case 'stp':
    case 'rework':
    case 'incident':
    case 'sla':
      return tr(`compare.metric.${head}`);
    case 'outcome':
    case 'status':
      return tr(`compare.metric.${head}`, { value: arg });
    default:
      return metric;
  }
}

function sideValue(m: MetricComparison, side: 'a' | 'b', lang: Lang): string {
  if (m.kind === 'duration') {
    const s = m[side];
    return `${formatDuration(s.median, lang, m.mode)} (n = ${formatCount(s.n, lang)})`;
  }
  const s = m[side];
  return `${formatRate(s.rate)} (${formatCount(s.count, lang)} / ${formatCount(s.n, lang)})`;
}

function differenceText(m: MetricComparison, lang: Lang): string {
  if (m.kind === 'duration') return formatSignedDuration(m.difference, lang, m.mode);
  return formatPoints(m.difference, lang);
}

function intervalText(m: MetricComparison, lang: Lang): string {
  if (!m.ci) return '–';
  const [lo, hi] = m.ci;
  return m.kind === 'duration' ? `${formatSignedDuration(lo, lang, m.mode)} … ${formatSignedDuration(hi, lang, m.mode)}` : `${formatPoints(lo, lang)} … ${formatPoints(hi, lang)}`;
}

type Cohorts = 'version' | 'dimension';

/**
 * The release-policy screen's evidence: a running pilot's cases (cohort b) against the control
 * (cohort a) over the same period, metric by metric, with the difference, its interval, both
 * cohort sizes and a plain verdict, so the owner can roll out or stop.
 */
export function PilotComparison({ flowKey, pilots, defaultVersion }: { flowKey: string; pilots: PilotRule[]; defaultVersion: number | null }) {
  const { tr, lang } = useHealthT();
  const api = useApi();
  const [index, setIndex] = useState(0);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [cohorts, setCohorts] = useState<Cohorts>('version');
  const [definition, setDefinition] = useState<FlowDefinition | null>(null);
  const [result, setResult] = useState<HealthComparison | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [loading, setLoading] = useState(false);
  const pilot = pilots[index] ?? pilots[0];
  const dim = pilot ? pilotDimension(pilot.when) : null;
  const control = defaultVersion !== null && pilot && defaultVersion !== pilot.version ? defaultVersion : null;

  const query: CompareQuery | null = !pilot
    ? null
    : cohorts === 'dimension' && dim
      ? { by: dim.field, b: dim.values, ...(from ? { from } : {}), ...(to ? { to } : {}), ...(definition ? { metrics: pilotMetrics(definition) } : {}) }
      : { by: 'version', b: [String(pilot.version)], ...(control !== null ? { a: [String(control)] } : {}), ...(from ? { from } : {}), ...(to ? { to } : {}), ...(definition ? { metrics: pilotMetrics(definition) } : {}) };
  const queryKey = JSON.stringify(query);

  useEffect(() => {
    if (!pilot) return;
    let live = true;
    api
      .getVersion(flowKey, pilot.version)
      .then((v) => live && setDefinition(v.definition))
      .catch((err: unknown) => live && setProblem(toProblem(err)));
    return () => {
      live = false;
    };
  }, [api, flowKey, pilot]);

  useEffect(() => {
    if (!definition || queryKey === 'null') return;
    let live = true;
    setLoading(true);
    setProblem(null);
    api
      .compareHealth(flowKey, JSON.parse(queryKey) as CompareQuery)
      .then((r) => live && setResult(r))
      .catch((err: unknown) => live && setProblem(toProblem(err)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [api, flowKey, queryKey, definition]);

  if (!pilot) return null;

  const counts = result ? result.metrics.map(verdict).reduce<Record<Verdict, number>>((acc, v) => ({ ...acc, [v]: acc[v] + 1 }), { better: 0, worse: 0, different: 0, 'not-significant': 0, 'too-few': 0 }) : null;
  const sideLabel = (side: HealthComparison['a']) =>
    side.versions ? tr('compare.versions', { list: side.versions.join(', ') }) : side.label === 'rest' ? tr('compare.rest') : side.label;

  return (
    <section className="pilot-comparison" aria-labelledby="pilot-comparison-title" data-testid="pilot-comparison">
      <h2 id="pilot-comparison-title">{tr('compare.title')}</h2>
      <p className="hint">{tr('compare.explain')}</p>
      <div className="health-filters">
        {pilots.length > 1 && (
          <Labelled label={tr('compare.pilot')}>
            <select value={index} onChange={(e) => setIndex(Number(e.target.value))}>
              {pilots.map((p, i) => (
                <option key={i} value={i}>
                  {p.name || tr('compare.pilotN', { n: i + 1 })} → v{p.version}
                </option>
              ))}
            </select>
          </Labelled>
        )}
        <Labelled label={tr('compare.cohorts')}>
          <select value={cohorts} onChange={(e) => setCohorts(e.target.value === 'dimension' ? 'dimension' : 'version')}>
            <option value="version">{control !== null ? tr('compare.byVersion', { pilot: pilot.version, control }) : tr('compare.byVersionRest', { pilot: pilot.version })}</option>
            {dim && <option value="dimension">{tr('compare.byDimension', { field: dim.field, values: dim.values.join(', ') })}</option>}
          </select>
        </Labelled>
        <Labelled label={tr('filters.from')}>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
        </Labelled>
        <Labelled label={tr('filters.to')}>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
        </Labelled>
        <div className="health-downloads">
          <button
            type="button"
            disabled={!query}
            onClick={() =>
              query &&
              void api
                .healthCsv(flowKey, 'compare', query)
                .then((text) => downloadText(text, `${flowKey}-compare.csv`, 'text/csv;charset=utf-8'))
                .catch((err: unknown) => setProblem(toProblem(err)))
            }
          >
            {tr('csv.compare')}
          </button>
        </div>
      </div>
      <p className="hint">{tr('compare.samePeriod')}</p>
      {problem && <ProblemView problem={problem} onDismiss={() => setProblem(null)} />}
      {loading && !result && <p role="status">{tr('dashboard.loading')}</p>}
      {result && counts && (
        <>
          <dl className="health-cards cohorts" aria-label={tr('compare.sizes')}>
            <div>
              <dt>{tr('compare.pilotCohort', { label: sideLabel(result.b) })}</dt>
              <dd data-testid="cohort-b">{tr('compare.cases', { count: result.b.cases, pending: result.b.pending })}</dd>
            </div>
            <div>
              <dt>{tr('compare.controlCohort', { label: sideLabel(result.a) })}</dt>
              <dd data-testid="cohort-a">{tr('compare.cases', { count: result.a.cases, pending: result.a.pending })}</dd>
            </div>
          </dl>
          <p role="status" className="compare-summary">
            {tr('compare.summary', { better: counts.better, worse: counts.worse, none: counts['not-significant'] + counts['too-few'] + counts.different, total: result.metrics.length, confidence: Math.round(result.confidence * 100) })}
          </p>
          <div className="table-scroll">
            <table className="figure-table compare-table" aria-label={tr('compare.table')}>
              <caption>{tr('compare.caption', { confidence: Math.round(result.confidence * 100), resamples: result.resamples })}</caption>
              <thead>
                <tr>
                  <th scope="col">{tr('compare.metricHead')}</th>
                  <th scope="col">{tr('compare.control')}</th>
                  <th scope="col">{tr('compare.pilotHead')}</th>
                  <th scope="col">{tr('compare.difference')}</th>
                  <th scope="col">{tr('compare.interval', { confidence: Math.round(result.confidence * 100) })}</th>
                  <th scope="col">{tr('compare.verdict')}</th>
                </tr>
              </thead>
              <tbody>
                {result.metrics.map((m) => {
                  const v = verdict(m);
                  return (
                    <tr key={m.metric} className={`verdict-${v}`} data-metric={m.metric}>
                      <th scope="row">{metricLabel(m.metric, definition, tr, lang)}</th>
                      <td>{sideValue(m, 'a', lang)}</td>
                      <td>{sideValue(m, 'b', lang)}</td>
                      <td>{differenceText(m, lang)}</td>
                      <td>{intervalText(m, lang)}</td>
                      <td>
                        <strong>{tr(`compare.verdicts.${v}`)}</strong>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
