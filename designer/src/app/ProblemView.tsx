import { useTranslation } from 'react-i18next';
import { problemDetail, problemHeadline } from '../api/problem';
import type { Problem } from '../api/types';
import { asLang } from '../i18n';
import { IssueList } from '../problems/IssueList';

/** Shows an API error in the user's language, with the server's detail and any validation issues. */
export function ProblemView({ problem, onDismiss }: { problem: Problem; onDismiss?: () => void }) {
  const { t, i18n } = useTranslation();
  const detail = problemDetail(problem, asLang(i18n.language));
  return (
    <div role="alert" className="problem">
      <strong>{problemHeadline(problem, t)}</strong>
      {detail && <div className="problem-detail">{detail}</div>}
      {problem.issues && problem.issues.length > 0 && <IssueList issues={problem.issues} />}
      {onDismiss && (
        <button type="button" className="link" onClick={onDismiss}>
          {t('app.close')}
        </button>
      )}
    </div>
  );
}
