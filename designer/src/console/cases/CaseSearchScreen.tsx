import type { CaseStatus } from '@flowpath/engine';
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/context';
import type { CaseQuery, CaseSummary } from '../../api/console-types';
import { toProblem } from '../../api/problem';
import type { Me, Problem } from '../../api/types';
import { Labelled } from '../../app/Labelled';
import { ProblemView } from '../../app/ProblemView';
import { routeHref } from '../../app/router';
import { asLang } from '../../i18n';
import { caseSearchFromParams, caseSearchToParams, inDateRange, NO_CASE_SEARCH, serverCaseQuery, type CaseSearch, type TriState } from '../model/case-search';
import { localized } from '../model/form-schema';
import { nodeName } from '../shared/CaseViews';
import { formatTime } from '../shared/format';
import { useConsoleCache, useDefinition, useFlows } from '../shared/hooks';
import { PriorityMark } from '../shared/PriorityMark';

const PAGE = 50;
/** Pages read at most for one "load more" while a date range skips rows outside it. */
const MAX_SKIP_PAGES = 10;
const STATUSES: CaseStatus[] = ['waiting', 'completed', 'terminated', 'cancelled'];

/**
 * The case monitor: find cases by flow, version, status, waiting step, breached limit, open
 * incident, branch, customer reference and creation date. Everything but the date range is
 * filtered by the server; the date range is applied here while paging (the list is newest
 * first, so paging stops once it passes the start of the range).
 */
