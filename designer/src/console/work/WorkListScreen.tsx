import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/context';
import type { Task } from '../../api/console-types';
import { toProblem } from '../../api/problem';
import type { Me, Problem } from '../../api/types';
import { ProblemView } from '../../app/ProblemView';
import { routeHref } from '../../app/router';
import { asLang } from '../../i18n';
import { localized } from '../model/form-schema';
import { canClaim, canRelease } from '../model/permissions';
import { dueOnServer, endOfLocalDay, matchesDue, NO_FILTER, serverQuery, type WorkFilter } from '../model/work-filter';
import { useCalendar, useDefinition, useFlows, useNow } from '../shared/hooks';
import { PriorityMark } from '../shared/PriorityMark';
import { SlaBadge } from '../shared/SlaBadge';
import { formatTime } from '../shared/format';
import { WorkFilters } from './WorkFilters';
import { useWorkList } from './use-work-list';

const ROW_HEIGHT = 46;

/**
 * The operator's work list: tasks of their queues, highest priority first, then earliest due,
 * paged from the server and drawn as a virtual list (only the rows on screen exist in the page),
 * polled so that what colleagues claim, complete or receive shows up without a reload.
 */
export function WorkListScreen({ me, pollMs = 5000 }: { me: Me; pollMs?: number }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const api = useApi();
  const now = useNow(15_000);
  const [filter, setFilter] = useState<WorkFilter>(NO_FILTER);
  const endOfDay = endOfLocalDay(now);
  // "Due today" moves to the next day at local midnight, not with every tick of `now`.
  const list = useWorkList(serverQuery(filter, endOfDay), pollMs);
  const [problem, setProblem] = useState<Problem | null>(null);
  const flows = useFlows();
  const flowName = useMemo(() => new Map(flows.map((f) => [f.key, localized(f.name, lang, f.key)])), [flows, lang]);
  const clientFiltered = !dueOnServer(filter.due);
  const rows = clientFiltered ? list.items.filter((task) => matchesDue(task, filter.due, now, endOfDay)) : list.items;

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  const virtualRows = virtualizer.getVirtualItems();
  const lastIndex = virtualRows.at(-1)?.index ?? -1;
  const { hasMore, loading, loadMore } = list;
  useEffect(() => {
    if (hasMore && !loading && lastIndex >= rows.length - 10) void loadMore();
  }, [lastIndex, rows.length, hasMore, loading, loadMore]);

  const { refresh } = list;
  const act = useCallback(
    async (fn: () => Promise<unknown>) => {
      setProblem(null);
      try {
        await fn();
        await refresh();
      } catch (err) {
        setProblem(toProblem(err));
      }
    },
    [refresh],
  );
  const onClaim = useCallback((id: string) => void act(() => api.claimTask(id)), [act, api]);
  const onRelease = useCallback((id: string) => void act(() => api.releaseTask(id)), [act, api]);

  return (
    <main className="console work-list" aria-labelledby="work-list-title">
      <div className="toolbar">
        <h1 id="work-list-title">{t('console.work.title')}</h1>
        <span className="hint" role="status" aria-live="polite">
          {t('console.work.count', { count: rows.length })}
          {list.hasMore ? ` ${t('console.work.more')}` : ''}
          {list.updatedAt ? ` · ${t('console.work.updated', { time: formatTime(list.updatedAt, lang) })}` : ''}
        </span>
        <button type="button" onClick={() => void list.refresh()}>
          {t('console.refresh')}
        </button>
      </div>
      <WorkFilters me={me} flows={flows} filter={filter} onChange={setFilter} />
      {clientFiltered && <p className="hint filter-note">{t('console.work.clientFiltered', { count: list.items.length })}</p>}
      {list.problem && <ProblemView problem={list.problem} />}
      {problem && <ProblemView problem={problem} onDismiss={() => setProblem(null)} />}
      <div className="vtable" role="table" aria-label={t('console.work.title')} aria-rowcount={rows.length + 1}>
        <div className="vrow vhead" role="row" aria-rowindex={1}>
          <span role="columnheader">{t('console.work.col.priority')}</span>
          <span role="columnheader">{t('console.work.col.flow')}</span>
          <span role="columnheader">{t('console.work.col.step')}</span>
          <span role="columnheader">{t('console.work.col.customer')}</span>
          <span role="columnheader">{t('console.work.col.branch')}</span>
          <span role="columnheader">{t('console.work.col.holder')}</span>
          <span role="columnheader">{t('console.work.col.sla')}</span>
          <span role="columnheader">{t('console.work.col.actions')}</span>
        </div>
        <div className="vbody" ref={scrollRef}>
          {!list.loading && rows.length === 0 && <p className="empty">{t('console.work.empty')}</p>}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualRows.map((v) => {
              const task = rows[v.index] as Task;
              return (
                <TaskRow
                  key={task.id}
                  task={task}
                  me={me}
                  now={now}
                  index={v.index}
                  top={v.start}
                  flowName={flowName.get(task.flow) ?? task.flow}
                  onClaim={onClaim}
                  onRelease={onRelease}
                />
              );
            })}
          </div>
          {list.hasMore && (
            <button type="button" className="load-more" disabled={list.loading} onClick={() => void list.loadMore()}>
              {list.loading ? t('app.loading') : t('console.loadMore')}
            </button>
          )}
        </div>
      </div>
    </main>
  );
}

