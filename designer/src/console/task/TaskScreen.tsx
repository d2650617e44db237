import type { ErrorSchema } from '@rjsf/utils';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { useApi } from '../../api/context';
import type { Task } from '../../api/console-types';
import { toProblem } from '../../api/problem';
import type { Me, Problem } from '../../api/types';
import { ProblemView } from '../../app/ProblemView';
import { routeHref } from '../../app/router';
import { asLang } from '../../i18n';
import { initialValues, localized, serverErrorSchema, submittedData, type FormValues, type ServerFieldError } from '../model/form-schema';
import { canClaim, canComplete, canReassign, canRelease } from '../model/permissions';
import { sendBackFields } from '../model/send-back';
import { CaseData, CaseHistory, nodeName, RuleResults } from '../shared/CaseViews';
import { REASON_MAX, ReasonDialog, ReassignDialog } from '../shared/Dialogs';
import { useCalendar, useNow } from '../shared/hooks';
import { PriorityMark } from '../shared/PriorityMark';
import { SlaBadge } from '../shared/SlaBadge';
import { useCaseBundle } from '../shared/use-case-bundle';
import { TaskForm } from './TaskForm';

type Dialog = 'reassign' | 'send-back' | null;

/** One task: claim or release it, read the case and why it is here, fill in the form and complete it. */
export function TaskScreen({ taskId, me }: { taskId: string; me: Me }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  const api = useApi();
  const now = useNow(15_000);
  const [task, setTask] = useState<Task | null>(null);
  const [taskProblem, setTaskProblem] = useState<Problem | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [values, setValues] = useState<FormValues>({});
  const [serverErrors, setServerErrors] = useState<ErrorSchema | undefined>(undefined);
  const [busy, setBusy] = useState(false);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [done, setDone] = useState<Task | null>(null);
  const bundle = useCaseBundle(task?.caseId ?? null);
  const { kase, def, audit } = bundle;
  const calendar = useCalendar(def ? (def.calendar ?? 'cn-mainland') : undefined);

  const loadTask = useCallback(async () => {
    try {
      setTask(await api.getTask(taskId));
      setTaskProblem(null);
    } catch (err) {
      setTaskProblem(toProblem(err));
    }
  }, [api, taskId]);

  useEffect(() => {
    void loadTask();
  }, [loadTask]);

  // Read-only fields show the case data once the case is known.
  const caseData = kase?.data;
  const fields = useMemo(() => task?.form ?? [], [task]);
  useEffect(() => {
    if (caseData) setValues((v) => ({ ...initialValues(fields, caseData), ...v }));
  }, [caseData, fields]);

  if (taskProblem) {
    return (
      <main className="console task-screen">
        <Back />
        <ProblemView problem={taskProblem} />
      </main>
    );
  }
  if (!task) return <p className="loading">{t('app.loading')}</p>;

  const step = localized(task.name, lang, task.nodeId);
  const node = def?.nodes.find((n) => n.id === task.nodeId);
  const mode = node && 'sla' in node && node.sla?.mode === 'working' ? 'working' : 'calendar';
  const mayComplete = canComplete(me, task);
  const sendBack = sendBackFields(fields);

  async function act(fn: () => Promise<Task>) {
    setProblem(null);
    setBusy(true);
    try {
      setTask(await fn());
    } catch (err) {
      setProblem(toProblem(err));
      await loadTask();
    } finally {
      setBusy(false);
    }
  }

  async function complete(data: FormValues): Promise<boolean> {
    if (!task) return false;
    setProblem(null);
    setServerErrors(undefined);
    setBusy(true);
    try {
      const closed = await api.completeTask(task.id, submittedData(fields, data));
      setDone(closed);
      setTask(closed);
      await bundle.reload();
      return true;
    } catch (err) {
      const p = toProblem(err);
      setProblem(p);
      if (err instanceof ApiError && err.status === 422 && Array.isArray(p.errors)) setServerErrors(serverErrorSchema(p.errors as ServerFieldError[], fields, lang));
      return false;
    } finally {
      setBusy(false);
    }
  }

  const waitingNow = kase && kase.status === 'waiting' ? kase.waits.map((w) => nodeName(def, w.nodeId, lang)).join(', ') : null;

  return (
    <main className="console task-screen" aria-labelledby="task-title">
      <div className="toolbar">
        <Back />
        <h1 id="task-title">{step}</h1>
        <PriorityMark priority={task.priority} />
        <span>
          {def ? localized(def.name, lang, task.flow) : task.flow}
          {kase ? ` v${kase.version}` : ''}
        </span>
        {kase && (
          <a href={routeHref({ screen: 'case', id: kase.id })}>
            {t('console.task.case', { ref: kase.customerRef ?? kase.id.slice(0, 8) })}
          </a>
        )}
        <SlaBadge dueAt={task.dueAt} warnAt={task.warnAt} now={now} calendar={calendar} mode={mode} />
      </div>
      <div className="task-bar" role="group" aria-label={t('console.task.actions')}>
        <span className="task-state" data-testid="task-state">
          {t(`console.task.status.${task.status}`)}
          {task.status === 'claimed' && ` · ${task.assignee === me.name ? t('console.task.you') : task.assignee}`}
          {' · '}
          {t('console.task.queue', { queue: task.queue })}
        </span>
        {task.status === 'open' && canClaim(me, task) && (
          <button type="button" className="primary" disabled={busy} onClick={() => void act(() => api.claimTask(task.id))}>
            {t('console.task.claim')}
          </button>
        )}
        {canRelease(me, task) && (
          <button type="button" disabled={busy} onClick={() => void act(() => api.releaseTask(task.id))}>
            {t('console.task.release')}
          </button>
        )}
        {canReassign(me, task) && (
          <button type="button" disabled={busy} onClick={() => setDialog('reassign')}>
            {t('console.task.askColleague')}
          </button>
        )}
      </div>
      {problem && <ProblemView problem={problem} onDismiss={() => setProblem(null)} />}
      {bundle.problem && <ProblemView problem={bundle.problem} />}
      {done && (
        <div className="done" role="status">
          <strong>{t('console.task.completed')}</strong>{' '}
          {kase && (kase.status === 'waiting' ? t('console.task.caseNowWaits', { at: waitingNow }) : t('console.task.caseEnded', { status: t(`console.status.${kase.status}`), outcome: kase.outcome ?? '' }))}{' '}
          {kase && <a href={routeHref({ screen: 'case', id: kase.id })}>{t('console.task.openCase')}</a>} · <a href={routeHref({ screen: 'work' })}>{t('console.task.backToList')}</a>
        </div>
      )}
      <div className="task-columns">
        <section className="card form-card" aria-labelledby="form-title">
          <h2 id="form-title">{t('console.task.form')}</h2>
          {!mayComplete && task.status !== 'completed' && task.status !== 'cancelled' && <p className="hint">{t('console.task.readOnly')}</p>}
          {fields.length === 0 && <p className="hint">{t('console.task.noFields')}</p>}
          <TaskForm
            fields={fields}
            values={values}
            onChange={setValues}
            onSubmit={(v) => void complete(v)}
            serverErrors={serverErrors}
            disabled={!mayComplete || busy || done !== null}
          >
            {mayComplete && !done ? (
              <div className="actions">
                {sendBack && (
                  <button type="button" disabled={busy} onClick={() => setDialog('send-back')}>
                    {t('console.task.sendBack')}
                  </button>
                )}
                <button type="submit" className="primary" disabled={busy}>
                  {t('console.task.complete')}
                </button>
              </div>
            ) : (
              <></>
            )}
          </TaskForm>
        </section>
        <div className="side">
          {kase && <CaseData kase={kase} def={def} />}
          <RuleResults audit={audit} def={def} title={t('console.rules.whyHere')} />
          <CaseHistory audit={audit} def={def} limit={50} />
        </div>
      </div>
      {dialog === 'reassign' && (
        <ReassignDialog
          task={task}
          reassign={async (queue, assignee, reason) => setTask(await api.reassignTask(task.id, { ...(queue !== task.queue ? { queue } : {}), assignee, reason }))}
          onDone={() => {
            setDialog(null);
            void bundle.reload();
          }}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'send-back' && sendBack && (
        <ReasonDialog
          title={t('console.sendBack.title')}
          intro={t('console.sendBack.intro')}
          label={t('console.sendBack.reason')}
          submitLabel={t('console.sendBack.submit')}
          maxLength={Math.min(fields.find((f) => f.key === sendBack.reason)?.maxLength ?? REASON_MAX, REASON_MAX)}
          confirm={async (reason) => {
            const data = { ...values, [sendBack.decision]: sendBack.value, [sendBack.reason]: reason };
            setValues(data);
            setDialog(null);
            await complete(data);
          }}
          onClose={() => setDialog(null)}
        />
      )}
    </main>
  );
}

function Back() {
  const { t } = useTranslation();
  return <a href={routeHref({ screen: 'work' })}>← {t('console.task.backToList')}</a>;
}
