import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Task } from '../../api/console-types';
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

/**
 * Ask a colleague: give the task to someone who works its queue, or move it to another queue.
 * (The reassign call takes no reason, so none is asked for: it would not reach the audit trail.)
 */
export function ReassignDialog({ task, onDone, onClose, reassign }: { task: Task; onDone: () => void; onClose: () => void; reassign: (queue: string, assignee: string | null) => Promise<unknown> }) {
  const { t } = useTranslation();
  const [assignee, setAssignee] = useState('');
  const [queue, setQueue] = useState(task.queue);
  const [error, setError] = useState<string | null>(null);
  const { busy, problem, submit } = useSubmit(async () => {
    const q = queue.trim();
    const who = assignee.trim();
    if (!q) {
      setError(t('console.reassign.queueRequired'));
      return;
    }
    if (!who && q === task.queue) {
      setError(t('console.reassign.nothing'));
      return;
    }
    setError(null);
    await reassign(q, who || null);
    onDone();
  });
  return (
    <Modal title={t('console.reassign.title')} onClose={onClose}>
      <form className="form-grid" onSubmit={(e) => void submit(e)}>
        <p className="hint">{t('console.reassign.intro', { queue: task.queue })}</p>
        <Labelled label={t('console.reassign.assignee')}>
          <input type="text" value={assignee} maxLength={100} onChange={(e) => setAssignee(e.target.value)} />
        </Labelled>
        <Labelled label={t('console.reassign.queue')}>
          <input type="text" value={queue} maxLength={100} onChange={(e) => setQueue(e.target.value)} />
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
            {t('console.reassign.submit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Asks for a reason, required, then runs `confirm` with it (send back, cancel). */
export function ReasonDialog({
  title,
  intro,
  label,
  submitLabel,
  danger,
  confirm,
  onClose,
}: {
  title: string;
  intro: string;
  label: string;
  submitLabel: string;
  danger?: boolean;
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
          <textarea className="prose" rows={4} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} aria-invalid={error ? true : undefined} />
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
