import type { FlowDefinition } from '@flowpath/engine';
import { useEffect, useMemo, useState } from 'react';
import { useApi } from '../api/context';
import { toProblem } from '../api/problem';
import type { Problem } from '../api/types';
import { Labelled } from '../app/Labelled';
import { ProblemView } from '../app/ProblemView';
import { routeHref } from '../app/router';
import { hasRole, useMe } from '../auth/use-me';
import { Chart } from './Chart';
import { complianceOption, cycleOption, groupName, groupOption, milestoneOption, outcomeOption, ratesOption, volumeOption, waitingOption } from './chart-options';
import { dimensionsOf, INITIAL_SELECTION, localName, selectionQuery, type DashboardSelection } from './dashboard-model';
import { downloadText } from './download';
import { FigureTable } from './FigureTable';
import { formatCount, formatDuration, formatRate } from './format';
import { HeatmapView } from './HeatmapView';
import { useHealthT } from './i18n';
import type { DurationStats, FlowHealth, HealthCsvKind } from './types';
import './health.css';

export type HealthView = 'figures' | 'heatmap';

/**
 * A flow's process health: period, version, basis and grouping selectors; volume, times,
 * milestones, SLA, rates, nodes, compliance and people as charts with the same numbers in tables;
 * CSV downloads; and the heatmap of the flow's nodes.
 */
