import { formatIssue, type Issue } from '@flowpath/engine';
import { useTranslation } from 'react-i18next';
import { asLang } from '../i18n';

/** A plain list of issues with their messages in the current language (publish refusals, imports). */
export function IssueList({ issues, onPick }: { issues: readonly Issue[]; onPick?: (issue: Issue) => void }) {
  const { t, i18n } = useTranslation();
  const lang = asLang(i18n.language);
  return (
    <ul className="issue-list" aria-label={t('problems.title')}>
      {issues.map((issue, i) => {
        const text = formatIssue(issue, lang);
        return (
          <li key={`${issue.code}-${issue.path}-${i}`} className={`issue issue-${issue.severity}`}>
            <span className="issue-severity">{t(issue.severity === 'error' ? 'problems.error' : 'problems.warning')}</span>{' '}
            {onPick ? (
              <button type="button" className="link" onClick={() => onPick(issue)}>
                {text}
              </button>
            ) : (
              <span>{text}</span>
            )}{' '}
            <code className="issue-where">{issue.nodeId ?? issue.edgeId ?? issue.path}</code>
          </li>
        );
      })}
    </ul>
  );
}
