import type { FlowDefinition } from '@flowpath/engine';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/context';
import type { AuditEntry, AuditVerification, CaseDetail, CaseEvent, CaseTimer, Task } from '../../api/console-types';
import { toProblem } from '../../api/problem';
import type { Me, Problem } from '../../api/types';
import { ProblemView } from '../../app/ProblemView';
import { routeHref } from '../../app/router';
import { asLang } from '../../i18n';
import { localized } from '../model/form-schema';
import { cancelDependsOnQueues, canCancel, canReassign, canRetryIncident, canSendMessage, canVerifyAudit } from '../model/permissions';
import { auditTypeLabel, CaseData, nodeName, RuleResults } from '../shared/CaseViews';
import { MessageDialog, ReasonDialog, ReassignDialog } from '../shared/Dialogs';
import { formatTime } from '../shared/format';
import { useCalendar, useNow } from '../shared/hooks';
import { PriorityMark } from '../shared/PriorityMark';
import { SlaBadge } from '../shared/SlaBadge';
import { useCaseBundle } from '../shared/use-case-bundle';
import { CaseGraph } from './CaseGraph';

type Dialog = { kind: 'cancel' } | { kind: 'message' } | { kind: 'reassign'; task: Task } | null;

/**
 * One case for supervisors, operators, auditors and admins: the flow drawn with the path taken
 * and where it waits, its timers, open tasks and who holds them, incidents with a retry, the
 * audit trail with "verify chain", and the actions the caller's role allows. While the case
 * waits the page re-reads it every few seconds.
 */