export function HealthDashboard({ flowKey, view }: { flowKey: string; view: HealthView }) {
  const { tr, lang } = useHealthT();
  const api = useApi();
  const [versions, setVersions] = useState<number[] | null>(null);
  const [latest, setLatest] = useState<FlowDefinition | null>(null);
  const [selection, setSelection] = useState<DashboardSelection>(INITIAL_SELECTION);
  const [report, setReport] = useState<FlowHealth | null>(null);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    let live = true;
    void (async () => {
      try {
        const vs = (await api.listVersions(flowKey)).map((v) => v.version).sort((a, b) => a - b);
        if (!live) return;
        setVersions(vs);
        const newest = vs[vs.length - 1];
        if (newest !== undefined) {
          const detail = await api.getVersion(flowKey, newest);
          if (live) setLatest(detail.definition);
        }
      } catch (err) {
        if (live) setProblem(toProblem(err));
      }
    })();
    return () => {
      live = false;
    };
  }, [api, flowKey]);

  const query = useMemo(() => selectionQuery(selection), [selection]);
  const published = versions !== null && versions.length > 0;

  useEffect(() => {
    if (!published || view !== 'figures') return;
    let live = true;
    setLoading(true);
    setProblem(null);
    api
      .getFlowHealth(flowKey, query)
      .then((r) => live && setReport(r))
      .catch((err: unknown) => live && setProblem(toProblem(err)))
      .finally(() => live && setLoading(false));
    return () => {
      live = false;
    };
  }, [api, flowKey, query, published, view]);

  const set = (patch: Partial<DashboardSelection>) => setSelection((s) => ({ ...s, ...patch }));
  const dims = dimensionsOf(latest);
  const flowName = latest ? localName(latest.name, flowKey, lang) : flowKey;

  const download = async (kind: HealthCsvKind) => {
    try {
      const text = await api.healthCsv(flowKey, kind, selectionQuery(selection, kind === 'health'));
      downloadText(text, `${flowKey}-${kind}.csv`, 'text/csv;charset=utf-8');
    } catch (err) {
      setProblem(toProblem(err));
    }
  };

  return (
    <main className="health">
      <div className="toolbar health-toolbar">
        <a href={routeHref({ screen: 'flows' })}>← {tr('dashboard.backToFlows')}</a>
        <h1>{tr('dashboard.title', { name: flowName, key: flowKey })}</h1>
        <a href={routeHref({ screen: 'editor', key: flowKey })}>{tr('dashboard.openEditor')}</a>
        <a href={routeHref({ screen: 'release', key: flowKey })}>{tr('dashboard.openRelease')}</a>
      </div>

      <form className="health-filters" aria-label={tr('filters.label')} onSubmit={(e) => e.preventDefault()}>
        <Labelled label={tr('filters.from')}>
          <input type="date" value={selection.from} onChange={(e) => set({ from: e.target.value })} />
        </Labelled>
        <Labelled label={tr('filters.to')}>
          <input type="date" value={selection.to} onChange={(e) => set({ to: e.target.value })} />
        </Labelled>
        <Labelled label={tr('filters.version')}>
          <select value={selection.version} onChange={(e) => set({ version: Number(e.target.value) })}>
            <option value={0}>{tr('filters.allVersions')}</option>
            {(versions ?? []).map((v) => (
              <option key={v} value={v}>
                {tr('filters.versionN', { version: v })}
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled label={tr('filters.basis')}>
          <select value={selection.basis} onChange={(e) => set({ basis: e.target.value === 'started' ? 'started' : 'ended' })}>
            <option value="ended">{tr('basis.ended')}</option>
            <option value="started">{tr('basis.started')}</option>
          </select>
        </Labelled>
        {view === 'figures' && (
          <Labelled label={tr('filters.groupBy')}>
            <select value={selection.groupBy} onChange={(e) => set({ groupBy: e.target.value })}>
              <option value="">{tr('groupBy.none')}</option>
              <option value="version">{tr('groupBy.version')}</option>
              <option value="status">{tr('groupBy.status')}</option>
              <option value="outcome">{tr('groupBy.outcome')}</option>
              {dims.map((d) => (
                <option key={d.path} value={d.path}>
                  {localName(d.title, d.path, lang)}
                </option>
              ))}
            </select>
          </Labelled>
        )}
        <div className="health-downloads">
          <button type="button" onClick={() => void download('health')} disabled={!published}>
            {tr('csv.figures')}
          </button>
          <button type="button" onClick={() => void download('nodes')} disabled={!published}>
            {tr('csv.nodes')}
          </button>
        </div>
      </form>

      <div className="tabs" role="tablist" aria-label={tr('dashboard.views')}>
        <a role="tab" aria-selected={view === 'figures'} href={routeHref({ screen: 'health', key: flowKey })}>
          {tr('dashboard.figures')}
        </a>
        <a role="tab" aria-selected={view === 'heatmap'} href={routeHref({ screen: 'health', key: flowKey, view: 'heatmap' })}>
          {tr('dashboard.heatmap')}
        </a>
      </div>

      {problem && <ProblemView problem={problem} onDismiss={() => setProblem(null)} />}
      {versions !== null && !published && <p role="status">{tr('dashboard.unpublished')}</p>}

      {view === 'heatmap' && published && <HeatmapView flowKey={flowKey} query={selectionQuery(selection, false)} version={selection.version || (versions[versions.length - 1] as number)} />}

      {view === 'figures' && published && (
        <div className="health-body" aria-busy={loading}>
          {loading && !report && <p role="status">{tr('dashboard.loading')}</p>}
          {report && <Figures report={report} definition={latest} />}
        </div>
      )}
    </main>
  );
}

function Figures({ report, definition }: { report: FlowHealth; definition: FlowDefinition | null }) {
  const { tr, lang } = useHealthT();
  const me = useMe();
  const seesPeople = hasRole(me, 'owner') || hasRole(me, 'auditor');
  const dur = (ms: number | null, mode: 'calendar' | 'working' = 'calendar') => formatDuration(ms, lang, mode);
  const count = (n: number) => formatCount(n, lang);
  const nodeName = (n: { nodeId: string; name?: FlowDefinition['name'] }) => localName(n.name ?? definition?.nodes.find((x) => x.id === n.nodeId)?.name, n.nodeId, lang);
  const milestoneName = (m: { id: string; name?: FlowDefinition['name'] }) => localName(m.name, m.id, lang);
  const statsRows = (label: string, d: DurationStats) =>
    (['calendar', 'working'] as const).map((mode) => [
      `${label} · ${tr(`mode.${mode}`)}`,
      count(d[mode].n),
      dur(d[mode].mean, mode),
      dur(d[mode].p50, mode),
      dur(d[mode].p90, mode),
      dur(d[mode].p95, mode),
      dur(d[mode].max, mode),
    ]);
  const statsHead = [tr('figures.figure'), 'n', tr('figures.mean'), 'p50', 'p90', 'p95', tr('figures.max')];
  const empty = report.measured === 0 && report.volume.started === 0 && report.volume.wip.count === 0;
  const v = report.volume;
  const groups = groupOption(report, tr);

  return (
    <>
      <p className="health-scope" role="status">
        {tr(report.basis === 'started' ? 'dashboard.measuredStarted' : 'dashboard.measuredEnded', { count: report.measured, pending: report.pending })}
      </p>
      {empty && <p className="hint">{tr('dashboard.empty')}</p>}

      <dl className="health-cards" aria-label={tr('dashboard.keyFigures')}>
        <div>
          <dt>{tr('volume.started')}</dt>
          <dd>{count(v.started)}</dd>
        </div>
        <div>
          <dt>{tr('volume.completed')}</dt>
          <dd>{count(v.completed)}</dd>
        </div>
        <div>
          <dt>{tr('volume.wip')}</dt>
          <dd>{count(v.wip.count)}</dd>
        </div>
        <div>
          <dt>{tr('figures.cycleP50Working')}</dt>
          <dd>{dur(report.cycle.working.p50, 'working')}</dd>
        </div>
        <div>
          <dt>{tr('rates.slaCase')}</dt>
          <dd>{formatRate(report.sla.case.attainment)}</dd>
        </div>
        <div>
          <dt>{tr('rates.stp')}</dt>
          <dd>{formatRate(report.stp.rate)}</dd>
        </div>
        <div>
          <dt>{tr('rates.rework')}</dt>
          <dd>{formatRate(report.rework.rate)}</dd>
        </div>
        <div>
          <dt>{tr('rates.incidents')}</dt>
          <dd>{formatRate(report.incidents.rate)}</dd>
        </div>
        {report.satisfaction.csat.responses > 0 && (
          <div>
            <dt>{tr('rates.csat')}</dt>
            <dd>{formatRate(report.satisfaction.csat.rate)}</dd>
          </div>
        )}
        {report.satisfaction.nps.score !== null && (
          <div>
            <dt>{tr('rates.nps')}</dt>
            <dd>{report.satisfaction.nps.score.toFixed(1)}</dd>
          </div>
        )}
      </dl>

      <section aria-labelledby="h-volume">
        <h2 id="h-volume">{tr('sections.volume')}</h2>
        <div className="health-grid">
          <Chart option={volumeOption(report, tr)} label={tr('charts.volume')} />
          <Chart option={outcomeOption(report, tr)} label={tr('charts.outcomes')} />
        </div>
        <div className="health-grid">
          <FigureTable
            label={tr('tables.volume')}
            testId="health-volume"
            head={[tr('figures.figure'), tr('figures.value')]}
            rows={[
              [tr('volume.started'), count(v.started)],
              [tr('volume.completed'), count(v.completed)],
              [tr('volume.cancelled'), count(v.cancelled)],
              [tr('volume.terminated'), count(v.terminated)],
              [tr('volume.wip'), count(v.wip.count)],
              [tr('volume.wipAgeP50'), dur(v.wip.age.working.p50, 'working')],
              [tr('volume.wipAgeMax'), dur(v.wip.age.calendar.max)],
            ]}
          />
          <FigureTable
            label={tr('tables.outcomes')}
            head={[tr('figures.outcome'), tr('units.cases')]}
            rows={Object.entries(v.outcomes).map(([o, n]) => [o, count(n)])}
          />
        </div>
      </section>

      <section aria-labelledby="h-time">
        <h2 id="h-time">{tr('sections.time')}</h2>
        <Chart option={cycleOption(report, tr)} label={tr('charts.cycle')} />
        <FigureTable
          label={tr('tables.cycle')}
          testId="health-cycle"
          head={statsHead}
          rows={[...statsRows(tr('figures.cycle'), report.cycle), ...Object.entries(report.cycleByOutcome).flatMap(([o, d]) => statsRows(`${tr('figures.cycle')} (${o})`, d))]}
        />
      </section>

      {report.milestones.length > 0 && (
        <section aria-labelledby="h-milestones">
          <h2 id="h-milestones">{tr('sections.milestones')}</h2>
          <Chart option={milestoneOption(report, tr, milestoneName)} label={tr('charts.milestones')} />
          <FigureTable
            label={tr('tables.milestones')}
            head={[tr('figures.milestone'), tr('figures.target'), tr('figures.reached'), tr('figures.notReached'), tr('figures.p50Working'), tr('figures.p90Working'), tr('figures.attainment')]}
            rows={report.milestones.map((m) => [
              milestoneName(m),
              m.target ?? '–',
              count(m.reached),
              count(m.notReached),
              dur(m.duration.working.p50, 'working'),
              dur(m.duration.working.p90, 'working'),
              formatRate(m.attainment),
            ])}
          />
        </section>
      )}

      <section aria-labelledby="h-rates">
        <h2 id="h-rates">{tr('sections.rates')}</h2>
        <Chart option={ratesOption(report, tr)} label={tr('charts.rates')} />
        <FigureTable
          label={tr('tables.rates')}
          testId="health-rates"
          head={[tr('figures.figure'), tr('figures.count'), tr('figures.of'), tr('figures.rate')]}
          rows={[
            [tr('rates.slaCase'), count(report.sla.case.met), count(report.sla.case.decided), formatRate(report.sla.case.attainment)],
            [tr('rates.slaCaseBreached'), count(report.sla.case.breached), count(report.sla.case.decided), '–'],
            [tr('rates.slaCaseWarned'), count(report.sla.case.warned), count(report.sla.case.decided), '–'],
            [tr('rates.slaNodes'), count(report.sla.nodes.met), count(report.sla.nodes.decided), formatRate(report.sla.nodes.attainment)],
            [tr('rates.escalations'), count(report.sla.escalations), '–', '–'],
            [tr('rates.stp'), count(report.stp.count), count(report.stp.completed), formatRate(report.stp.rate)],
            [tr('rates.rework'), count(report.rework.reworked), count(report.rework.cases), formatRate(report.rework.rate)],
            [tr('rates.incidents'), count(report.incidents.withIncident), count(report.incidents.cases), formatRate(report.incidents.rate)],
            ...(report.satisfaction.csat.responses > 0
              ? [[tr('rates.csat'), count(report.satisfaction.csat.satisfied), count(report.satisfaction.csat.responses), formatRate(report.satisfaction.csat.rate)]]
              : []),
            ...(report.satisfaction.nps.score !== null
              ? [[`${tr('rates.nps')} (${tr('rates.npsDetail', { promoters: report.satisfaction.nps.promoters, passives: report.satisfaction.nps.passives, detractors: report.satisfaction.nps.detractors })})`, '–', count(report.satisfaction.nps.responses), report.satisfaction.nps.score.toFixed(1)]]
              : []),
          ]}
        />
      </section>

      <section aria-labelledby="h-nodes">
        <h2 id="h-nodes">{tr('sections.nodes')}</h2>
        {report.nodes.some((n) => n.queue.working.n > 0) && <Chart option={waitingOption(report, tr, nodeName)} label={tr('charts.waiting')} />}
        <FigureTable
          label={tr('tables.nodes')}
          testId="health-nodes"
          head={[tr('figures.node'), tr('figures.visits'), tr('figures.waitingP50'), tr('figures.waitingP90'), tr('figures.handlingP50'), tr('figures.breachRate'), tr('figures.rework'), tr('figures.incidentRate'), tr('figures.hitRate')]}
          rows={report.nodes
            .filter((n) => n.visits > 0)
            .map((n) => [
              nodeName(n),
              count(n.visits),
              dur(n.queue.working.p50, 'working'),
              dur(n.queue.working.p90, 'working'),
              dur(n.handling.working.p50, 'working'),
              formatRate(n.breachRate),
              count(n.rework),
              formatRate(n.incidentRate),
              formatRate(n.hitRate),
            ])}
        />
      </section>

      <section aria-labelledby="h-compliance">
        <h2 id="h-compliance">{tr('sections.compliance')}</h2>
        {report.compliance.rules.length > 0 && <Chart option={complianceOption(report, tr)} label={tr('charts.compliance')} height={Math.max(200, 60 + report.compliance.rules.length * 28)} />}
        <FigureTable
          label={tr('tables.rules')}
          testId="health-rules"
          head={[tr('compliance.rule'), tr('figures.node'), tr('compliance.action'), tr('compliance.evaluated'), tr('compliance.passed'), tr('compliance.flagged'), tr('compliance.requiredStep'), tr('compliance.stopped'), tr('compliance.errors'), tr('compliance.fireRate')]}
          rows={report.compliance.rules.map((r) => [
            r.rule,
            nodeName({ nodeId: r.nodeId }),
            tr(`actions.${r.action}`),
            count(r.evaluated),
            count(r.passed),
            count(r.flagged),
            count(r.requiredStep),
            count(r.stopped),
            count(r.errors),
            formatRate(r.fireRate),
          ])}
        />
        <FigureTable
          label={tr('tables.alerts')}
          head={[tr('figures.figure'), tr('figures.value')]}
          rows={[
            [tr('compliance.alertsRaised'), count(report.compliance.alerts.raised)],
            [tr('compliance.alertsAnswered'), count(report.compliance.alerts.answered)],
            [tr('compliance.alertsUnanswered'), count(report.compliance.alerts.unanswered)],
            [tr('compliance.alertsStopped'), count(report.compliance.alerts.stopped)],
            [tr('compliance.responseP50'), dur(report.compliance.alerts.response.working.p50, 'working')],
            [tr('compliance.responseP90'), dur(report.compliance.alerts.response.working.p90, 'working')],
          ]}
        />
      </section>

      <section aria-labelledby="h-people">
        <h2 id="h-people">{tr('sections.people')}</h2>
        <p className="hint">{tr('people.workingDays', { count: report.people.workingDays })}</p>
        {report.people.operators.length > 0 ? (
          <FigureTable
            label={tr('tables.operators')}
            head={[tr('people.operator'), tr('people.tasks'), tr('people.activeDays'), tr('people.perActiveDay'), tr('people.perWorkingDay')]}
            rows={report.people.operators.map((o) => [o.actor, count(o.tasks), count(o.activeDays), o.perActiveDay?.toFixed(1) ?? '–', o.perWorkingDay?.toFixed(1) ?? '–'])}
          />
        ) : (
          <p className="hint">{tr(seesPeople ? 'people.noTasks' : 'people.hidden')}</p>
        )}
        <FigureTable
          label={tr('tables.queues')}
          head={[tr('people.queue'), tr('people.open'), tr('people.claimed'), tr('people.ageP50'), tr('people.oldest')]}
          rows={report.people.queues.map((q) => [q.queue, count(q.open), count(q.claimed), dur(q.age.working.p50, 'working'), q.oldest ? new Date(q.oldest).toLocaleString(lang) : '–'])}
        />
      </section>

      {report.groups && groups && (
        <section aria-labelledby="h-groups">
          <h2 id="h-groups">{tr('sections.groups', { by: report.groups.by })}</h2>
          <Chart option={groups} label={tr('charts.groups', { by: report.groups.by })} />
          <FigureTable
            label={tr('tables.groups')}
            testId="health-groups"
            head={[report.groups.by, tr('volume.started'), tr('volume.completed'), tr('figures.cycleP50Working'), tr('rates.slaCase'), tr('rates.stp'), tr('rates.rework')]}
            rows={report.groups.groups.map((g) => [
              groupName(g.value, tr),
              count(g.report.volume.started),
              count(g.report.volume.completed),
              dur(g.report.cycle.working.p50, 'working'),
              formatRate(g.report.sla.case.attainment),
              formatRate(g.report.stp.rate),
              formatRate(g.report.rework.rate),
            ])}
          />
        </section>
      )}
    </>
  );
}
