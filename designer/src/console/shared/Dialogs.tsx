import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/context';
import type { QueueOperator, Task } from '../../api/console-types';
import { toProblem } from '../../api/problem';
import type { Problem } from '../../api/types';
import { Labelled } from '../../app/Labelled';
import { Modal } from '../../app/Modal';
import { ProblemView } from '../../app/ProblemView';

/** A dialog whose confirm button runs an API call; a refusal is shown in the dialog, which stays open. */
function useSubmit(run: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      await run();
    } catch (err) {
      setProblem(toProblem(err));
    } finally {
      setBusy(false);
    }
  };
  return { busy, problem, submit };
}

/** Longest reason the API takes for a reassignment, a cancellation or a send-back. */
export const REASON_MAX = 1000;

/**
 * The operators of `queue` the caller may give a task to, from GET /api/queues/{queue}/operators
 * (read again, after a pause, when the queue changes). `null` while loading; a problem when the
 * caller may not see that queue's operators (403), in which case the task can only go to the queue.
 */
function useQueueOperators(queue: string): { operators: QueueOperator[] | null; problem: Problem | null } {
  const api = useApi();
  const [state, setState] = useState<{ queue: string; operators: QueueOperator[] | null; problem: Problem | null }>({ queue: '', operators: null, problem: null });
  useEffect(() => {
    if (!queue) return;
    let live = true;
    const timer = setTimeout(() => {
      api.listQueueOperators(queue).then(
        (operators) => live && setState({ queue, operators, problem: null }),
        (err: unknown) => live && setState({ queue, operators: [], problem: toProblem(err) }),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, queue]);
  return state.queue === queue ? state : { operators: null, problem: null };
}

/**
 * Ask a colleague: give the task to an operator of its queue, chosen from those the server names,
 * or move it to another queue — always with a reason, which goes into the audit trail. The API
 * still decides (an operator may lose the queue meanwhile; four eyes may exclude someone).
 */
export function ReassignDialog({
  task,
  onDone,
  onClose,
  reassign,
}: {
  task: Task;
  onDone: () => void;
  onClose: () => void;
  reassign: (queue: string, assignee: string | null, reason: string) => Promise<unknown>;
}) {
  const { t } = useTranslation();
  const [assignee, setAssignee] = useState('');
  const [queue, setQueue] = useState(task.queue);
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ target?: string; reason?: string }>({});
  const target = queue.trim();
  const { operators, problem: listProblem } = useQueueOperators(target);
  // Those who may take the task: when its step names business roles, only holders of one of them.
  const colleagues = (operators ?? []).filter((o) => task.roles.length === 0 || task.roles.some((r) => o.roles.includes(r)));
  const chosen = colleagues.some((o) => o.name === assignee) ? assignee : '';
  const { busy, problem, submit } = useSubmit(async () => {
    const why = reason.trim();
    const next: { target?: string; reason?: string } = {};
    if (!target) next.target = t('console.reassign.queueRequired');
    // Nobody in the same queue is a change only for a claimed task: it goes back to the queue.
    else if (target === task.queue && (chosen || null) === task.assignee) next.target = t('console.reassign.nothing');
    if (!why) next.reason = t('console.reassign.reasonRequired');
    setErrors(next);
    if (next.target || next.reason) return;
    await reassign(target, chosen || null, why);
    onDone();
  });
  return (
    <Modal title={t('console.reassign.title')} onClose={onClose}>
      <form className="form-grid" onSubmit={(e) => void submit(e)} noValidate>
        <p className="hint">{t('console.reassign.intro', { queue: task.queue })}</p>
        <Labelled label={t('console.reassign.queue')}>
          <input
            type="text"
            value={queue}
            maxLength={100}
            onChange={(e) => {
              setQueue(e.target.value);
              setErrors((x) => ({ ...x, target: undefined }));
            }}
          />
        </Labelled>
        <Labelled
          label={t('console.reassign.assignee')}
          after={
            listProblem ? (
              <p className="hint">{t('console.reassign.othersUnknown', { queue: target })}</p>
            ) : operators && colleagues.length === 0 ? (
              <p className="hint">{t('console.reassign.noColleagues', { queue: target })}</p>
            ) : null
          }
        >
          <select
            value={chosen}
            onChange={(e) => {
              setAssignee(e.target.value);
              setErrors((x) => ({ ...x, target: undefined }));
            }}
            disabled={operators === null} aria-invalid={errors.target ? true : undefined}>
            <option value="">{operators === null && target ? t('app.loading') : t('console.reassign.toQueue', { queue: target || '—' })}</option>
            {colleagues.map((o) => (
              <option key={o.name} value={o.name}>
                {o.name === task.assignee ? t('console.reassign.holds', { name: o.name }) : o.name}
              </option>
            ))}
          </select>
        </Labelled>
        {errors.target && (
          <p role="alert" className="field-error">
            {errors.target}
          </p>
        )}
        <Labelled label={t('console.reassign.reason')}>
          <textarea
            className="prose"
            rows={3}
            maxLength={REASON_MAX}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setErrors((x) => ({ ...x, reason: undefined }));
            }}
            aria-invalid={errors.reason ? true : undefined}
          />
        </Labelled>
        {errors.reason && (
          <p role="alert" className="field-error">
            {errors.reason}
          </p>
        )}
        {problem && <ProblemView problem={problem} />}
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t('app.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {t('console.reassign.submit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Asks for a reason, required and trimmed, then runs `confirm` with it (send back, cancel); `maxLength` where the reason lands in a shorter form field. */
export function ReasonDialog({
  title,
  intro,
  label,
  submitLabel,
  danger,
  maxLength = REASON_MAX,
  confirm,
  onClose,
}: {
  title: string;
  intro: string;
  label: string;
  submitLabel: string;
  danger?: boolean;
  maxLength?: number;
  confirm: (reason: string) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const { busy, problem, submit } = useSubmit(async () => {
    if (!reason.trim()) {
      setError(t('console.reason.required'));
      return;
    }
    setError(null);
    await confirm(reason.trim());
  });
  return (
    <Modal title={title} onClose={onClose}>
      <form className="form-grid" onSubmit={(e) => void submit(e)}>
        <p className="hint">{intro}</p>
        <Labelled label={label}>
          <textarea className="prose" rows={4} maxLength={maxLength} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={error ? true : undefined} />
        </Labelled>
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
        {problem && <ProblemView problem={problem} />}
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t('app.cancel')}
          </button>
          <button type="submit" className={danger ? 'danger' : 'primary'} disabled={busy}>
            {submitLabel}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Sends a named message (documents supplied, contract signed) with optional JSON data to a waiting case. */
export function MessageDialog({ awaited, send, onClose }: { awaited: string[]; send: (name: string, data: Record<string, unknown>) => Promise<void>; onClose: () => void }) {
  const { t } = useTranslation();
  const [name, setName] = useState(awaited[0] ?? '');
  const [data, setData] = useState('{}');
  const [error, setError] = useState<string | null>(null);
  const { busy, problem, submit } = useSubmit(async () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(data || '{}');
    } catch {
      setError(t('console.message.badJson'));
      return;
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      setError(t('console.message.badJson'));
      return;
    }
    if (!name.trim()) {
      setError(t('console.message.nameRequired'));
      return;
    }
    setError(null);
    await send(name.trim(), parsed as Record<string, unknown>);
  });
  return (
    <Modal title={t('console.message.title')} onClose={onClose}>
      <form className="form-grid" onSubmit={(e) => void submit(e)}>
        <p className="hint">{awaited.length ? t('console.message.awaited', { names: awaited.join(', ') }) : t('console.message.noneAwaited')}</p>
        <Labelled label={t('console.message.name')}>
          <input type="text" list="awaited-messages" value={name} maxLength={100} onChange={(e) => setName(e.target.value)} />
        </Labelled>
        <datalist id="awaited-messages">
          {awaited.map((m) => (
            <option key={m} value={m} />
          ))}
        </datalist>
        <Labelled label={t('console.message.data')}>
          <textarea rows={5} value={data} onChange={(e) => setData(e.target.value)} aria-invalid={error ? true : undefined} />
        </Labelled>
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
        {problem && <ProblemView problem={problem} />}
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t('app.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {t('console.message.send')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
