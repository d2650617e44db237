import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem } from '../api/types';
import { Modal } from '../app/Modal';
import { ProblemView } from '../app/ProblemView';
import { Labelled } from '../app/Labelled';

/** Asks for the release note, then publishes; shows the refusal (with its problems) in place. */
export function PublishDialog({
  busy,
  problem,
  hasErrors,
  onPublish,
  onClose,
}: {
  busy: boolean;
  problem: Problem | null;
  hasErrors: boolean;
  onPublish: (note: string, setDefault: boolean) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState(false);
  const [setDefault, setSetDefault] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!note.trim()) {
      setMissing(true);
      return;
    }
    onPublish(note.trim(), setDefault);
  };
  return (
    <Modal title={t('publish.title')} onClose={onClose} wide>
      <form onSubmit={submit} className="form-grid">
        <p>{t('publish.explain')}</p>
        {hasErrors && (
          <p className="warning" role="status">
            {t('publish.hasErrors')}
          </p>
        )}
        <Labelled label={t('publish.note')}>
          <textarea
            value={note}
            onChange={(e) => {
              setNote(e.target.value);
              // The "write a note" error goes once there is a note, not only on the next submit.
              if (e.target.value.trim()) setMissing(false);
            }}
            rows={3}
            aria-invalid={missing ? true : undefined}
          />
        </Labelled>
        {missing && (
          <span role="alert" className="field-error">
            {t('publish.noteMissing')}
          </span>
        )}
        <label className="inline">
          <input type="checkbox" checked={setDefault} onChange={(e) => setSetDefault(e.target.checked)} />
          <span>{t('publish.setDefault')}</span>
        </label>
        <p className="hint">{t('publish.setDefaultHint')}</p>
        {problem && <ProblemView problem={problem} />}
        <div className="actions">
          <button type="button" onClick={onClose}>
            {t('app.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('publish.publishing') : t('publish.submit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