export function CaseScreen({ caseId, me, pollMs = 5000 }: { caseId: string; me: Me; pollMs?: number }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const api = useApi();
  const now = useNow(15_000);
  const bundle = useCaseBundle(caseId);
  const { kase, def, audit } = bundle;
  const calendar = useCalendar(def ? (def.calendar ?? 'cn-mainland') : undefined);
  const [timers, setTimers] = useState<CaseTimer[]>([]);
  const [events, setEvents] = useState<CaseEvent[]>([]);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [busy, setBusy] = useState(false);
  const [taskQueues, setTaskQueues] = useState<string[]>([]);
  const { reload } = bundle;
  // A supervisor of some queues may cancel a case that has or had a task in one of them: the tasks
  // of the case it can list (every status) are exactly those, so one short request decides.
  const askQueues = kase ? cancelDependsOnQueues(me, kase.createdBy) : false;

  const reloadAll = useCallback(async () => {
    await reload();
    try {
      const [tm, ev] = await Promise.all([api.listCaseTimers(caseId), api.listCaseEvents(caseId)]);
      setTimers(tm);
      setEvents(ev);
    } catch (err) {
      setProblem(toProblem(err));
    }
  }, [api, caseId, reload]);

  useEffect(() => {
    if (!askQueues) return;
    let live = true;
    api.listTasks({ caseId, status: ['open', 'claimed', 'completed', 'cancelled'], limit: 200 }).then(
      (page) => live && setTaskQueues([...new Set(page.items.map((x) => x.queue))]),
      () => live && setTaskQueues([]),
    );
    return () => {
      live = false;
    };
  }, [api, caseId, askQueues]);

  useEffect(() => {
    void reloadAll();
  }, [reloadAll]);

  const waiting = kase?.status === 'waiting';
  useEffect(() => {
    if (!waiting || pollMs <= 0) return;
    const id = setInterval(() => {
      if (!document.hidden) void reloadAll();
    }, pollMs);
    return () => clearInterval(id);
  }, [waiting, pollMs, reloadAll]);

  if (bundle.problem && !kase) {
    return (
      <main className="console case-screen">
        <a href={routeHref({ screen: 'cases' })}>← {t('console.case.back')}</a>
        <ProblemView problem={bundle.problem} />
      </main>
    );
  }
  if (!kase) return <p className="loading">{t('app.loading')}</p>;

  async function act(fn: () => Promise<unknown>, done: string) {
    setBusy(true);
    setProblem(null);
    setNotice(null);
    try {
      await fn();
      setNotice(done);
      await reloadAll();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  }

  const flowTitle = def ? localized(def.name, lang, kase.flow) : kase.flow;
  const awaited = kase.waits.filter((w) => w.type === 'message' && w.message).map((w) => w.message as string);
  const caseClock = kase.sla.find((s) => s.scope === 'case');

  return (
    <main className="console case-screen" aria-labelledby="case-title">
      <div className="toolbar">
        <a href={routeHref({ screen: 'cases' })}>← {t('console.case.back')}</a>
        <h1 id="case-title">
          {flowTitle} v{kase.version} · {kase.customerRef ?? kase.id.slice(0, 8)}
        </h1>
        <span className="case-status" data-testid="case-status" data-status={kase.status}>
          {t(`console.status.${kase.status}`)}
          {kase.outcome ? ` · ${kase.outcome}` : ''}
        </span>
        <PriorityMark priority={kase.priority} />
        {kase.breached && <span className="badge badge-breached">{t('console.cases.breachedBadge')}</span>}
        {caseClock && waiting && def && (
          <span>
            {t('console.case.caseLimit')} <SlaBadge dueAt={caseClock.dueAt} warnAt={caseClock.warnAt ?? null} now={now} calendar={calendar} mode={def.sla?.mode === 'working' ? 'working' : 'calendar'} />
          </span>
        )}
        <span className="spacer" />
        <button type="button" onClick={() => void reloadAll()}>
          {t('console.refresh')}
        </button>
        {waiting && awaited.length > 0 && canSendMessage(me) && (
          <button type="button" disabled={busy} onClick={() => setDialog({ kind: 'message' })}>
            {t('console.case.sendMessage')}
          </button>
        )}
        {waiting && canCancel(me, kase.createdBy, taskQueues) && (
          <button type="button" className="danger" disabled={busy} onClick={() => setDialog({ kind: 'cancel' })}>
            {t('console.case.cancel')}
          </button>
        )}
      </div>
      {notice && (
        <p className="done" role="status">
          {notice}
        </p>
      )}
      {problem && <ProblemView problem={problem} onDismiss={() => setProblem(null)} />}
      <p className="case-meta">
        <span>
          {t('console.case.branch')}: {kase.branch ?? '—'}
        </span>
        <span>
          {t('console.case.started')}: {formatTime(kase.startedAt, lang)} · {kase.createdBy}
        </span>
        {kase.endedAt && (
          <span>
            {t('console.case.ended')}: {formatTime(kase.endedAt, lang)}
          </span>
        )}
        <span>
          {t('console.case.waitingAt')}: {waiting ? kase.waits.map((w) => nodeName(def, w.nodeId, lang)).join(', ') || '—' : '—'}
        </span>
        <code>{kase.id}</code>
      </p>
      {def && <CaseGraph def={def} audit={audit} kase={kase} />}
      <div className="case-grid">
        <OpenTasks kase={kase} def={def} me={me} now={now} calendar={calendar} onReassign={(task) => setDialog({ kind: 'reassign', task })} />
        <Incidents kase={kase} def={def} canRetry={canRetryIncident(me)} busy={busy} onRetry={(id) => void act(() => api.retryIncident(kase.id, id), t('console.incidents.retried'))} />
        <Timers timers={timers} def={def} />
        <AuditTrail caseId={kase.id} audit={audit} def={def} canVerify={canVerifyAudit(me)} />
        <CaseData kase={kase} def={def} />
        <RuleResults audit={audit} def={def} />
        <Events events={events} def={def} />
      </div>
      {dialog?.kind === 'cancel' && (
        <ReasonDialog
          title={t('console.cancel.title')}
          intro={t('console.cancel.intro')}
          label={t('console.cancel.reason')}
          submitLabel={t('console.cancel.submit')}
          danger
          confirm={async (reason) => {
            await api.cancelCase(kase.id, reason);
            setDialog(null);
            setNotice(t('console.cancel.done'));
            await reloadAll();
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'message' && (
        <MessageDialog
          awaited={awaited}
          send={async (name, data) => {
            await api.sendMessage(kase.id, name, data, 5);
            setDialog(null);
            setNotice(t('console.message.sent', { name }));
            await reloadAll();
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'reassign' && (
        <ReassignDialog
          task={dialog.task}
          reassign={(queue, assignee, reason) => api.reassignTask(dialog.task.id, { ...(queue !== dialog.task.queue ? { queue } : {}), assignee, reason })}
          onDone={() => {
            setDialog(null);
            setNotice(t('console.reassign.done'));
            void reloadAll();
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </main>
  );
}

function OpenTasks({
  kase,
  def,
  me,
  now,
  calendar,
  onReassign,
}: {
  kase: CaseDetail;
  def: FlowDefinition | null;
  me: Me;
  now: string;
  calendar: ReturnType<typeof useCalendar>;
  onReassign: (t: Task) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  return (
    <section className="card" aria-labelledby="open-tasks-title">
      <h2 id="open-tasks-title">{t('console.case.tasks')}</h2>
      {kase.tasks.length === 0 ? (
        <p className="hint">{t('console.case.noTasks')}</p>
      ) : (
        <table aria-labelledby="open-tasks-title">
          <thead>
            <tr>
              <th scope="col">{t('console.work.col.step')}</th>
              <th scope="col">{t('console.case.holder')}</th>
              <th scope="col">{t('console.work.col.sla')}</th>
              <th scope="col">{t('console.work.col.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {kase.tasks.map((task) => {
              const node = def?.nodes.find((n) => n.id === task.nodeId);
              const mode = node && 'sla' in node && node.sla?.mode === 'working' ? 'working' : 'calendar';
              const step = localized(task.name, lang, task.nodeId);
              return (
                <tr key={task.id} data-testid={`open-task-${task.nodeId}`}>
                  <td>
                    <a href={routeHref({ screen: 'task', id: task.id })}>{step}</a>
                  </td>
                  <td>
                    {task.status === 'claimed' ? task.assignee : t('console.task.unclaimed')} · {t('console.task.queue', { queue: task.queue })}
                  </td>
                  <td>
                    <SlaBadge dueAt={task.dueAt} warnAt={task.warnAt} now={now} calendar={calendar} mode={mode} />
                  </td>
                  <td>
                    {canReassign(me, task) && (
                      <button type="button" className="small" onClick={() => onReassign(task)} aria-label={t('console.case.reassignOf', { task: step })}>
                        {t('console.case.reassign')}
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Incidents({ kase, def, canRetry, busy, onRetry }: { kase: CaseDetail; def: FlowDefinition | null; canRetry: boolean; busy: boolean; onRetry: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  return (
    <section className="card" aria-labelledby="incidents-title">
      <h2 id="incidents-title">{t('console.incidents.title')}</h2>
      {kase.incidents.length === 0 ? (
        <p className="hint">{t('console.incidents.none')}</p>
      ) : (
        <ul className="incidents">
          {kase.incidents.map((i) => (
            <li key={i.id} className="incident" data-testid={`incident-${i.id}`}>
              <strong>{nodeName(def, i.nodeId, lang)}</strong> <code>{i.code}</code>
              <div className="field-error">{i.message}</div>
              <span className="hint">{formatTime(i.at, lang)}</span>{' '}
              {canRetry && (
                <button type="button" className="primary small" disabled={busy} onClick={() => onRetry(i.id)} aria-label={t('console.incidents.retryOf', { node: nodeName(def, i.nodeId, lang) })}>
                  {t('console.incidents.retry')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Timers({ timers, def }: { timers: CaseTimer[]; def: FlowDefinition | null }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  return (
    <section className="card" aria-labelledby="timers-title">
      <h2 id="timers-title">{t('console.timers.title')}</h2>
      {timers.length === 0 ? (
        <p className="hint">{t('console.timers.none')}</p>
      ) : (
        <table aria-labelledby="timers-title">
          <thead>
            <tr>
              <th scope="col">{t('console.timers.purpose')}</th>
              <th scope="col">{t('console.timers.node')}</th>
              <th scope="col">{t('console.timers.due')}</th>
              <th scope="col">{t('console.timers.state')}</th>
            </tr>
          </thead>
          <tbody>
            {timers.map((tm) => (
              <tr key={tm.timerId} className={`timer-${tm.status}`}>
                <td>{t(`console.timers.purposes.${tm.purpose.replace('.', '_')}`, { defaultValue: tm.purpose })}</td>
                <td>{tm.nodeId ? nodeName(def, tm.nodeId, lang) : t('console.timers.wholeCase')}</td>
                <td>{formatTime(tm.dueAt, lang)}</td>
                <td>
                  {t(`console.timers.states.${tm.status}`, { defaultValue: tm.status })}
                  {tm.firedAt ? ` ${formatTime(tm.firedAt, lang)}` : ''}
                  {tm.lastError && <div className="field-error">{tm.lastError}</div>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function AuditTrail({ caseId, audit, def, canVerify }: { caseId: string; audit: readonly AuditEntry[]; def: FlowDefinition | null; canVerify: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const api = useApi();
  const [result, setResult] = useState<AuditVerification | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [all, setAll] = useState(false);
  const shown = all ? [...audit].reverse() : audit.slice(-60).reverse();
  async function verify() {
    setProblem(null);
    setResult(null);
    try {
      setResult(await api.verifyCaseAudit(caseId));
    } catch (err) {
      setProblem(toProblem(err));
    }
  }
  return (
    <section className="card audit" aria-labelledby="audit-title">
      <h2 id="audit-title">{t('console.audit.title', { count: audit.length })}</h2>
      <div className="actions left">
        {canVerify && (
          <button type="button" onClick={() => void verify()}>
            {t('console.audit.verify')}
          </button>
        )}
        {audit.length > 60 && (
          <button type="button" className="link" onClick={() => setAll((a) => !a)}>
            {all ? t('console.audit.showLatest') : t('console.audit.showAll')}
          </button>
        )}
      </div>
      {result && (
        <p role="status" className={result.ok ? 'verify-ok' : 'verify-broken'} data-testid="verify-result">
          {result.ok
            ? t('console.audit.intact', { count: result.entries })
            : t('console.audit.broken', { seq: result.firstBroken?.seq ?? '?', reason: t(`console.audit.breaks.${(result.firstBroken?.reason ?? '').replace('.', '_')}`, { defaultValue: result.firstBroken?.reason ?? '' }) })}
        </p>
      )}
      {problem && <ProblemView problem={problem} />}
      <div className="table-scroll short">
        <table aria-labelledby="audit-title">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t('console.audit.at')}</th>
              <th scope="col">{t('console.audit.what')}</th>
              <th scope="col">{t('console.audit.where')}</th>
              <th scope="col">{t('console.audit.who')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={e.seq}>
                <td>{e.seq}</td>
                <td>{formatTime(e.at, lang)}</td>
                <td title={JSON.stringify(e.details).slice(0, 500)}>
                  {auditTypeLabel(e.type, t)}
                  <AuditDetail entry={e} />
                </td>
                <td>{e.nodeId ? nodeName(def, e.nodeId, lang) : '—'}</td>
                <td>{e.actor ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The detail of an entry worth a line: a move, an error; and a reason in full, on lines of its own. */
function AuditDetail({ entry }: { entry: AuditEntry }) {
  const d = entry.details;
  const parts: string[] = [];
  if (entry.type === 'task.reassigned' && typeof d.to === 'object' && d.to !== null) {
    const to = d.to as { queue?: string; assignee?: string | null };
    parts.push(`→ ${to.assignee ?? to.queue ?? ''}`);
  }
  if (typeof d.outcome === 'string') parts.push(d.outcome);
  if (typeof d.error === 'object' && d.error !== null && typeof (d.error as { message?: unknown }).message === 'string') parts.push((d.error as { message: string }).message);
  if (entry.type === 'message.received' && typeof d.name === 'string') parts.push(d.name);
  if (entry.type === 'task.completed' && typeof d.data === 'object' && d.data !== null) {
    const data = d.data as Record<string, unknown>;
    for (const k of Object.keys(data).slice(0, 4)) parts.push(`${k}=${typeof data[k] === 'string' ? data[k] : JSON.stringify(data[k])}`);
  }
  const reason = typeof d.reason === 'string' ? d.reason : null;
  if (!parts.length && !reason) return null;
  return (
    <>
      {parts.length > 0 && <div className="hint audit-detail">{parts.join(' · ')}</div>}
      {reason && (
        <div className="hint audit-reason" data-testid="audit-reason">
          {reason}
        </div>
      )}
    </>
  );
}

function Events({ events, def }: { events: CaseEvent[]; def: FlowDefinition | null }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  if (events.length === 0) return null;
  return (
    <section className="card" aria-labelledby="events-title">
      <h2 id="events-title">{t('console.events.title')}</h2>
      <table aria-labelledby="events-title">
        <thead>
          <tr>
            <th scope="col">{t('console.events.what')}</th>
            <th scope="col">{t('console.events.where')}</th>
            <th scope="col">{t('console.events.state')}</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => {
            const p = e.payload;
            const what = typeof p.connector === 'string' ? p.connector : typeof p.name === 'string' ? p.name : typeof p.flow === 'string' ? p.flow : e.kind;
            return (
              <tr key={e.id}>
                <td>
                  {t(`console.events.kinds.${e.kind.replace(/\./g, '_')}`, { defaultValue: e.kind })}: {what}
                </td>
                <td>{typeof p.nodeId === 'string' ? nodeName(def, p.nodeId, lang) : '—'}</td>
                <td>
                  {e.status} ({e.attempts})
                  {e.lastError && <div className="field-error">{e.lastError}</div>}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
