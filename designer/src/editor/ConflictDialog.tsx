import { useTranslation } from 'react-i18next';
import { Modal } from '../app/Modal';

/**
 * Someone else saved the draft since it was opened. The user chooses: take their version
 * (losing these edits) or overwrite it knowingly. Nothing is overwritten without this choice.
 */
export function ConflictDialog({
  theirRevision,
  onReload,
  onOverwrite,
  onCancel,
}: {
  theirRevision: number | null;
  onReload: () => void;
  onOverwrite: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal title={t('conflict.title')} onClose={onCancel}>
      <p>{theirRevision !== null ? t('conflict.explainRevision', { revision: theirRevision }) : t('conflict.explain')}</p>
      <ul className="choices">
        <li>
          <button type="button" onClick={onReload}>
            {t('conflict.reload')}
          </button>{' '}
          <span className="hint">{t('conflict.reloadHint')}</span>
        </li>
        <li>
          <button type="button" className="danger" onClick={onOverwrite}>
            {t('conflict.overwrite')}
          </button>{' '}
          <span className="hint">{t('conflict.overwriteHint')}</span>
        </li>
      </ul>
      <div className="actions">
        <button type="button" onClick={onCancel}>
          {t('app.cancel')}
        </button>
      </div>
    </Modal>
  );
}