/** One task: what, whose, which customer, how much time is left, and claim/release/open. Redrawn only when its own props change. */
const TaskRow = memo(function TaskRow({
  task,
  me,
  now,
  index,
  top,
  flowName,
  onClaim,
  onRelease,
}: {
  task: Task;
  me: Me;
  now: string;
  index: number;
  top: number;
  flowName: string;
  onClaim: (id: string) => void;
  onRelease: (id: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  // Everything the row shows comes with the task; the definition (for the SLA's calendar) is cached per flow version.
  const def = useDefinition(task.flow, task.version);
  const calendar = useCalendar(def ? (def.calendar ?? 'cn-mainland') : undefined);
  const node = def?.nodes.find((n) => n.id === task.nodeId);
  const mode = node && 'sla' in node && node.sla?.mode === 'working' ? 'working' : 'calendar';
  const step = localized(task.name, lang, task.nodeId);
  const who = `${step} ${task.customerRef ?? ''}`.trim();
  return (
    <div className={`vrow task-row status-${task.status}`} role="row" aria-rowindex={index + 2} data-testid={`task-${task.id}`} style={{ transform: `translateY(${top}px)`, height: ROW_HEIGHT }}>
      <span role="cell">
        <PriorityMark priority={task.priority} />
      </span>
      <span role="cell">{flowName}</span>
      <span role="cell">
        <a href={routeHref({ screen: 'task', id: task.id })}>{step}</a>
      </span>
      <span role="cell">{task.customerRef ?? '—'}</span>
      <span role="cell">{task.branch ?? '—'}</span>
      <span role="cell">{task.status === 'claimed' ? (task.assignee === me.name ? t('console.task.you') : task.assignee) : t('console.task.queue', { queue: task.queue })}</span>
      <span role="cell">
        <SlaBadge dueAt={task.dueAt} warnAt={task.warnAt} now={now} calendar={calendar} mode={mode} />
      </span>
      <span role="cell" className="row-actions">
        {task.status === 'open' && canClaim(me, task) && (
          <button type="button" className="small" onClick={() => onClaim(task.id)} aria-label={t('console.task.claimOf', { task: who })}>
            {t('console.task.claim')}
          </button>
        )}
        {canRelease(me, task) && (
          <button type="button" className="small" onClick={() => onRelease(task.id)} aria-label={t('console.task.releaseOf', { task: who })}>
            {t('console.task.release')}
          </button>
        )}
      </span>
    </div>
  );
});