export function CaseSearchScreen({ me, initialQuery }: { me: Me; initialQuery?: string | undefined }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const api = useApi();
  const cache = useConsoleCache();
  const flows = useFlows();
  const [form, setForm] = useState<CaseSearch>(() => caseSearchFromParams(initialQuery ?? ''));
  const [applied, setApplied] = useState<CaseSearch>(form);
  const [rows, setRows] = useState<CaseSummary[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const flow = flows.find((f) => f.key === form.flow);
  const version = form.version ? Number(form.version) : (flow?.latestVersion ?? undefined);
  const def = useDefinition(form.flow || undefined, version);
  const flowName = useMemo(() => new Map(flows.map((f) => [f.key, localized(f.name, lang, f.key)])), [flows, lang]);

  /** Reads pages from `from` until one row in the date range arrives (or the range is passed). */
  const fetchPage = useCallback(
    async (search: CaseSearch, from: string | null): Promise<{ items: CaseSummary[]; next: string | null }> => {
      const query: CaseQuery = { ...serverCaseQuery(search), limit: PAGE };
      const items: CaseSummary[] = [];
      let next = from;
      for (let i = 0; i < MAX_SKIP_PAGES; i++) {
        const page = await api.listCases({ ...query, ...(next ? { cursor: next } : {}) });
        const range = page.items.map((c) => ({ c, r: inDateRange(c.createdAt, search) }));
        items.push(...range.filter((x) => x.r === 'in').map((x) => x.c));
        next = page.nextCursor;
        // Newest first: once a row is older than the range, nothing after it can be in it.
        if (range.some((x) => x.r === 'before')) return { items, next: null };
        if (items.length > 0 || next === null) break;
      }
      return { items, next };
    },
    [api],
  );

  const run = useCallback(
    async (search: CaseSearch) => {
      setLoading(true);
      setProblem(null);
      try {
        const page = await fetchPage(search, null);
        for (const c of page.items) cache.remember(c);
        setRows(page.items);
        setCursor(page.next);
      } catch (err) {
        setProblem(toProblem(err));
        setRows([]);
        setCursor(null);
      } finally {
        setLoading(false);
      }
    },
    [fetchPage, cache],
  );

  useEffect(() => {
    void run(applied);
  }, [run, applied]);

  async function more() {
    if (!cursor) return;
    setLoading(true);
    try {
      const page = await fetchPage(applied, cursor);
      setRows((r) => [...r, ...page.items]);
      setCursor(page.next);
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setLoading(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    setApplied({ ...form });
    const params = caseSearchToParams(form);
    window.history.replaceState(null, '', routeHref({ screen: 'cases', ...(params ? { query: params } : {}) }));
  }

  const set = (patch: Partial<CaseSearch>) => setForm((f) => ({ ...f, ...patch }));
  const tri = (v: TriState) => (v === 'any' ? t('console.cases.any') : v === 'yes' ? t('console.value.yes') : t('console.value.no'));
  const waitNodes = def?.nodes.filter((n) => n.kind === 'user-task' || n.kind === 'wait' || n.kind === 'service-task' || n.kind === 'sub-flow' || n.kind === 'parallel-join') ?? [];

  return (
    <main className="console case-search" aria-labelledby="cases-title">
      <div className="toolbar">
        <h1 id="cases-title">{t('console.cases.title')}</h1>
        <span className="hint" role="status" aria-live="polite">
          {loading ? t('app.loading') : t('console.cases.count', { count: rows.length })}
        </span>
      </div>
      <form className="filters" aria-label={t('console.cases.filters')} onSubmit={submit}>
        <Labelled label={t('console.cases.flow')}>
          <select value={form.flow} onChange={(e) => set({ flow: e.target.value, version: '', waitingAt: '' })}>
            <option value="">{t('console.work.allFlows')}</option>
            {flows.map((f) => (
              <option key={f.key} value={f.key}>
                {localized(f.name, lang, f.key)}
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled label={t('console.cases.version')}>
          <select value={form.version} onChange={(e) => set({ version: e.target.value })} disabled={!flow}>
            <option value="">{t('console.cases.anyVersion')}</option>
            {(flow?.versions ?? []).map((v) => (
              <option key={v} value={String(v)}>
                v{v}
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled label={t('console.cases.status')}>
          <select value={form.status} onChange={(e) => set({ status: e.target.value as CaseSearch['status'] })}>
            <option value="">{t('console.cases.any')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`console.status.${s}`)}
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled label={t('console.cases.waitingAt')}>
          {def ? (
            <select value={form.waitingAt} onChange={(e) => set({ waitingAt: e.target.value })}>
              <option value="">{t('console.cases.any')}</option>
              {waitNodes.map((n) => (
                <option key={n.id} value={n.id}>
                  {localized(n.name, lang, n.id)}
                </option>
              ))}
            </select>
          ) : (
            <input type="text" value={form.waitingAt} placeholder={t('console.cases.nodeId')} onChange={(e) => set({ waitingAt: e.target.value })} />
          )}
        </Labelled>
        <Labelled label={t('console.cases.breached')}>
          <select value={form.breached} onChange={(e) => set({ breached: e.target.value as TriState })}>
            {(['any', 'yes', 'no'] as const).map((v) => (
              <option key={v} value={v}>
                {tri(v)}
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled label={t('console.cases.incident')}>
          <select value={form.incident} onChange={(e) => set({ incident: e.target.value as TriState })}>
            {(['any', 'yes', 'no'] as const).map((v) => (
              <option key={v} value={v}>
                {tri(v)}
              </option>
            ))}
          </select>
        </Labelled>
        <Labelled label={t('console.cases.branch')}>
          <input type="text" value={form.branch} maxLength={100} onChange={(e) => set({ branch: e.target.value })} />
        </Labelled>
        <Labelled label={t('console.cases.customerRef')}>
          <input type="text" value={form.customerRef} maxLength={200} onChange={(e) => set({ customerRef: e.target.value })} />
        </Labelled>
        <Labelled label={t('console.cases.from')}>
          <input type="date" value={form.from} onChange={(e) => set({ from: e.target.value })} />
        </Labelled>
        <Labelled label={t('console.cases.to')}>
          <input type="date" value={form.to} onChange={(e) => set({ to: e.target.value })} />
        </Labelled>
        <button type="submit" className="primary">
          {t('console.cases.search')}
        </button>
        <button
          type="button"
          onClick={() => {
            setForm(NO_CASE_SEARCH);
            setApplied(NO_CASE_SEARCH);
          }}
        >
          {t('console.work.clear')}
        </button>
      </form>
      {problem && <ProblemView problem={problem} />}
      <div className="table-scroll">
        <table aria-labelledby="cases-title">
          <thead>
            <tr>
              <th scope="col">{t('console.cases.col.case')}</th>
              <th scope="col">{t('console.cases.col.flow')}</th>
              <th scope="col">{t('console.cases.col.status')}</th>
              <th scope="col">{t('console.cases.col.customer')}</th>
              <th scope="col">{t('console.cases.col.branch')}</th>
              <th scope="col">{t('console.cases.col.waitingAt')}</th>
              <th scope="col">{t('console.cases.col.alerts')}</th>
              <th scope="col">{t('console.cases.col.created')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <CaseRow key={c.id} c={c} flowName={flowName.get(c.flow) ?? c.flow} />
            ))}
          </tbody>
        </table>
        {!loading && rows.length === 0 && !problem && <p className="empty">{t('console.cases.empty')}</p>}
        {cursor && (
          <button type="button" className="load-more" disabled={loading} onClick={() => void more()}>
            {t('console.loadMore')}
          </button>
        )}
      </div>
      {me.roles.includes('app') && !me.roles.some((r) => ['admin', 'auditor', 'owner', 'analyst', 'operator', 'supervisor'].includes(r)) && <p className="hint">{t('console.cases.appNote')}</p>}
    </main>
  );
}

function CaseRow({ c, flowName }: { c: CaseSummary; flowName: string }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const def = useDefinition(c.flow, c.version);
  return (
    <tr data-testid={`case-${c.id}`}>
      <td>
        <a href={routeHref({ screen: 'case', id: c.id })} aria-label={t('console.cases.open', { id: c.id.slice(0, 8), ref: c.customerRef ?? '' })}>
          {c.id.slice(0, 8)}
        </a>{' '}
        <PriorityMark priority={c.priority} />
      </td>
      <td>
        {flowName} v{c.version}
      </td>
      <td>
        {t(`console.status.${c.status}`)}
        {c.outcome ? ` · ${c.outcome}` : ''}
      </td>
      <td>{c.customerRef ?? '—'}</td>
      <td>{c.branch ?? '—'}</td>
      <td>{c.waitingAt.map((n) => nodeName(def, n, lang)).join(', ') || '—'}</td>
      <td>
        {c.breached && <span className="badge badge-breached">{t('console.cases.breachedBadge')}</span>}
        {c.openIncidents > 0 && <span className="badge badge-incident">{t('console.cases.incidentBadge', { count: c.openIncidents })}</span>}
      </td>
      <td>{formatTime(c.createdAt, lang)}</td>
    </tr>
  );
}
